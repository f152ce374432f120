//! One lab's recordings as such labs keep them: one HDF5 file per worm (`/traces`
//! frames x neurons, `/timestamps` in seconds) with no names inside, each worm's
//! NeuroPAL identities in its own `column,name` table counting from 1. The worms have
//! different numbers of neurons in different column orders, so one worm's table
//! mislabels another. The committed copies under `tests/fixtures/lab/one-worm-files/`
//! (read by the CLI and notebook tests) are checked against this writer.

use ganglion_data::synth::{GraphSource, SynthConfig, synth_worms};
use ganglion_data::{MissingValues, Recording, RecordingParts};
use hdf5_pure::FileBuilder;

/// A worm's file, its names table and what reading both should give.
pub struct OneWormFile {
    /// The data file's name (`worm_a.h5`).
    pub data_name: String,
    /// The HDF5 bytes.
    pub data: Vec<u8>,
    /// The names table's text (`names/worm_a.csv`).
    pub table: String,
    /// The worm as the file and the table describe it.
    pub worm: Recording,
}

/// Columns the file keeps of a synthetic worm's `n` neurons, in the file's order: fewer
/// neurons, reversed, rotated; the last two of each are left unidentified (not in the
/// table).
fn columns(worm: usize, n: usize) -> Vec<usize> {
    match worm {
        0 => (0..n - 8).collect(),
        1 => (1..n).rev().collect(),
        _ => (0..n).filter(|i| ![5, 10].contains(i)).cycle().skip(7).take(n - 2).collect(),
    }
}

/// The three worms' files and tables.
pub fn one_worm_files() -> Vec<OneWormFile> {
    let config = SynthConfig {
        n_neurons: 30,
        n_frames: 400,
        n_animals: 3,
        seed: 77,
        graph: GraphSource::Connectome,
        ..SynthConfig::default()
    };
    synth_worms(&config)
        .iter()
        .enumerate()
        .map(|(k, full)| {
            let stem = format!("worm_{}", ["a", "b", "c"][k]);
            let cols = columns(k, full.n_neurons());
            let identified = cols.len() - 2;
            let t = full.n_frames();
            let names: Vec<String> = cols
                .iter()
                .enumerate()
                .map(|(c, &i)| if c < identified { full.neurons()[i].name.clone() } else { String::new() })
                .collect();
            let worm = RecordingParts {
                activity: cols.iter().flat_map(|&i| (0..t).map(move |f| full.value(i, f))).collect(),
                n_neurons: cols.len(),
                n_frames: t,
                sampling_rate_hz: Some(full.sampling_rate_hz()),
                names: names.clone(),
                behaviour: None,
                connectivity: None,
                animal_id: Some(stem.clone()),
                signals: Vec::new(),
            }
            .into_recording(MissingValues::Reject)
            .expect("a valid worm");
            let table = std::iter::once("column,name".to_owned())
                .chain(names[..identified].iter().enumerate().map(|(c, n)| format!("{},{n}", c + 1)))
                .collect::<Vec<_>>()
                .join("\n")
                + "\n";
            OneWormFile { data_name: format!("{stem}.h5"), data: hdf5_of(&worm), table, worm }
        })
        .collect()
}

/// `/traces` (frames x neurons, row-major, as h5py users save it) and `/timestamps`.
fn hdf5_of(worm: &Recording) -> Vec<u8> {
    let (n, t) = (worm.n_neurons(), worm.n_frames());
    let traces: Vec<f64> = (0..t).flat_map(|f| (0..n).map(move |i| f64::from(worm.value(i, f)))).collect();
    let times: Vec<f64> = (0..t).map(|f| f as f64 / worm.sampling_rate_hz()).collect();
    let mut file = FileBuilder::new();
    file.create_dataset("traces").with_f64_data(&traces).with_shape(&[t as u64, n as u64]);
    file.create_dataset("timestamps").with_f64_data(&times);
    file.finish().expect("writes the worm's HDF5 file")
}

/// A table for `worm_c` from another segmentation run: one column past its neurons.
pub fn out_of_range_table(files: &[OneWormFile]) -> String {
    format!("{}{},RMEL\n", files[2].table, files[2].worm.n_neurons() + 1)
}
