//! The training workloads the benchmarks time, built the same way wherever they run:
//! natively under criterion (`benches/training.rs`) and in a browser's worker (WebGPU
//! and the wasm CPU device), so every row of the report measures one model, one size
//! and one batch of data.
//!
//! One step of a workload is one optimiser step of its model under its loss on data
//! already on the device. Sizes are fixed and written into the report: the GNN, MLP and
//! GRU see windows of [`HISTORY`] frames, [`BATCH`] windows per step, next-frame
//! forecasting; the ELM and Branch-ELM run the published NeuronIO configuration
//! ([`ELM_INPUTS`] inputs, 15 memory units; 45 branches of 100 synapses) over
//! [`ELM_BATCH`] sequences of a chosen number of time steps.

use burn::prelude::*;

use crate::{
    Elm, ElmConfig, ModelKind, RelationalGnn, RelationalGnnConfig, Routing, WindowGru, WindowGruConfig, WindowMlp,
    WindowMlpConfig,
};

/// Frames per window (GNN, MLP, GRU).
pub const HISTORY: usize = 4;
/// Windows per step (GNN, MLP, GRU).
pub const BATCH: usize = 4;
/// Sequences per ELM step.
pub const ELM_BATCH: usize = 8;
/// Inputs of the published Branch-ELM (NeuronIO).
pub const ELM_INPUTS: usize = 1278;

/// Whether a workload's size is its number of neurons (the GNN, MLP and GRU), else the
/// ELM's sequence length.
pub fn per_neuron(kind: ModelKind) -> bool {
    matches!(kind, ModelKind::Gnn | ModelKind::Mlp | ModelKind::Gru)
}

/// Deterministic values in [-1, 1) (the same on every platform).
pub fn values(len: usize, seed: u64) -> Vec<f32> {
    let mut s = seed;
    (0..len)
        .map(|_| {
            s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            ((s >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
        })
        .collect()
}

/// A tensor of [`values`].
pub fn tensor<const D: usize>(shape: [usize; D], seed: u64, device: &Device) -> Tensor<D> {
    Tensor::from_data(TensorData::new(values(shape.iter().product(), seed), shape), device)
}

/// A model and its loss on fixed data.
pub struct Workload<M, L: Fn(&M) -> Tensor<1>> {
    /// The model, on the device the workload was built for.
    pub model: M,
    /// The loss of one step.
    pub loss: L,
    /// Parameters that train (the PyTorch twins must match it).
    pub parameters: usize,
}

/// The GNN at `neurons` neurons on `device` (an autodiff device to train).
pub fn gnn(neurons: usize, device: &Device) -> Workload<RelationalGnn, impl Fn(&RelationalGnn) -> Tensor<1>> {
    let n = neurons;
    let model = RelationalGnnConfig::new(HISTORY).init(device);
    let stats = tensor([1, n, n, 3], 1, device);
    let (mask1, mask) = (Tensor::<2>::ones([1, n], device), Tensor::<2>::ones([BATCH, n], device));
    let (x, next) = (tensor([BATCH, n, HISTORY], 2, device), tensor([BATCH, n], 3, device));
    let ids = Tensor::<2, Int>::from_data(
        TensorData::new((0..(BATCH * n) as i64).map(|k| 1 + k % n as i64).collect(), [BATCH, n]),
        device,
    );
    let parameters = model.num_params();
    let loss = move |m: &RelationalGnn| {
        let graph = m.infer(stats.clone(), mask1.clone());
        m.forecast_loss(x.clone(), ids.clone(), next.clone(), mask.clone(), &graph, m.kl_weight())
    };
    Workload { model, loss, parameters }
}

fn windows(neurons: usize, device: &Device) -> (Tensor<3>, Tensor<2>) {
    (tensor([BATCH, neurons, HISTORY], 2, device), tensor([BATCH, neurons], 3, device))
}

/// The MLP at `neurons` neurons.
pub fn mlp(neurons: usize, device: &Device) -> Workload<WindowMlp, impl Fn(&WindowMlp) -> Tensor<1>> {
    let model = WindowMlpConfig::new(neurons, HISTORY, neurons).init(device);
    let (x, next) = windows(neurons, device);
    let parameters = model.num_params();
    Workload {
        model,
        loss: move |m: &WindowMlp| (m.forecast(x.clone()) - next.clone()).powi_scalar(2).mean(),
        parameters,
    }
}

/// The GRU at `neurons` neurons.
pub fn gru(neurons: usize, device: &Device) -> Workload<WindowGru, impl Fn(&WindowGru) -> Tensor<1>> {
    let model = WindowGruConfig::new(neurons, neurons).init(device);
    let (x, next) = windows(neurons, device);
    let parameters = model.num_params();
    Workload {
        model,
        loss: move |m: &WindowGru| (m.forecast(x.clone()) - next.clone()).powi_scalar(2).mean(),
        parameters,
    }
}

/// The published (Branch-)ELM over sequences of `steps` time steps.
pub fn elm(branched: bool, steps: usize, device: &Device) -> Workload<Elm, impl Fn(&Elm) -> Tensor<1>> {
    let routing =
        if branched { Routing::NeuronIo { branches: 45, synapses_per_branch: 100 } } else { Routing::Identity };
    let config = ElmConfig::new(ELM_INPUTS, 2).with_num_memory(15).with_routing(routing).with_memory_tau_max(150.0);
    let spikes = tensor([ELM_BATCH, steps, ELM_INPUTS], 4, device).greater_elem(0.9).float();
    let target = tensor([ELM_BATCH, steps, 2], 5, device);
    Workload {
        model: config.init(device),
        loss: move |m: &Elm| (m.forward(spikes.clone()) - target.clone()).powi_scalar(2).mean(),
        parameters: config.trainable_parameters(),
    }
}
