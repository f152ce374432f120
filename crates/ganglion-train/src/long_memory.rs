//! A long-memory task for the ELM neuron: recall a cue from spike trains after a long
//! delay, in the spirit of the SHD-Adding task of the ELM paper.
//!
//! Each trial has `channels` input channels of background spikes (each channel fires
//! with probability `background` per step). During the first `cue` steps one of
//! `classes` cue patterns is shown: its own random half of the channels fires with
//! probability `cue_rate`. Then come `delay` steps of background only, and the model
//! must say which cue it saw at the last step, so the answer depends on inputs
//! `delay` steps back and nothing after the cue carries information about it.

//!
//! [`run`] is the experiment the notebook and the CLI run for `Task::LongMemory`: the
//! chosen model trains on fresh trials every step (the task has unlimited data), keeps
//! the best model on a fixed validation set, and is scored on trials it never saw.

use burn::prelude::*;
use ganglion_data::DataError;
use ganglion_data::preprocess::Normalizer;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::evaluate::{ClassificationScores, scores_of};
use crate::objectives::window_loss;
use crate::readback;
use crate::report::{HeldOut, Outcome, Report, Scores};
pub use crate::settings::CUE_STEPS;
use crate::settings::{Experiment, ModelKind};
use crate::setup::{Setup, save_model};
use crate::trainer::Counting;
use crate::window_models::{Heads, Weights, WithWindowModel, with_window_model};
use crate::{BatchSource, BatchTensors, Observer, Trainer};

/// Input channels of the experiment's trials.
pub const CHANNELS: usize = 16;
/// Cues to tell apart.
pub const CUES: usize = 2;
const VALIDATION_TRIALS: usize = 128;
const TEST_TRIALS: usize = 256;
// Validation and test trials come from seeds no training batch uses.
const VALIDATION_SEED: u64 = u64::MAX - 1;
const TEST_SEED: u64 = u64::MAX;

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

/// Trials as windows `[B, channels, steps]` (the window models' layout) and their cues.
fn labelled(task: &DelayedCue, size: usize, seed: u64, device: &Device) -> (Tensor<3>, Vec<u32>) {
    let (spikes, labels) = task.trials(size, seed);
    let x = Tensor::<3>::from_data(TensorData::new(spikes, [size, task.steps(), task.channels]), device);
    (x.swap_dims(1, 2), labels)
}

fn label_tensor(labels: &[u32], device: &Device) -> Tensor<1, Int> {
    Tensor::from_data(TensorData::new(labels.iter().map(|&l| i64::from(l)).collect(), [labels.len()]), device)
}

/// The experiment's task: `history` steps between the cue and the answer, patterns
/// from the run's seed.
fn task_of(experiment: &Experiment) -> Result<DelayedCue, DataError> {
    if experiment.history == 0 || experiment.history > 5_000 {
        return Err(DataError::bad_request("the long-memory delay must be between 1 and 5,000 steps"));
    }
    Ok(DelayedCue::new(CHANNELS, CUES, CUE_STEPS, experiment.history, experiment.train.seed))
}

/// The settings a long-memory model is saved with (no recording, no normaliser).
fn setup_of(experiment: &Experiment) -> Setup {
    Setup {
        experiment: experiment.clone(),
        normalizer: Normalizer::fit(std::iter::empty()),
        classes: CUES,
        majority: 0,
        neurons: None,
        train_animals: Vec::new(),
        steps: 0,
        signals: Vec::new(),
        gnn: None,
        window: None,
        linear_ar: None,
    }
    .with_window_config(CHANNELS)
}

/// Trains, validates, scores and saves one model on the delayed-cue task.
pub(crate) async fn run(
    experiment: &Experiment,
    device: &Device,
    observer: &mut impl Observer,
) -> Result<Outcome, DataError> {
    let task = task_of(experiment)?;
    let setup = setup_of(experiment);
    if experiment.model == ModelKind::Gnn {
        return Err(DataError::bad_request(
            "the long-memory task has no neurons to relate: pick the ELM, Branch-ELM, GRU or MLP",
        ));
    }
    let ad = device.clone().autodiff();
    ad.seed(experiment.train.seed);
    let work = TrainOnTrials { task: &task, setup: &setup, device, observer };
    with_window_model(&setup, CHANNELS, Weights::Fresh(&ad), work).await
}

/// Trains a window model on fresh trials, then scores and saves it.
struct TrainOnTrials<'a, O> {
    task: &'a DelayedCue,
    setup: &'a Setup,
    device: &'a Device,
    observer: &'a mut O,
}

impl<O: Observer> WithWindowModel for TrainOnTrials<'_, O> {
    type Output = Outcome;

    async fn with<M: Module + Clone>(self, model: M, heads: Heads<M>) -> Result<Outcome, DataError> {
        let TrainOnTrials { task, setup, device, observer } = self;
        let trials = Trials::new(task, device);
        let loss = window_loss(setup.experiment.task, heads, CUES, &[]);
        let mut counting = Counting { inner: observer, steps: 0 };
        let trainer = Trainer::over(model, loss, setup.experiment.train.clone(), trials, device.clone());
        let model = trainer.run(&mut counting).await?.valid();
        let steps = counting.steps;
        let report = report(task, setup, &model, heads, steps, device).await?;
        Ok(Outcome { report, model: save_model(model, setup, steps).await? })
    }
}

/// Scores a saved long-memory model on the same unseen trials as when it was trained.
pub(crate) async fn score_saved(setup: &Setup, bytes: &[u8], device: &Device) -> Result<Report, DataError> {
    let task = task_of(&setup.experiment)?;
    if setup.experiment.model == ModelKind::Gnn {
        return Err(DataError::checkpoint("a GNN cannot have been trained on the long-memory task"));
    }
    let work = ScoreOnTrials { task: &task, setup, device };
    let mut report = with_window_model(setup, CHANNELS, Weights::Saved(device, bytes), work).await?;
    report.held_out = HeldOut::Saved;
    Ok(report)
}

/// Scores a loaded window model on the test trials.
struct ScoreOnTrials<'a> {
    task: &'a DelayedCue,
    setup: &'a Setup,
    device: &'a Device,
}

impl WithWindowModel for ScoreOnTrials<'_> {
    type Output = Report;

    async fn with<M: Module + Clone>(self, model: M, heads: Heads<M>) -> Result<Report, DataError> {
        report(self.task, self.setup, &model, heads, self.setup.steps, self.device).await
    }
}

/// The report of `model` on the test trials, beside the best constant answer.
async fn report<M>(
    task: &DelayedCue,
    setup: &Setup,
    model: &M,
    heads: Heads<M>,
    steps: usize,
    device: &Device,
) -> Result<Report, DataError> {
    let (x, truth) = labelled(task, TEST_TRIALS, TEST_SEED, device);
    let predicted = readback::ints((heads.logits)(model, x).argmax(1)).await?;
    let predicted: Vec<u32> = predicted.iter().map(|&p| p.clamp(0, CUES as i64 - 1) as u32).collect();
    let mut report = Report::blank(
        &setup.experiment,
        HeldOut::Trials,
        Vec::new(),
        format!(
            "{TEST_TRIALS} unseen delayed-cue trials ({CHANNELS} channels, {CUES} cues, answer {} steps after the cue)",
            task.delay
        ),
    );
    report.neurons = CHANNELS;
    report.steps = steps;
    report.scores = Scores::Behaviour { model: scores_of(&predicted, &truth, CUES), majority: constant(&truth) };
    Ok(report)
}

/// The best constant answer on `truth` (chance level).
fn constant(truth: &[u32]) -> ClassificationScores {
    let best = (0..CUES as u32).max_by_key(|c| truth.iter().filter(|t| *t == c).count()).unwrap_or(0);
    scores_of(&vec![best; truth.len()], truth, CUES)
}

/// The task's batches: a fresh batch of trials every step (the seed and the step number
/// choose it), validated on one fixed set of trials no step draws.
struct Trials<'a> {
    task: &'a DelayedCue,
    validation: BatchTensors,
}

impl<'a> Trials<'a> {
    fn new(task: &'a DelayedCue, device: &Device) -> Self {
        Trials { task, validation: as_batch(labelled(task, VALIDATION_TRIALS, VALIDATION_SEED, device)) }
    }
}

/// Trials as a batch of windows whose labels are the cues (no forecast targets).
fn as_batch((inputs, labels): (Tensor<3>, Vec<u32>)) -> BatchTensors {
    let device = inputs.device();
    let [b, n, _] = inputs.dims();
    BatchTensors {
        next: Tensor::zeros([b, n], &device),
        mask: Tensor::ones([b, n], &device),
        ids: Tensor::zeros([b, n], &device),
        labels: Some(label_tensor(&labels, &device)),
        signals: None,
        recording: None,
        inputs,
    }
}

impl BatchSource for Trials<'_> {
    fn next_batch(
        &mut self,
        batch_size: usize,
        seed: u64,
        step: usize,
        device: &Device,
    ) -> Result<(BatchTensors, usize), DataError> {
        let seed = seed.wrapping_mul(1_000_003).wrapping_add(step as u64);
        Ok((as_batch(labelled(self.task, batch_size.max(1), seed, device)), 1))
    }

    fn validation(&self, _device: &Device) -> Option<Result<Vec<(BatchTensors, usize)>, DataError>> {
        Some(Ok(vec![(self.validation.clone(), VALIDATION_TRIALS)]))
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
