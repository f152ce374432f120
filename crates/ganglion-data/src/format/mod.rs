//! File formats: detection from magic bytes (extension second) and one loader each.
//!
//! Every loader reads from a byte slice, because the browser has no file system, and
//! returns one [`Recording`] per animal the file holds. Writers exist for the formats
//! ganglion itself produces: NPZ and JSON.

mod delimited;
pub(crate) mod hdf5;
mod json;
pub(crate) mod matrix;
pub(crate) mod matv5;
mod npy;
mod worm_struct;

pub use json::{JSON_FORMAT_NAME, JSON_SCHEMA_VERSION, to_json};
pub use matrix::Orientation;
pub use npy::to_npz;

use crate::error::{DataError, Problem, Result};
use crate::name_tables::{NameTable, file_stem};
use crate::recording::{MissingValues, Recording};

/// A file format ganglion reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A single NumPy array (`.npy`).
    Npy,
    /// A NumPy zip of named arrays (`.npz`), names as documented in [`npy`].
    Npz,
    /// Comma-, tab- or semicolon-separated text with a header.
    Delimited,
    /// ganglion's versioned JSON schema.
    Json,
    /// MATLAB `.mat` version 5 (also 6 and 7, which share it).
    MatV5,
    /// HDF5: MATLAB `.mat` v7.3 or NWB.
    Hdf5,
}

impl Format {
    /// A short human name.
    pub fn name(self) -> &'static str {
        match self {
            Format::Npy => "NPY",
            Format::Npz => "NPZ",
            Format::Delimited => "CSV/TSV",
            Format::Json => "JSON",
            Format::MatV5 => "MATLAB v5 .mat",
            Format::Hdf5 => "HDF5 (MATLAB v7.3 / NWB)",
        }
    }
}

/// How to load a file. The defaults suit most files.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// The file's name as the user knows it: used in error messages and as a
    /// second hint to the format.
    pub file_name: Option<String>,
    /// Frames per second, used when the file gives neither a rate nor a time vector.
    pub sampling_rate_hz: Option<f64>,
    /// Which axis of a bare matrix is time.
    pub orientation: Orientation,
    /// What to do with NaN or infinite activity.
    pub missing_values: MissingValues,
    /// Skip detection and read as this format.
    pub format: Option<Format>,
    /// The file's own neuron names table, applied to every animal it holds
    /// ([`crate::name_tables::tables_for`] says which table is whose).
    pub name_table: Option<NameTable>,
}

impl LoadOptions {
    /// Options for a named file, everything else default.
    pub fn for_file(name: impl Into<String>) -> Self {
        LoadOptions { file_name: Some(name.into()), ..Default::default() }
    }
}

const HDF5_MAGIC: &[u8] = b"\x89HDF\r\n\x1a\n";

/// Finds the format from the first bytes, then from the file name's extension.
pub fn detect(bytes: &[u8], file_name: Option<&str>) -> Result<Format> {
    if bytes.starts_with(b"\x93NUMPY") {
        return Ok(Format::Npy);
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Ok(Format::Npz);
    }
    if is_hdf5(bytes) {
        return Ok(Format::Hdf5);
    }
    if matv5::is_mat_v5(bytes) {
        return Ok(Format::MatV5);
    }
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first == Some(&b'{') {
        return Ok(Format::Json);
    }
    let ext = file_name.and_then(|n| n.rsplit_once('.')).map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("csv" | "tsv" | "txt" | "tab") => Ok(Format::Delimited),
        Some("json") => Ok(Format::Json),
        _ if bytes.is_empty() => Err(DataError::new(Problem::Empty { what: "bytes (the file is empty)".into() })),
        _ if looks_like_delimited_text(bytes) => Ok(Format::Delimited),
        _ => Err(DataError::new(Problem::UnknownFormat { detail: "the first bytes match no known signature".into() })),
    }
}

/// HDF5 puts its signature at 0, 512, 1024, 2048, ... (MATLAB v7.3 uses a 512-byte userblock).
fn is_hdf5(bytes: &[u8]) -> bool {
    let mut offset = 0usize;
    while offset + HDF5_MAGIC.len() <= bytes.len() {
        if &bytes[offset..offset + HDF5_MAGIC.len()] == HDF5_MAGIC {
            return true;
        }
        offset = if offset == 0 { 512 } else { offset * 2 };
    }
    false
}

fn looks_like_delimited_text(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let text = match std::str::from_utf8(head) {
        Ok(t) => t,
        Err(e) if e.valid_up_to() > head.len().saturating_sub(4) => {
            // A multi-byte character cut by the 4096-byte window.
            std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return false,
    };
    text.contains([',', '\t', ';']) && text.contains('\n')
}

/// Loads every recording a file holds (one per animal).
pub fn load(bytes: &[u8], options: &LoadOptions) -> Result<Vec<Recording>> {
    let file = options.file_name.as_deref();
    let format = match options.format {
        Some(f) => f,
        None => detect(bytes, file).map_err(|e| e.in_file(file))?,
    };
    let loaded = match format {
        Format::Npy => npy::load_npy(bytes, options).map(|r| vec![r]),
        Format::Npz => npy::load_npz(bytes, options).map(|r| vec![r]),
        Format::Delimited => delimited::load(bytes, options).map(|r| vec![r]),
        Format::Json => json::load(bytes, options).map(|r| vec![r]),
        Format::MatV5 => matv5::load(bytes, options),
        Format::Hdf5 => hdf5::load(bytes, options),
    };
    finish(loaded.map_err(|e| e.in_file(file))?, options)
}

/// What every loader does last, so the CLI, the notebook and the JS API agree: an
/// animal the file does not name is named after the file (`worm3`, or `worm3(2)` for
/// the second of several), and the file's names table, if any, renames its neurons.
pub(crate) fn finish(recordings: Vec<Recording>, options: &LoadOptions) -> Result<Vec<Recording>> {
    let file = options.file_name.as_deref();
    let stem = file.map(file_stem).filter(|s| !s.trim().is_empty());
    let several = recordings.len() > 1;
    recordings
        .into_iter()
        .enumerate()
        .map(|(k, r)| {
            let r = match (r.animal_id(), stem) {
                (None, Some(stem)) if several => r.with_animal_id(format!("{stem}({})", k + 1)),
                (None, Some(stem)) => r.with_animal_id(stem),
                _ => r,
            };
            match &options.name_table {
                Some(table) => table.apply(&r, file.unwrap_or("the recording")),
                None => Ok(r),
            }
        })
        .collect()
}

/// Loads a file that must hold exactly one recording.
pub fn load_one(bytes: &[u8], options: &LoadOptions) -> Result<Recording> {
    let mut all = load(bytes, options)?;
    match all.len() {
        1 => Ok(all.remove(0)),
        n => Err(DataError::bad_request(format!(
            "the file holds {n} recordings (one per animal); load it as a study instead"
        ))
        .in_file(options.file_name.as_deref())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RecordingParts;

    #[test]
    fn magic_bytes_win_over_extension() {
        assert_eq!(detect(b"\x93NUMPY\x01\x00", Some("x.csv")), Ok(Format::Npy));
        assert_eq!(detect(b"{\"a\":1}", Some("x.csv")), Ok(Format::Json));
        assert_eq!(detect(b"a,b\n1,2\n", Some("x.dat")), Ok(Format::Delimited));
        assert_eq!(detect(b"1 2 3", Some("x.tsv")), Ok(Format::Delimited));
        let mut v73 = vec![0u8; 512];
        v73.extend_from_slice(HDF5_MAGIC);
        assert_eq!(detect(&v73, Some("worms.mat")), Ok(Format::Hdf5));
    }

    #[test]
    fn animals_the_file_does_not_name_take_its_stem() {
        let worms = crate::synth::synth_worms(&crate::synth::SynthConfig {
            n_neurons: 4,
            n_frames: 30,
            n_animals: 2,
            ..Default::default()
        });
        let anonymous: Vec<Recording> = worms
            .iter()
            .map(|w| w.to_parts())
            .map(|p| RecordingParts { animal_id: None, ..p })
            .map(|p| p.into_recording(MissingValues::Reject).expect("valid"))
            .collect();
        let options = LoadOptions::for_file("lab/day3.mat");
        let ids = |rs: Vec<Recording>| rs.iter().map(|r| r.animal_id().map(str::to_owned)).collect::<Vec<_>>();
        let several = finish(anonymous.clone(), &options).expect("names them");
        assert_eq!(ids(several), [Some("day3(1)".to_owned()), Some("day3(2)".to_owned())]);
        let one = finish(anonymous[..1].to_vec(), &options).expect("names it");
        assert_eq!(ids(one), [Some("day3".to_owned())]);
        let named = finish(worms[..1].to_vec(), &options).expect("keeps the file's id");
        assert_eq!(ids(named), [worms[0].animal_id().map(str::to_owned)]);
        assert_eq!(ids(finish(anonymous[..1].to_vec(), &LoadOptions::default()).expect("no file")), [None]);
    }

    #[test]
    fn unknown_bytes_are_named_as_such() {
        let e = detect(&[0xff, 0x00, 0x13], Some("x.bin")).expect_err("unknown");
        assert_eq!(e.code(), "unknown_format");
        assert_eq!(detect(&[], None).expect_err("empty").code(), "empty");
    }
}
