//! A long-memory task for the ELM neuron: recall a cue from spike trains after a long
//! delay, in the spirit of the SHD-Adding task of the ELM paper.
//!
//! Each trial has `channels` input channels of background spikes (each channel fires
//! with probability `background` per step). During the first `cue` steps one of
//! `classes` cue patterns is shown: its own random half of the channels fires with
//! probability `cue_rate`. Then come `delay` steps of background only, and the model
//! must say which cue it saw at the last step, so the answer depends on inputs
//! `delay` steps back and nothing after the cue carries information about it.

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The delayed-cue task.
#[derive(Debug, Clone)]
pub struct DelayedCue {
    /// Input channels.
    pub channels: usize,
    /// Number of cues (classes).
    pub classes: usize,
    /// Steps the cue lasts.
    pub cue: usize,
    /// Steps between the cue's end and the answer.
    pub delay: usize,
    /// Background firing probability per channel and step.
    pub background: f64,
    /// Firing probability of a cue's channels while it is shown.
    pub cue_rate: f64,
    /// For each cue, which channels it drives.
    patterns: Vec<Vec<bool>>,
}

impl DelayedCue {
    /// A task whose cue patterns come from `seed`.
    pub fn new(channels: usize, classes: usize, cue: usize, delay: usize, seed: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let patterns = (0..classes)
            .map(|_| {
                let mut order: Vec<usize> = (0..channels).collect();
                order.shuffle(&mut rng);
                let mut on = vec![false; channels];
                order[..channels / 2].iter().for_each(|&c| on[c] = true);
                on
            })
            .collect();
        DelayedCue { channels, classes, cue, delay, background: 0.02, cue_rate: 0.5, patterns }
    }

    /// Steps per trial.
    pub fn steps(&self) -> usize {
        self.cue + self.delay
    }

    /// `batch` trials drawn from `seed`: spikes `[batch, steps, channels]` (row-major,
    /// 0 or 1) and each trial's cue.
    pub fn trials(&self, batch: usize, seed: u64) -> (Vec<f32>, Vec<u32>) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (steps, channels) = (self.steps(), self.channels);
        let mut spikes = vec![0.0f32; batch * steps * channels];
        let mut labels = Vec::with_capacity(batch);
        for b in 0..batch {
            let class = rng.random_range(0..self.classes);
            labels.push(class as u32);
            for t in 0..steps {
                for c in 0..channels {
                    let p = if t < self.cue && self.patterns[class][c] { self.cue_rate } else { self.background };
                    if rng.random_bool(p) {
                        spikes[(b * steps + t) * channels + c] = 1.0;
                    }
                }
            }
        }
        (spikes, labels)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cues_differ_only_before_the_delay() {
        let task = DelayedCue::new(16, 2, 10, 50, 1);
        let (spikes, labels) = task.trials(400, 2);
        let steps = task.steps();
        let rate = |class: u32, range: std::ops::Range<usize>, c: usize| {
            let trials: Vec<usize> = (0..400).filter(|&b| labels[b] == class).collect();
            let fired: f32 = trials
                .iter()
                .flat_map(|&b| range.clone().map(move |t| (b, t)))
                .map(|(b, t)| spikes[(b * steps + t) * 16 + c])
                .sum();
            fired / (trials.len() * range.len()) as f32
        };
        let driven =
            (0..16).find(|&c| task.patterns[0][c] && !task.patterns[1][c]).expect("a channel only cue 0 drives");
        assert!(rate(0, 0..10, driven) > 0.4 && rate(1, 0..10, driven) < 0.1);
        assert!(
            (rate(0, 10..steps, driven) - rate(1, 10..steps, driven)).abs() < 0.02,
            "no cue after the delay starts"
        );
        assert!(labels.contains(&0) && labels.contains(&1));
    }
}
