//! Small building blocks shared by the models.

use burn::nn::{Linear, LinearConfig};
use burn::prelude::*;
use burn::tensor::activation::elu;

/// Two linear layers with ELU after each, as in the NRI encoder's MLPs.
#[derive(Module, Debug)]
pub struct EluMlp {
    first: Linear,
    second: Linear,
}

impl EluMlp {
    /// `input -> hidden -> output`.
    pub fn new(input: usize, hidden: usize, output: usize, device: &Device) -> Self {
        EluMlp {
            first: LinearConfig::new(input, hidden).init(device),
            second: LinearConfig::new(hidden, output).init(device),
        }
    }

    /// Applies to the last dimension.
    pub fn forward<const D: usize>(&self, x: Tensor<D>) -> Tensor<D> {
        elu(self.second.forward(elu(self.first.forward(x), 1.0)), 1.0)
    }
}

/// `1 - I`: ones everywhere but the diagonal, `[1, N, N]`, to drop self-edges.
pub fn off_diagonal(n: usize, device: &Device) -> Tensor<3> {
    let values: Vec<f32> = (0..n * n).map(|k| if k / n == k % n { 0.0 } else { 1.0 }).collect();
    Tensor::<1>::from_data(TensorData::new(values, [n * n]), device).reshape([1, n, n])
}
