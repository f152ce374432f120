//! Batches: windows copied once into the contiguous `[batch, neurons, frames]` layout a
//! model reads, normalised, with a mask for neurons an animal lacks.

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use super::normalize::Normalizer;
use super::window::Window;
use crate::error::{DataError, Result};

/// A batch of windows over `n_neurons` (aligned) neurons.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    /// Windows in the batch.
    pub size: usize,
    /// Neurons per window.
    pub n_neurons: usize,
    /// History frames.
    pub history: usize,
    /// Horizon frames.
    pub horizon: usize,
    /// `[size, n_neurons, history]`, normalised; 0 where masked.
    pub inputs: Vec<f32>,
    /// `[size, n_neurons, horizon]`, normalised; 0 where masked.
    pub targets: Vec<f32>,
    /// `[size, n_neurons]`: 1 where the animal has the neuron.
    pub mask: Vec<f32>,
    /// Behaviour label per window, when every window has one.
    pub labels: Option<Vec<u32>>,
    /// `[size, signals]` continuous behaviour signals, when every window has them.
    pub signals: Option<Vec<f32>>,
}

impl Batch {
    /// Builds a batch. `rows` maps aligned neuron `k` to a row of each window's recording
    /// (`rows[w][k]`); `None` for `rows` means every window's recording has the same
    /// neurons in the same order.
    pub fn new(
        windows: &[Window<'_>],
        rows: Option<&[&[Option<usize>]]>,
        normalizer: Option<&Normalizer>,
    ) -> Result<Self> {
        let first = windows.first().ok_or_else(|| DataError::bad_request("a batch needs at least one window"))?;
        let spec = first.spec;
        let n_neurons = match rows {
            Some(r) => r.first().map_or(0, |m| m.len()),
            None => first.recording.n_neurons(),
        };
        if windows.iter().any(|w| w.spec != spec) {
            return Err(DataError::bad_request("all windows of a batch need the same history and horizon"));
        }
        if rows.is_none() && windows.iter().any(|w| w.recording.n_neurons() != n_neurons) {
            return Err(DataError::bad_request("windows from recordings with different neurons need an alignment"));
        }
        let (h, f) = (spec.history, spec.horizon);
        let mut batch = Batch {
            size: windows.len(),
            n_neurons,
            history: h,
            horizon: f,
            inputs: vec![0.0; windows.len() * n_neurons * h],
            targets: vec![0.0; windows.len() * n_neurons * f],
            mask: vec![0.0; windows.len() * n_neurons],
            labels: windows.iter().map(Window::label).collect(),
            signals: windows.iter().map(Window::signals).collect::<Option<Vec<_>>>().map(|s| s.concat()),
        };
        for (b, w) in windows.iter().enumerate() {
            for k in 0..n_neurons {
                let row = match rows {
                    Some(r) => r[b].get(k).copied().flatten(),
                    None => Some(k),
                };
                let Some(i) = row else { continue };
                let (mean, std) = normalizer.map_or((0.0, 1.0), |n| n.stats(w.recording, i));
                let at = b * n_neurons + k;
                batch.mask[at] = 1.0;
                for (dst, src) in batch.inputs[at * h..(at + 1) * h].iter_mut().zip(w.history(i)) {
                    *dst = (src - mean) / std;
                }
                for (dst, src) in batch.targets[at * f..(at + 1) * f].iter_mut().zip(w.target(i)) {
                    *dst = (src - mean) / std;
                }
            }
        }
        Ok(batch)
    }
}

/// Indices `0..n` shuffled by `seed` and cut into batches of `batch_size` (the last may
/// be smaller).
pub fn shuffled_batches(n: usize, batch_size: usize, seed: u64) -> Vec<Vec<usize>> {
    let mut idx: Vec<usize> = (0..n).collect();
    idx.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
    idx.chunks(batch_size.max(1)).map(<[usize]>::to_vec).collect()
}
