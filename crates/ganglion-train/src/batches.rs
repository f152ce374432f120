//! Where a training run's batches come from: windows over recordings, reshuffled each
//! epoch ([`WindowBatches`]), or anything else that makes a batch per step (the
//! long-memory task's fresh trials), behind one trait the [`Trainer`](crate::Trainer) reads.

use burn::prelude::*;
use ganglion_data::DataError;
use ganglion_data::preprocess::Normalizer;

use crate::tensors::BatchTensors;
use crate::windows::WindowSet;

/// Where a training run's batches come from: windows over recordings
/// ([`WindowBatches`]), or trials a synthetic task makes fresh every step (the
/// long-memory task's).
pub trait BatchSource {
    /// The batch of `batch_size` for optimiser step `step` (counted from 0) of a run
    /// seeded `seed`, on `device` (an autodiff device), and the passes over the
    /// training data begun so far.
    fn next_batch(
        &mut self,
        batch_size: usize,
        seed: u64,
        step: usize,
        device: &Device,
    ) -> Result<(BatchTensors, usize), DataError>;

    /// The validation batches on `device`, each with the windows in it, or `None` when
    /// the run has nothing to validate on.
    fn validation(&self, device: &Device) -> Option<Result<Vec<(BatchTensors, usize)>, DataError>>;
}

/// Windows over recordings, shuffled anew each epoch (the seed plus the epoch number).
pub struct WindowBatches<'a> {
    train: &'a WindowSet<'a>,
    validation: Option<&'a WindowSet<'a>>,
    normalizer: &'a Normalizer,
    plan: Vec<Vec<usize>>,
    epoch: usize,
}

impl<'a> WindowBatches<'a> {
    /// Batches of `train`'s windows, validated on `validation`'s, normalised by `normalizer`.
    pub fn new(
        train: &'a WindowSet<'a>,
        validation: Option<&'a WindowSet<'a>>,
        normalizer: &'a Normalizer,
    ) -> Result<Self, DataError> {
        if train.is_empty() {
            return Err(DataError::bad_request("no training window fits the recordings"));
        }
        Ok(WindowBatches { train, validation, normalizer, plan: Vec::new(), epoch: 0 })
    }
}

impl BatchSource for WindowBatches<'_> {
    fn next_batch(
        &mut self,
        batch_size: usize,
        seed: u64,
        _step: usize,
        device: &Device,
    ) -> Result<(BatchTensors, usize), DataError> {
        if self.plan.is_empty() {
            self.plan = self.train.epoch(batch_size, seed.wrapping_add(self.epoch as u64));
            self.plan.reverse();
            self.epoch += 1;
        }
        let indices = self.plan.pop().unwrap_or_default();
        Ok((self.train.tensors(&indices, self.normalizer, device)?, self.epoch))
    }

    fn validation(&self, device: &Device) -> Option<Result<Vec<(BatchTensors, usize)>, DataError>> {
        self.validation.map(|set| in_batches(set, self.normalizer, device))
    }
}

/// Every window of `set` in order, 64 to a batch, with each batch's size.
pub(crate) fn in_batches(
    set: &WindowSet<'_>,
    normalizer: &Normalizer,
    device: &Device,
) -> Result<Vec<(BatchTensors, usize)>, DataError> {
    set.in_order(64).iter().map(|indices| Ok((set.tensors(indices, normalizer, device)?, indices.len()))).collect()
}
