//! What a loaded file holds, as rows of a table (pure logic, tested natively).

use ganglion_data::Recording;

/// One line of the "what was loaded" table: one animal.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRow {
    /// Animal or session id ("-" when the file has none).
    pub animal: String,
    /// Number of neurons, and how many of them are identified by name.
    pub neurons: String,
    /// Number of frames.
    pub frames: usize,
    /// Frames per second, as text.
    pub rate: String,
    /// Behaviour state names, or "none".
    pub states: String,
    /// Whether a known graph came with it.
    pub graph: bool,
}

/// One row per recording.
pub fn summarise(recordings: &[Recording]) -> Vec<SummaryRow> {
    recordings
        .iter()
        .map(|r| {
            let named = r.neurons().iter().filter(|n| n.identified).count();
            SummaryRow {
                animal: r.animal_id().unwrap_or("-").to_owned(),
                neurons: format!("{} ({named} named)", r.n_neurons()),
                frames: r.n_frames(),
                rate: format!("{:.2} Hz", r.sampling_rate_hz()),
                states: r.behaviour().map_or_else(|| "none".to_owned(), |b| b.states.join(", ")),
                graph: r.connectivity().is_some(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ganglion_data::synth::{SynthConfig, synth_worms};

    #[test]
    fn one_row_per_animal_with_named_counts() {
        let worms = synth_worms(&SynthConfig { n_neurons: 12, n_frames: 50, n_animals: 2, ..Default::default() });
        let rows = summarise(&worms);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].neurons, "12 (12 named)");
        assert_eq!(rows[0].states, "forward, reverse, turn");
        assert!(rows[0].graph);
        assert_eq!(rows[1].animal, "synthetic-worm-2");
    }
}
