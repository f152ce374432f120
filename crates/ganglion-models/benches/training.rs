//! Training steps per second of every model, on every device this machine has (flex on
//! the CPU; wgpu where a Vulkan adapter exists, lavapipe on machines without a GPU).
//!
//! One measured iteration is one optimiser step (forward, backward, Adam) on data
//! already on the device, the loss read back at the end of each sample so the device's
//! queue is drained. `benches/torch_models.py` times the identical architectures in
//! PyTorch, and `cargo xtask bench` puts both side by side as ratios.
//!
//! Fixed sizes (written into the report): the GNN, MLP and GRU see windows of
//! [`HISTORY`] frames, [`BATCH`] per step, at `GANGLION_BENCH_NEURONS` neurons
//! (default 20, 100 and 302); ELM and Branch-ELM run the published 1,278-input
//! configuration over `GANGLION_BENCH_ELM_STEPS` time steps (default 100), [`ELM_BATCH`]
//! sequences per step. `GANGLION_BENCH_QUICK` shortens warm-up and measurement to a
//! few steps (the test command's smoke run). `GANGLION_BENCH_OUT`, when set, names a
//! folder that receives `params.json` (every model's parameter count, which the PyTorch
//! script must match) and `sizes.json` (the sizes above and the devices measured).

use std::time::{Duration, Instant};

use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::prelude::*;
use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use ganglion_models::gnn::KL_WEIGHT;
use ganglion_models::{ElmConfig, RelationalGnnConfig, Routing, WindowGruConfig, WindowMlpConfig};

#[path = "../tests/support/mod.rs"]
mod support;
use support::values;

/// Frames per window (GNN, MLP, GRU).
const HISTORY: usize = 4;
/// Windows per step (GNN, MLP, GRU).
const BATCH: usize = 4;
/// Sequences per ELM step.
const ELM_BATCH: usize = 8;
/// Inputs of the published Branch-ELM (NeuronIO).
const ELM_INPUTS: usize = 1278;

/// Whether criterion only tests the benchmarks (`cargo test`) rather than measuring them.
fn testing() -> bool {
    !std::env::args().any(|a| a == "--bench")
}

/// Time steps per ELM sequence.
fn elm_steps() -> usize {
    let default = if testing() { 10 } else { 100 };
    std::env::var("GANGLION_BENCH_ELM_STEPS").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn quick() -> bool {
    std::env::var_os("GANGLION_BENCH_QUICK").is_some()
}

fn neuron_counts() -> Vec<usize> {
    std::env::var("GANGLION_BENCH_NEURONS")
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .unwrap_or_else(|| if testing() { vec![20] } else { vec![20, 100, 302] })
}

/// The devices to measure: flex always, wgpu when an adapter opens.
fn devices() -> Vec<(&'static str, Device)> {
    let mut devices = vec![("flex", Device::flex())];
    match std::panic::catch_unwind(|| Device::wgpu_options().init()) {
        Ok(Ok(gpu)) => devices.push(("wgpu", gpu)),
        Ok(Err(e)) => eprintln!("wgpu skipped: no adapter ({e})"),
        Err(_) => eprintln!("wgpu skipped: opening an adapter panicked"),
    }
    devices
}

fn tensor<const D: usize>(shape: [usize; D], seed: u64, device: &Device) -> Tensor<D> {
    Tensor::from_data(TensorData::new(values(shape.iter().product(), seed), shape), device)
}

/// Times `iters` optimiser steps of `model` under `loss`, reading the last loss back.
fn time_steps<M: Module + Clone>(model: &mut Option<M>, iters: u64, loss: &impl Fn(&M) -> Tensor<1>) -> Duration {
    let mut optimizer: ModuleOptimizer = AdamConfig::new().init();
    let start = Instant::now();
    let mut last = None;
    for _ in 0..iters {
        let m = model.take().expect("the model is put back after every step");
        let l = loss(&m);
        let grads = GradientsParams::from_grads(l.backward(), &m);
        *model = Some(optimizer.step(1e-3, m, grads));
        last = Some(l);
    }
    if let Some(l) = last {
        let _ = l.into_scalar::<f32>();
    }
    start.elapsed()
}

/// Benchmarks `id` unless one probe step fails on this device (a buffer over the
/// adapter's limits, say), which is noted in `skipped` instead.
fn bench_model<M: Module + Clone>(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    skipped: &mut Vec<String>,
    id: String,
    model: M,
    loss: &impl Fn(&M) -> Tensor<1>,
) {
    let mut model = Some(model);
    let probe = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| time_steps(&mut model, 1, loss)));
    if probe.is_err() || model.is_none() {
        eprintln!("{id} skipped: one step failed on this device");
        skipped.push(id);
        return;
    }
    group.bench_function(id, |b| b.iter_custom(|iters| time_steps(&mut model, iters, loss)));
}

/// Parameter counts, written for the PyTorch script to check against.
#[derive(Default)]
struct Params(Vec<(String, usize)>);

impl Params {
    fn note(&mut self, id: &str, count: usize) {
        if !self.0.iter().any(|(k, _)| k == id) {
            self.0.push((id.to_owned(), count));
        }
    }

    fn write(&self, devices: &[(&str, Device)], skipped: &[String]) {
        let Ok(dir) = std::env::var("GANGLION_BENCH_OUT") else { return };
        let params: serde_json::Map<String, serde_json::Value> =
            self.0.iter().map(|(k, v)| (k.clone(), (*v).into())).collect();
        let sizes = serde_json::json!({
            "history": HISTORY, "batch": BATCH, "elm_steps": elm_steps(), "elm_batch": ELM_BATCH,
            "elm_inputs": ELM_INPUTS, "neurons": neuron_counts(),
            "devices": devices.iter().map(|(name, _)| *name).collect::<Vec<_>>(),
            "skipped": skipped,
        });
        let write = |name: &str, value: serde_json::Value| {
            let path = std::path::Path::new(&dir).join(name);
            if let Err(e) = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, value.to_string())) {
                eprintln!("could not write {}: {e}", path.display());
            }
        };
        write("params.json", serde_json::Value::Object(params));
        write("sizes.json", sizes);
    }
}

fn training(c: &mut Criterion) {
    let devices = devices();
    let mut params = Params::default();
    let mut skipped = Vec::new();
    let mut group = c.benchmark_group("train-step");
    group.sampling_mode(SamplingMode::Flat).sample_size(10).warm_up_time(Duration::from_secs(2));
    if quick() {
        group.warm_up_time(Duration::from_millis(1)).measurement_time(Duration::from_millis(1));
    }
    for (device_name, base) in &devices {
        let device = base.clone().autodiff();
        for &n in &neuron_counts() {
            // Relational GNN, forecasting (the encoder and decoder; the read-out is unused).
            let config = RelationalGnnConfig::new(HISTORY);
            let model = config.init(&device);
            params.note(&format!("gnn-{n}"), model.num_params());
            let stats = tensor([1, n, n, 3], 1, &device);
            let (mask1, mask) = (Tensor::<2>::ones([1, n], &device), Tensor::<2>::ones([BATCH, n], &device));
            let x = tensor([BATCH, n, HISTORY], 2, &device);
            let next = tensor([BATCH, n], 3, &device);
            let ids = Tensor::<2, Int>::from_data(
                TensorData::new((0..(BATCH * n) as i64).map(|k| 1 + k % n as i64).collect(), [BATCH, n]),
                &device,
            );
            let loss = |m: &ganglion_models::RelationalGnn| {
                let graph = m.infer(stats.clone(), mask1.clone());
                m.forecast_loss(x.clone(), ids.clone(), next.clone(), mask.clone(), &graph, KL_WEIGHT)
            };
            // The decoder slices its pairwise messages to fit one wgpu storage buffer.
            bench_model(&mut group, &mut skipped, format!("gnn-{n}-{device_name}"), model, &loss);

            // The structure-agnostic baselines on the same windows.
            let mlp = WindowMlpConfig::new(n, HISTORY, n).init(&device);
            params.note(&format!("mlp-{n}"), mlp.num_params());
            let loss = |m: &ganglion_models::WindowMlp| (m.forecast(x.clone()) - next.clone()).powi_scalar(2).mean();
            bench_model(&mut group, &mut skipped, format!("mlp-{n}-{device_name}"), mlp, &loss);
            let gru = WindowGruConfig::new(n, n).init(&device);
            params.note(&format!("gru-{n}"), gru.num_params());
            let loss = |m: &ganglion_models::WindowGru| (m.forecast(x.clone()) - next.clone()).powi_scalar(2).mean();
            bench_model(&mut group, &mut skipped, format!("gru-{n}-{device_name}"), gru, &loss);
        }

        // ELM and Branch-ELM, the published NeuronIO configuration (1,278 inputs, 15
        // memory units; the branched one with 45 branches of 100 synapses).
        let spikes = tensor([ELM_BATCH, elm_steps(), ELM_INPUTS], 4, &device).greater_elem(0.9).float();
        let target = tensor([ELM_BATCH, elm_steps(), 2], 5, &device);
        for (id, routing) in
            [("elm", Routing::Identity), ("branch-elm", Routing::NeuronIo { branches: 45, synapses_per_branch: 100 })]
        {
            let config =
                ElmConfig::new(ELM_INPUTS, 2).with_num_memory(15).with_routing(routing).with_memory_tau_max(150.0);
            let model = config.init(&device);
            params.note(&format!("{id}-{ELM_INPUTS}"), config.trainable_parameters());
            let loss = |m: &ganglion_models::Elm| (m.forward(spikes.clone()) - target.clone()).powi_scalar(2).mean();
            bench_model(&mut group, &mut skipped, format!("{id}-{ELM_INPUTS}-{device_name}"), model, &loss);
        }
    }
    group.finish();
    params.write(&devices, &skipped);
}

criterion_group!(benches, training);
criterion_main!(benches);
