//! The rate dynamics and behaviour switching of synthetic worms.

use rand::Rng;
use rand_distr::{Distribution, Normal};

use super::WormFamily;

const LEAK: f32 = 0.3;
const DRIVE: f32 = 1.2;
const BURN_IN: usize = 50;
/// Mean dwell time in frames per state (forward runs are long, turns short).
const DWELL: [f64; 3] = [40.0, 15.0, 12.0];
/// Allowed transitions: forward -> reverse, reverse -> turn or forward, turn -> forward.
const NEXT: [&[u32]; 3] = [&[1], &[2, 0], &[0]];

/// Returns neuron-major activity (`n x n_frames`) and one label per frame.
pub(super) fn simulate(family: &WormFamily, n_frames: usize, noise: f32, rng: &mut impl Rng) -> (Vec<f32>, Vec<u32>) {
    let n = family.names.len();
    let normal = Normal::new(0.0f32, noise.max(1e-6)).unwrap_or_else(|_| unreachable!("positive std"));
    let mut x: Vec<f32> = (0..n).map(|_| rng.random_range(-0.1f32..0.1)).collect();
    let mut state = 0u32;
    let mut activity = vec![0.0f32; n * n_frames];
    let mut labels = Vec::with_capacity(n_frames);
    let mut input = vec![0.0f32; n];
    for t in 0..BURN_IN + n_frames {
        input.iter_mut().zip(&family.bias).for_each(|(v, b)| *v = *b);
        for (&xi, row) in x.iter().zip(family.weights.chunks_exact(n)) {
            input.iter_mut().zip(row).for_each(|(v, w)| *v += w * xi);
        }
        for (i, cmd) in family.commands.iter().enumerate() {
            if let Some(s) = cmd {
                input[i] += if *s == state as usize { DRIVE } else { -0.5 * DRIVE };
            }
        }
        for (xi, v) in x.iter_mut().zip(&input) {
            *xi += LEAK * (-*xi + v.tanh()) + normal.sample(rng);
        }
        state = next_state(state, family, &x, rng);
        if t >= BURN_IN {
            let frame = t - BURN_IN;
            for i in 0..n {
                activity[i * n_frames + frame] = x[i];
            }
            labels.push(state);
        }
    }
    (activity, labels)
}

/// Leaves the current state with a hazard of 1/dwell, scaled between 0.5x and 2x by how
/// much more active the next states' command neurons are than the current state's.
fn next_state(state: u32, family: &WormFamily, x: &[f32], rng: &mut impl Rng) -> u32 {
    let mean_command = |s: u32| {
        let (sum, count) = family
            .commands
            .iter()
            .zip(x)
            .filter(|(c, _)| **c == Some(s as usize))
            .fold((0.0f32, 0usize), |(a, k), (_, v)| (a + v, k + 1));
        if count == 0 { 0.0 } else { sum / count as f32 }
    };
    let options = NEXT[state as usize];
    let pull = options.iter().map(|&s| mean_command(s)).fold(f32::MIN, f32::max) - mean_command(state);
    let boost = 0.5 + 1.5 / (1.0 + f64::from(-3.0 * pull).exp());
    let hazard = boost / DWELL[state as usize];
    if !rng.random_bool(hazard.clamp(0.0, 1.0)) {
        return state;
    }
    if options.len() == 1 {
        return options[0];
    }
    // Choose among allowed next states, weighted by their command activity.
    let weights: Vec<f64> = options.iter().map(|&s| f64::from((3.0 * mean_command(s)).exp())).collect();
    let total: f64 = weights.iter().sum();
    let mut pick = rng.random_range(0.0..total.max(f64::MIN_POSITIVE));
    for (&s, w) in options.iter().zip(&weights) {
        if pick < *w {
            return s;
        }
        pick -= w;
    }
    options[options.len() - 1]
}
