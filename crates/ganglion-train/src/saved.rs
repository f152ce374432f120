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
use ganglion_data::preprocess::Alignment;
use ganglion_data::{DataError, Recording};
use ganglion_models::checkpoint;

use crate::evaluate::{Forecasts, graph_contexts};
use crate::report::{HeldOut, Report};
use crate::scoring::{Held, preview, score_baseline, score_gnn};
use crate::settings::{ModelKind, Task};
use crate::setup::checkpoint_error;
pub use crate::setup::{Setup, read_setup, save_model};
use crate::window_models::{Heads, Weights, WithWindowModel, with_window_model};
use crate::{NeuronRows, WindowSet};

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
    let held = Held { setup: &setup, validation: None, test: &windows, device, var: None };
    let forecast = if experiment.model == ModelKind::Gnn {
        let kind = experiment.model.checkpoint_kind();
        let model = checkpoint::load(setup.gnn_config().init(device), kind, bytes).map_err(checkpoint_error)?;
        let context = graph_contexts([(test, 0..half)], &setup.normalizer).remove(0);
        score_gnn(&held, &mut report, &model, &context, test, &names).await?
    } else {
        let work = ScoreWindowModel { held: &held, report: &mut report };
        with_window_model(&setup, names.len(), Weights::Saved(device, bytes), work).await?
    };
    report.preview = forecast.as_ref().map(|f| preview(f, &names));
    Ok((report, forecast))
}

/// Scores a loaded window model into `report`.
struct ScoreWindowModel<'a, 'h> {
    held: &'a Held<'h>,
    report: &'a mut Report,
}

impl WithWindowModel for ScoreWindowModel<'_, '_> {
    type Output = Option<Forecasts>;

    async fn with<M: Module + Clone>(self, model: M, heads: Heads<M>) -> Result<Self::Output, DataError> {
        score_baseline(self.held, self.report, &model, heads).await
    }
}
