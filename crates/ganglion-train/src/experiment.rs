//! One held-out-animal experiment, end to end: train on every recording but the last,
//! infer the held-out animal's graph from the first half of its recording, and score
//! the model beside its floors (persistence, majority class) on the second half. The
//! CLI's `train` command and, later, the notebook run exactly this.

use burn::prelude::*;
use burn::tensor::loss::cross_entropy_with_logits;
use ganglion_data::preprocess::{AlignMode, Alignment, Normalizer, WindowSpec};
use ganglion_data::{DataError, Recording};
use ganglion_models::{RelationalGnn, RelationalGnnConfig, WindowGru, WindowGruConfig, WindowMlp, WindowMlpConfig};
use serde::Serialize;

use crate::evaluate::{
    ClassificationScores, EdgeScores, classify, context_tensors, edge_recovery, forecasts, graph_contexts, majority,
    persistence,
};
use crate::metrics::ForecastScores;
use crate::{BatchTensors, NeuronRows, TrainConfig, TrainEvent, Trainer, WindowSet};

/// What to learn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Task {
    /// Next-frame forecasting of every neuron.
    Forecast,
    /// Behavioural state of each window.
    Behaviour,
}

/// Which model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ModelKind {
    /// The relational GNN (each animal's own neurons).
    Gnn,
    /// The window MLP (named neurons every animal shares).
    Mlp,
    /// The GRU (named neurons every animal shares).
    Gru,
}

/// Settings of an experiment.
#[derive(Debug, Clone, Serialize)]
pub struct Experiment {
    /// What to learn.
    pub task: Task,
    /// Which model.
    pub model: ModelKind,
    /// History frames per window.
    pub history: usize,
    /// The training loop's settings.
    pub train: TrainConfig,
}

/// Scores of the model and its floor.
#[derive(Debug, Clone, Serialize)]
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
}

/// The report of one experiment, ready to write as JSON.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The settings.
    pub experiment: Experiment,
    /// Animals trained on.
    pub train_animals: Vec<String>,
    /// The held-out animal.
    pub test_animal: String,
    /// Neurons the model saw per window.
    pub neurons: usize,
    /// Scores on the held-out animal's second half.
    pub scores: Scores,
    /// Edge recovery of the GNN's inferred graph, when the true graph is known.
    pub edges: Option<EdgeScores>,
    /// Optimiser steps done.
    pub steps: usize,
}

fn animal(r: &Recording, i: usize) -> String {
    r.animal_id().map_or_else(|| format!("recording {}", i + 1), str::to_owned)
}

/// Runs `experiment` on `recordings` (at least two), reporting training events.
pub fn run(
    recordings: &[Recording],
    experiment: &Experiment,
    on_event: impl FnMut(&TrainEvent),
) -> Result<Report, DataError> {
    let (test_worm, train_worms) = match recordings.split_last() {
        Some((last, rest)) if !rest.is_empty() => (last, rest),
        _ => return Err(DataError::bad_request("a held-out experiment needs at least two recordings (animals)")),
    };
    let half = test_worm.n_frames() / 2;
    let spec = WindowSpec { history: experiment.history, horizon: 1, stride: 2 };
    let normalizer = Normalizer::fit(train_worms.iter().map(|r| (r, 0..r.n_frames())));
    let device = Device::flex();
    let rows = match experiment.model {
        ModelKind::Gnn => (NeuronRows::Own, NeuronRows::Own),
        ModelKind::Mlp | ModelKind::Gru => {
            let all: Vec<&Recording> = recordings.iter().collect();
            let align = Alignment::new(&all, AlignMode::Intersection);
            if align.is_empty() {
                return Err(DataError::bad_request("the animals share no named neuron, so MLP/GRU cannot be aligned"));
            }
            let n = train_worms.len();
            let part =
                |r: std::ops::Range<usize>| Alignment { names: align.names.clone(), rows: align.rows[r].to_vec() };
            (NeuronRows::Aligned(part(0..n)), NeuronRows::Aligned(part(n..n + 1)))
        }
    };
    let train = WindowSet::new(train_worms.iter().collect(), |r| 0..r.n_frames(), spec, rows.0)?;
    let test = WindowSet::new(vec![test_worm], |r| half..r.n_frames(), spec, rows.1)?;
    if experiment.task == Task::Behaviour && recordings.iter().any(|r| r.behaviour().is_none()) {
        return Err(DataError::bad_request("behaviour decoding needs behaviour labels in every recording"));
    }
    let classes = recordings.iter().filter_map(|r| r.behaviour().map(|b| b.states.len())).max().unwrap_or(1);
    let neurons = train.aligned_neurons().unwrap_or_else(|| test_worm.n_neurons());
    let ad = device.clone().autodiff();
    let cfg = experiment.train.clone();
    let h = experiment.history;
    let mut report = Report {
        experiment: experiment.clone(),
        train_animals: train_worms.iter().enumerate().map(|(i, r)| animal(r, i)).collect(),
        test_animal: animal(test_worm, recordings.len() - 1),
        neurons,
        scores: Scores::Forecast { model: empty_scores(), persistence: empty_scores() },
        edges: None,
        steps: cfg.max_steps,
    };
    let ce = |logits: Tensor<2>, b: &BatchTensors| {
        let labels = b.labels.clone().unwrap_or_else(|| Tensor::zeros([logits.dims()[0]], &logits.device()));
        cross_entropy_with_logits(logits, labels.one_hot(classes).float())
    };
    match experiment.model {
        ModelKind::Gnn => {
            let contexts = graph_contexts(train_worms.iter().map(|r| (r, 0..r.n_frames())), &normalizer);
            let test_context = graph_contexts([(test_worm, 0..half)], &normalizer).remove(0);
            let task = experiment.task;
            let loss = |m: &RelationalGnn, b: &BatchTensors| {
                let (stats, mask) = context_tensors(&contexts[b.recording.unwrap_or(0)], &b.inputs.device());
                let graph = m.infer(stats, mask);
                match task {
                    Task::Forecast => m.forecast_loss(b.inputs.clone(), b.next.clone(), b.mask.clone(), &graph, 0.01),
                    Task::Behaviour => ce(m.classify(b.inputs.clone(), b.ids.clone(), b.mask.clone(), &graph), b),
                }
            };
            let model = RelationalGnnConfig::new(h).with_classes(classes).init(&ad);
            let model =
                Trainer::new(model, loss, cfg, &train, None, &normalizer, device.clone())?.run(on_event)?.valid();
            let (stats, mask) = context_tensors(&test_context, &device);
            let graph = model.infer(stats, mask);
            if let Some(c) = test_worm.connectivity() {
                report.edges = Some(edge_recovery(&model, &graph, c.weights())?);
            }
            report.scores = match task {
                Task::Forecast => forecast_scores(&test, &normalizer, &device, |b| {
                    model.forecast(b.inputs.clone(), b.mask.clone(), &graph)
                })?,
                Task::Behaviour => Scores::Behaviour {
                    model: classify(&test, &normalizer, &device, classes, |b| {
                        model.classify(b.inputs.clone(), b.ids.clone(), b.mask.clone(), &graph)
                    })?,
                    majority: majority(&train, &test, classes),
                },
            };
        }
        ModelKind::Mlp | ModelKind::Gru => {
            let outputs = if experiment.task == Task::Forecast { neurons } else { classes };
            let held = HeldOut {
                task: experiment.task,
                train: &train,
                test: &test,
                normalizer: &normalizer,
                device: &device,
                classes,
            };
            report.scores = if experiment.model == ModelKind::Mlp {
                let model = WindowMlpConfig::new(neurons, h, outputs).init(&ad);
                baseline(&held, model, cfg, on_event, WindowMlp::forward, WindowMlp::forecast)?
            } else {
                let model = WindowGruConfig::new(neurons, outputs).init(&ad);
                baseline(&held, model, cfg, on_event, WindowGru::forward, WindowGru::forecast)?
            };
        }
    }
    Ok(report)
}

fn empty_scores() -> ForecastScores {
    ForecastScores { mse: f64::NAN, r2: f64::NAN, mse_per_neuron: vec![], r2_per_neuron: vec![] }
}

fn forecast_scores(
    test: &WindowSet<'_>,
    normalizer: &Normalizer,
    device: &Device,
    predict: impl Fn(&BatchTensors) -> Tensor<2>,
) -> Result<Scores, DataError> {
    Ok(Scores::Forecast {
        model: forecasts(test, normalizer, device, predict)?.scores(),
        persistence: forecasts(test, normalizer, device, persistence)?.scores(),
    })
}

/// The held-out data a baseline trains and is scored on.
struct HeldOut<'a> {
    task: Task,
    train: &'a WindowSet<'a>,
    test: &'a WindowSet<'a>,
    normalizer: &'a Normalizer,
    device: &'a Device,
    classes: usize,
}

/// Trains and scores a structure-agnostic baseline (`logits` for behaviour, `forecast`
/// for forecasting).
fn baseline<M: Module + Clone>(
    held: &HeldOut<'_>,
    model: M,
    cfg: TrainConfig,
    on_event: impl FnMut(&TrainEvent),
    logits: fn(&M, Tensor<3>) -> Tensor<2>,
    forecast: fn(&M, Tensor<3>) -> Tensor<2>,
) -> Result<Scores, DataError> {
    let HeldOut { task, train, test, normalizer, device, classes } = *held;
    let loss = |m: &M, b: &BatchTensors| match task {
        Task::Forecast => (forecast(m, b.inputs.clone()) - b.next.clone()).powi_scalar(2).mean(),
        Task::Behaviour => {
            let labels = b.labels.clone().unwrap_or_else(|| Tensor::zeros([b.inputs.dims()[0]], &b.inputs.device()));
            cross_entropy_with_logits(logits(m, b.inputs.clone()), labels.one_hot(classes).float())
        }
    };
    let model = Trainer::new(model, loss, cfg, train, None, normalizer, device.clone())?.run(on_event)?.valid();
    Ok(match task {
        Task::Forecast => forecast_scores(test, normalizer, device, |b| forecast(&model, b.inputs.clone()))?,
        Task::Behaviour => Scores::Behaviour {
            model: classify(test, normalizer, device, classes, |b| logits(&model, b.inputs.clone()))?,
            majority: majority(train, test, classes),
        },
    })
}
