//! What a recording looks like, measured the way `../shared/notes/real-worm-statistics.md`
//! measures real whole-brain recordings (and `../shared/tools/recording_stats.py`
//! prints them): every neuron z-scored over all its frames, then
//! - lag-1 autocorrelation (mean over neurons),
//! - autocorrelation half-life: the first lag where a neuron's autocorrelation falls
//!   below 0.5, in seconds (median over neurons),
//! - the median and 90th percentile of `|Pearson r|` over all neuron pairs,
//! - the largest eigenvalue of the correlation matrix over their sum (low dimensionality),
//! - the persistence one-step MSE, `mean((x[t+1] - x[t])^2)`.
//!
//! The synthetic worms' realism test compares these with the real figures.

use crate::recording::Recording;

/// The statistics of one recording.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RecordingStatistics {
    /// Mean over neurons of the correlation of `x[t]` with `x[t+1]`.
    pub lag1_autocorrelation: f64,
    /// Median over neurons of the first lag (seconds) with autocorrelation below 0.5
    /// (neurons that never fall below it within half the recording are left out).
    pub half_life_s: f64,
    /// Median `|r|` over neuron pairs.
    pub median_abs_correlation: f64,
    /// 90th percentile of `|r|` over neuron pairs.
    pub p90_abs_correlation: f64,
    /// Largest eigenvalue of the correlation matrix over the sum of its eigenvalues.
    pub first_component_share: f64,
    /// `mean((x[t+1] - x[t])^2)` of the z-scored traces.
    pub persistence_mse: f64,
}

fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len()).max(1) as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut ab, mut aa, mut bb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        ab += (x - ma) * (y - mb);
        aa += (x - ma) * (x - ma);
        bb += (y - mb) * (y - mb);
    }
    ab / (aa * bb).sqrt().max(1e-300)
}

/// The median of `values` (NaN when empty); sorts them.
fn quantile(values: &mut [f64], q: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    // Linear interpolation between order statistics, as numpy's default.
    let at = q * (values.len() - 1) as f64;
    let (lo, hi) = (at.floor() as usize, at.ceil() as usize);
    values[lo] + (values[hi] - values[lo]) * (at - lo as f64)
}

/// The largest eigenvalue of the symmetric `n x n` matrix `m` (power iteration; a
/// correlation matrix is positive semi-definite, so it converges to the largest).
fn largest_eigenvalue(m: &[f64], n: usize) -> f64 {
    let mut v = vec![1.0 / (n.max(1) as f64).sqrt(); n];
    let mut lambda = 0.0;
    for _ in 0..500 {
        let w: Vec<f64> = (0..n).map(|i| (0..n).map(|j| m[i * n + j] * v[j]).sum()).collect();
        let norm = w.iter().map(|x| x * x).sum::<f64>().sqrt();
        if norm == 0.0 {
            return 0.0;
        }
        let next: Vec<f64> = w.into_iter().map(|x| x / norm).collect();
        let change = next.iter().zip(&v).map(|(a, b)| (a - b).abs()).sum::<f64>();
        v = next;
        lambda = norm;
        if change < 1e-12 {
            break;
        }
    }
    lambda
}

impl RecordingStatistics {
    /// Measures `recording`.
    pub fn of(recording: &Recording) -> Self {
        let rate = recording.sampling_rate_hz();
        let z: Vec<Vec<f64>> = (0..recording.n_neurons())
            .map(|i| {
                let t: Vec<f64> = recording.trace(i).iter().map(|&v| f64::from(v)).collect();
                let mean = t.iter().sum::<f64>() / t.len().max(1) as f64;
                let sd = (t.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / t.len().max(1) as f64).sqrt().max(1e-12);
                t.into_iter().map(|v| (v - mean) / sd).collect()
            })
            .collect();
        let n = z.len();
        let frames = recording.n_frames();
        let lag = |r: &[f64], k: usize| pearson(&r[..frames - k], &r[k..]);
        let lag1 = z.iter().map(|r| lag(r, 1)).sum::<f64>() / n.max(1) as f64;
        let mut half_lives: Vec<f64> =
            z.iter().filter_map(|r| (1..frames / 2).find(|&k| lag(r, k) < 0.5).map(|k| k as f64 / rate)).collect();
        let mut correlation = vec![0.0; n * n];
        for i in 0..n {
            correlation[i * n + i] = 1.0;
            for j in i + 1..n {
                let r = pearson(&z[i], &z[j]);
                correlation[i * n + j] = r;
                correlation[j * n + i] = r;
            }
        }
        let mut pairs: Vec<f64> =
            (0..n).flat_map(|i| (i + 1..n).map(move |j| (i, j))).map(|(i, j)| correlation[i * n + j].abs()).collect();
        let persistence = z.iter().flat_map(|r| r.windows(2).map(|w| (w[1] - w[0]).powi(2))).sum::<f64>()
            / (n * frames.saturating_sub(1)).max(1) as f64;
        RecordingStatistics {
            lag1_autocorrelation: lag1,
            half_life_s: quantile(&mut half_lives, 0.5),
            median_abs_correlation: quantile(&mut pairs.clone(), 0.5),
            p90_abs_correlation: quantile(&mut pairs, 0.9),
            // The trace of a correlation matrix is n: the eigenvalues sum to n.
            first_component_share: largest_eigenvalue(&correlation, n) / n.max(1) as f64,
            persistence_mse: persistence,
        }
    }

    /// The mean of each statistic over several recordings.
    pub fn mean(all: &[RecordingStatistics]) -> Self {
        let k = all.len().max(1) as f64;
        let avg = |f: fn(&RecordingStatistics) -> f64| all.iter().map(f).sum::<f64>() / k;
        RecordingStatistics {
            lag1_autocorrelation: avg(|s| s.lag1_autocorrelation),
            half_life_s: avg(|s| s.half_life_s),
            median_abs_correlation: avg(|s| s.median_abs_correlation),
            p90_abs_correlation: avg(|s| s.p90_abs_correlation),
            first_component_share: avg(|s| s.first_component_share),
            persistence_mse: avg(|s| s.persistence_mse),
        }
    }
}

/// The real whole-brain figures (`../shared/notes/real-worm-statistics.md`, the mean over
/// 7 NeuroPAL worms) in the order of [`RecordingStatistics::named`].
pub const REAL_WORMS: [(&str, f64); 6] = [
    ("lag-1 autocorrelation", 0.87),
    ("autocorrelation half-life (s)", 12.9),
    ("median |correlation|", 0.24),
    ("90th percentile |correlation|", 0.55),
    ("first component's share", 0.28),
    ("persistence one-step MSE", 0.26),
];

impl RecordingStatistics {
    /// Each statistic with the name [`REAL_WORMS`] gives it.
    pub fn named(&self) -> [(&'static str, f64); 6] {
        let v = [
            self.lag1_autocorrelation,
            self.half_life_s,
            self.median_abs_correlation,
            self.p90_abs_correlation,
            self.first_component_share,
            self.persistence_mse,
        ];
        std::array::from_fn(|k| (REAL_WORMS[k].0, v[k]))
    }
}
