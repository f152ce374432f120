//! Dynamics of realistic synthetic worms ([`Dynamics::Realistic`](super::Dynamics)):
//! slow, low-dimensional and correlated, as real whole-brain recordings are
//! (`../shared/notes/real-worm-statistics.md`; the test `realistic_worms_match_real_statistics`
//! checks every figure there within 25%).
//!
//! Each neuron's trace is `y + fast + white`:
//! - `y` follows its drive with the neuron's own time constant (1.2-4.8 s: calcium
//!   indicator and integration), so neurons answer a behavioural switch with different
//!   lags; the drive is the sum of
//!   - the behavioural state (forward / reverse / turn), loaded most on the neuron's
//!     class (AVB, RIB, VB, DB forward; AVA, AVE, AVD, RIM, VA, DA reverse; SMD, RIV, RMD
//!     turn; other neurons drawn into a class or none);
//!   - three slow shared factors (36 s) that every neuron loads on: the global,
//!     low-dimensional part of a worm's activity;
//!   - a slow private drift (30 s);
//!   - its synaptic input along the wiring diagram, `sum_i w_ij tanh(y_i)`.
//! - `fast` is a fast fluctuation (1.2 s) whose every new kick also passes along the
//!   wiring diagram to the next frame of each synaptic partner (`sum_i v_ij tanh(2
//!   kick_i) / 2`, `v` the weights squared with their sign, each receiver's summing to 1
//!   in absolute value, so kicks travel mostly along the strongest synapses): what a neuron
//!   does next depends on its partners' present, which its own past does not tell;
//!   `white` is measurement noise.
//!
//! The behaviour is semi-Markov: forward runs of 9.6 s on average, reversals lasting
//! 2.4 s median (log-normal), then a turn (half the time, 1.8 s) or forward again; a
//! reversal starts sooner when the reversal neurons are active, so behaviour is read
//! from the neurons and drives them.

use rand::Rng;
use rand_distr::{Distribution, LogNormal, Normal};

use super::WormFamily;

/// Seconds of each time scale.
const SLOW_FACTOR_S: f64 = 36.0;
const PRIVATE_DRIFT_S: f64 = 30.0;
const FAST_S: f64 = 1.17;
const NEURON_TAU_S: (f64, f64) = (1.2, 4.8);
const FORWARD_MEAN_S: f64 = 9.6;
const REVERSAL_MEDIAN_S: f64 = 2.4;
const TURN_MEAN_S: f64 = 1.8;

/// Amplitudes (in units of the drive).
const STATE_WEIGHT: f64 = 1.2;
const FACTOR_WEIGHT: f64 = 1.5;
const PRIVATE_WEIGHT: f64 = 0.75;
const FAST_WEIGHT: f64 = 0.6;
const WHITE_WEIGHT: f64 = 0.1;
/// How strongly a neuron's fast fluctuation passes to its synaptic partners in the next
/// frame (along the wiring diagram's weights, each receiver's inputs summing to 1 in
/// absolute value): the part of a neuron's next frame that only its partners' present
/// activity tells.
const FAST_COUPLING: f64 = 4.0;
/// The share of a neuron's own kick in its fast fluctuation (the rest comes from its
/// partners' kicks).
const OWN_KICK: f64 = 1.0;
/// Slow shared factors.
const FACTORS: usize = 3;
/// Share of other neurons drawn into the forward, reverse and turn classes.
const CLASS_SHARE: [f64; 3] = [0.25, 0.25, 0.1];

/// Neuron name prefixes of each behavioural class.
const CLASS_PREFIXES: [&[&str]; 3] =
    [&["AVB", "RIB", "VB", "DB"], &["AVA", "AVE", "AVD", "RIM", "VA", "DA"], &["SMD", "RIV", "RMD"]];

/// What every animal of a family shares about each neuron.
#[derive(Debug, Clone)]
pub(super) struct NeuronRoles {
    /// `[n, 3]` loading on each behavioural state.
    state: Vec<f64>,
    /// `[n, FACTORS]` loading on each slow factor.
    factor: Vec<f64>,
    /// Time constant in frames.
    tau: Vec<f64>,
    /// The behavioural class whose activity moves the state (reversal neurons).
    class: Vec<Option<usize>>,
}

/// Whether the neuron is one of the known behavioural neurons (always observed and named).
pub(super) fn is_behavioural(name: &str) -> bool {
    named_class(name).is_some()
}

/// The class of a neuron by its name, if it is one of the known behavioural neurons.
fn named_class(name: &str) -> Option<usize> {
    CLASS_PREFIXES.iter().position(|prefixes| {
        prefixes.iter().any(|p| {
            name.strip_prefix(p).is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit() || "LRDV".contains(c)))
        })
    })
}

/// Draws every neuron's roles (the family's, so animals share them).
pub(super) fn roles(names: &[String], rate: f64, rng: &mut impl Rng) -> NeuronRoles {
    let n = names.len();
    let normal = Normal::new(0.0, 1.0).unwrap_or_else(|_| unreachable!("unit normal"));
    let mut roles = NeuronRoles {
        state: vec![0.0; n * 3],
        factor: vec![0.0; n * FACTORS],
        tau: vec![1.0; n],
        class: vec![None; n],
    };
    for (i, name) in names.iter().enumerate() {
        let class = named_class(name).or_else(|| {
            let u: f64 = rng.random();
            let mut edge = 0.0;
            CLASS_SHARE.iter().position(|s| {
                edge += s;
                u < edge
            })
        });
        roles.class[i] = class;
        for s in 0..3 {
            roles.state[i * 3 + s] = 0.2 * normal.sample(rng);
        }
        if let Some(c) = class {
            roles.state[i * 3 + c] += STATE_WEIGHT * rng.random_range(0.5..1.5);
        }
        let scale = FACTOR_WEIGHT * rng.random_range(0.3..1.0);
        for k in 0..FACTORS {
            roles.factor[i * FACTORS + k] = scale * normal.sample(rng);
        }
        roles.tau[i] = rng.random_range(NEURON_TAU_S.0..NEURON_TAU_S.1) * rate;
    }
    roles
}

/// A first-order autoregressive coefficient for a time scale of `seconds`.
fn decay(seconds: f64, rate: f64) -> f64 {
    (-1.0 / (seconds * rate)).exp()
}

/// The next behavioural state and how many frames it lasts.
fn next_state(state: u32, rate: f64, rng: &mut impl Rng) -> (u32, usize) {
    let geometric = |mean_s: f64, rng: &mut dyn rand::RngCore| {
        let p = (1.0 / (mean_s * rate)).clamp(1e-6, 1.0);
        let u: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
        1 + (u.ln() / (1.0 - p).ln()).floor().max(0.0) as usize
    };
    match state {
        0 => {
            let median = (REVERSAL_MEDIAN_S * rate).ln();
            let frames = LogNormal::new(median, 0.6).map_or(1.0, |d| d.sample(rng));
            (1, (frames.round() as usize).max(1))
        }
        1 if rng.random_bool(0.5) => (2, geometric(TURN_MEAN_S, rng)),
        _ => (0, usize::MAX),
    }
}

/// Neuron-major activity (`n x n_frames`) and one label per frame; `noise` scales the
/// fast and white noise of this animal.
pub(super) fn simulate(
    family: &WormFamily,
    roles: &NeuronRoles,
    rate: f64,
    n_frames: usize,
    noise: f64,
    rng: &mut impl Rng,
) -> (Vec<f32>, Vec<u32>) {
    let n = family.names.len();
    let normal = Normal::new(0.0, 1.0).unwrap_or_else(|_| unreachable!("unit normal"));
    let burn_in = (3.0 * SLOW_FACTOR_S * rate) as usize;
    let (slow, private, fast) = (decay(SLOW_FACTOR_S, rate), decay(PRIVATE_DRIFT_S, rate), decay(FAST_S, rate));
    let innovation = |a: f64| (1.0 - a * a).sqrt();
    let mut factors = [0.0f64; FACTORS];
    let mut drift = vec![0.0f64; n];
    let mut quick = vec![0.0f64; n];
    let mut passed = vec![0.0f64; n];
    let mut kick = vec![0.0f64; n];
    // Fast kicks pass mostly along each receiver's strongest synapses: weights squared
    // (sign kept), each receiver's summing to 1.
    let squared: Vec<f64> = family.weights.iter().map(|&w| f64::from(w) * f64::from(w.abs())).collect();
    let in_strength: Vec<f64> =
        (0..n).map(|j| (0..n).map(|i| squared[i * n + j].abs()).sum::<f64>().max(1e-12)).collect();
    let mut y = vec![0.0f64; n];
    let mut synaptic = vec![0.0f64; n];
    let (mut state, mut left) = (0u32, usize::MAX);
    let mut activity = vec![0.0f32; n * n_frames];
    let mut labels = Vec::with_capacity(n_frames);
    for t in 0..burn_in + n_frames {
        if left == 0 {
            (state, left) = next_state(state, rate, rng);
        } else if state == 0 {
            // Active reversal neurons end a forward run sooner (0.5x to 1.5x the base
            // hazard; in a forward run the reversal class sits about STATE_WEIGHT below).
            let (rev, fwd) = class_means(roles, &y);
            let push = 0.5 + 1.0 / (1.0 + (-2.0 * (rev - fwd + STATE_WEIGHT)).exp());
            if rng.random_bool((push / (FORWARD_MEAN_S * rate)).clamp(0.0, 1.0)) {
                (state, left) = next_state(state, rate, rng);
            }
        }
        left = left.saturating_sub(1);
        factors.iter_mut().for_each(|f| *f = slow * *f + innovation(slow) * normal.sample(rng));
        synaptic.iter_mut().for_each(|s| *s = 0.0);
        passed.iter_mut().for_each(|s| *s = 0.0);
        for (i, (row, fast_row)) in family.weights.chunks_exact(n).zip(squared.chunks_exact(n)).enumerate() {
            let (out, fast_out) = (y[i].tanh(), (2.0 * kick[i]).tanh() / 2.0);
            for (((s, p), (w, f)), strength) in
                synaptic.iter_mut().zip(passed.iter_mut()).zip(row.iter().zip(fast_row)).zip(&in_strength)
            {
                *s += f64::from(*w) * out;
                *p += f / strength * fast_out;
            }
        }
        for i in 0..n {
            drift[i] = private * drift[i] + innovation(private) * normal.sample(rng);
            kick[i] = normal.sample(rng);
            quick[i] = fast * quick[i] + OWN_KICK * innovation(fast) * kick[i] + FAST_COUPLING * passed[i];
            let loading = &roles.factor[i * FACTORS..(i + 1) * FACTORS];
            let drive = roles.state[i * 3 + state as usize]
                + loading.iter().zip(&factors).map(|(l, f)| l * f).sum::<f64>()
                + PRIVATE_WEIGHT * drift[i]
                + synaptic[i];
            y[i] += (drive - y[i]) / roles.tau[i];
        }
        if t >= burn_in {
            let frame = t - burn_in;
            for i in 0..n {
                let white = WHITE_WEIGHT * normal.sample(rng);
                activity[i * n_frames + frame] = (y[i] + noise * (FAST_WEIGHT * quick[i] + white)) as f32;
            }
            labels.push(state);
        }
    }
    (activity, labels)
}

/// Mean `y` of the reversal and of the forward class.
fn class_means(roles: &NeuronRoles, y: &[f64]) -> (f64, f64) {
    let mean = |c: usize| {
        let (sum, k) =
            roles.class.iter().zip(y).filter(|(k, _)| **k == Some(c)).fold((0.0, 0), |(s, k), (_, v)| (s + v, k + 1));
        if k == 0 { 0.0 } else { sum / f64::from(k) }
    };
    (mean(1), mean(0))
}
