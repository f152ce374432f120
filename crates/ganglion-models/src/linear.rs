//! Linear models fitted in closed form: the baselines a neuroscientist tries first.
//!
//! - [`LinearAr`]: a linear autoregressive model AR(H), one ridge regression from a
//!   neuron's last `H` frames to its next frame, its `H + 1` coefficients (intercept
//!   included) shared by every neuron of every training animal. On real whole-brain
//!   recordings this 11-parameter model (H = 10) beat every trained model we had, so
//!   every forecast stands beside it, and the GNN starts from it ([`crate::gnn`]'s
//!   highway).
//! - [`Var`]: a vector autoregression VAR(H) over a fixed neuron set (the named neurons
//!   every animal shares): each neuron's next frame from every neuron's last `H` frames.
//! - [`abs_partial_correlation`] and [`abs_var1_coefficients`]: edge rankings beside the
//!   absolute correlation, for judging an inferred graph.
//!
//! Everything accumulates the normal equations in `f64` ([`RidgeSums`]) and solves them
//! by Cholesky ([`solve_spd`]): no iterations, no learning rate, the same answer on
//! every device.

/// Ridge penalty of [`LinearAr`] (on z-scored traces, with thousands of samples: a light
/// touch that only keeps the solve well posed).
pub const AR_PENALTY: f64 = 1.0;

/// Ridge penalty of [`Var`]: with `N * H` regressors per neuron, a VAR overfits the
/// training animals without a strong one (100 was the best of 1, 10, 100, 1000 on real
/// recordings).
pub const VAR_PENALTY: f64 = 100.0;

/// Solves `A X = B` for symmetric positive definite `A` (`n x n`) and `B` (`n x cols`) by
/// Cholesky; columns of `B` are independent right-hand sides.
pub fn solve_spd(a: &[f64], n: usize, b: &[f64], cols: usize) -> Vec<f64> {
    let mut l = vec![0.0f64; n * n];
    for i in 0..n {
        for j in 0..=i {
            let s: f64 = (0..j).map(|k| l[i * n + k] * l[j * n + k]).sum();
            if i == j {
                l[i * n + i] = (a[i * n + i] - s).max(1e-12).sqrt();
            } else {
                l[i * n + j] = (a[i * n + j] - s) / l[j * n + j];
            }
        }
    }
    let mut x = b.to_vec();
    for c in 0..cols {
        for i in 0..n {
            let s: f64 = (0..i).map(|k| l[i * n + k] * x[k * cols + c]).sum();
            x[i * cols + c] = (x[i * cols + c] - s) / l[i * n + i];
        }
        for i in (0..n).rev() {
            let s: f64 = (i + 1..n).map(|k| l[k * n + i] * x[k * cols + c]).sum();
            x[i * cols + c] = (x[i * cols + c] - s) / l[i * n + i];
        }
    }
    x
}

/// The normal equations of a ridge regression with an intercept, summed sample by
/// sample: `X^T X` and `X^T Y` over `features + 1` columns (the last is the intercept).
#[derive(Debug, Clone)]
pub struct RidgeSums {
    features: usize,
    outputs: usize,
    gram: Vec<f64>,
    cross: Vec<f64>,
    samples: usize,
}

impl RidgeSums {
    /// Empty sums for `features` regressors and `outputs` targets.
    pub fn new(features: usize, outputs: usize) -> Self {
        let k = features + 1;
        RidgeSums { features, outputs, gram: vec![0.0; k * k], cross: vec![0.0; k * outputs], samples: 0 }
    }

    /// Adds one sample: `x` (`features` values) and its targets `y` (`outputs` values).
    /// A sample of other lengths is skipped.
    pub fn add(&mut self, x: &[f32], y: &[f32]) {
        if x.len() != self.features || y.len() != self.outputs {
            return;
        }
        let k = self.features + 1;
        let value = |i: usize| if i < self.features { f64::from(x[i]) } else { 1.0 };
        for i in 0..k {
            let xi = value(i);
            if xi == 0.0 {
                continue;
            }
            for j in i..k {
                self.gram[i * k + j] += xi * value(j);
            }
            for (o, &yo) in y.iter().enumerate() {
                self.cross[i * self.outputs + o] += xi * f64::from(yo);
            }
        }
        self.samples += 1;
    }

    /// Samples added.
    pub fn samples(&self) -> usize {
        self.samples
    }

    /// The coefficients, `[(features + 1) x outputs]` row-major, the intercept's row last;
    /// every coefficient but the intercept is penalised by `penalty`. With no sample,
    /// all zeros.
    pub fn solve(&self, penalty: f64) -> Vec<f64> {
        let k = self.features + 1;
        if self.samples == 0 {
            return vec![0.0; k * self.outputs];
        }
        let mut gram = self.gram.clone();
        for i in 0..k {
            for j in 0..i {
                gram[i * k + j] = gram[j * k + i];
            }
            gram[i * k + i] += if i < self.features { penalty } else { 1e-9 };
        }
        solve_spd(&gram, k, &self.cross, self.outputs)
    }
}

/// The pooled linear AR(H): `next = sum_k a_k x[t - H + 1 + k] + c`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LinearAr {
    /// One coefficient per history frame, oldest first.
    pub coefficients: Vec<f32>,
    /// The intercept.
    pub intercept: f32,
}

impl LinearAr {
    /// Fits on sums of `history`-frame samples with one target each, penalty
    /// [`AR_PENALTY`].
    pub fn fit(sums: &RidgeSums) -> Self {
        let beta = sums.solve(AR_PENALTY);
        let h = beta.len().saturating_sub(1);
        LinearAr { coefficients: beta[..h].iter().map(|&b| b as f32).collect(), intercept: beta[h] as f32 }
    }

    /// History frames it reads.
    pub fn history(&self) -> usize {
        self.coefficients.len()
    }

    /// The next frame after `history` (oldest first, [`LinearAr::history`] values).
    pub fn predict(&self, history: &[f32]) -> f32 {
        self.coefficients.iter().zip(history).map(|(a, x)| a * x).sum::<f32>() + self.intercept
    }
}

/// VAR(H) over `neurons` neurons: each neuron's next frame from every neuron's last `H`.
#[derive(Debug, Clone, PartialEq)]
pub struct Var {
    neurons: usize,
    history: usize,
    /// `[(neurons * history + 1) x neurons]`, the intercept's row last.
    beta: Vec<f64>,
}

impl Var {
    /// Empty sums for a window of `neurons x history` values (neuron-major) predicting
    /// `neurons` values.
    pub fn sums(neurons: usize, history: usize) -> RidgeSums {
        RidgeSums::new(neurons * history, neurons)
    }

    /// Fits on [`Var::sums`], penalty [`VAR_PENALTY`].
    pub fn fit(sums: &RidgeSums, neurons: usize, history: usize) -> Self {
        Var { neurons, history, beta: sums.solve(VAR_PENALTY) }
    }

    /// The next frame of every neuron after `window` (`neurons x history`, neuron-major).
    pub fn predict(&self, window: &[f32]) -> Vec<f32> {
        let (n, k) = (self.neurons, self.neurons * self.history);
        (0..n)
            .map(|o| {
                let dot: f64 =
                    window.iter().take(k).enumerate().map(|(i, &x)| f64::from(x) * self.beta[i * n + o]).sum();
                (dot + self.beta[k * n + o]) as f32
            })
            .collect()
    }
}

/// Pearson correlations of neuron-major activity `[n, frames]`, `[n * n]`.
fn correlations(activity: &[f32], n: usize, frames: usize) -> Vec<f64> {
    let centred: Vec<Vec<f64>> = (0..n)
        .map(|i| {
            let t = &activity[i * frames..(i + 1) * frames];
            let mean = t.iter().map(|&v| f64::from(v)).sum::<f64>() / frames.max(1) as f64;
            let c: Vec<f64> = t.iter().map(|&v| f64::from(v) - mean).collect();
            let norm = c.iter().map(|v| v * v).sum::<f64>().sqrt().max(1e-12);
            c.into_iter().map(|v| v / norm).collect()
        })
        .collect();
    (0..n * n).map(|p| centred[p / n].iter().zip(&centred[p % n]).map(|(a, b)| a * b).sum()).collect()
}

/// `|Pearson r|` of every pair of neuron-major activity `[n, frames]`, `[n * n]` (0 on
/// the diagonal): the edge ranking every inferred graph is set beside.
pub fn abs_correlation(activity: &[f32], n: usize, frames: usize) -> Vec<f32> {
    let c = correlations(activity, n, frames);
    (0..n * n).map(|p| if p / n == p % n { 0.0 } else { c[p].abs() as f32 }).collect()
}

/// `|partial correlation|` of every pair given all other neurons, `[n * n]` (0 on the
/// diagonal), from the inverse of the correlation matrix (lightly regularised, so it
/// exists with more neurons than frames).
pub fn abs_partial_correlation(activity: &[f32], n: usize, frames: usize) -> Vec<f32> {
    let mut c = correlations(activity, n, frames);
    (0..n).for_each(|i| c[i * n + i] += 0.05);
    let identity: Vec<f64> = (0..n * n).map(|p| f64::from(u8::from(p / n == p % n))).collect();
    let precision = solve_spd(&c, n, &identity, n);
    (0..n * n)
        .map(|p| {
            let (i, j) = (p / n, p % n);
            if i == j {
                return 0.0;
            }
            (precision[p] / (precision[i * n + i] * precision[j * n + j]).sqrt().max(1e-12)).abs() as f32
        })
        .collect()
}

/// `|VAR(1) coefficient|` of sender `i` in receiver `j`'s next frame, every neuron's
/// current frame regressing at once (ridge [`VAR_PENALTY`]), `[n * n]` row = sender, 0
/// on the diagonal.
pub fn abs_var1_coefficients(activity: &[f32], n: usize, frames: usize) -> Vec<f32> {
    let mut sums = RidgeSums::new(n, n);
    let (mut now, mut next) = (vec![0f32; n], vec![0f32; n]);
    for t in 0..frames.saturating_sub(1) {
        for i in 0..n {
            now[i] = activity[i * frames + t];
            next[i] = activity[i * frames + t + 1];
        }
        sums.add(&now, &next);
    }
    let beta = sums.solve(VAR_PENALTY);
    (0..n * n).map(|p| if p / n == p % n { 0.0 } else { beta[p].abs() as f32 }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noise(seed: &mut u64) -> f32 {
        *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((*seed >> 33) as f32 / (1u64 << 31) as f32) - 0.5
    }

    #[test]
    fn cholesky_solves_a_small_system() {
        let a = [4.0, 1.0, 1.0, 3.0];
        let b = [1.0, 0.0, 2.0, 1.0];
        let x = solve_spd(&a, 2, &b, 2);
        for c in 0..2 {
            for r in 0..2 {
                let ax: f64 = (0..2).map(|k| a[r * 2 + k] * x[k * 2 + c]).sum();
                assert!((ax - b[r * 2 + c]).abs() < 1e-12);
            }
        }
    }

    /// An AR(2) process with known coefficients and offset is recovered.
    #[test]
    fn linear_ar_recovers_a_known_process() {
        let mut seed = 3;
        let mut x = vec![0f32, 0.0];
        for _ in 0..20_000 {
            let t = x.len();
            x.push(0.6 * x[t - 1] + 0.3 * x[t - 2] + 0.2 + noise(&mut seed));
        }
        let mut sums = RidgeSums::new(2, 1);
        x.windows(3).skip(100).for_each(|w| sums.add(&w[..2], &w[2..]));
        let ar = LinearAr::fit(&sums);
        assert!((ar.coefficients[0] - 0.3).abs() < 0.03, "{ar:?}");
        assert!((ar.coefficients[1] - 0.6).abs() < 0.03, "{ar:?}");
        assert!((ar.intercept - 0.2).abs() < 0.05, "{ar:?}");
        assert!((ar.predict(&[1.0, 2.0]) - (0.3 + 1.2 + 0.2)).abs() < 0.1);
    }

    /// Neuron 1 follows neuron 0; neuron 2 is independent: the VAR(1) coefficient and the
    /// partial correlation rank the true pair first, and a VAR predicts the follower.
    #[test]
    fn var_and_partial_correlation_find_a_driven_neuron() {
        let frames = 3000;
        let mut seed = 11;
        let mut act = vec![0f32; 3 * frames];
        for t in 1..frames {
            act[t] = 0.8 * act[t - 1] + noise(&mut seed);
            act[frames + t] = 0.3 * act[frames + t - 1] + 0.9 * act[t - 1] + 0.1 * noise(&mut seed);
            act[2 * frames + t] = 0.8 * act[2 * frames + t - 1] + noise(&mut seed);
        }
        let var1 = abs_var1_coefficients(&act, 3, frames);
        assert!(var1[1] > 0.5 && var1[2 * 3 + 1] < 0.1 && var1[3] < 0.2, "{var1:?}");
        let partial = abs_partial_correlation(&act, 3, frames);
        assert!(partial[1] > 0.3 && partial[2] < 0.1 && partial[5] < 0.1, "{partial:?}");
        let mut sums = Var::sums(3, 1);
        for t in 0..frames - 1 {
            sums.add(
                &[act[t], act[frames + t], act[2 * frames + t]],
                &[act[t + 1], act[frames + t + 1], act[2 * frames + t + 1]],
            );
        }
        let var = Var::fit(&sums, 3, 1);
        // Neuron 0 up by 1 moves its follower (by 0.9, shrunk by the ridge on these
        // small-variance traces) and not the independent neuron.
        let next = var.predict(&[1.0, 0.0, 0.0]);
        assert!(next[1] > 0.5 && next[1] < 1.0 && next[2].abs() < 0.1, "{next:?}");
    }
}
