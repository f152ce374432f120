//! Per-neuron normalisation with statistics from training data only.
//!
//! Statistics are keyed by neuron name (canonical form for identified neurons), pooled
//! over every training recording and frame range given, so they transfer to an animal
//! never seen in training. A neuron with no training statistics (an unnamed neuron of
//! a held-out animal) uses the pooled statistics of all training neurons.

use std::collections::HashMap;
use std::ops::Range;

use crate::names::canonical_name;
use crate::recording::Recording;

/// Mean and standard deviation per neuron name, fitted on training frames. It is saved
/// with a trained model, so the model sees new recordings on the scale it learned.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Normalizer {
    by_name: HashMap<String, (f32, f32)>,
    pooled: (f32, f32),
}

fn key(recording: &Recording, neuron: usize) -> String {
    let n = &recording.neurons()[neuron];
    if n.identified { canonical_name(&n.name) } else { format!("{}:{}", recording.animal_id().unwrap_or(""), n.name) }
}

/// Running sums for a mean and variance in f64.
#[derive(Default, Clone, Copy)]
struct Moments {
    n: f64,
    sum: f64,
    sq: f64,
}

impl Moments {
    fn add(&mut self, values: &[f32]) {
        for &v in values {
            let v = f64::from(v);
            self.n += 1.0;
            self.sum += v;
            self.sq += v * v;
        }
    }

    fn finish(self) -> (f32, f32) {
        if self.n == 0.0 {
            return (0.0, 1.0);
        }
        let mean = self.sum / self.n;
        let var = (self.sq / self.n - mean * mean).max(0.0);
        let std = var.sqrt();
        (mean as f32, if std > 1e-8 { std as f32 } else { 1.0 })
    }
}

impl Normalizer {
    /// Fits on the given training frames of each recording.
    pub fn fit<'a>(training: impl IntoIterator<Item = (&'a Recording, Range<usize>)>) -> Self {
        let mut per: HashMap<String, Moments> = HashMap::new();
        let mut pooled = Moments::default();
        for (rec, frames) in training {
            let frames = frames.start.min(rec.n_frames())..frames.end.min(rec.n_frames());
            for i in 0..rec.n_neurons() {
                let values = &rec.trace(i)[frames.clone()];
                per.entry(key(rec, i)).or_default().add(values);
                pooled.add(values);
            }
        }
        Normalizer { by_name: per.into_iter().map(|(k, m)| (k, m.finish())).collect(), pooled: pooled.finish() }
    }

    /// `(mean, std)` for a neuron of a recording.
    pub fn stats(&self, recording: &Recording, neuron: usize) -> (f32, f32) {
        self.by_name.get(&key(recording, neuron)).copied().unwrap_or(self.pooled)
    }

    /// Per-neuron `(mean, std)` for every neuron of a recording, in row order.
    pub fn stats_for(&self, recording: &Recording) -> Vec<(f32, f32)> {
        (0..recording.n_neurons()).map(|i| self.stats(recording, i)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::{SynthConfig, synth_worms};

    #[test]
    fn statistics_come_from_training_frames_only() {
        let worms = synth_worms(&SynthConfig { n_neurons: 6, n_frames: 400, n_animals: 1, ..Default::default() });
        let w = &worms[0];
        let norm = Normalizer::fit([(w, 0..200)]);
        let (mean, _) = norm.stats(w, 0);
        let train_mean = w.trace(0)[..200].iter().sum::<f32>() / 200.0;
        assert!((mean - train_mean).abs() < 1e-5);
        let all_mean = w.trace(0).iter().sum::<f32>() / 400.0;
        assert_ne!(mean, all_mean);
    }
}
