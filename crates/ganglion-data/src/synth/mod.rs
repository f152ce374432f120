//! Synthetic worms: seeded, deterministic recordings with a known answer.
//!
//! `n_neurons` neurons with C. elegans names sit on a sparse directed graph with signed
//! weights (random, or the real wiring diagram among those neurons). Activity follows
//! leaky rate dynamics with a tanh nonlinearity and noise:
//!
//! `x[t+1] = x[t] + leak * (-x[t] + tanh(W^T x[t] + bias + drive(state))) + noise`
//!
//! A latent behaviour (forward / reverse / turn) switches over time. It *drives* its
//! command neurons (AVB forward, AVA reverse, RIV turn), and is
//! *driven by* them: leaving a state is likelier when another state's command neurons
//! are active. So both dynamics and behaviour are learnable.
//!
//! Animals share the graph and differ in noise, which non-command neurons are observed,
//! and recording length, so generalisation to an unseen animal can be tested. Each
//! recording's `connectivity` is the true graph among its observed neurons.
//!
//! Those are the quick toy worms ([`Dynamics::Rate`], the default of [`SynthConfig`]):
//! much faster and less correlated than real recordings, which made models tuned on
//! them look better than they are on real worms. [`SynthConfig::realistic`] gives worms
//! whose statistics match real whole-brain recordings ([`Dynamics::Realistic`], the
//! [`realistic`] module): 1.67 Hz, slow, correlated, low-dimensional, with a global
//! forward / reverse / turn state, some neurons unidentified; [`crate::statistics`]
//! measures them.

mod dynamics;
mod realistic;

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::connectome;
use crate::recording::{Connectivity, MissingValues, Recording, RecordingParts};

/// Behaviour state names, in label order.
pub const STATES: [&str; 3] = ["forward", "reverse", "turn"];

/// Command neurons of each state, in [`STATES`] order.
pub(crate) const COMMAND_NEURONS: [&[&str]; 3] = [&["AVBL", "AVBR"], &["AVAL", "AVAR"], &["RIVL", "RIVR"]];

/// Where the synthetic graph comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum GraphSource {
    /// Each ordered pair is connected with this probability.
    Random {
        /// Probability of an edge per ordered pair.
        density: f64,
    },
    /// The Varshney 2011 wiring diagram among the chosen neurons.
    Connectome,
}

/// Settings of the generator. `Default` gives a small, quick worm family.
#[derive(Debug, Clone)]
pub struct SynthConfig {
    /// Neurons in the shared graph (at most the 279 somatic neurons of the wiring diagram).
    pub n_neurons: usize,
    /// Frames of the first animal; others vary by up to `length_jitter`.
    pub n_frames: usize,
    /// Number of animals.
    pub n_animals: usize,
    /// Seed: the same config and seed give the same worms, bit for bit.
    pub seed: u64,
    /// Frames per second.
    pub sampling_rate_hz: f64,
    /// The graph.
    pub graph: GraphSource,
    /// Overall scale of the interaction weights.
    pub coupling: f32,
    /// Noise standard deviation of the first animal; later animals get more.
    pub noise: f32,
    /// Fraction of non-command neurons each animal after the first leaves unobserved.
    pub unobserved_fraction: f64,
    /// Relative spread of recording lengths across animals.
    pub length_jitter: f64,
    /// How activity evolves.
    pub dynamics: Dynamics,
    /// Fraction of each animal's observed neurons that are identified (named); the
    /// rest are unnamed, as in real recordings. The behavioural neurons (AVA, AVB, RIM,
    /// ...) are always named. Only [`Dynamics::Realistic`] reads it.
    pub named_fraction: f64,
}

/// How synthetic activity evolves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dynamics {
    /// Fast leaky rate dynamics with a tanh nonlinearity (the original toy worms).
    #[default]
    Rate,
    /// Slow, correlated, low-dimensional traces driven by a global behavioural state,
    /// matched to real whole-brain recordings ([`SynthConfig::realistic`]).
    Realistic,
}

impl SynthConfig {
    /// Worms that look like real whole-brain recordings: 7 animals of 800 frames at
    /// 1.67 Hz, each observing about 85% of a 160-neuron family on the wiring diagram,
    /// 70% of them named. Every statistic of `../shared/notes/real-worm-statistics.md`
    /// is within 25% of the real figure (tested).
    pub fn realistic() -> Self {
        SynthConfig {
            n_neurons: 160,
            n_frames: 800,
            n_animals: 7,
            seed: 7,
            sampling_rate_hz: 1.667,
            graph: GraphSource::Connectome,
            coupling: 0.6,
            noise: 1.0,
            unobserved_fraction: 0.15,
            length_jitter: 0.0,
            dynamics: Dynamics::Realistic,
            named_fraction: 0.7,
        }
    }
}

impl Default for SynthConfig {
    fn default() -> Self {
        SynthConfig {
            n_neurons: 16,
            n_frames: 1000,
            n_animals: 3,
            seed: 7,
            sampling_rate_hz: 2.9,
            graph: GraphSource::Random { density: 0.15 },
            coupling: 3.0,
            noise: 0.05,
            unobserved_fraction: 0.15,
            length_jitter: 0.2,
            dynamics: Dynamics::Rate,
            named_fraction: 1.0,
        }
    }
}

/// The shared ground truth of a worm family.
#[derive(Debug, Clone)]
pub struct WormFamily {
    /// All neuron names, command neurons first.
    pub names: Vec<String>,
    /// Signed weights, row-major, row = source.
    pub weights: Vec<f32>,
    /// Per-neuron bias.
    pub bias: Vec<f32>,
    /// For each neuron, the state it commands, if any.
    pub commands: Vec<Option<usize>>,
    /// The neurons' roles in realistic dynamics (`None` for the toy rate dynamics).
    roles: Option<realistic::NeuronRoles>,
}

/// Generates `config.n_animals` recordings sharing one graph.
pub fn synth_worms(config: &SynthConfig) -> Vec<Recording> {
    let family = worm_family(config);
    (0..config.n_animals).map(|a| synth_animal(&family, config, a)).collect()
}

/// The shared graph, biases and command-neuron roles.
pub fn worm_family(config: &SynthConfig) -> WormFamily {
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let names = pick_names(config.n_neurons);
    let n = names.len();
    let commands: Vec<Option<usize>> =
        names.iter().map(|name| COMMAND_NEURONS.iter().position(|group| group.contains(&name.as_str()))).collect();
    let mut weights = match config.graph {
        GraphSource::Connectome => connectome::weights_among(&names),
        GraphSource::Random { density } => (0..n * n)
            .map(|k| {
                if k / n == k % n || !rng.random_bool(density.clamp(0.0, 1.0)) {
                    0.0
                } else {
                    let magnitude = rng.random_range(0.5f32..1.5);
                    if rng.random_bool(0.7) { magnitude } else { -magnitude }
                }
            })
            .collect(),
    };
    // Scale so each neuron's summed absolute input is at most `coupling`.
    let max_in = (0..n).map(|j| (0..n).map(|i| weights[i * n + j].abs()).sum::<f32>()).fold(0.0f32, f32::max);
    if max_in > 0.0 {
        weights.iter_mut().for_each(|w| *w *= config.coupling / max_in.max(1.0));
    }
    let bias = (0..n).map(|_| rng.random_range(-0.3f32..0.3)).collect();
    let roles =
        (config.dynamics == Dynamics::Realistic).then(|| realistic::roles(&names, config.sampling_rate_hz, &mut rng));
    WormFamily { names, weights, bias, commands, roles }
}

/// Command neurons first, then the wiring diagram's other names in sorted order.
fn pick_names(n: usize) -> Vec<String> {
    let mut names: Vec<String> = COMMAND_NEURONS.iter().flat_map(|g| g.iter().map(|s| s.to_string())).collect();
    for name in connectome::neuron_names() {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names.truncate(n.max(1));
    names
}

fn synth_animal(family: &WormFamily, config: &SynthConfig, animal: usize) -> Recording {
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed.wrapping_mul(1_000_003).wrapping_add(animal as u64 + 1));
    let n = family.names.len();
    let jitter = if animal == 0 { 0.0 } else { rng.random_range(-config.length_jitter..=config.length_jitter) };
    let n_frames = ((config.n_frames as f64) * (1.0 + jitter)).round().max(2.0) as usize;
    let (activity, labels) = match &family.roles {
        None => dynamics::simulate(family, n_frames, config.noise * (1.0 + 0.5 * animal as f32), &mut rng),
        Some(roles) => {
            // Animals differ in how noisy their imaging is (0.8x to 1.2x).
            let noise = f64::from(config.noise) * rng.random_range(0.8..1.2);
            realistic::simulate(family, roles, config.sampling_rate_hz, n_frames, noise, &mut rng)
        }
    };

    let mut observed: Vec<usize> = (0..n).collect();
    let realistic = family.roles.is_some();
    let behavioural =
        |i: usize| family.commands[i].is_some() || (realistic && realistic::is_behavioural(&family.names[i]));
    if animal > 0 || realistic {
        let mut others: Vec<usize> = (0..n).filter(|&i| !behavioural(i)).collect();
        others.shuffle(&mut rng);
        let drop = ((others.len() as f64) * config.unobserved_fraction).round() as usize;
        let dropped: Vec<usize> = others[..drop.min(others.len())].to_vec();
        observed.retain(|i| !dropped.contains(i));
    }
    let m = observed.len();
    let mut obs_activity = Vec::with_capacity(m * n_frames);
    for &i in &observed {
        obs_activity.extend_from_slice(&activity[i * n_frames..(i + 1) * n_frames]);
    }
    // Unidentified neurons: a share of each animal's observed neurons carries no name.
    let mut named: Vec<bool> = vec![true; m];
    if realistic {
        let mut others: Vec<usize> = (0..m).filter(|&k| !behavioural(observed[k])).collect();
        others.shuffle(&mut rng);
        let unnamed = ((m as f64) * (1.0 - config.named_fraction.clamp(0.0, 1.0))).round() as usize;
        others.iter().take(unnamed).for_each(|&k| named[k] = false);
    }
    let mut weights = vec![0.0f32; m * m];
    for (a, &i) in observed.iter().enumerate() {
        for (b, &j) in observed.iter().enumerate() {
            weights[a * m + b] = family.weights[i * n + j];
        }
    }
    RecordingParts {
        activity: obs_activity,
        n_neurons: m,
        n_frames,
        sampling_rate_hz: Some(config.sampling_rate_hz),
        names: observed
            .iter()
            .zip(&named)
            .map(|(&i, &named)| if named { family.names[i].clone() } else { String::new() })
            .collect(),
        behaviour: Some((labels.into_iter().map(i64::from).collect(), STATES.iter().map(|s| s.to_string()).collect())),
        connectivity: Connectivity::new(m, weights).ok(),
        animal_id: Some(format!("synthetic-worm-{}", animal + 1)),
        signals: Vec::new(),
    }
    .into_recording(MissingValues::Reject)
    .unwrap_or_else(|e| unreachable!("synthetic parts are valid by construction: {e}"))
}

#[cfg(test)]
mod tests;
