//! ganglion-data: bytes in, validated [`Recording`]s out, and the data side of every task.
//!
//! - [`Recording`]: neuron activity (neurons x frames, f32), sampling rate, unique neuron
//!   names, optional per-frame behaviour labels, known connectivity and animal id.
//! - [`format`]: loaders for NPY/NPZ, CSV/TSV, JSON, MATLAB v5 and v7.3, and NWB, all
//!   from byte slices (the browser has no file system), with format detection from
//!   magic bytes; writers for NPZ and JSON.
//! - [`synth`]: seeded synthetic worms with a known graph and behaviour, toy or realistic.
//! - [`statistics`]: what a recording looks like (autocorrelation, correlation,
//!   dimensionality), measured as `../shared/notes/real-worm-statistics.md` measures real worms.
//! - [`preprocess`]: normalisation, sliding windows, splits and cross-animal alignment,
//!   all as views that borrow the recording.
//!
//! Nothing here knows about the browser or about models.
//!
//! ```
//! use ganglion_data::{format, synth::{SynthConfig, synth_worms}};
//! let worms = synth_worms(&SynthConfig { n_neurons: 8, n_frames: 200, ..Default::default() });
//! let bytes = format::to_npz(&worms[0]).expect("writes");
//! let back = format::load_one(&bytes, &format::LoadOptions::for_file("worm.npz")).expect("reads");
//! assert_eq!(back.n_neurons(), worms[0].n_neurons());
//! ```
#![deny(missing_docs)]

pub mod connectome;
pub mod error;
pub mod format;
pub mod layout;
pub mod name_tables;
pub mod names;
pub mod preprocess;
mod recording;
pub mod statistics;
pub mod synth;

pub use error::{DataError, Problem, Result};
pub use format::{Format, LoadOptions, Orientation, load, load_one};
pub use recording::{
    Behaviour, Connectivity, MissingValues, Neuron, Recording, RecordingParts, Signal, rate_from_times,
};
