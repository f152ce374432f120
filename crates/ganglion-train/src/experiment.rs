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
use ganglion_data::preprocess::{AlignMode, Alignment, Normalizer};
use ganglion_data::{DataError, Recording};
use ganglion_models::RelationalGnn;

use crate::evaluate::{Forecasts, context_tensors, graph_contexts, majority_label};
use crate::linear_baselines::{fit_linear_ar, fit_var};
use crate::objectives::{Outputs, signal_names, signal_stats, task_loss, window_loss};
pub use crate::report::{
    ForecastPreview, HeldOut, InferredGraph, MULTI_STEP, MlpBaseline, MultiStep, Outcome, Report, Scores,
};
use crate::scoring::{Held, preview, score_baseline, score_gnn};
pub use crate::settings::{
    BaselineKind, DECODER_NAMES, DEFAULT_HISTORY, DecoderKind, Experiment, MODEL_NAMES, ModelKind, TASK_NAMES, Task,
};
use crate::setup::{Setup, save_model};
use crate::trainer::Counting;
use crate::window_models::{Heads, Weights, WithWindowModel, with_window_model};
use crate::{BatchTensors, NeuronRows, Observer, TrainEvent, Trainer, WindowSet};

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
    /// Whether the last 15% of each training recording's frames validate.
    validate: bool,
}

impl<'r> Split<'r> {
    fn of(recordings: &'r [Recording], validate: bool) -> Result<Self, DataError> {
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
                    validate,
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
                    validate,
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
    fn train_frames(&self, r: &Recording) -> Range<usize> {
        let end = self.usable(r);
        0..if self.validate { end * 17 / 20 } else { end }
    }

    /// The last 15% of each training recording's usable frames: validation windows on
    /// the same animals (so each batch keeps its animal's graph context).
    fn validation_frames(&self, r: &Recording) -> Range<usize> {
        let end = self.usable(r);
        end * 17 / 20..end
    }

    /// Validation windows (when the split validates), training windows and test windows over
    /// the given neuron rows.
    fn window_sets(
        &self,
        experiment: &Experiment,
        train_rows: NeuronRows,
        test_rows: NeuronRows,
    ) -> Result<(Option<WindowSet<'r>>, WindowSet<'r>, WindowSet<'r>), DataError> {
        let spec = experiment.window_spec();
        let keep = |set: WindowSet<'r>| experiment.task.scorable(set);
        let validation = if self.validate {
            Some(keep(WindowSet::new(self.train.clone(), |r| self.validation_frames(r), spec, train_rows.clone())?))
        } else {
            None
        };
        let train = keep(WindowSet::new(self.train.clone(), |r| self.train_frames(r), spec, train_rows)?);
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
    let split = Split::of(recordings, experiment.train.validate_every > 0)?;
    let (train_rows, test_rows, names) = split.rows(experiment.model)?;
    let (validation, train, test) = split.window_sets(experiment, train_rows, test_rows)?;
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
    let normalizer = Normalizer::fit(split.train.iter().map(|r| (*r, split.train_frames(r))));
    let forecasting = experiment.task == Task::Forecast;
    let linear_ar = if forecasting { Some(fit_linear_ar(&train, &normalizer)?) } else { None };
    let var = if forecasting { fit_var(&train, &normalizer)? } else { None };
    let setup = Setup {
        experiment: experiment.clone(),
        normalizer,
        classes,
        majority: if experiment.task == Task::Behaviour { majority_label(&train, classes) } else { 0 },
        neurons: (experiment.model != ModelKind::Gnn).then(|| names.clone()),
        train_animals,
        steps: 0,
        signals: if experiment.task == Task::Signals { signal_stats(&train) } else { Vec::new() },
        gnn: (experiment.model == ModelKind::Gnn).then(|| Setup::gnn_config_of(experiment, classes)),
        window: None,
        linear_ar,
    }
    .with_window_config(neurons);
    let held = Held { setup: &setup, validation: validation.as_ref(), test: &test, device, var: var.as_ref() };
    // Initial weights come from the device's generator: seeding it makes a run reproducible.
    let ad = device.clone().autodiff();
    ad.seed(experiment.train.seed);
    let (forecast, bytes) = if experiment.model == ModelKind::Gnn {
        train_gnn(&held, &split, &train, &names, &mut report, &mut counting, &ad).await?
    } else {
        let work = TrainWindowModel { held: &held, train: &train, observer: &mut counting, report: &mut report };
        with_window_model(&setup, neurons, Weights::Fresh(&ad), work).await?
    };
    report.preview = forecast.map(|f| preview(&f, &names));
    report.steps = counting.steps;
    if with_mlp && experiment.model != ModelKind::Mlp {
        report.mlp = mlp_beside(&split, experiment, &setup, device).await?;
    }
    Ok(Outcome { report, model: bytes })
}

/// Trains the GNN on the seeded `autodiff` device (each batch on its animal's graph, inferred from that animal's
/// training frames), scores it on the test animal's graph and saves it.
async fn train_gnn(
    held: &Held<'_>,
    split: &Split<'_>,
    train: &WindowSet<'_>,
    names: &[String],
    report: &mut Report,
    counting: &mut Counting<'_, impl Observer>,
    autodiff: &Device,
) -> Result<(Option<Forecasts>, Vec<u8>), DataError> {
    let setup = held.setup;
    let normalizer = &setup.normalizer;
    let contexts = graph_contexts(split.train.iter().map(|r| (*r, split.train_frames(r))), normalizer);
    let test_context = graph_contexts([(split.test, split.context.clone())], normalizer).remove(0);
    let (task, classes, signal_stats) = (setup.experiment.task, setup.classes, &setup.signals);
    let loss = |m: &RelationalGnn, b: &BatchTensors| {
        let (stats, mask) = context_tensors(&contexts[b.recording.unwrap_or(0)], &b.inputs.device());
        let graph = m.infer(stats, mask);
        let outputs = Outputs {
            forecast_loss: || {
                m.forecast_loss(b.inputs.clone(), b.ids.clone(), b.next.clone(), b.mask.clone(), &graph, m.kl_weight())
            },
            read_out: || m.classify(b.inputs.clone(), b.ids.clone(), b.mask.clone(), &graph),
        };
        task_loss(task, classes, signal_stats, b, outputs)
    };
    // With the highway, training starts from the linear AR fitted on the same windows.
    let model = match &setup.linear_ar {
        Some(ar) => setup.gnn_config().init(autodiff).with_highway(ar),
        None => setup.gnn_config().init(autodiff),
    };
    let trainer = Trainer::new(
        model,
        loss,
        setup.experiment.train.clone(),
        train,
        held.validation,
        normalizer,
        held.device.clone(),
    )?;
    let model = trainer.run(counting).await?.valid();
    let forecast = score_gnn(held, report, &model, &test_context, split.test, names).await?;
    Ok((forecast, save_model(model, setup, counting.steps).await?))
}

/// Trains a window model on its task's head, scores it into `report` and saves it.
struct TrainWindowModel<'a, 'h, 'o, O> {
    held: &'a Held<'h>,
    train: &'a WindowSet<'a>,
    observer: &'a mut Counting<'o, O>,
    report: &'a mut Report,
}

impl<O: Observer> WithWindowModel for TrainWindowModel<'_, '_, '_, O> {
    type Output = (Option<Forecasts>, Vec<u8>);

    async fn with<M: Module + Clone>(self, model: M, heads: Heads<M>) -> Result<Self::Output, DataError> {
        let model = train_window_model(self.held, self.train, model, heads, self.observer).await?;
        let forecast = score_baseline(self.held, self.report, &model, heads).await?;
        Ok((forecast, save_model(model, self.held.setup, self.observer.steps).await?))
    }
}

/// Trains a window model on `train` with the experiment's loop settings.
async fn train_window_model<M: Module + Clone>(
    held: &Held<'_>,
    train: &WindowSet<'_>,
    model: M,
    heads: Heads<M>,
    observer: &mut impl Observer,
) -> Result<M, DataError> {
    let setup = held.setup;
    let loss = window_loss(setup.experiment.task, heads, setup.classes, &setup.signals);
    let cfg = setup.experiment.train.clone();
    let trainer = Trainer::new(model, loss, cfg, train, held.validation, &setup.normalizer, held.device.clone())?;
    Ok(trainer.run(observer).await?.valid())
}

/// The MLP baseline on the same split, steps and seed as the experiment's model, on the
/// named neurons every animal shares (each recording's own when time is held out), or
/// `None` when the animals share no named neuron. Its training is not reported.
async fn mlp_beside(
    split: &Split<'_>,
    experiment: &Experiment,
    setup: &Setup,
    device: &Device,
) -> Result<Option<MlpBaseline>, DataError> {
    let Ok((train_rows, test_rows, names)) = split.rows(ModelKind::Mlp) else { return Ok(None) };
    let (validation, train, test) = split.window_sets(experiment, train_rows, test_rows)?;
    let mlp = Experiment { model: ModelKind::Mlp, ..experiment.clone() };
    // Never saved, so it records no config of its own; its model is built just below.
    let setup = Setup { experiment: mlp, neurons: Some(names.clone()), gnn: None, window: None, ..setup.clone() };
    let held = Held { setup: &setup, validation: validation.as_ref(), test: &test, device, var: None };
    let ad = device.clone().autodiff();
    ad.seed(experiment.train.seed);
    let model = setup.mlp_config(names.len()).init(&ad);
    let model = train_window_model(&held, &train, model, crate::window_models::MLP, &mut |_: &TrainEvent| {}).await?;
    let mut report = Report::blank(experiment, split.held_out, Vec::new(), String::new());
    score_baseline(&held, &mut report, &model, crate::window_models::MLP).await?;
    Ok(Some(MlpBaseline { neurons: names.len(), scores: report.scores }))
}
