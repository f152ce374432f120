//! A [`Batch`] on a device.

use burn::prelude::*;
use ganglion_data::preprocess::Batch;

/// The tensors of one batch.
#[derive(Debug, Clone)]
pub struct BatchTensors {
    /// `[B, N, H]` normalised history.
    pub inputs: Tensor<3>,
    /// `[B, N]` the first frame after the history.
    pub next: Tensor<2>,
    /// `[B, N]` 1 where the neuron is present.
    pub mask: Tensor<2>,
    /// `[B, N]` name buckets of the neurons ([`ganglion_models::gnn::name_bucket`]).
    pub ids: Tensor<2, Int>,
    /// `[B]` behaviour labels, when every window has one.
    pub labels: Option<Tensor<1, Int>>,
    /// `[B, S]` continuous behaviour signals, when every window has them.
    pub signals: Option<Tensor<2>>,
    /// The recording every window of the batch comes from (`None` for aligned batches,
    /// which may mix recordings).
    pub recording: Option<usize>,
}

impl BatchTensors {
    /// Moves a batch to `device` (one upload per array).
    pub fn new(batch: &Batch, recording: Option<usize>, ids: Vec<i64>, device: &Device) -> Self {
        let (b, n, h, f) = (batch.size, batch.n_neurons, batch.history, batch.horizon);
        let next: Vec<f32> =
            if f == 0 { vec![0.0; b * n] } else { batch.targets.chunks_exact(f).map(|t| t[0]).collect() };
        BatchTensors {
            inputs: Tensor::from_data(TensorData::new(batch.inputs.clone(), [b, n, h]), device),
            next: Tensor::from_data(TensorData::new(next, [b, n]), device),
            mask: Tensor::from_data(TensorData::new(batch.mask.clone(), [b, n]), device),
            ids: Tensor::from_data(TensorData::new(ids, [b, n]), device),
            labels: batch.labels.as_ref().map(|l| {
                let v: Vec<i64> = l.iter().map(|&x| i64::from(x)).collect();
                Tensor::from_data(TensorData::new(v, [b]), device)
            }),
            signals: batch.signals.as_ref().map(|s| {
                let per = s.len() / b.max(1);
                Tensor::from_data(TensorData::new(s.clone(), [b, per]), device)
            }),
            recording,
        }
    }
}
