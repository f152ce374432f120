//! The structure-agnostic models (MLP, GRU, ELM, Branch-ELM) as one table: which config
//! each kind builds, how its weights come to be (fresh or from a checkpoint) and how it
//! reads a window. Everything that trains or scores a window model (an experiment on
//! recordings, the delayed-cue task, a saved model scored again) names the kind once,
//! through [`with_window_model`], and is otherwise generic over the model.

use burn::prelude::*;
use ganglion_data::DataError;
use ganglion_models::checkpoint;
use ganglion_models::{Elm, WindowGru, WindowMlp};

use crate::settings::ModelKind;
use crate::setup::{Setup, WindowConfig, checkpoint_error};

/// A window model's two heads: behaviour logits (or signals, or the cue) and the
/// next-frame forecast, both from windows `[B, N, H]`.
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

/// Where a window model's weights come from.
#[derive(Clone, Copy)]
pub(crate) enum Weights<'a> {
    /// Freshly initialised on this device (seed it first for a reproducible run).
    Fresh(&'a Device),
    /// Read from checkpoint bytes onto this device.
    Saved(&'a Device, &'a [u8]),
}

/// Work done with whichever window model a run uses, generic over the model.
pub(crate) trait WithWindowModel {
    /// What the work gives back.
    type Output;
    /// Does the work with `model`, read through `heads`.
    async fn with<M: Module + Clone>(self, model: M, heads: Heads<M>) -> Result<Self::Output, DataError>;
}

/// The model of `kind` from `init`, fresh or loaded from its checkpoint.
fn materialise<M: Module>(init: impl Fn(&Device) -> M, kind: ModelKind, weights: Weights<'_>) -> Result<M, DataError> {
    match weights {
        Weights::Fresh(device) => Ok(init(device)),
        Weights::Saved(device, bytes) => {
            checkpoint::load(init(device), kind.checkpoint_kind(), bytes).map_err(checkpoint_error)
        }
    }
}

/// Builds (or loads) the window model `setup` names, with the hyperparameters it
/// records (else today's, for `inputs` neurons or channels), and hands it with its heads
/// to `work`. The GNN is not a window model: its
/// callers handle it, with the animal's graph, before they get here.
pub(crate) async fn with_window_model<W: WithWindowModel>(
    setup: &Setup,
    inputs: usize,
    weights: Weights<'_>,
    work: W,
) -> Result<W::Output, DataError> {
    let kind = setup.experiment.model;
    match (kind, setup.window_config(inputs)) {
        (ModelKind::Gnn, _) | (_, None) => {
            Err(DataError::bad_request("the relational GNN reads an animal's graph, not plain windows"))
        }
        (ModelKind::Mlp, Some(WindowConfig::Mlp(config))) => {
            work.with(materialise(|d| config.init(d), kind, weights)?, MLP).await
        }
        (ModelKind::Gru, Some(WindowConfig::Gru(config))) => {
            work.with(materialise(|d| config.init(d), kind, weights)?, GRU).await
        }
        (ModelKind::Elm | ModelKind::BranchElm, Some(WindowConfig::Elm(config))) => {
            work.with(materialise(|d| config.init(d), kind, weights)?, ELM).await
        }
        (kind, Some(other)) => Err(DataError::checkpoint(format!(
            "its settings say {} but hold the hyperparameters of another kind ({other:?})",
            kind.name()
        ))),
    }
}
