//! The Expressive Leaky Memory (ELM) neuron and its branched variant (Spieler et al.,
//! ICLR 2024), version 1 of the authors' code, exactly as `shared/papers/elm.md` gives it:
//!
//! ```text
//! kappa_s = exp(-dt / tau_s);  kappa_m = exp(-dt / tau_m)
//! s_t     = kappa_s * s_{t-1} + relu(proto_w_s) * x_t[idx]        (per synapse; invalid ones read 0)
//! b_t     = sum of s_t over each branch's synapses
//! delta_m = stanh(MLP(concat(b_t, kappa_m * m_{t-1})))              stanh(x) = 1.7159 tanh(2x/3)
//! m_t     = kappa_m * m_{t-1} + lambda * (1 - kappa_m) * delta_m
//! y_t     = w_y(m_t)
//! ```
//! `tau_s` is frozen; `tau_m = ssig(proto_tau_m, tau_min, tau_max)` is frozen unless
//! `learn_memory_tau`. The recurrence runs on the device step by step with no readback.

mod routing;

use burn::module::{Param, ParamId};
use burn::nn::{Linear, LinearConfig, Relu};
use burn::prelude::*;
use burn::tensor::activation::{relu, sigmoid};

pub use routing::{Routing, Wiring};

/// Hyperparameters of [`Elm`] (names follow the authors' `model_config.json`).
#[derive(Config, Debug)]
pub struct ElmConfig {
    /// Input channels.
    pub num_input: usize,
    /// Output channels.
    pub num_output: usize,
    /// Memory units.
    #[config(default = 20)]
    pub num_memory: usize,
    /// Synapse wiring (identity for the plain ELM).
    #[config(default = "Routing::Identity")]
    pub routing: Routing,
    /// Hidden width of the MLP (default `2 * num_memory`).
    pub mlp_hidden: Option<usize>,
    /// Hidden layers of the MLP.
    #[config(default = 1)]
    pub mlp_num_layers: usize,
    /// Initial synaptic time constant (frozen).
    #[config(default = 5.0)]
    pub tau_s_value: f64,
    /// Smallest memory time constant.
    #[config(default = 1.0)]
    pub memory_tau_min: f64,
    /// Largest memory time constant.
    #[config(default = 1000.0)]
    pub memory_tau_max: f64,
    /// Whether the memory time constants train.
    #[config(default = false)]
    pub learn_memory_tau: bool,
    /// The lambda factor of the memory update.
    #[config(default = 5.0)]
    pub lambda_value: f64,
    /// Time step.
    #[config(default = 1.0)]
    pub dt: f64,
}

/// The ELM neuron. Field names match the PyTorch state dict (after dropping the leading
/// underscore of `_proto_*`), so published checkpoints load by name.
#[derive(Module, Debug)]
pub struct Elm {
    proto_w_s: Param<Tensor<1>>,
    tau_s: Param<Tensor<1>>,
    proto_tau_m: Param<Tensor<1>>,
    input_to_synapse_indices: Param<Tensor<1, Int>>,
    valid_indices_mask: Param<Tensor<1, Bool>>,
    mlp: Vec<Linear>,
    activation: Relu,
    w_y: Linear,
    branches: usize,
    memory_tau_min: f64,
    memory_tau_max: f64,
    lambda_value: f64,
    dt: f64,
}

impl ElmConfig {
    /// The branched variant for `num_input` channels that carry no wiring of their own
    /// (neurons of a recording, spike channels): each of `num_input / 4` branches (at
    /// least one) sums 8 synapses reading seeded random channels, so several channels
    /// meet on one branch before the memory sees them, as in the Branch-ELM.
    pub fn branched(num_input: usize, num_output: usize) -> Self {
        let routing = Routing::Random { branches: (num_input / 4).max(1), synapses_per_branch: 8, seed: 0 };
        ElmConfig::new(num_input, num_output).with_routing(routing)
    }

    /// MLP hidden width.
    pub fn hidden(&self) -> usize {
        self.mlp_hidden.unwrap_or(2 * self.num_memory)
    }

    /// Trainable parameters by the formula of elm.md (memory taus frozen):
    /// `d_syn + (d_branch + d_m) h + h + h d_m + d_m + d_m d_out + d_out` for one hidden layer.
    pub fn trainable_parameters(&self) -> usize {
        let wiring = self.routing.wiring(self.num_input);
        let (syn, branch, m, h, out) =
            (wiring.input_of.len(), wiring.branches, self.num_memory, self.hidden(), self.num_output);
        let hidden_layers = (self.mlp_num_layers.saturating_sub(1)) * (h * h + h);
        syn + (branch + m) * h
            + h
            + hidden_layers
            + h * m
            + m
            + m * out
            + out
            + if self.learn_memory_tau { m } else { 0 }
    }

    /// Builds the model with the initialisation of the reference code.
    pub fn init(&self, device: &Device) -> Elm {
        let wiring = self.routing.wiring(self.num_input);
        let syn = wiring.input_of.len();
        let m = self.num_memory;
        let h = self.hidden();
        let mut mlp = Vec::new();
        let mut width = wiring.branches + m;
        for _ in 0..self.mlp_num_layers {
            mlp.push(LinearConfig::new(width, h).init(device));
            width = h;
        }
        mlp.push(LinearConfig::new(width, m).init(device));
        let taus = log_spaced(self.memory_tau_min + 1e-6, self.memory_tau_max - 1e-6, m);
        let proto_tau: Vec<f32> =
            taus.iter().map(|&t| inverse_scaled_sigmoid(t, self.memory_tau_min, self.memory_tau_max) as f32).collect();
        let floats = |v: Vec<f32>| Tensor::<1>::from_data(TensorData::new(v, [syn]), device);
        let indices: Vec<i64> = wiring.input_of.iter().map(|&i| i as i64).collect();
        Elm {
            proto_w_s: Param::from_tensor(floats(vec![0.5; syn])),
            tau_s: Param::from_tensor(floats(vec![self.tau_s_value as f32; syn])).set_require_grad(false),
            proto_tau_m: Param::from_tensor(Tensor::from_data(TensorData::new(proto_tau, [m]), device))
                .set_require_grad(self.learn_memory_tau),
            input_to_synapse_indices: Param::initialized(
                ParamId::new(),
                Tensor::from_data(TensorData::new(indices, [syn]), device),
            ),
            valid_indices_mask: Param::initialized(
                ParamId::new(),
                Tensor::from_data(TensorData::new(wiring.valid.clone(), [syn]), device),
            ),
            mlp,
            activation: Relu::new(),
            w_y: LinearConfig::new(m, self.num_output).init(device),
            branches: wiring.branches,
            memory_tau_min: self.memory_tau_min,
            memory_tau_max: self.memory_tau_max,
            lambda_value: self.lambda_value,
            dt: self.dt,
        }
    }
}

fn log_spaced(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    let (a, b) = (lo.log10(), hi.log10());
    (0..n).map(|i| 10f64.powf(if n == 1 { a } else { a + (b - a) * i as f64 / (n - 1) as f64 })).collect()
}

fn inverse_scaled_sigmoid(x: f64, lo: f64, hi: f64) -> f64 {
    let x = x.clamp(lo + 1e-6, hi - 1e-6);
    ((x - lo) / (hi - x)).ln()
}

/// `1.7159 * tanh(2x / 3)`.
fn scaled_tanh<const D: usize>(x: Tensor<D>) -> Tensor<D> {
    (x * (2.0 / 3.0)).tanh() * 1.7159
}

impl Elm {
    /// Memory time constants `tau_m = ssig(proto_tau_m, tau_min, tau_max)`, `[d_m]`.
    pub fn tau_m(&self) -> Tensor<1> {
        sigmoid(self.proto_tau_m.val()) * (self.memory_tau_max - self.memory_tau_min) + self.memory_tau_min
    }

    /// Runs the neuron over a sequence: `x` `[B, T, d_in]` -> `[B, T, d_out]`.
    pub fn forward(&self, x: Tensor<3>) -> Tensor<3> {
        let [b, t, _] = x.dims();
        let device = x.device();
        let syn = self.tau_s.dims()[0];
        let per_branch = syn / self.branches.max(1);
        let kappa_s = (self.tau_s.val().clamp_min(1e-6).recip() * (-self.dt)).exp().unsqueeze_dim::<2>(0); // [1, S]
        let kappa_m = (self.tau_m().clamp_min(1e-6).recip() * (-self.dt)).exp().unsqueeze_dim::<2>(0); // [1, M]
        let weight = relu(self.proto_w_s.val()) * self.valid_indices_mask.val().float();
        let weight = weight.reshape([1, syn]);
        // Every step's input routed to the synapses at once ([B, T, S]), weighted step by
        // step below. (Weighting first and slicing the weighted [B, T, S] tensor in the
        // loop made autodiff build a zero-filled [B, T, S] gradient for every slice and
        // add them all: T full-size copies, three quarters of Branch-ELM's step.)
        let routed = x.select(2, self.input_to_synapse_indices.val());
        let memory = kappa_m.dims()[1];
        let mut s = Tensor::<2>::zeros([b, syn], &device);
        let mut m = Tensor::<2>::zeros([b, memory], &device);
        let mut states = Vec::with_capacity(t);
        let gain = (kappa_m.clone().neg() + 1.0) * self.lambda_value;
        for step in 0..t {
            s = s * kappa_s.clone() + routed.clone().narrow(1, step, 1).squeeze_dim::<2>(1) * weight.clone();
            let branch = s.clone().reshape([b, self.branches, per_branch]).sum_dim(2).squeeze_dim::<2>(2);
            let decayed = m.clone() * kappa_m.clone();
            let delta = scaled_tanh(self.mlp_forward(Tensor::cat(vec![branch, decayed.clone()], 1)));
            m = decayed + gain.clone() * delta;
            states.push(m.clone().unsqueeze_dim::<3>(1));
        }
        // The read-out depends on no later step: one product over every step's memory
        // ([B, T, M]) instead of T small ones in the recurrence.
        self.w_y.forward(Tensor::cat(states, 1))
    }

    /// The output at the last step of windows `[B, N, H]` (channels x steps, the layout
    /// the window baselines take) -> `[B, d_out]`.
    pub fn last_of_window(&self, x: Tensor<3>) -> Tensor<2> {
        let [_, _, h] = x.dims();
        self.forward(x.swap_dims(1, 2)).narrow(1, h - 1, 1).squeeze_dim::<2>(1)
    }

    /// Next-frame forecast from windows `[B, N, H]`: the last frame plus the output at
    /// the last step (`d_out = N`) -> `[B, N]`.
    pub fn forecast_window(&self, x: Tensor<3>) -> Tensor<2> {
        crate::baselines::last_frame(&x) + self.last_of_window(x)
    }

    /// Loads a PyTorch `state_dict` saved by the authors' reference code (keys
    /// `_proto_w_s`, `tau_s`, `_proto_tau_m`, `input_to_synapse_indices`,
    /// `valid_indices_mask`, `mlp.network.{0,2}`, `w_y`) into a model built with the
    /// matching [`ElmConfig`]. Linear weights are transposed from PyTorch's layout.
    #[cfg(feature = "pytorch")]
    pub fn load_pytorch(mut self, path: impl Into<std::path::PathBuf>) -> Result<Self, String> {
        use burn::store::{ModuleSnapshot, PytorchStore};
        let mut store = PytorchStore::from_file(path)
            .with_key_remapping(r"^_proto_", "proto_")
            .with_key_remapping(r"^mlp\.network\.", "mlp.");
        self.load_from(&mut store).map_err(|e| format!("the checkpoint does not fit this ELM: {e}"))?;
        Ok(self)
    }

    /// The synapse wiring held by the model (from its config or a loaded checkpoint).
    pub fn wiring(&self) -> (Vec<i64>, Vec<bool>) {
        (
            self.input_to_synapse_indices.val().into_data().iter::<i64>().collect(),
            self.valid_indices_mask.val().into_data().iter::<bool>().collect(),
        )
    }

    /// Synaptic weights `relu(proto_w_s)`.
    pub fn synapse_weights(&self) -> Vec<f32> {
        relu(self.proto_w_s.val()).into_data().iter::<f32>().collect()
    }

    fn mlp_forward(&self, mut h: Tensor<2>) -> Tensor<2> {
        let last = self.mlp.len().saturating_sub(1);
        for (i, layer) in self.mlp.iter().enumerate() {
            h = layer.forward(h);
            if i < last {
                h = self.activation.forward(h);
            }
        }
        h
    }
}

#[cfg(test)]
mod tests;
