//! Forecast error and explained variance.

use serde::{Deserialize, Serialize};

/// Mean squared error.
pub fn mse(predicted: &[f32], target: &[f32]) -> f64 {
    let n = predicted.len().min(target.len());
    if n == 0 {
        return f64::NAN;
    }
    predicted.iter().zip(target).map(|(p, t)| (f64::from(*p) - f64::from(*t)).powi(2)).sum::<f64>() / n as f64
}

/// Coefficient of determination: 1 - SSE / SST around the target's mean. 1 is perfect,
/// 0 is as good as predicting the mean, negative is worse.
pub fn r2(predicted: &[f32], target: &[f32]) -> f64 {
    let n = predicted.len().min(target.len());
    if n == 0 {
        return f64::NAN;
    }
    let mean = target[..n].iter().map(|&t| f64::from(t)).sum::<f64>() / n as f64;
    let sst: f64 = target[..n].iter().map(|&t| (f64::from(t) - mean).powi(2)).sum();
    let sse: f64 = predicted.iter().zip(target).map(|(p, t)| (f64::from(*p) - f64::from(*t)).powi(2)).sum();
    if sst == 0.0 { if sse == 0.0 { 1.0 } else { f64::NEG_INFINITY } } else { 1.0 - sse / sst }
}

/// Pooled and per-neuron forecast scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ForecastScores {
    /// MSE over every neuron and frame (`null` in JSON where there was nothing to score).
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub mse: f64,
    /// R^2 over every neuron and frame (`null` where the target does not vary).
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub r2: f64,
    /// MSE per neuron.
    #[cfg_attr(feature = "ts", ts(type = "Array<number | null>"))]
    pub mse_per_neuron: Vec<f64>,
    /// R^2 per neuron.
    #[cfg_attr(feature = "ts", ts(type = "Array<number | null>"))]
    pub r2_per_neuron: Vec<f64>,
}

impl ForecastScores {
    /// Scores for `[samples, neurons]` predictions and targets (row-major), counting only
    /// entries whose `mask` is 1 when a mask is given.
    pub fn new(predicted: &[f32], target: &[f32], n_neurons: usize, mask: Option<&[f32]>) -> Self {
        let keep = |i: usize| mask.is_none_or(|m| m[i] > 0.5);
        let mut pooled = (Vec::new(), Vec::new());
        let mut per = vec![(Vec::new(), Vec::new()); n_neurons];
        for i in 0..predicted.len().min(target.len()) {
            if keep(i) {
                pooled.0.push(predicted[i]);
                pooled.1.push(target[i]);
                per[i % n_neurons].0.push(predicted[i]);
                per[i % n_neurons].1.push(target[i]);
            }
        }
        ForecastScores {
            mse: mse(&pooled.0, &pooled.1),
            r2: r2(&pooled.0, &pooled.1),
            mse_per_neuron: per.iter().map(|(p, t)| mse(p, t)).collect(),
            r2_per_neuron: per.iter().map(|(p, t)| r2(p, t)).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_mean_and_worse_predictions() {
        let t = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(mse(&t, &t), 0.0);
        assert_eq!(r2(&t, &t), 1.0);
        assert!((r2(&[2.5; 4], &t)).abs() < 1e-12);
        assert!(r2(&[4.0, 3.0, 2.0, 1.0], &t) < 0.0);
        assert!((mse(&[0.0; 4], &t) - 7.5).abs() < 1e-12);
    }

    #[test]
    fn per_neuron_scores_follow_the_row_layout() {
        // 2 samples x 2 neurons: neuron 0 perfect, neuron 1 off by one.
        let s = ForecastScores::new(&[1.0, 1.0, 2.0, 3.0], &[1.0, 0.0, 2.0, 2.0], 2, None);
        assert_eq!(s.mse_per_neuron, vec![0.0, 1.0]);
        assert_eq!(s.mse, 0.5);
    }
}
