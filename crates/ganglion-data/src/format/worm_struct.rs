//! MATLAB layouts of whole-brain recordings (Kato et al. 2015 and similar), shared by
//! the v5 and v7.3 readers, which both produce [`MatValue`] trees.
//!
//! A *worm struct* is a struct with a trace field. A struct array of them (the newer
//! Kato release) or several struct variables (the older one) give one recording per
//! element; a file with no such struct is read as one worm whose fields are its
//! top-level variables. Field names, in order of preference:
//!
//! | what | fields |
//! |---|---|
//! | traces (frames x neurons as MATLAB shows it) | `deltaFOverF_bc`, `deltaFOverF`, `traces`, `activity` |
//! | neuron names (cell of char; numeric = unidentified) | `NeuronNames`, `IDs`, `neuron_names` |
//! | time (s) / rate | `tv`, `timeVectorSeconds`, `time` / `fps`, `sampling_rate_hz` |
//! | behaviour | `States` as a struct of per-frame logical vectors, or integer codes with `States_key` / `stateKey` |
//! | animal id | `dataset`, `animal_id` |
//!
//! Integer state codes are 1-based (MATLAB) unless a 0 occurs; a frame with no true
//! flag in a `States` struct gets its `nostate` state (added when absent).

use super::LoadOptions;
use super::matrix::{AxisHints, Matrix, Orientation};
use super::matv5::value::{MatValue, dims_text};
use crate::error::{DataError, Result};
use crate::recording::{Recording, RecordingParts, rate_from_times};

const TRACE_FIELDS: &[&str] = &["deltaFOverF_bc", "deltaFOverF", "traces", "activity"];
const NAME_FIELDS: &[&str] = &["NeuronNames", "IDs", "neuron_names"];
const TIME_FIELDS: &[&str] = &["tv", "timeVectorSeconds", "time"];
const RATE_FIELDS: &[&str] = &["fps", "sampling_rate_hz"];
const STATE_FIELDS: &[&str] = &["States", "states", "behaviour"];
const STATE_KEY_FIELDS: &[&str] = &["States_key", "stateKey", "behaviour_names"];
const ID_FIELDS: &[&str] = &["dataset", "animal_id"];
const NO_STATE: &str = "nostate";
/// The Kato et al. state flags in their documented order. HDF5 lists a struct's fields
/// alphabetically, so known flags are put back in this order (unknown ones follow).
const KATO_STATE_ORDER: &[&str] = &["fwd", "slow", "rev1", "rev2", "revsus", "dt", "vt", "nostate"];

/// Reads every worm in a file's top-level variables.
pub(crate) fn recordings_from_variables(
    vars: Vec<(String, MatValue)>,
    options: &LoadOptions,
) -> Result<Vec<Recording>> {
    let mut out = Vec::new();
    for (name, value) in &vars {
        let is_worm = matches!(value, MatValue::Struct { fields, .. } if fields.iter().any(|f| TRACE_FIELDS.contains(&f.as_str())));
        if !is_worm {
            continue;
        }
        let n = value.struct_len();
        for i in 0..n {
            let default_id = if n == 1 { name.clone() } else { format!("{name}[{}]", i + 1) };
            let worm = WormView { value, index: i, default_id };
            out.push(worm.into_recording(options).map_err(|e| e.in_field(format!("{name}({})", i + 1)))?);
        }
    }
    if !out.is_empty() {
        return Ok(out);
    }
    if !vars.iter().any(|(n, _)| TRACE_FIELDS.contains(&n.as_str())) {
        let found: Vec<&str> = vars.iter().map(|(n, _)| n.as_str()).collect();
        return Err(DataError::missing(
            "traces",
            format!("a variable or struct field named one of {TRACE_FIELDS:?} (found variables {found:?})"),
        ));
    }
    let (fields, values): (Vec<String>, Vec<MatValue>) = vars.into_iter().unzip();
    let top = MatValue::Struct { dims: vec![1, 1], fields, elements: vec![values] };
    let worm = WormView { value: &top, index: 0, default_id: String::new() };
    Ok(vec![worm.into_recording(options)?])
}

/// One element of a worm struct array.
struct WormView<'a> {
    value: &'a MatValue,
    index: usize,
    default_id: String,
}

impl WormView<'_> {
    /// The first present field of `names`, with its name for error messages.
    fn first(&self, names: &[&'static str]) -> Option<(&'static str, &MatValue)> {
        names.iter().find_map(|&n| self.value.field(self.index, n).map(|v| (n, v)))
    }

    fn into_recording(self, options: &LoadOptions) -> Result<Recording> {
        let (trace_field, traces) =
            self.first(TRACE_FIELDS).ok_or_else(|| DataError::missing("traces", "a trace field"))?;
        let MatValue::Numeric { dims, data } = traces else {
            return Err(
                DataError::wrong_type("a numeric frames x neurons matrix", traces.describe()).in_field(trace_field)
            );
        };
        if dims.len() > 2 {
            return Err(DataError::shape("a 2-D matrix", dims_text(dims)).in_field(trace_field));
        }
        let (m_rows, m_cols) = (dims.first().copied().unwrap_or(0), dims.get(1).copied().unwrap_or(1));
        let names = match self.first(NAME_FIELDS) {
            None => Vec::new(),
            Some((field, v)) => v
                .as_strings()
                .ok_or_else(|| DataError::wrong_type("a cell array of names", v.describe()).in_field(field))?,
        };
        let times = self.first(TIME_FIELDS).and_then(|(_, v)| v.as_numbers()).map(<[f64]>::to_vec);
        // Column-major MATLAB rows x cols is row-major cols x rows: rows of `matrix` are MATLAB columns.
        let matrix = Matrix { rows: m_cols, cols: m_rows, data: data.iter().map(|&v| v as f32).collect() };
        let orientation = match options.orientation {
            Orientation::Auto => Orientation::Auto,
            Orientation::FramesByNeurons => Orientation::NeuronsByFrames,
            Orientation::NeuronsByFrames => Orientation::FramesByNeurons,
        };
        let hints =
            AxisHints { n_frames: times.as_ref().map(Vec::len), n_neurons: (!names.is_empty()).then_some(names.len()) };
        let rows_are_frames =
            if orientation == Orientation::Auto && hints.n_frames.is_none() && hints.n_neurons.is_none() {
                false // the documented layout: MATLAB rows are frames
            } else {
                matrix.rows_are_frames(orientation, hints)
            };
        let (n_neurons, n_frames, activity) = matrix.into_neuron_major(rows_are_frames);
        let sampling_rate_hz =
            match (self.first(RATE_FIELDS).and_then(|(_, v)| v.as_numbers()?.first().copied()), &times) {
                (Some(fps), _) => Some(fps),
                (None, Some(t)) => Some(rate_from_times(t)?),
                (None, None) => options.sampling_rate_hz,
            };
        let behaviour = match self.first(STATE_FIELDS) {
            None => None,
            Some((field, states)) => Some(self.behaviour(states, n_frames).map_err(|e| e.in_field(field))?),
        };
        let animal_id = self
            .first(ID_FIELDS)
            .and_then(|(_, v)| v.as_text())
            .filter(|s| !s.trim().is_empty())
            .or_else(|| (!self.default_id.is_empty()).then(|| self.default_id.clone()));
        RecordingParts {
            activity,
            n_neurons,
            n_frames,
            sampling_rate_hz,
            names,
            behaviour,
            connectivity: None,
            animal_id,
            signals: Vec::new(),
        }
        .into_recording(options.missing_values)
    }

    fn behaviour(&self, states: &MatValue, n_frames: usize) -> Result<(Vec<i64>, Vec<String>)> {
        match states {
            MatValue::Struct { fields, elements, .. } if elements.len() == 1 => {
                flags_to_labels(fields, &elements[0], n_frames)
            }
            MatValue::Numeric { data, .. } => {
                let key = self
                    .first(STATE_KEY_FIELDS)
                    .and_then(|(_, v)| v.as_strings())
                    .ok_or_else(|| DataError::missing("States_key", "the names of the state codes (a cell array)"))?;
                let zero_based = data.contains(&0.0);
                let labels = data.iter().map(|&c| (c as i64).saturating_sub(i64::from(!zero_based))).collect();
                Ok((labels, key))
            }
            other => Err(DataError::wrong_type("a struct of logical vectors or integer codes", other.describe())),
        }
    }
}

/// One label per frame: the first state whose flag is set.
fn flags_to_labels(fields: &[String], vectors: &[MatValue], n_frames: usize) -> Result<(Vec<i64>, Vec<String>)> {
    let mut order: Vec<usize> = (0..fields.len().min(vectors.len())).collect();
    order.sort_by_key(|&i| KATO_STATE_ORDER.iter().position(|k| *k == fields[i]).unwrap_or(KATO_STATE_ORDER.len()));
    let mut states: Vec<String> = order.iter().map(|&i| fields[i].clone()).collect();
    let mut flags = Vec::with_capacity(fields.len());
    for (name, v) in order.iter().map(|&i| (&fields[i], &vectors[i])) {
        let values = v
            .as_numbers()
            .ok_or_else(|| DataError::wrong_type("a logical vector", v.describe()).in_field(name.clone()))?;
        if values.len() != n_frames {
            return Err(
                DataError::shape(format!("{n_frames} frames"), format!("{}", values.len())).in_field(name.clone())
            );
        }
        flags.push(values);
    }
    let no_state = match states.iter().position(|s| s == NO_STATE) {
        Some(i) => i,
        None => {
            states.push(NO_STATE.into());
            states.len() - 1
        }
    };
    let labels = (0..n_frames).map(|t| flags.iter().position(|f| f[t] != 0.0).unwrap_or(no_state) as i64).collect();
    Ok((labels, states))
}
