//! What each task minimises: forecasting's squared error, behaviour's cross-entropy,
//! and the signals' squared error on standardised signals, with the signal statistics
//! that standardise them.

use burn::prelude::*;
use burn::tensor::loss::cross_entropy_with_logits;
use ganglion_data::{DataError, Recording};

use crate::settings::Task;
use crate::window_models::Heads;
use crate::{BatchTensors, WindowSet};

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
pub(crate) fn signal_stats(train: &WindowSet<'_>) -> Vec<(f32, f32)> {
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
pub(crate) fn standardised(b: &BatchTensors, stats: &[(f32, f32)]) -> Option<Tensor<2>> {
    let signals = b.signals.clone()?;
    let device = signals.device();
    let k = stats.len();
    let mean = Tensor::<1>::from_floats(stats.iter().map(|s| s.0).collect::<Vec<_>>().as_slice(), &device);
    let sd = Tensor::<1>::from_floats(stats.iter().map(|s| s.1).collect::<Vec<_>>().as_slice(), &device);
    Some((signals - mean.reshape([1, k])) / sd.reshape([1, k]))
}

/// Mean squared error of the read-out against the standardised signals.
pub(crate) fn signal_loss(output: Tensor<2>, b: &BatchTensors, stats: &[(f32, f32)]) -> Tensor<1> {
    let target = standardised(b, stats).unwrap_or_else(|| output.clone().zeros_like());
    (output - target).powi_scalar(2).mean()
}

/// Mean cross-entropy of `logits` against the batch's labels.
pub(crate) fn cross_entropy(logits: Tensor<2>, b: &BatchTensors, classes: usize) -> Tensor<1> {
    let labels = b.labels.clone().unwrap_or_else(|| Tensor::zeros([logits.dims()[0]], &logits.device()));
    cross_entropy_logits(logits, labels, classes)
}

/// Mean cross-entropy of `logits` `[B, K]` against class indices `[B]`.
pub(crate) fn cross_entropy_logits(logits: Tensor<2>, labels: Tensor<1, Int>, classes: usize) -> Tensor<1> {
    cross_entropy_with_logits(logits, labels.one_hot(classes).float())
}

/// What a model gives a task's objective on one batch.
pub(crate) struct Outputs<F, R> {
    /// The model's own forecasting loss (the GNN adds its graph's KL term to the squared
    /// error).
    pub(crate) forecast_loss: F,
    /// The read-out: behaviour logits, standardised signals or the cue's logits.
    pub(crate) read_out: R,
}

/// `task`'s loss on batch `b`, from whichever of the model's `outputs` it needs: the one
/// match over the tasks' objectives, for the GNN and the window models alike.
pub(crate) fn task_loss(
    task: Task,
    classes: usize,
    stats: &[(f32, f32)],
    b: &BatchTensors,
    outputs: Outputs<impl FnOnce() -> Tensor<1>, impl FnOnce() -> Tensor<2>>,
) -> Tensor<1> {
    match task {
        Task::Forecast => (outputs.forecast_loss)(),
        Task::Signals => signal_loss((outputs.read_out)(), b, stats),
        Task::Behaviour | Task::LongMemory => cross_entropy((outputs.read_out)(), b, classes),
    }
}

/// A window model's loss on a batch for `task`, read through its `heads`.
pub(crate) fn window_loss<'a, M: 'a>(
    task: Task,
    heads: Heads<M>,
    classes: usize,
    stats: &'a [(f32, f32)],
) -> impl Fn(&M, &BatchTensors) -> Tensor<1> + 'a {
    move |m: &M, b: &BatchTensors| {
        let outputs = Outputs {
            forecast_loss: || ((heads.forecast)(m, b.inputs.clone()) - b.next.clone()).powi_scalar(2).mean(),
            read_out: || (heads.logits)(m, b.inputs.clone()),
        };
        task_loss(task, classes, stats, b, outputs)
    }
}
