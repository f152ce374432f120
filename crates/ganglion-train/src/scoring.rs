//! Scoring a trained model on held-out windows, the way every task reports it: the
//! model beside its floor (persistence, the majority class, the training mean), the
//! forecast rolled several frames ahead, the GNN's inferred graph and its edge
//! recovery, and the preview of a few neurons' forecasts.

use burn::prelude::*;
use ganglion_data::{DataError, Recording};
use ganglion_models::RelationalGnn;
use ganglion_models::gnn::PairStatistics;

use ganglion_models::BaselineKind;
use ganglion_models::linear::Var;

use crate::evaluate::{
    Forecasts, classify, context_tensors, edge_probability, forecasts, majority_scores, persistence, rollout,
    score_edges,
};
use crate::linear_baselines::{BaselineScores, linear_ar_forecasts, var_forecasts};
use crate::metrics::ForecastScores;
use crate::objectives::standardised;
use crate::report::{ForecastPreview, InferredGraph, MULTI_STEP, MultiStep, Report, Scores};
use crate::settings::Task;
use crate::setup::Setup;
use crate::window_models::Heads;
use crate::{BatchTensors, WindowSet};

/// The windows a model is scored with, and the settings it was trained with (task,
/// normaliser, classes, majority label).
pub(crate) struct Held<'a> {
    pub(crate) setup: &'a Setup,
    pub(crate) validation: Option<&'a WindowSet<'a>>,
    pub(crate) test: &'a WindowSet<'a>,
    pub(crate) device: &'a Device,
    /// The VAR fitted on the training windows, where they have one neuron set.
    pub(crate) var: Option<&'a Var>,
}

/// Every baseline the run has, scored on the test windows beside the model's scores.
fn forecast_baselines(
    held: &Held<'_>,
    model: &ForecastScores,
    persistence: ForecastScores,
) -> Result<Vec<BaselineScores>, DataError> {
    let normalizer = &held.setup.normalizer;
    let mut out = vec![BaselineScores::beside(BaselineKind::Persistence, persistence, model)];
    if let Some(ar) = &held.setup.linear_ar {
        let scores = linear_ar_forecasts(ar, held.test, normalizer)?.scores();
        out.push(BaselineScores::beside(BaselineKind::LinearAr, scores, model));
    }
    if let Some(var) = held.var {
        let scores = var_forecasts(var, held.test, normalizer)?.scores();
        out.push(BaselineScores::beside(BaselineKind::Var, scores, model));
    }
    Ok(out)
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
            let (scores, floor) = (model.scores(), floor.scores());
            report.baselines = forecast_baselines(held, &scores, floor.clone())?;
            report.scores = Scores::Forecast { model: scores, persistence: floor };
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
