//! One held-out experiment, end to end. With several recordings it trains on every
//! animal but the last, infers the held-out animal's graph from the first half of its
//! recording and scores the model beside its floors (persistence, majority class) on the
//! second half. With one recording it holds out time instead: it trains on the first
//! two thirds and scores the last third. When the training loop validates
//! (`validate_every > 0`), the last 15% of each training recording's frames are kept
//! apart for validation and early stopping. The CLI's `train` command and the notebook's
//! worker run exactly this, on whatever device they were given.

use std::ops::Range;

use burn::prelude::*;
use burn::tensor::loss::cross_entropy_with_logits;
use ganglion_data::preprocess::{AlignMode, Alignment, Normalizer, WindowSpec};
use ganglion_data::{DataError, Recording};
pub use ganglion_models::gnn::{DECODER_NAMES, DecoderKind};
use ganglion_models::gnn::{KL_WEIGHT, PairStatistics};
use ganglion_models::{Elm, RelationalGnn, WindowGru, WindowMlp};
use serde::{Deserialize, Serialize};

use crate::evaluate::{
    ClassificationScores, EdgeScores, Forecasts, classify, context_tensors, edge_probability, forecasts,
    graph_contexts, majority_label, majority_scores, persistence, rollout, score_edges,
};
use crate::metrics::ForecastScores;
use crate::saved::{Setup, save_model};
use crate::{BatchTensors, NeuronRows, Observer, TrainConfig, TrainEvent, Trainer, WindowSet};

/// What to learn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Task {
    /// Next-frame forecasting of every neuron.
    Forecast,
    /// Behavioural state of each window.
    Behaviour,
    /// Continuous behaviour signals (velocity, head angle) at each window's last frame,
    /// by regression, scored by R^2 against always answering the training mean.
    Signals,
    /// The ELM's delayed-cue task ([`crate::long_memory`]): which cue a spike train
    /// showed `history` steps before the answer. It makes its own trials and reads no
    /// recording.
    #[serde(rename = "long-memory")]
    LongMemory,
}

/// Which model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ModelKind {
    /// The relational GNN (each animal's own neurons).
    Gnn,
    /// The window MLP (named neurons every animal shares).
    Mlp,
    /// The GRU (named neurons every animal shares).
    Gru,
    /// The ELM neuron (named neurons every animal shares).
    Elm,
    /// The branched ELM neuron (named neurons every animal shares).
    #[serde(rename = "branch-elm")]
    BranchElm,
}

impl Task {
    /// The windows of `set` this task can train on and score: for behaviour, those whose
    /// last frame has a state; for signals, those where every signal has a value.
    pub(crate) fn scorable(self, set: WindowSet<'_>) -> WindowSet<'_> {
        match self {
            Task::Behaviour => set.labelled_only(),
            Task::Signals => set.signalled_only(),
            Task::Forecast | Task::LongMemory => set,
        }
    }
}

/// Task names as the CLI, the URL and the JS API write them.
pub const TASK_NAMES: [(&str, Task); 4] = [
    ("forecast", Task::Forecast),
    ("behaviour", Task::Behaviour),
    ("signals", Task::Signals),
    ("long-memory", Task::LongMemory),
];

/// Model names as the CLI, the URL and the JS API write them.
pub const MODEL_NAMES: [(&str, ModelKind); 5] = [
    ("gnn", ModelKind::Gnn),
    ("mlp", ModelKind::Mlp),
    ("gru", ModelKind::Gru),
    ("elm", ModelKind::Elm),
    ("branch-elm", ModelKind::BranchElm),
];

/// Settings of an experiment.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Experiment {
    /// What to learn.
    pub task: Task,
    /// Which model.
    pub model: ModelKind,
    /// History frames per window (for the long-memory task: steps between the cue and
    /// the answer); [`DEFAULT_HISTORY`] where the settings leave it out (the JS API).
    #[serde(default = "default_history")]
    pub history: usize,
    /// The GNN's message form (the other models ignore it; absent in settings written
    /// before there was a choice, which then get today's default).
    #[serde(default)]
    pub decoder: DecoderKind,
    /// The training loop's settings ([`TrainConfig::default`] for what they leave out).
    #[serde(default)]
    pub train: TrainConfig,
}

/// History frames per window where a run does not say: the default of the CLI, the
/// notebook, the study and the JS API alike.
pub const DEFAULT_HISTORY: usize = 10;

fn default_history() -> usize {
    DEFAULT_HISTORY
}

/// Scores of the model and its floor.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Scores {
    /// Forecasting: model and persistence.
    Forecast {
        /// The trained model.
        model: ForecastScores,
        /// next = last.
        persistence: ForecastScores,
    },
    /// Behaviour: model and majority class.
    Behaviour {
        /// The trained model.
        model: ClassificationScores,
        /// The most frequent training label.
        majority: ClassificationScores,
    },
    /// Continuous behaviour signals: R^2 per signal, the model's and the training mean's.
    Signals {
        /// The signals' names.
        names: Vec<String>,
        /// The trained model's R^2 per signal.
        model: Vec<f64>,
        /// R^2 of always answering the training mean, per signal.
        mean: Vec<f64>,
    },
}

impl Scores {
    /// Mean R^2 over the signals, the model's and the floor's (signals only).
    pub fn signal_r2(&self) -> Option<(f64, f64)> {
        let Scores::Signals { model, mean, .. } = self else { return None };
        let avg = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
        Some((avg(model), avg(mean)))
    }
}

/// The GNN's inferred interactions for the held-out animal.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InferredGraph {
    /// Neuron names, in row order.
    pub names: Vec<String>,
    /// Probability of an edge, `[N * N]`, row = sender.
    pub probability: Vec<f32>,
    /// The known weights in the same layout, when the recording has them.
    pub truth: Option<Vec<f32>>,
}

/// Predicted beside true traces of a few neurons on the held-out frames.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ForecastPreview {
    /// The neurons shown (the most variable ones).
    pub names: Vec<String>,
    /// One predicted trace per neuron (normalised units).
    pub predicted: Vec<Vec<f32>>,
    /// One true trace per neuron (normalised units).
    pub truth: Vec<Vec<f32>>,
}

/// How the test data was kept apart from the training data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HeldOut {
    /// A whole animal never seen in training.
    Animal,
    /// The later frames of the only recording.
    Time,
    /// A saved model scored on the second half of a recording (its first half gives
    /// the GNN the animal's graph).
    Saved,
    /// Fresh trials of a synthetic task, never seen in training.
    Trials,
}

/// The MLP baseline of a report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MlpBaseline {
    /// Neurons it read: with held-out animals, only the named ones every animal shares,
    /// so its scores cover those neurons, not necessarily all of the model's.
    pub neurons: usize,
    /// Its scores (and the floor's on the same neurons).
    pub scores: Scores,
}

/// Frames ahead of the multi-step forecast.
pub const MULTI_STEP: usize = 5;

/// A forecast several frames ahead, from the model's own predictions.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MultiStep {
    /// Frames ahead.
    pub steps: usize,
    /// The model, rolled out.
    pub model: ForecastScores,
    /// The last history frame, `steps` frames on.
    pub persistence: ForecastScores,
}

/// The report of one experiment, ready to write as JSON.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    /// The settings.
    pub experiment: Experiment,
    /// How the test data was held out.
    pub held_out: HeldOut,
    /// Animals trained on.
    pub train_animals: Vec<String>,
    /// The held-out animal.
    pub test_animal: String,
    /// Neurons the model saw per window.
    pub neurons: usize,
    /// Scores on the held-out frames.
    pub scores: Scores,
    /// Edge recovery of the GNN's inferred graph, when the true graph is known.
    pub edges: Option<EdgeScores>,
    /// The GNN's inferred graph.
    pub graph: Option<InferredGraph>,
    /// An MLP trained on the same frames for the same steps, scored the same way: the
    /// structure-agnostic baseline beside any other model (absent for the MLP itself,
    /// the long-memory task, or animals that share no named neuron).
    #[serde(default)]
    pub mlp: Option<MlpBaseline>,
    /// Forecasts of a few neurons beside the truth (forecasting only).
    pub preview: Option<ForecastPreview>,
    /// Forecasts [`MULTI_STEP`] frames ahead, each prediction fed back as input, beside
    /// persistence (forecasting only).
    #[serde(default)]
    pub multi_step: Option<MultiStep>,
    /// Optimiser steps done.
    pub steps: usize,
}

fn animal(r: &Recording, i: usize) -> String {
    r.animal_id().map_or_else(|| format!("recording {}", i + 1), str::to_owned)
}

/// Which frames of which recordings train, give the test animal's graph context, and test.
struct Split<'r> {
    held_out: HeldOut,
    train: Vec<&'r Recording>,
    /// Frames of each training recording that may be used (`..end`).
    train_end: usize,
    test: &'r Recording,
    context: Range<usize>,
    scored: Range<usize>,
}

impl<'r> Split<'r> {
    fn of(recordings: &'r [Recording]) -> Result<Self, DataError> {
        match recordings {
            [] => Err(DataError::bad_request("no recording to train on")),
            [only] => {
                let cut = only.n_frames() * 2 / 3;
                Ok(Split {
                    held_out: HeldOut::Time,
                    train: vec![only],
                    train_end: cut,
                    test: only,
                    context: 0..cut,
                    scored: cut..only.n_frames(),
                })
            }
            [rest @ .., last] => {
                let half = last.n_frames() / 2;
                Ok(Split {
                    held_out: HeldOut::Animal,
                    train: rest.iter().collect(),
                    train_end: usize::MAX,
                    test: last,
                    context: 0..half,
                    scored: half..last.n_frames(),
                })
            }
        }
    }

    /// Frames a training recording may use (training and validation).
    fn usable(&self, r: &Recording) -> usize {
        r.n_frames().min(self.train_end)
    }

    /// Frames that train: all usable ones, or the first 85% when a validation split is
    /// kept for early stopping.
    fn train_frames(&self, r: &Recording, validate: bool) -> Range<usize> {
        let end = self.usable(r);
        0..if validate { end * 17 / 20 } else { end }
    }

    /// The last 15% of each training recording's usable frames: validation windows on
    /// the same animals (so each batch keeps its animal's graph context).
    fn validation_frames(&self, r: &Recording) -> Range<usize> {
        let end = self.usable(r);
        end * 17 / 20..end
    }

    /// Validation windows (when `validate`), training windows and test windows over
    /// the given neuron rows.
    fn window_sets(
        &self,
        experiment: &Experiment,
        validate: bool,
        train_rows: NeuronRows,
        test_rows: NeuronRows,
    ) -> Result<(Option<WindowSet<'r>>, WindowSet<'r>, WindowSet<'r>), DataError> {
        let spec = experiment.window_spec();
        let keep = |set: WindowSet<'r>| experiment.task.scorable(set);
        let validation = if validate {
            Some(keep(WindowSet::new(self.train.clone(), |r| self.validation_frames(r), spec, train_rows.clone())?))
        } else {
            None
        };
        let train = keep(WindowSet::new(self.train.clone(), |r| self.train_frames(r, validate), spec, train_rows)?);
        let test = keep(WindowSet::new(vec![self.test], |_| self.scored.clone(), spec, test_rows)?);
        Ok((validation, train, test))
    }

    /// Neuron rows for training and test windows: each recording's own for the GNN and
    /// whenever time is held out; else the named neurons every animal shares.
    fn rows(&self, model: ModelKind) -> Result<(NeuronRows, NeuronRows, Vec<String>), DataError> {
        let own_names = || self.test.neurons().iter().map(|n| n.name.clone()).collect();
        if model == ModelKind::Gnn || self.held_out == HeldOut::Time {
            return Ok((NeuronRows::Own, NeuronRows::Own, own_names()));
        }
        let mut all = self.train.clone();
        all.push(self.test);
        let align = Alignment::new(&all, AlignMode::Intersection);
        if align.is_empty() {
            return Err(DataError::bad_request("the animals share no named neuron, so MLP/GRU cannot be aligned"));
        }
        let n = self.train.len();
        let part = |r: Range<usize>| Alignment { names: align.names.clone(), rows: align.rows[r].to_vec() };
        Ok((NeuronRows::Aligned(part(0..n)), NeuronRows::Aligned(part(n..n + 1)), align.names.clone()))
    }
}

/// Passes events on and remembers how many steps were done.
struct Counting<'o, O> {
    inner: &'o mut O,
    steps: usize,
}

impl<O: Observer> Observer for Counting<'_, O> {
    async fn observe(&mut self, event: &TrainEvent) -> bool {
        if let TrainEvent::Finished { step, .. } = event {
            self.steps = *step;
        }
        self.inner.observe(event).await
    }
}

/// A finished experiment: its report and the trained model as checkpoint bytes (see
/// [`crate::saved`]), to keep, download, or score again on another recording.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Scores, graph and preview.
    pub report: Report,
    /// The model, its settings and its normaliser ([`crate::saved::score_saved`] reads them).
    pub model: Vec<u8>,
}

/// Runs `experiment` on `recordings` on `device`, reporting training events to
/// `observer` (which may cancel; the model trained so far is then scored and saved).
pub async fn run(
    recordings: &[Recording],
    experiment: &Experiment,
    device: &Device,
    observer: &mut impl Observer,
) -> Result<Outcome, DataError> {
    run_with(recordings, experiment, device, observer, true).await
}

/// [`run`] without the MLP trained beside the model (a study trains the MLP as one of
/// its own models).
pub async fn run_without_baseline(
    recordings: &[Recording],
    experiment: &Experiment,
    device: &Device,
    observer: &mut impl Observer,
) -> Result<Outcome, DataError> {
    run_with(recordings, experiment, device, observer, false).await
}

async fn run_with(
    recordings: &[Recording],
    experiment: &Experiment,
    device: &Device,
    observer: &mut impl Observer,
    with_mlp: bool,
) -> Result<Outcome, DataError> {
    if experiment.task == Task::LongMemory {
        return crate::long_memory::run(experiment, device, observer).await;
    }
    let split = Split::of(recordings)?;
    let validate = experiment.train.validate_every > 0;
    let (train_rows, test_rows, names) = split.rows(experiment.model)?;
    let (validation, train, test) = split.window_sets(experiment, validate, train_rows, test_rows)?;
    if experiment.task == Task::Behaviour && recordings.iter().any(|r| r.behaviour().is_none()) {
        return Err(DataError::bad_request("behaviour decoding needs behaviour labels in every recording"));
    }
    let signal_names = signal_names(recordings, experiment.task)?;
    let classes = match experiment.task {
        Task::Signals => signal_names.len(),
        _ => recordings.iter().filter_map(|r| r.behaviour().map(|b| b.states.len())).max().unwrap_or(1),
    };
    let neurons = train.aligned_neurons().unwrap_or_else(|| split.test.n_neurons());
    let test_index = recordings.len() - 1;
    let train_animals: Vec<String> = split.train.iter().enumerate().map(|(i, r)| animal(r, i)).collect();
    let mut report = Report::blank(experiment, split.held_out, train_animals.clone(), animal(split.test, test_index));
    report.neurons = neurons;
    let mut counting = Counting { inner: observer, steps: 0 };
    let setup = Setup {
        experiment: experiment.clone(),
        normalizer: Normalizer::fit(split.train.iter().map(|r| (*r, split.train_frames(r, validate)))),
        classes,
        majority: if experiment.task == Task::Behaviour { majority_label(&train, classes) } else { 0 },
        neurons: (experiment.model != ModelKind::Gnn).then(|| names.clone()),
        train_animals,
        steps: 0,
        signals: if experiment.task == Task::Signals { signal_stats(&train) } else { Vec::new() },
        gnn: (experiment.model == ModelKind::Gnn).then(|| Setup::gnn_config_of(experiment, classes)),
    };
    let normalizer = &setup.normalizer;
    let held = Held { setup: &setup, validation: validation.as_ref(), test: &test, device };
    let cfg = experiment.train.clone();
    // Initial weights come from the device's generator: seeding it makes a run reproducible.
    let ad = device.clone().autodiff();
    ad.seed(cfg.seed);
    let (forecast, bytes) = match experiment.model {
        ModelKind::Gnn => {
            let contexts =
                graph_contexts(split.train.iter().map(|r| (*r, split.train_frames(r, validate))), normalizer);
            let test_context = graph_contexts([(split.test, split.context.clone())], normalizer).remove(0);
            let task = experiment.task;
            let signal_stats = setup.signals.clone();
            let loss = |m: &RelationalGnn, b: &BatchTensors| {
                let (stats, mask) = context_tensors(&contexts[b.recording.unwrap_or(0)], &b.inputs.device());
                let graph = m.infer(stats, mask);
                match task {
                    Task::Forecast => m.forecast_loss(
                        b.inputs.clone(),
                        b.ids.clone(),
                        b.next.clone(),
                        b.mask.clone(),
                        &graph,
                        KL_WEIGHT,
                    ),
                    Task::Signals => {
                        let output = m.classify(b.inputs.clone(), b.ids.clone(), b.mask.clone(), &graph);
                        signal_loss(output, b, &signal_stats)
                    }
                    Task::Behaviour | Task::LongMemory => {
                        cross_entropy(m.classify(b.inputs.clone(), b.ids.clone(), b.mask.clone(), &graph), b, classes)
                    }
                }
            };
            let model = setup.gnn_config().init(&ad);
            let trainer = Trainer::new(model, loss, cfg, &train, held.validation, normalizer, device.clone())?;
            let model = trainer.run(&mut counting).await?.valid();
            let forecast = score_gnn(&held, &mut report, &model, &test_context, split.test, &names).await?;
            (forecast, save_model(model, &setup, counting.steps).await?)
        }
        ModelKind::Mlp => {
            let model = train_baseline(&held, &train, setup.mlp_config(neurons).init(&ad), cfg, &mut counting, MLP);
            let model = model.await?;
            (score_baseline(&held, &mut report, &model, MLP).await?, save_model(model, &setup, counting.steps).await?)
        }
        ModelKind::Gru => {
            let model = train_baseline(&held, &train, setup.gru_config(neurons).init(&ad), cfg, &mut counting, GRU);
            let model = model.await?;
            (score_baseline(&held, &mut report, &model, GRU).await?, save_model(model, &setup, counting.steps).await?)
        }
        ModelKind::Elm | ModelKind::BranchElm => {
            let config = setup.elm_config(neurons);
            let model = train_baseline(&held, &train, config.init(&ad), cfg, &mut counting, ELM).await?;
            (score_baseline(&held, &mut report, &model, ELM).await?, save_model(model, &setup, counting.steps).await?)
        }
    };
    report.preview = forecast.map(|f| preview(&f, &names));
    report.steps = counting.steps;
    if with_mlp && experiment.model != ModelKind::Mlp {
        report.mlp = mlp_beside(&split, experiment, &setup, validate, device).await?;
    }
    Ok(Outcome { report, model: bytes })
}

/// The MLP baseline on the same split, steps and seed as the experiment's model, on the
/// named neurons every animal shares (each recording's own when time is held out), or
/// `None` when the animals share no named neuron. Its training is not reported.
async fn mlp_beside(
    split: &Split<'_>,
    experiment: &Experiment,
    setup: &Setup,
    validate: bool,
    device: &Device,
) -> Result<Option<MlpBaseline>, DataError> {
    let Ok((train_rows, test_rows, names)) = split.rows(ModelKind::Mlp) else { return Ok(None) };
    let (validation, train, test) = split.window_sets(experiment, validate, train_rows, test_rows)?;
    let setup = Setup { neurons: Some(names.clone()), ..setup.clone() };
    let held = Held { setup: &setup, validation: validation.as_ref(), test: &test, device };
    let ad = device.clone().autodiff();
    ad.seed(experiment.train.seed);
    let model = setup.mlp_config(names.len()).init(&ad);
    let model = train_baseline(&held, &train, model, experiment.train.clone(), &mut |_: &TrainEvent| {}, MLP).await?;
    let mut report = Report::blank(experiment, split.held_out, Vec::new(), String::new());
    score_baseline(&held, &mut report, &model, MLP).await?;
    Ok(Some(MlpBaseline { neurons: names.len(), scores: report.scores }))
}

impl Experiment {
    /// Windows of `history` frames, each predicting the next, every second frame.
    pub fn window_spec(&self) -> WindowSpec {
        WindowSpec { history: self.history, horizon: 1, stride: 2 }
    }
}

impl Report {
    /// A report with settings and animals but no scores yet.
    pub(crate) fn blank(experiment: &Experiment, held_out: HeldOut, train_animals: Vec<String>, test: String) -> Self {
        Report {
            experiment: experiment.clone(),
            held_out,
            train_animals,
            test_animal: test,
            neurons: 0,
            scores: Scores::Forecast { model: empty_scores(), persistence: empty_scores() },
            edges: None,
            graph: None,
            mlp: None,
            preview: None,
            multi_step: None,
            steps: 0,
        }
    }
}

fn empty_scores() -> ForecastScores {
    ForecastScores { mse: f64::NAN, r2: f64::NAN, mse_per_neuron: vec![], r2_per_neuron: vec![] }
}

/// The continuous signals every recording has, by name (the task needs the same ones in
/// every animal); empty for other tasks.
pub(crate) fn signal_names(recordings: &[Recording], task: Task) -> Result<Vec<String>, DataError> {
    if task != Task::Signals {
        return Ok(Vec::new());
    }
    let names = |r: &Recording| r.signals().iter().map(|s| s.name.clone()).collect::<Vec<_>>();
    let first = recordings.first().map(names).unwrap_or_default();
    if first.is_empty() {
        return Err(DataError::bad_request("decoding signals needs continuous behaviour signals in the recordings"));
    }
    if let Some(r) = recordings.iter().find(|r| names(r) != first) {
        return Err(DataError::bad_request(format!(
            "every animal needs the same signals ({}); {} has {:?}",
            first.join(", "),
            r.animal_id().unwrap_or("one recording"),
            names(r)
        )));
    }
    Ok(first)
}

/// Mean and standard deviation of each signal over the training windows, so every
/// signal is learned on one scale.
fn signal_stats(train: &WindowSet<'_>) -> Vec<(f32, f32)> {
    let rows: Vec<Vec<f32>> = (0..train.len()).filter_map(|i| train.window(i).signals()).collect();
    let n = rows.first().map_or(0, Vec::len);
    (0..n)
        .map(|k| {
            let count = rows.len().max(1) as f32;
            let mean = rows.iter().map(|r| r[k]).sum::<f32>() / count;
            let sd = (rows.iter().map(|r| (r[k] - mean).powi(2)).sum::<f32>() / count).sqrt();
            (mean, if sd > 1e-6 { sd } else { 1.0 })
        })
        .collect()
}

/// The signals of a batch, standardised with the training statistics.
fn standardised(b: &BatchTensors, stats: &[(f32, f32)]) -> Option<Tensor<2>> {
    let signals = b.signals.clone()?;
    let device = signals.device();
    let k = stats.len();
    let mean = Tensor::<1>::from_floats(stats.iter().map(|s| s.0).collect::<Vec<_>>().as_slice(), &device);
    let sd = Tensor::<1>::from_floats(stats.iter().map(|s| s.1).collect::<Vec<_>>().as_slice(), &device);
    Some((signals - mean.reshape([1, k])) / sd.reshape([1, k]))
}

/// Mean squared error of the read-out against the standardised signals.
fn signal_loss(output: Tensor<2>, b: &BatchTensors, stats: &[(f32, f32)]) -> Tensor<1> {
    let target = standardised(b, stats).unwrap_or_else(|| output.clone().zeros_like());
    (output - target).powi_scalar(2).mean()
}

/// R^2 per signal of the read-out on every window of `set`, and of always answering
/// the training mean (0 in standardised units).
async fn regress(
    set: &WindowSet<'_>,
    normalizer: &ganglion_data::preprocess::Normalizer,
    device: &Device,
    stats: &[(f32, f32)],
    output: impl Fn(&BatchTensors) -> Tensor<2>,
) -> Result<(Vec<f64>, Vec<f64>), DataError> {
    let k = stats.len();
    let (mut predicted, mut truth) = (Vec::new(), Vec::new());
    for indices in set.in_order(64) {
        let tensors = set.tensors(&indices, normalizer, device)?;
        let Some(target) = standardised(&tensors, stats) else { continue };
        predicted.extend(crate::readback::floats(output(&tensors)).await?);
        truth.extend(crate::readback::floats(target).await?);
    }
    let column = |v: &[f32], j: usize| -> Vec<f32> { v.iter().skip(j).step_by(k.max(1)).copied().collect() };
    let model = (0..k).map(|j| crate::metrics::r2(&column(&predicted, j), &column(&truth, j))).collect();
    let mean = (0..k).map(|j| crate::metrics::r2(&vec![0.0; truth.len() / k.max(1)], &column(&truth, j))).collect();
    Ok((model, mean))
}

fn cross_entropy(logits: Tensor<2>, b: &BatchTensors, classes: usize) -> Tensor<1> {
    let labels = b.labels.clone().unwrap_or_else(|| Tensor::zeros([logits.dims()[0]], &logits.device()));
    cross_entropy_logits(logits, labels, classes)
}

/// Mean cross-entropy of `logits` `[B, K]` against class indices `[B]`.
pub(crate) fn cross_entropy_logits(logits: Tensor<2>, labels: Tensor<1, Int>, classes: usize) -> Tensor<1> {
    cross_entropy_with_logits(logits, labels.one_hot(classes).float())
}

/// The windows a model is scored with, and the settings it was trained with (task,
/// normaliser, classes, majority label).
pub(crate) struct Held<'a> {
    pub(crate) setup: &'a Setup,
    pub(crate) validation: Option<&'a WindowSet<'a>>,
    pub(crate) test: &'a WindowSet<'a>,
    pub(crate) device: &'a Device,
}

/// Scores a trained model on the held-out windows into `report`; returns its forecasts
/// (forecasting only) for the preview.
async fn score(
    held: &Held<'_>,
    report: &mut Report,
    forecast: impl Fn(&BatchTensors) -> Tensor<2>,
    logits: impl Fn(&BatchTensors) -> Tensor<2>,
) -> Result<Option<Forecasts>, DataError> {
    let Held { setup, test, device, .. } = *held;
    let (normalizer, classes) = (&setup.normalizer, setup.classes);
    Ok(match setup.experiment.task {
        Task::Forecast => {
            let model = forecasts(test, normalizer, device, &forecast).await?;
            let floor = forecasts(test, normalizer, device, persistence).await?;
            report.scores = Scores::Forecast { model: model.scores(), persistence: floor.scores() };
            let ahead = test.with_horizon(MULTI_STEP);
            if !ahead.is_empty() {
                let rolled = rollout(&ahead, normalizer, device, MULTI_STEP, &forecast).await?;
                let floor = rollout(&ahead, normalizer, device, MULTI_STEP, persistence).await?;
                report.multi_step =
                    Some(MultiStep { steps: MULTI_STEP, model: rolled.scores(), persistence: floor.scores() });
            }
            Some(model)
        }
        Task::Behaviour => {
            let model = classify(test, normalizer, device, classes, logits).await?;
            report.scores = Scores::Behaviour { model, majority: majority_scores(setup.majority, test, classes) };
            None
        }
        Task::Signals => {
            let (model, mean) = regress(test, normalizer, device, &setup.signals, logits).await?;
            let names = test.recordings().first().map(|r| r.signals().iter().map(|s| s.name.clone()).collect());
            report.scores = Scores::Signals { names: names.unwrap_or_default(), model, mean };
            None
        }
        Task::LongMemory => return Err(DataError::bad_request("the long-memory task scores on trials, not windows")),
    })
}

/// Infers the test animal's graph from its `context`, puts it (and its edge recovery,
/// where the true graph is known) into `report`, and scores the GNN on that graph.
pub(crate) async fn score_gnn(
    held: &Held<'_>,
    report: &mut Report,
    model: &RelationalGnn,
    context: &PairStatistics,
    test: &Recording,
    names: &[String],
) -> Result<Option<Forecasts>, DataError> {
    let (stats, mask) = context_tensors(context, held.device);
    let graph = model.infer(stats, mask);
    let probability = edge_probability(model, &graph).await?;
    let truth = test.connectivity().map(|c| c.weights().to_vec());
    if let Some(t) = &truth {
        report.edges = Some(score_edges(&probability, t)?);
    }
    report.graph = Some(InferredGraph { names: names.to_vec(), probability, truth });
    score(
        held,
        report,
        |b| model.forecast(b.inputs.clone(), b.ids.clone(), b.mask.clone(), &graph),
        |b| model.classify(b.inputs.clone(), b.ids.clone(), b.mask.clone(), &graph),
    )
    .await
}

/// A baseline's two heads: behaviour logits and the next-frame forecast, both from
/// windows `[B, N, H]`.
pub(crate) struct Heads<M> {
    pub(crate) logits: fn(&M, Tensor<3>) -> Tensor<2>,
    pub(crate) forecast: fn(&M, Tensor<3>) -> Tensor<2>,
}

impl<M> Clone for Heads<M> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<M> Copy for Heads<M> {}

/// The MLP's heads.
pub(crate) const MLP: Heads<WindowMlp> = Heads { logits: WindowMlp::forward, forecast: WindowMlp::forecast };
/// The GRU's heads.
pub(crate) const GRU: Heads<WindowGru> = Heads { logits: WindowGru::forward, forecast: WindowGru::forecast };
/// The ELM's heads (plain and branched).
pub(crate) const ELM: Heads<Elm> = Heads { logits: Elm::last_of_window, forecast: Elm::forecast_window };

/// Trains a structure-agnostic baseline on its task's head.
async fn train_baseline<M: Module + Clone>(
    held: &Held<'_>,
    train: &WindowSet<'_>,
    model: M,
    cfg: TrainConfig,
    observer: &mut impl Observer,
    heads: Heads<M>,
) -> Result<M, DataError> {
    let (task, classes) = (held.setup.experiment.task, held.setup.classes);
    let stats = &held.setup.signals;
    let loss = |m: &M, b: &BatchTensors| match task {
        Task::Forecast => ((heads.forecast)(m, b.inputs.clone()) - b.next.clone()).powi_scalar(2).mean(),
        Task::Signals => signal_loss((heads.logits)(m, b.inputs.clone()), b, stats),
        Task::Behaviour | Task::LongMemory => cross_entropy((heads.logits)(m, b.inputs.clone()), b, classes),
    };
    let trainer = Trainer::new(model, loss, cfg, train, held.validation, &held.setup.normalizer, held.device.clone())?;
    Ok(trainer.run(observer).await?.valid())
}

/// Scores a trained baseline into `report`.
pub(crate) async fn score_baseline<M>(
    held: &Held<'_>,
    report: &mut Report,
    model: &M,
    heads: Heads<M>,
) -> Result<Option<Forecasts>, DataError> {
    score(held, report, |b| (heads.forecast)(model, b.inputs.clone()), |b| (heads.logits)(model, b.inputs.clone()))
        .await
}

/// The most variable neurons' forecasts over the first held-out windows.
pub(crate) fn preview(f: &Forecasts, names: &[String]) -> ForecastPreview {
    const NEURONS: usize = 6;
    const WINDOWS: usize = 400;
    let n = f.n_neurons.max(1);
    let rows = (f.truth.len() / n).min(WINDOWS);
    let column = |v: &[f32], j: usize| -> Vec<f32> { (0..rows).map(|t| v[t * n + j]).collect() };
    let variance = |j: usize| {
        let c = column(&f.truth, j);
        let mean = c.iter().sum::<f32>() / c.len().max(1) as f32;
        c.iter().map(|v| (v - mean).powi(2)).sum::<f32>()
    };
    let mut order: Vec<usize> = (0..f.n_neurons).collect();
    order.sort_by(|&a, &b| variance(b).total_cmp(&variance(a)));
    order.truncate(NEURONS);
    ForecastPreview {
        names: order.iter().map(|&j| names.get(j).cloned().unwrap_or_else(|| format!("neuron {j}"))).collect(),
        predicted: order.iter().map(|&j| column(&f.predicted, j)).collect(),
        truth: order.iter().map(|&j| column(&f.truth, j)).collect(),
    }
}
