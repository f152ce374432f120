//! NumPy `.npy` and `.npz`.
//!
//! A bare `.npy` holds the activity matrix alone (the rate comes from the load
//! options). An `.npz` holds named arrays:
//!
//! | name | shape | meaning |
//! |---|---|---|
//! | `activity` (required) | neurons x frames (or frames x neurons, see [`Orientation`](super::Orientation)) | any numeric dtype |
//! | `sampling_rate_hz` | scalar | frames per second |
//! | `time` | frames | seconds; gives the rate when `sampling_rate_hz` is absent |
//! | `neuron_names` | neurons | strings (`U` or `S`); empty or numeric = unnamed |
//! | `behaviour` | frames | integer state per frame |
//! | `behaviour_names` | states | strings, indexed by `behaviour` |
//! | `connectivity` | neurons x neurons | row = source, column = target |
//! | `animal_id` | scalar | string |

use std::io::{Cursor, Read, Seek};

use npyz::{DType, NpyFile, TypeChar, WriterBuilder};

use super::LoadOptions;
use super::matrix::{AxisHints, Matrix, le_floats_as_f32, transpose, two_d};
use crate::error::{DataError, Result};
use crate::recording::{Connectivity, Recording, RecordingParts, rate_from_times};

const NPY: &str = "NPY";
const NPZ: &str = "NPZ";

/// Loads a bare `.npy` activity matrix.
pub(super) fn load_npy(bytes: &[u8], options: &LoadOptions) -> Result<Recording> {
    let matrix = activity_matrix(bytes)?;
    let rows_are_frames = matrix.rows_are_frames(options.orientation, AxisHints::default());
    let (n_neurons, n_frames, activity) = matrix.into_neuron_major(rows_are_frames);
    RecordingParts { activity, n_neurons, n_frames, sampling_rate_hz: options.sampling_rate_hz, ..Default::default() }
        .into_recording(options.missing_values)
}

/// The activity array of an `.npy` held in memory, as a logical (C-order) f32 matrix.
/// Little-endian float arrays decode straight from the bytes (the common case, and
/// several times faster than element-wise deserialisation); others go through npyz.
fn activity_matrix(bytes: &[u8]) -> Result<Matrix> {
    let npy = NpyFile::new(bytes).map_err(|e| DataError::malformed(NPY, e).in_field("activity"))?;
    let shape = npy.shape().to_vec();
    let (rows, cols) = two_d(&shape, "activity")?;
    let fortran = npy.order() == npyz::Order::Fortran && shape.len() == 2;
    let fast = match npy.dtype() {
        DType::Plain(t) if t.type_char() == TypeChar::Float && t.endianness() != npyz::Endianness::Big => {
            Some(t.size_field())
        }
        _ => None,
    };
    let data: Vec<f32> = match fast {
        Some(size @ (4 | 8)) => {
            let count = rows.checked_mul(cols).ok_or_else(|| DataError::shape("a 2-D array", "too many elements"))?;
            let raw = npy.into_inner();
            let size = size as usize;
            if raw.len() < count.saturating_mul(size) {
                return Err(DataError::new(crate::error::Problem::TooLarge {
                    detail: format!(
                        "the header describes {count} values but the file holds {} bytes of data",
                        raw.len()
                    ),
                })
                .in_field("activity"));
            }
            le_floats_as_f32(&raw[..count * size], size).unwrap_or_default()
        }
        _ => read_numbers(npy, bytes.len(), "activity")?.into_iter().map(|v| v as f32).collect(),
    };
    Ok(if fortran {
        // Column-major (rows x cols) is row-major (cols x rows): transpose to C order.
        Matrix { rows, cols, data: transpose(&data, cols, rows) }
    } else {
        Matrix { rows, cols, data }
    })
}

/// Loads an `.npz` with the arrays named in the module documentation.
pub(super) fn load_npz(bytes: &[u8], options: &LoadOptions) -> Result<Recording> {
    let mut archive = npyz::npz::NpzArchive::new(Cursor::new(bytes)).map_err(|e| DataError::malformed(NPZ, e))?;
    let budget = bytes.len();
    let names = optional_strings(&mut archive, "neuron_names", budget)?;
    let time = optional_numbers(&mut archive, "time", budget)?;
    let rate = optional_numbers(&mut archive, "sampling_rate_hz", budget)?;
    let matrix = {
        let mut entry = archive
            .zip_archive()
            .by_name("activity.npy")
            .map_err(|_| DataError::missing("activity", "an array named `activity` (neurons x frames)"))?;
        if entry.size() > (budget as u64).saturating_mul(1032) {
            return Err(DataError::new(crate::error::Problem::TooLarge {
                detail: "the `activity` entry claims more data than the archive could hold".into(),
            })
            .in_field("activity"));
        }
        let mut raw = Vec::with_capacity(entry.size() as usize);
        entry.read_to_end(&mut raw).map_err(|e| DataError::malformed(NPZ, e).in_field("activity"))?;
        activity_matrix(&raw)?
    };
    let hints = AxisHints { n_frames: time.as_ref().map(Vec::len), n_neurons: names.as_ref().map(Vec::len) };
    let rows_are_frames = matrix.rows_are_frames(options.orientation, hints);
    let (n_neurons, n_frames, activity) = matrix.into_neuron_major(rows_are_frames);

    let sampling_rate_hz = match (rate, time) {
        (Some(r), _) => Some(*r.first().ok_or_else(|| DataError::missing("sampling_rate_hz", "a scalar rate in Hz"))?),
        (None, Some(t)) => {
            if t.len() != n_frames {
                return Err(DataError::shape(format!("{n_frames} times"), format!("{}", t.len())).in_field("time"));
            }
            Some(rate_from_times(&t)?)
        }
        (None, None) => options.sampling_rate_hz,
    };
    let behaviour = match optional_numbers(&mut archive, "behaviour", budget)? {
        None => None,
        Some(labels) => {
            let states = optional_strings(&mut archive, "behaviour_names", budget)?
                .ok_or_else(|| DataError::missing("behaviour_names", "one name per behaviour state"))?;
            Some((labels.iter().map(|&v| v as i64).collect(), states))
        }
    };
    let connectivity = match optional_numbers(&mut archive, "connectivity", budget)? {
        None => None,
        Some(w) => Some(Connectivity::new(n_neurons, w.into_iter().map(|v| v as f32).collect())?),
    };
    let animal_id = optional_strings(&mut archive, "animal_id", budget)?.and_then(|v| v.into_iter().next());
    RecordingParts {
        activity,
        n_neurons,
        n_frames,
        sampling_rate_hz,
        names: names.unwrap_or_default(),
        behaviour,
        connectivity,
        animal_id,
        signals: Vec::new(),
    }
    .into_recording(options.missing_values)
}

fn optional_numbers<R: Read + Seek>(
    archive: &mut npyz::npz::NpzArchive<R>,
    name: &str,
    budget: usize,
) -> Result<Option<Vec<f64>>> {
    match archive.by_name(name).map_err(|e| DataError::malformed(NPZ, e).in_field(name))? {
        None => Ok(None),
        Some(npy) => read_numbers(npy, budget.saturating_mul(64), name).map(Some),
    }
}

fn optional_strings<R: Read + Seek>(
    archive: &mut npyz::npz::NpzArchive<R>,
    name: &str,
    budget: usize,
) -> Result<Option<Vec<String>>> {
    match archive.by_name(name).map_err(|e| DataError::malformed(NPZ, e).in_field(name))? {
        None => Ok(None),
        Some(npy) => read_strings(npy, budget.saturating_mul(64), name).map(Some),
    }
}

/// Refuses headers that promise more bytes than the input could hold (a truncated or
/// hostile file must not make us allocate gigabytes).
fn check_size<R: Read>(npy: &NpyFile<R>, max_bytes: usize, field: &str) -> Result<()> {
    let item = match npy.dtype() {
        DType::Plain(t) => t.num_bytes().unwrap_or(usize::MAX),
        other => return Err(DataError::wrong_type("a plain numeric or string array", other.descr()).in_field(field)),
    };
    let total = usize::try_from(npy.len()).ok().and_then(|n| n.checked_mul(item.max(1)));
    match total {
        Some(t) if t <= max_bytes => Ok(()),
        _ => Err(DataError::new(crate::error::Problem::TooLarge {
            detail: format!("the header describes {} elements of {item} bytes, more than the file holds", npy.len()),
        })
        .in_field(field)),
    }
}

fn read_numbers<R: Read>(npy: NpyFile<R>, max_bytes: usize, field: &str) -> Result<Vec<f64>> {
    check_size(&npy, max_bytes, field)?;
    let dtype = npy.dtype();
    let DType::Plain(t) = &dtype else {
        return Err(DataError::wrong_type("a numeric array", dtype.descr()).in_field(field));
    };
    let bad = |e: std::io::Error| DataError::malformed(NPY, e).in_field(field);
    let out = match (t.type_char(), t.size_field()) {
        (TypeChar::Float, 8) => npy.into_vec::<f64>().map_err(bad)?,
        (TypeChar::Float, 4) => widen(npy.into_vec::<f32>().map_err(bad)?),
        (TypeChar::Int, 8) => npy.into_vec::<i64>().map_err(bad)?.into_iter().map(|v| v as f64).collect(),
        (TypeChar::Int, 4) => widen(npy.into_vec::<i32>().map_err(bad)?),
        (TypeChar::Int, 2) => widen(npy.into_vec::<i16>().map_err(bad)?),
        (TypeChar::Int, 1) => widen(npy.into_vec::<i8>().map_err(bad)?),
        (TypeChar::Uint, 8) => npy.into_vec::<u64>().map_err(bad)?.into_iter().map(|v| v as f64).collect(),
        (TypeChar::Uint, 4) => widen(npy.into_vec::<u32>().map_err(bad)?),
        (TypeChar::Uint, 2) => widen(npy.into_vec::<u16>().map_err(bad)?),
        (TypeChar::Uint, 1) => widen(npy.into_vec::<u8>().map_err(bad)?),
        (TypeChar::Bool, _) => {
            npy.into_vec::<bool>().map_err(bad)?.into_iter().map(|b| f64::from(u8::from(b))).collect()
        }
        _ => {
            return Err(
                DataError::wrong_type("a real numeric dtype (float, int, uint, bool)", t.to_string()).in_field(field)
            );
        }
    };
    Ok(out)
}

fn widen<T: Into<f64>>(v: Vec<T>) -> Vec<f64> {
    v.into_iter().map(Into::into).collect()
}

fn read_strings<R: Read>(npy: NpyFile<R>, max_bytes: usize, field: &str) -> Result<Vec<String>> {
    check_size(&npy, max_bytes, field)?;
    let dtype = npy.dtype();
    let bad = |e: std::io::Error| DataError::malformed(NPY, e).in_field(field);
    match &dtype {
        DType::Plain(t) if t.type_char() == TypeChar::UnicodeStr => npy.into_vec::<String>().map_err(bad),
        DType::Plain(t) if t.type_char() == TypeChar::ByteStr => Ok(npy
            .into_vec::<Vec<u8>>()
            .map_err(bad)?
            .into_iter()
            .map(|b| String::from_utf8_lossy(&b).trim_end_matches('\0').to_owned())
            .collect()),
        _ => Err(DataError::wrong_type("an array of strings (dtype U or S)", dtype.descr()).in_field(field)),
    }
}

/// Writes a recording as `.npz` with the documented array names (activity as
/// neurons x frames, f32).
pub fn to_npz(recording: &Recording) -> Result<Vec<u8>> {
    let io = |e: std::io::Error| DataError::malformed(NPZ, format!("while writing: {e}"));
    let mut npz = npyz::npz::NpzWriter::new(Cursor::new(Vec::new()));
    let shape = [recording.n_neurons() as u64, recording.n_frames() as u64];
    write_f32(&mut npz, "activity", &shape, recording.activity()).map_err(io)?;
    write_f32(&mut npz, "sampling_rate_hz", &[], &[recording.sampling_rate_hz() as f32]).map_err(io)?;
    let names: Vec<&str> =
        recording.neurons().iter().map(|n| if n.identified { n.name.as_str() } else { "" }).collect();
    write_strings(&mut npz, "neuron_names", &names).map_err(io)?;
    if let Some(b) = recording.behaviour() {
        let mut w = npz
            .array::<i64>("behaviour", Default::default())
            .map_err(io)?
            .default_dtype()
            .shape(&[b.labels.len() as u64])
            .begin_nd()
            .map_err(io)?;
        w.extend(b.labels.iter().map(|&l| crate::recording::label_to_file(l))).map_err(io)?;
        w.finish().map_err(io)?;
        let states: Vec<&str> = b.states.iter().map(String::as_str).collect();
        write_strings(&mut npz, "behaviour_names", &states).map_err(io)?;
    }
    if let Some(c) = recording.connectivity() {
        write_f32(&mut npz, "connectivity", &[c.len() as u64, c.len() as u64], c.weights()).map_err(io)?;
    }
    if let Some(id) = recording.animal_id() {
        write_strings(&mut npz, "animal_id", &[id]).map_err(io)?;
    }
    let cursor = npz.zip_writer().finish().map_err(|e| io(std::io::Error::other(e)))?;
    Ok(cursor.into_inner())
}

type NpzOut = npyz::npz::NpzWriter<Cursor<Vec<u8>>>;

fn write_f32(npz: &mut NpzOut, name: &str, shape: &[u64], data: &[f32]) -> std::io::Result<()> {
    let mut w = npz.array::<f32>(name, Default::default())?.default_dtype().shape(shape).begin_nd()?;
    w.extend(data.iter().copied())?;
    w.finish()
}

fn write_strings(npz: &mut NpzOut, name: &str, values: &[&str]) -> std::io::Result<()> {
    let width = values.iter().map(|s| s.chars().count()).max().unwrap_or(0).max(1);
    let dtype: npyz::TypeStr = format!("<U{width}").parse().map_err(std::io::Error::other)?;
    let shape = if name == "animal_id" { vec![] } else { vec![values.len() as u64] };
    let mut w = npz.array::<str>(name, Default::default())?.dtype(DType::Plain(dtype)).shape(&shape).begin_nd()?;
    for v in values {
        w.push(v)?;
    }
    w.finish()
}
