//! The linear baselines of a run ([`BaselineKind`]): fitted in closed form on the run's
//! training windows (normalised as the model sees them) and scored on its test windows,
//! on the same neurons and frames as the model, so every forecast stands beside what a
//! neuroscientist would try first.

use ganglion_data::DataError;
use ganglion_data::preprocess::Normalizer;
use ganglion_models::BaselineKind;
use ganglion_models::linear::{LinearAr, RidgeSums, Var};
use serde::{Deserialize, Serialize};

use crate::evaluate::Forecasts;
use crate::metrics::ForecastScores;
use crate::windows::WindowSet;

/// Windows per host batch while fitting or scoring.
const BATCH: usize = 256;

/// The most regressors a VAR is fitted with (neurons x history): its solve grows as the
/// cube of this, and more regressors than that overfit the few animals a lab records.
pub const VAR_MAX_REGRESSORS: usize = 800;

/// Calls `each(history, target)` for every present neuron of every window of `set`:
/// the normalised history and its next frame.
fn for_each_neuron(
    set: &WindowSet<'_>,
    normalizer: &Normalizer,
    mut each: impl FnMut(&[f32], f32),
) -> Result<(), DataError> {
    for indices in set.in_order(BATCH) {
        let batch = set.batch(&indices, normalizer)?;
        let (h, f) = (batch.history, batch.horizon.max(1));
        for (at, present) in batch.mask.iter().enumerate() {
            if *present != 0.0 && batch.horizon > 0 {
                each(&batch.inputs[at * h..(at + 1) * h], batch.targets[at * f]);
            }
        }
    }
    Ok(())
}

/// The pooled linear AR over every present neuron of every training window.
pub fn fit_linear_ar(train: &WindowSet<'_>, normalizer: &Normalizer) -> Result<LinearAr, DataError> {
    let mut sums = RidgeSums::new(train.spec().history, 1);
    for_each_neuron(train, normalizer, |x, y| sums.add(x, &[y]))?;
    Ok(LinearAr::fit(&sums))
}

/// A VAR over the training windows' one neuron set (aligned windows), or `None` where
/// the windows have none or it would need more than [`VAR_MAX_REGRESSORS`] regressors.
/// Windows with a missing neuron are left out (a VAR reads every neuron).
pub fn fit_var(train: &WindowSet<'_>, normalizer: &Normalizer) -> Result<Option<Var>, DataError> {
    let Some(n) = train.aligned_neurons() else { return Ok(None) };
    let h = train.spec().history;
    if n == 0 || n * h > VAR_MAX_REGRESSORS {
        return Ok(None);
    }
    let mut sums = Var::sums(n, h);
    let mut next = vec![0f32; n];
    for indices in train.in_order(BATCH) {
        let batch = train.batch(&indices, normalizer)?;
        let f = batch.horizon.max(1);
        for b in 0..batch.size {
            if batch.horizon == 0 || batch.mask[b * n..(b + 1) * n].contains(&0.0) {
                continue;
            }
            (0..n).for_each(|k| next[k] = batch.targets[(b * n + k) * f]);
            sums.add(&batch.inputs[b * n * h..(b + 1) * n * h], &next);
        }
    }
    Ok((sums.samples() > 0).then(|| Var::fit(&sums, n, h)))
}

/// The linear AR's next-frame forecasts over every window of `set`.
pub fn linear_ar_forecasts(
    ar: &LinearAr,
    set: &WindowSet<'_>,
    normalizer: &Normalizer,
) -> Result<Forecasts, DataError> {
    forecasts_by_window(set, normalizer, |window, n, h, out| {
        out.extend((0..n).map(|k| ar.predict(&window[k * h..(k + 1) * h])));
    })
}

/// The VAR's next-frame forecasts over every window of `set` (its neuron set).
pub fn var_forecasts(var: &Var, set: &WindowSet<'_>, normalizer: &Normalizer) -> Result<Forecasts, DataError> {
    forecasts_by_window(set, normalizer, |window, _, _, out| out.extend(var.predict(window)))
}

fn forecasts_by_window(
    set: &WindowSet<'_>,
    normalizer: &Normalizer,
    predict: impl Fn(&[f32], usize, usize, &mut Vec<f32>),
) -> Result<Forecasts, DataError> {
    let mut out = Forecasts { predicted: Vec::new(), truth: Vec::new(), mask: Vec::new(), n_neurons: 0 };
    for indices in set.in_order(BATCH) {
        let batch = set.batch(&indices, normalizer)?;
        let (n, h, f) = (batch.n_neurons, batch.history, batch.horizon.max(1));
        if out.n_neurons != 0 && out.n_neurons != n {
            return Err(DataError::bad_request("forecast evaluation needs one neuron set"));
        }
        out.n_neurons = n;
        for b in 0..batch.size {
            predict(&batch.inputs[b * n * h..(b + 1) * n * h], n, h, &mut out.predicted);
        }
        out.truth.extend(batch.targets.chunks_exact(f).map(|t| t[0]));
        out.mask.extend(batch.mask);
    }
    Ok(out)
}

/// One baseline's forecast scores beside the model's, on the same neurons and frames.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BaselineScores {
    /// Which baseline.
    pub baseline: BaselineKind,
    /// Its one-step scores.
    pub scores: ForecastScores,
    /// The model's one-step MSE divided by this baseline's: below 1, the model is better.
    pub ratio: f64,
}

impl BaselineScores {
    /// `baseline`'s `scores` beside the model's.
    pub fn beside(baseline: BaselineKind, scores: ForecastScores, model: &ForecastScores) -> Self {
        BaselineScores { baseline, ratio: model.mse / scores.mse, scores }
    }
}
