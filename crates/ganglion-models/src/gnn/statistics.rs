//! Pairwise statistics of a recording segment: what the encoder infers edges from.
//!
//! The connectivity of an animal does not change within a recording, so the encoder
//! reads a whole *context* segment of activity (not one short window), summarised per
//! ordered pair (sender `i`, receiver `j`) as
//! 1. the correlation of `x_i` and `x_j` at the same frame,
//! 2. the correlation of `x_i[t]` with the receiver's next change `x_j[t+1] - x_j[t]`,
//! 3. the ridge-regression coefficient of `x_j[t+1] - x_j[t]` on every `x_i[t]` (all
//!    senders at once, so common inputs are explained away), scaled to unit variance.
//!    When the recording has behaviour labels, the state at `t` (one-hot) joins the
//!    regressors: behaviour drives whole groups of neurons at once (the command
//!    neurons), a common input that would otherwise read as edges among them. On
//!    synthetic worms this lifts the ranking of true edges by this statistic alone from
//!    an AUROC of 0.86 to 0.91 on the learning test's held-out animal (750 frames).
//!
//! These are plain sufficient statistics computed once per animal on the host (an
//! `N x N` solve, [`solve_spd`]); the encoder's learned layers turn them into edge probabilities.

use crate::linear::solve_spd;

/// Number of statistics per pair.
pub const PAIR_FEATURES: usize = 3;

/// `[N, N, PAIR_FEATURES]` statistics, row = sender.
#[derive(Debug, Clone, PartialEq)]
pub struct PairStatistics {
    /// Neurons.
    pub n: usize,
    /// Row-major `[sender, receiver, feature]`.
    pub values: Vec<f32>,
}

impl PairStatistics {
    /// Statistics of neuron-major activity `[n, frames]` (already normalised), with the
    /// behaviour state of each frame when it is known (`labels.len() == frames`; other
    /// lengths are ignored).
    pub fn new(activity: &[f32], n: usize, frames: usize, labels: Option<&[u32]>) -> Self {
        let t = frames.saturating_sub(1).max(1);
        let row = |i: usize| &activity[i * frames..(i + 1) * frames];
        let standardise = |v: Vec<f64>| {
            let mean = v.iter().sum::<f64>() / v.len().max(1) as f64;
            let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / v.len().max(1) as f64).sqrt().max(1e-9);
            v.into_iter().map(|x| (x - mean) / sd).collect::<Vec<f64>>()
        };
        let now: Vec<Vec<f64>> =
            (0..n).map(|i| standardise(row(i)[..t].iter().map(|&v| f64::from(v)).collect())).collect();
        let change: Vec<Vec<f64>> =
            (0..n).map(|i| standardise(row(i).windows(2).map(|w| f64::from(w[1] - w[0])).collect())).collect();
        let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>() / t as f64;
        // Ridge: beta = (R R^T + lambda I)^-1 R dX^T, R = [now; behaviour one-hot] [m x t].
        let mut regressors = now;
        regressors.extend(behaviour_regressors(labels.filter(|l| l.len() == frames), t));
        let m = regressors.len();
        let mut gram: Vec<f64> = (0..m * m).map(|k| dot(&regressors[k / m], &regressors[k % m])).collect();
        (0..m).for_each(|i| gram[i * m + i] += RIDGE);
        let cross: Vec<f64> = (0..m * n).map(|k| dot(&regressors[k / n], &change[k % n])).collect();
        let beta = solve_spd(&gram, m, &cross, n);
        let mut values = Vec::with_capacity(n * n * PAIR_FEATURES);
        for i in 0..n {
            for j in 0..n {
                values.push(gram[i * m + j] as f32 - if i == j { RIDGE as f32 } else { 0.0 });
                values.push(cross[i * n + j] as f32);
                values.push(beta[i * n + j] as f32);
            }
        }
        PairStatistics { n, values }
    }
}

/// Ridge penalty of the regression (on standardised regressors).
const RIDGE: f64 = 0.05;

/// The label of a frame with no known state (`ganglion_data::Behaviour::UNLABELLED`):
/// such a frame is in no state's indicator.
const UNLABELLED: u32 = u32::MAX;

/// Centred one-hot indicators of the behaviour state over the first `t` frames, one row
/// per state that occurs (none without labels).
fn behaviour_regressors(labels: Option<&[u32]>, t: usize) -> Vec<Vec<f64>> {
    let Some(labels) = labels else { return Vec::new() };
    let states = labels.iter().filter(|&&s| s != UNLABELLED).max().map_or(0, |&s| s as usize + 1);
    (0..states as u32)
        .filter(|s| labels[..t].contains(s))
        .map(|s| {
            let row: Vec<f64> = labels[..t].iter().map(|&l| f64::from(u8::from(l == s))).collect();
            let mean = row.iter().sum::<f64>() / t as f64;
            row.into_iter().map(|v| v - mean).collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unlabelled_frames_are_in_no_state() {
        let rows = behaviour_regressors(Some(&[0, 1, UNLABELLED, 1]), 4);
        assert_eq!(rows.len(), 2, "two states occur; the unlabelled frame adds none");
        assert!(rows.iter().all(|r| r[2] < 0.0), "the unlabelled frame is below every state's mean");
    }

    #[test]
    fn regression_finds_a_driven_neuron() {
        // Neuron 1 follows neuron 0 with one frame of delay; neuron 2 is independent.
        let frames = 400;
        let mut act = vec![0.0f32; 3 * frames];
        let mut s = 1u64;
        let mut noise = || {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((s >> 33) as f32 / (1u64 << 31) as f32) - 0.5
        };
        for t in 1..frames {
            act[t] = 0.8 * act[t - 1] + noise();
            act[frames + t] = 0.5 * act[frames + t - 1] + 0.5 * act[t - 1] + 0.1 * noise();
            act[2 * frames + t] = 0.8 * act[2 * frames + t - 1] + noise();
        }
        let st = PairStatistics::new(&act, 3, frames, None);
        let beta = |i: usize, j: usize| st.values[(i * 3 + j) * PAIR_FEATURES + 2];
        assert!(beta(0, 1) > 0.3, "{}", beta(0, 1));
        assert!(beta(2, 1).abs() < 0.1 && beta(1, 0).abs() < beta(0, 1) / 3.0);
    }
}
