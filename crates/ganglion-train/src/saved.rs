//! A trained experiment as bytes, and scoring it again on a recording it never saw.
//!
//! The bytes are a model checkpoint ([`ganglion_models::checkpoint`]: versioned header,
//! then burnpack weights) whose header carries the [`Setup`]: the experiment's settings,
//! the normaliser fitted on its training frames, the behaviour classes and majority
//! label, and for the baselines the named neurons they read, in order. That is all it
//! takes to rebuild the model and score it on a new recording the way the experiment
//! scored its held-out animal: the GNN infers the animal's graph from the first half of
//! the recording, and the second half is scored.

use burn::prelude::*;
use ganglion_data::names::canonical_name;
use ganglion_data::preprocess::{Alignment, Normalizer};
use ganglion_data::{DataError, Recording};
use ganglion_models::checkpoint::{self, CheckpointError};
use ganglion_models::gnn::DecoderKind;
use ganglion_models::{ElmConfig, RelationalGnnConfig, WindowGruConfig, WindowMlpConfig};
use serde::{Deserialize, Serialize};

use crate::evaluate::{Forecasts, graph_contexts};
use crate::experiment::{ELM, Experiment, GRU, HeldOut, MLP, ModelKind, Report, Task, score_baseline, score_gnn};
use crate::{NeuronRows, WindowSet};

/// Everything besides the weights that scoring a trained model needs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Setup {
    /// The experiment that trained it.
    pub experiment: Experiment,
    /// Per-neuron statistics of the training frames.
    pub normalizer: Normalizer,
    /// Behaviour classes of the read-out.
    pub classes: usize,
    /// The most frequent training label (the majority-class floor).
    pub majority: u32,
    /// The neurons an MLP or GRU reads, in input order (the GNN reads any neurons).
    pub neurons: Option<Vec<String>>,
    /// The animals it was trained on.
    pub train_animals: Vec<String>,
    /// Optimiser steps done (set when the model is saved).
    pub steps: usize,
    /// Mean and standard deviation of each continuous signal in training (the signals
    /// task learns them standardised).
    #[serde(default)]
    pub signals: Vec<(f32, f32)>,
    /// The GNN's hyperparameters as it was built (GNN experiments only). Checkpoints
    /// from before it was stored hold none, and were all built with the pairwise
    /// decoder and 64-wide pair layers, which [`Setup::gnn_config`] gives them; storing
    /// it means a later change of a default cannot break a saved model.
    #[serde(default)]
    pub gnn: Option<RelationalGnnConfig>,
}

impl Setup {
    /// The GNN's hyperparameters: those it was built with, or for a checkpoint from
    /// before they were stored, the ones every GNN was built with then.
    pub fn gnn_config(&self) -> RelationalGnnConfig {
        self.gnn.clone().unwrap_or_else(|| {
            RelationalGnnConfig::new(self.experiment.history)
                .with_classes(self.classes)
                .with_decoder(DecoderKind::Pairwise)
                .with_pair_hidden(None)
        })
    }

    /// The GNN a new run of `experiment` with `classes` read-out classes builds.
    pub fn gnn_config_of(experiment: &Experiment, classes: usize) -> RelationalGnnConfig {
        RelationalGnnConfig::new(experiment.history).with_classes(classes).with_decoder(experiment.decoder)
    }

    fn outputs(&self, neurons: usize) -> usize {
        if self.experiment.task == Task::Forecast { neurons } else { self.classes }
    }

    /// The MLP's hyperparameters for `neurons` inputs.
    pub fn mlp_config(&self, neurons: usize) -> WindowMlpConfig {
        let frames = match self.experiment.task {
            Task::LongMemory => crate::long_memory::CUE_STEPS + self.experiment.history,
            _ => self.experiment.history,
        };
        WindowMlpConfig::new(neurons, frames, self.outputs(neurons))
    }

    /// The GRU's hyperparameters for `neurons` inputs.
    pub fn gru_config(&self, neurons: usize) -> WindowGruConfig {
        WindowGruConfig::new(neurons, self.outputs(neurons))
    }

    /// The ELM's hyperparameters for `neurons` inputs (branched for `BranchElm`).
    pub fn elm_config(&self, neurons: usize) -> ElmConfig {
        match self.experiment.model {
            ModelKind::BranchElm => ElmConfig::branched(neurons, self.outputs(neurons)),
            _ => ElmConfig::new(neurons, self.outputs(neurons)),
        }
    }
}

impl ModelKind {
    /// The model name a checkpoint records.
    pub fn checkpoint_kind(self) -> &'static str {
        match self {
            ModelKind::Gnn => "relational-gnn",
            ModelKind::Mlp => "window-mlp",
            ModelKind::Gru => "window-gru",
            ModelKind::Elm => "elm",
            ModelKind::BranchElm => "branch-elm",
        }
    }
}

pub(crate) fn checkpoint_error(e: CheckpointError) -> DataError {
    DataError::checkpoint(e.to_string())
}

/// The checkpoint bytes of `model` trained by `setup` for `steps` steps (read back
/// without blocking, so this works on a browser's WebGPU device too).
pub async fn save_model<M: Module>(model: M, setup: &Setup, steps: usize) -> Result<Vec<u8>, DataError> {
    let setup = Setup { steps, ..setup.clone() };
    checkpoint::save_async(model, setup.experiment.model.checkpoint_kind(), &setup).await.map_err(checkpoint_error)
}

/// Reads the [`Setup`] of checkpoint bytes (checking magic and version).
pub fn read_setup(bytes: &[u8]) -> Result<Setup, DataError> {
    let (header, _) = checkpoint::read_header(bytes, None).map_err(checkpoint_error)?;
    let setup: Setup = serde_json::from_value(header.config)
        .map_err(|e| DataError::checkpoint(format!("it was not saved by a ganglion experiment ({e})")))?;
    if header.model != setup.experiment.model.checkpoint_kind() {
        return Err(DataError::checkpoint(format!(
            "the header says {} but the settings say {}",
            header.model,
            setup.experiment.model.checkpoint_kind()
        )));
    }
    Ok(setup)
}

/// The rows of `recording` holding the named `neurons`, or an error naming the missing.
fn rows_of(recording: &Recording, neurons: &[String]) -> Result<Alignment, DataError> {
    let own: Vec<String> = recording.neurons().iter().map(|n| canonical_name(&n.name)).collect();
    let rows: Vec<Option<usize>> =
        neurons.iter().map(|name| own.iter().position(|o| *o == canonical_name(name))).collect();
    let missing: Vec<&str> = neurons.iter().zip(&rows).filter(|(_, r)| r.is_none()).map(|(n, _)| n.as_str()).collect();
    if !missing.is_empty() {
        return Err(DataError::checkpoint(format!(
            "the model reads {} named neurons and this recording lacks {}: {}",
            neurons.len(),
            missing.len(),
            missing.join(", ")
        )));
    }
    Ok(Alignment { names: neurons.to_vec(), rows: vec![rows] })
}

/// Scores the saved model in `bytes` on the last of `recordings` (first half: the GNN's
/// graph context; second half: scored), on `device`.
pub async fn score_saved(recordings: &[Recording], bytes: &[u8], device: &Device) -> Result<Report, DataError> {
    Ok(score_and_predict(recordings, bytes, device).await?.0)
}

/// [`score_saved`], with the forecasts themselves (forecasting models: every scored
/// window's predicted and true next frame, normalised units), for callers that show or
/// return predictions.
pub async fn score_and_predict(
    recordings: &[Recording],
    bytes: &[u8],
    device: &Device,
) -> Result<(Report, Option<Forecasts>), DataError> {
    let setup = read_setup(bytes)?;
    if setup.experiment.task == Task::LongMemory {
        return Ok((crate::long_memory::score_saved(&setup, bytes, device).await?, None));
    }
    let test = recordings.last().ok_or_else(|| DataError::bad_request("no recording to score the model on"))?;
    let experiment = &setup.experiment;
    if experiment.task == Task::Behaviour && test.behaviour().is_none() {
        return Err(DataError::bad_request("scoring behaviour decoding needs behaviour labels in the recording"));
    }
    let half = test.n_frames() / 2;
    let (rows, names) = match &setup.neurons {
        None => (NeuronRows::Own, test.neurons().iter().map(|n| n.name.clone()).collect()),
        Some(neurons) => (NeuronRows::Aligned(rows_of(test, neurons)?), neurons.clone()),
    };
    let windows = WindowSet::new(vec![test], |_| half..test.n_frames(), experiment.window_spec(), rows)?;
    let windows = experiment.task.scorable(windows);
    let test_name = test.animal_id().unwrap_or("the recording").to_owned();
    let mut report = Report::blank(experiment, HeldOut::Saved, setup.train_animals.clone(), test_name);
    report.neurons = names.len();
    report.steps = setup.steps;
    let held = crate::experiment::Held { setup: &setup, validation: None, test: &windows, device };
    let load = |e| checkpoint_error(e);
    let kind = experiment.model.checkpoint_kind();
    let forecast = match experiment.model {
        ModelKind::Gnn => {
            let model = checkpoint::load(setup.gnn_config().init(device), kind, bytes).map_err(load)?;
            let context = graph_contexts([(test, 0..half)], &setup.normalizer).remove(0);
            score_gnn(&held, &mut report, &model, &context, test, &names).await?
        }
        ModelKind::Mlp => {
            let model = checkpoint::load(setup.mlp_config(names.len()).init(device), kind, bytes).map_err(load)?;
            score_baseline(&held, &mut report, &model, MLP).await?
        }
        ModelKind::Gru => {
            let model = checkpoint::load(setup.gru_config(names.len()).init(device), kind, bytes).map_err(load)?;
            score_baseline(&held, &mut report, &model, GRU).await?
        }
        ModelKind::Elm | ModelKind::BranchElm => {
            let model = checkpoint::load(setup.elm_config(names.len()).init(device), kind, bytes).map_err(load)?;
            score_baseline(&held, &mut report, &model, ELM).await?
        }
    };
    report.preview = forecast.as_ref().map(|f| crate::experiment::preview(f, &names));
    Ok((report, forecast))
}
