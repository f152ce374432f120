//! What an experiment reports: the scores of the model beside its floors, the inferred
//! graph, the forecasts shown, and the MLP beside it. These are the wire types the CLI
//! writes as JSON and the worker sends to the page.

use serde::{Deserialize, Serialize};

use crate::evaluate::{ClassificationScores, EdgeScores};
use crate::linear_baselines::BaselineScores;
use crate::metrics::ForecastScores;
use crate::settings::Experiment;

/// Scores of the model and its floor, tagged with the task's kind (`"kind": "forecast"`)
/// so JavaScript reads the variant instead of guessing it from the keys.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "lowercase")]
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
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
    /// Forecasting: every baseline of [`ganglion_models::BaselineKind`] the run could fit,
    /// scored on the same neurons and frames as the model, with the model's MSE ratio to
    /// each (persistence first, then the linear AR, then the VAR where there is one neuron
    /// set). Empty for other tasks and in reports from before it existed.
    #[serde(default)]
    pub baselines: Vec<BaselineScores>,
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

impl Report {
    /// The model's MSE ratio to `baseline`, when the report scored it.
    pub fn ratio_to(&self, baseline: ganglion_models::BaselineKind) -> Option<f64> {
        self.baselines.iter().find(|b| b.baseline == baseline).map(|b| b.ratio)
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
            baselines: Vec::new(),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// JavaScript reads which scores a report holds from `kind`, not from the keys.
    #[test]
    fn scores_carry_their_kind_and_read_back() {
        let signals = Scores::Signals { names: vec!["speed".into()], model: vec![0.5], mean: vec![0.0] };
        let scores = || ForecastScores { mse: 0.5, r2: 0.25, mse_per_neuron: vec![0.5], r2_per_neuron: vec![0.25] };
        let forecast = Scores::Forecast { model: scores(), persistence: scores() };
        for (scores, kind) in [(signals, "signals"), (forecast, "forecast")] {
            let json = serde_json::to_value(&scores).expect("serialises");
            assert_eq!(json["kind"], kind);
            let back: Scores = serde_json::from_value(json).expect("reads back");
            assert_eq!(std::mem::discriminant(&back), std::mem::discriminant(&scores));
        }
    }
}
