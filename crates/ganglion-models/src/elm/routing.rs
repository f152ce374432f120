//! Which input channel each synapse reads, and which synapses are valid.

/// How synapses are wired to input channels.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Routing {
    /// One synapse per input, each its own branch (the plain ELM).
    Identity,
    /// The NeuronIO Branch-ELM wiring: excitatory and inhibitory halves interleaved,
    /// overlapping windows of `synapses_per_branch` positions per branch.
    NeuronIo {
        /// Branches.
        branches: usize,
        /// Synapses per branch.
        synapses_per_branch: usize,
    },
    /// Each synapse reads a uniformly random input (seeded), grouped into branches.
    Random {
        /// Branches.
        branches: usize,
        /// Synapses per branch.
        synapses_per_branch: usize,
        /// Seed of the draw.
        seed: u64,
    },
}

/// Synapse-to-input indices and validity, branch-major (branch `k` owns synapses
/// `k * per_branch .. (k + 1) * per_branch`).
#[derive(Debug, Clone, PartialEq)]
pub struct Wiring {
    /// Input channel of each synapse.
    pub input_of: Vec<usize>,
    /// False for synapses past the last input (they read 0).
    pub valid: Vec<bool>,
    /// Number of branches.
    pub branches: usize,
}

impl Routing {
    /// The wiring for `inputs` input channels.
    pub fn wiring(&self, inputs: usize) -> Wiring {
        match *self {
            Routing::Identity => {
                Wiring { input_of: (0..inputs).collect(), valid: vec![true; inputs], branches: inputs }
            }
            Routing::NeuronIo { branches, synapses_per_branch } => {
                let stride = inputs.div_ceil(branches.max(1));
                let half = inputs / 2;
                let mut input_of = Vec::with_capacity(branches * synapses_per_branch);
                let mut valid = Vec::with_capacity(branches * synapses_per_branch);
                for k in 0..branches {
                    for j in 0..synapses_per_branch {
                        let position = k * stride + j;
                        let clamped = position.min(inputs.saturating_sub(1));
                        input_of.push((clamped % 2) * half + clamped / 2);
                        valid.push(position < inputs);
                    }
                }
                Wiring { input_of, valid, branches }
            }
            Routing::Random { branches, synapses_per_branch, seed } => {
                let mut state = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
                let input_of = (0..branches * synapses_per_branch)
                    .map(|_| {
                        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                        ((state >> 33) % inputs.max(1) as u64) as usize
                    })
                    .collect();
                Wiring { input_of, valid: vec![true; branches * synapses_per_branch], branches }
            }
        }
    }
}
