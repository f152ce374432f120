//! Structure-agnostic baselines over a fixed, aligned neuron set.

use burn::nn::gru::{Gru, GruConfig};
use burn::nn::{Linear, LinearConfig};
use burn::prelude::*;
use burn::tensor::activation::elu;

/// The last frame of windows `[B, N, H]` -> `[B, N]`: the persistence forecast, and
/// what every window model's forecast adds its predicted change to.
pub fn last_frame(x: &Tensor<3>) -> Tensor<2> {
    let [_, _, h] = x.dims();
    x.clone().narrow(2, h - 1, 1).squeeze_dim::<2>(2)
}

/// Hyperparameters of [`WindowMlp`].
#[derive(Config, Debug)]
pub struct WindowMlpConfig {
    /// Neurons (fixed).
    pub neurons: usize,
    /// History frames.
    pub history: usize,
    /// Outputs: `neurons` to forecast, the number of classes to classify.
    pub outputs: usize,
    /// Hidden width.
    #[config(default = 128)]
    pub hidden: usize,
}

/// An MLP over the flattened window.
#[derive(Module, Debug)]
pub struct WindowMlp {
    hidden: Linear,
    out: Linear,
}

impl WindowMlpConfig {
    /// Builds the model on `device`.
    pub fn init(&self, device: &Device) -> WindowMlp {
        WindowMlp {
            hidden: LinearConfig::new(self.neurons * self.history, self.hidden).init(device),
            out: LinearConfig::new(self.hidden, self.outputs).init(device),
        }
    }
}

impl WindowMlp {
    /// `[B, N, H]` -> `[B, outputs]`.
    pub fn forward(&self, x: Tensor<3>) -> Tensor<2> {
        let [b, n, h] = x.dims();
        self.out.forward(elu(self.hidden.forward(x.reshape([b, n * h])), 1.0))
    }

    /// Next-frame forecast: the last frame plus the predicted change, `[B, N, H]` -> `[B, N]`.
    pub fn forecast(&self, x: Tensor<3>) -> Tensor<2> {
        last_frame(&x) + self.forward(x)
    }
}

/// Hyperparameters of [`WindowGru`].
#[derive(Config, Debug)]
pub struct WindowGruConfig {
    /// Neurons (fixed).
    pub neurons: usize,
    /// Outputs: `neurons` to forecast, the number of classes to classify.
    pub outputs: usize,
    /// Hidden state size.
    #[config(default = 64)]
    pub hidden: usize,
}

/// A GRU over time, the neurons as input features.
#[derive(Module, Debug)]
pub struct WindowGru {
    gru: Gru,
    out: Linear,
}

impl WindowGruConfig {
    /// Builds the model on `device`.
    pub fn init(&self, device: &Device) -> WindowGru {
        WindowGru {
            gru: GruConfig::new(self.neurons, self.hidden, true).init(device),
            out: LinearConfig::new(self.hidden, self.outputs).init(device),
        }
    }
}

impl WindowGru {
    /// `[B, N, H]` -> `[B, outputs]` from the last hidden state.
    pub fn forward(&self, x: Tensor<3>) -> Tensor<2> {
        let [_, _, h] = x.dims();
        let states = self.gru.forward(x.swap_dims(1, 2), None); // [B, H, hidden]
        self.out.forward(states.narrow(1, h - 1, 1).squeeze_dim::<2>(1))
    }

    /// Next-frame forecast: the last frame plus the predicted change.
    pub fn forecast(&self, x: Tensor<3>) -> Tensor<2> {
        last_frame(&x) + self.forward(x)
    }
}
