//! Everything besides the weights that rebuilding a trained model needs ([`Setup`]),
//! and the checkpoint bytes that carry it: the header of every saved `.ganglion` file.

use burn::prelude::*;
use ganglion_data::DataError;
use ganglion_data::preprocess::Normalizer;
use ganglion_models::checkpoint::{self, CheckpointError};
use ganglion_models::gnn::DecoderKind;
use ganglion_models::linear::LinearAr;
use ganglion_models::{ElmConfig, RelationalGnnConfig, WindowGruConfig, WindowMlpConfig};
use serde::{Deserialize, Serialize};

use crate::settings::{Experiment, ModelKind, Task};

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
    /// The window model's hyperparameters as it was built (MLP, GRU, ELM and Branch-ELM
    /// experiments), for the same reason. Checkpoints from before it was stored hold
    /// none and were built with the defaults [`Setup::window_config`] falls back to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<WindowConfig>,
    /// The pooled linear AR fitted on the same training windows (forecasting), so a
    /// saved model is scored beside it on any recording. Checkpoints from before it
    /// existed hold none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linear_ar: Option<LinearAr>,
}

/// A window model's hyperparameters, by kind (`{"kind": "mlp", "hidden": 128, ...}`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum WindowConfig {
    /// The window MLP's.
    Mlp(WindowMlpConfig),
    /// The GRU's.
    Gru(WindowGruConfig),
    /// The ELM's (plain or branched: its routing says which).
    Elm(ElmConfig),
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
                .with_highway(None)
        })
    }

    /// The GNN a new run of `experiment` with `classes` read-out classes builds.
    pub fn gnn_config_of(experiment: &Experiment, classes: usize) -> RelationalGnnConfig {
        RelationalGnnConfig::new(experiment.history).with_classes(classes).with_decoder(experiment.decoder)
    }

    /// The window model's hyperparameters: those it was built with, or (a run not yet
    /// built, or a checkpoint from before they were stored) today's defaults for
    /// `inputs` neurons or channels; `None` for the GNN.
    pub fn window_config(&self, inputs: usize) -> Option<WindowConfig> {
        self.window.clone().or_else(|| match self.experiment.model {
            ModelKind::Gnn => None,
            ModelKind::Mlp => Some(WindowConfig::Mlp(self.mlp_config(inputs))),
            ModelKind::Gru => Some(WindowConfig::Gru(self.gru_config(inputs))),
            ModelKind::Elm | ModelKind::BranchElm => Some(WindowConfig::Elm(self.elm_config(inputs))),
        })
    }

    /// This setup with its window model's hyperparameters for `inputs` fixed, so the
    /// checkpoint it is saved in records them.
    pub fn with_window_config(self, inputs: usize) -> Setup {
        Setup { window: self.window_config(inputs), ..self }
    }

    fn outputs(&self, neurons: usize) -> usize {
        if self.experiment.task == Task::Forecast { neurons } else { self.classes }
    }

    /// The MLP's hyperparameters for `neurons` inputs.
    pub fn mlp_config(&self, neurons: usize) -> WindowMlpConfig {
        WindowMlpConfig::new(neurons, self.experiment.input_frames(), self.outputs(neurons))
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

/// A checkpoint problem as the data crate's error (stable code `checkpoint`).
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
