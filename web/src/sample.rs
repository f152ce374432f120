//! The bundled sample: synthetic worms on one known graph. The page shows them and the
//! worker trains on them from the same seed, so only the seed crosses over.

use ganglion_data::synth::SynthConfig;

/// The demo's synthetic worms for `seed`.
pub fn sample_config(seed: u64) -> SynthConfig {
    SynthConfig { seed, ..SynthConfig::default() }
}
