//! Scoring trained models on held-out windows: forecasts, behaviour and edges.
//!
//! Predictions are gathered batch by batch on the device and read back once per batch,
//! asynchronously (see [`crate::readback`]).

use burn::prelude::*;
use ganglion_data::DataError;
use ganglion_data::preprocess::Normalizer;
use ganglion_models::RelationalGnn;
use serde::{Deserialize, Serialize};

use crate::metrics::{ConfusionMatrix, ForecastScores, accuracy, auroc, average_precision};
use crate::readback::{floats, ints};
use crate::tensors::BatchTensors;
use crate::windows::WindowSet;

/// Next-frame predictions beside the truth, `[windows, neurons]` row-major.
#[derive(Debug, Clone)]
pub struct Forecasts {
    /// Predicted next frames.
    pub predicted: Vec<f32>,
    /// True next frames.
    pub truth: Vec<f32>,
    /// 1 where the neuron is present.
    pub mask: Vec<f32>,
    /// Neurons per row.
    pub n_neurons: usize,
}

impl Forecasts {
    /// Scores of these forecasts.
    pub fn scores(&self) -> ForecastScores {
        ForecastScores::new(&self.predicted, &self.truth, self.n_neurons, Some(&self.mask))
    }
}

/// Runs `predict` (`BatchTensors` -> `[B, N]`) over every window of `set`, which must
/// have one neuron count (one recording, or aligned).
pub async fn forecasts(
    set: &WindowSet<'_>,
    normalizer: &Normalizer,
    device: &Device,
    predict: impl Fn(&BatchTensors) -> Tensor<2>,
) -> Result<Forecasts, DataError> {
    rollout(set, normalizer, device, 1, predict).await
}

/// Forecasts `steps` frames ahead by feeding each one-step prediction back in as the
/// newest history frame, and scores the last of them against the true frame `steps`
/// after the history. `set` must have a horizon of at least `steps` frames.
pub async fn rollout(
    set: &WindowSet<'_>,
    normalizer: &Normalizer,
    device: &Device,
    steps: usize,
    predict: impl Fn(&BatchTensors) -> Tensor<2>,
) -> Result<Forecasts, DataError> {
    if steps == 0 || set.spec().horizon < steps {
        return Err(DataError::bad_request(format!(
            "a {steps}-step forecast needs windows with {steps} target frames"
        )));
    }
    let mut out = Forecasts { predicted: Vec::new(), truth: Vec::new(), mask: Vec::new(), n_neurons: 0 };
    for indices in set.in_order(64) {
        let (batch, tensors) = set.batch_with_tensors(&indices, normalizer, device)?;
        if out.n_neurons != 0 && out.n_neurons != batch.n_neurons {
            return Err(DataError::bad_request("forecast evaluation needs one neuron set"));
        }
        out.n_neurons = batch.n_neurons;
        let [b, n, h] = tensors.inputs.dims();
        let mut current = tensors.clone();
        let mut last = predict(&current);
        for _ in 1..steps {
            let shifted = current.inputs.clone().slice([0..b, 0..n, 1..h]);
            current.inputs = Tensor::cat(vec![shifted, last.clone().unsqueeze_dim::<3>(2)], 2);
            last = predict(&current);
        }
        out.predicted.extend(floats(last).await?);
        out.truth.extend(batch.targets.chunks_exact(batch.horizon).map(|t| t[steps - 1]));
        out.mask.extend(batch.mask);
    }
    Ok(out)
}

/// The persistence floor: the next frame equals the last one.
pub fn persistence(batch: &BatchTensors) -> Tensor<2> {
    ganglion_models::baselines::last_frame(&batch.inputs)
}

/// Behaviour decoding scores.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ClassificationScores {
    /// Fraction correct.
    pub accuracy: f64,
    /// Mean F1 over classes.
    pub macro_f1: f64,
    /// `counts[truth][predicted]`.
    pub confusion: ConfusionMatrix,
}

/// Runs `logits` (`BatchTensors` -> `[B, K]`) over every window and scores the argmax.
pub async fn classify(
    set: &WindowSet<'_>,
    normalizer: &Normalizer,
    device: &Device,
    classes: usize,
    logits: impl Fn(&BatchTensors) -> Tensor<2>,
) -> Result<ClassificationScores, DataError> {
    let (mut predicted, mut truth) = (Vec::new(), Vec::new());
    for indices in set.in_order(64) {
        let (batch, tensors) = set.batch_with_tensors(&indices, normalizer, device)?;
        let labels = batch.labels.ok_or_else(|| DataError::bad_request("windows without behaviour labels"))?;
        predicted.extend(ints(logits(&tensors).argmax(1)).await?.into_iter().map(|v| v as u32));
        truth.extend(labels);
    }
    Ok(scores_of(&predicted, &truth, classes))
}

pub(crate) fn scores_of(predicted: &[u32], truth: &[u32], classes: usize) -> ClassificationScores {
    let confusion = ConfusionMatrix::new(predicted, truth, classes);
    ClassificationScores { accuracy: accuracy(predicted, truth), macro_f1: confusion.macro_f1(), confusion }
}

/// The majority-class floor: the most frequent training label predicted everywhere.
pub fn majority(train: &WindowSet<'_>, test: &WindowSet<'_>, classes: usize) -> ClassificationScores {
    majority_scores(majority_label(train, classes), test, classes)
}

/// The most frequent label of `set`'s windows.
pub fn majority_label(set: &WindowSet<'_>, classes: usize) -> u32 {
    let classes = classes.max(1);
    let mut counts = vec![0usize; classes];
    (0..set.len()).filter_map(|i| set.window(i).label()).for_each(|l| counts[(l as usize).min(classes - 1)] += 1);
    counts.iter().enumerate().max_by_key(|(_, c)| **c).map_or(0, |(k, _)| k as u32)
}

/// Scores of always answering `label` on `test`.
pub fn majority_scores(label: u32, test: &WindowSet<'_>, classes: usize) -> ClassificationScores {
    let truth: Vec<u32> = (0..test.len()).filter_map(|i| test.window(i).label()).collect();
    scores_of(&vec![label; truth.len()], &truth, classes)
}

/// Edge recovery of one recording against its known graph.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EdgeScores {
    /// AUROC of the inferred edge probability against "connected" (off-diagonal pairs).
    pub auroc: f64,
    /// Average precision of the same ranking.
    pub average_precision: f64,
}

/// Scores the GNN's inferred graph for one animal (`[1, N, N]` probabilities from
/// [`RelationalGnn::edge_probability`]) against `truth` (`[N * N]` weights, row =
/// source; nonzero = edge), over off-diagonal pairs.
pub async fn edge_recovery(
    model: &RelationalGnn,
    inferred: &ganglion_models::gnn::Inferred,
    truth: &[f32],
) -> Result<EdgeScores, DataError> {
    score_edges(&edge_probability(model, inferred).await?, truth)
}

/// The inferred probability of an edge for every ordered pair, `[N * N]`, row = sender.
pub async fn edge_probability(
    model: &RelationalGnn,
    inferred: &ganglion_models::gnn::Inferred,
) -> Result<Vec<f32>, DataError> {
    floats(model.edge_probability(inferred)).await
}

/// Scores any `[N * N]` edge ranking (row = sender) against known weights.
pub fn score_edges(probability: &[f32], truth: &[f32]) -> Result<EdgeScores, DataError> {
    let n = (probability.len() as f64).sqrt() as usize;
    if n * n != truth.len() || n * n != probability.len() {
        return Err(DataError::shape(format!("{n} x {n} weights"), format!("{} values", truth.len())));
    }
    let (mut scores, mut positive) = (Vec::new(), Vec::new());
    for k in (0..n * n).filter(|k| k / n != k % n) {
        scores.push(probability[k]);
        positive.push(truth[k] != 0.0);
    }
    Ok(EdgeScores { auroc: auroc(&scores, &positive), average_precision: average_precision(&scores, &positive) })
}

/// Pair statistics of each recording over its `frames`, normalised with `normalizer`
/// (with the behaviour labels of those frames where the recording has them): the
/// context the GNN's encoder infers each animal's graph from.
pub fn graph_contexts<'a>(
    recordings: impl IntoIterator<Item = (&'a ganglion_data::Recording, std::ops::Range<usize>)>,
    normalizer: &Normalizer,
) -> Vec<ganglion_models::gnn::PairStatistics> {
    recordings
        .into_iter()
        .map(|(rec, frames)| {
            let stats = normalizer.stats_for(rec);
            let t = frames.len();
            let mut activity = Vec::with_capacity(rec.n_neurons() * t);
            for (i, (mean, std)) in stats.iter().enumerate() {
                activity.extend(rec.trace(i)[frames.clone()].iter().map(|v| (v - mean) / std));
            }
            let labels = rec.behaviour().map(|b| &b.labels[frames.clone()]);
            ganglion_models::gnn::PairStatistics::new(&activity, rec.n_neurons(), t, labels)
        })
        .collect()
}

/// The statistics as a `[1, N, N, F]` tensor with an all-present `[1, N]` mask.
pub fn context_tensors(stats: &ganglion_models::gnn::PairStatistics, device: &Device) -> (Tensor<4>, Tensor<2>) {
    let n = stats.n;
    let f = ganglion_models::gnn::PAIR_FEATURES;
    (Tensor::from_data(TensorData::new(stats.values.clone(), [1, n, n, f]), device), Tensor::ones([1, n], device))
}
