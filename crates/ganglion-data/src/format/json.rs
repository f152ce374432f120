//! ganglion's JSON schema for recordings, versioned.
//!
//! ```json
//! {
//!   "format": "ganglion-recording",
//!   "version": 1,
//!   "sampling_rate_hz": 2.9,
//!   "animal_id": "worm-1",
//!   "neurons": ["AVAL", "AVAR", ""],
//!   "activity": [[0.1, 0.2], [0.0, 0.3], [1.0, null]],
//!   "behaviour": { "states": ["forward", "reverse"], "labels": [0, 1] },
//!   "connectivity": { "convention": "row=source,column=target", "weights": [[0, 1, 0], [0, 0, 0], [0, 0, 0]] },
//!   "signals": [{ "name": "velocity", "values": [0.4, null] }]
//! }
//! ```
//! `activity` has one array per neuron; `null` is a missing value. `neurons`,
//! `behaviour`, `connectivity`, `signals` (continuous behaviour, one value per frame;
//! `null` where it was not measured) and `animal_id` are optional; empty names are
//! unnamed.

use serde::{Deserialize, Serialize};

use super::LoadOptions;
use crate::error::{DataError, Problem, Result};
use crate::recording::{Connectivity, Recording, RecordingParts, Signal};

/// The value of the `format` field.
pub const JSON_FORMAT_NAME: &str = "ganglion-recording";
/// The schema version this build reads and writes.
pub const JSON_SCHEMA_VERSION: u32 = 1;
const CONVENTION: &str = "row=source,column=target";

#[derive(Serialize, Deserialize)]
struct JsonRecording {
    format: String,
    version: u32,
    sampling_rate_hz: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    animal_id: Option<String>,
    #[serde(default)]
    neurons: Vec<String>,
    activity: Vec<Vec<Option<f32>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    behaviour: Option<JsonBehaviour>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    connectivity: Option<JsonConnectivity>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    signals: Vec<JsonSignal>,
}

#[derive(Serialize, Deserialize)]
struct JsonSignal {
    name: String,
    values: Vec<Option<f32>>,
}

#[derive(Serialize, Deserialize)]
struct JsonBehaviour {
    states: Vec<String>,
    labels: Vec<i64>,
}

#[derive(Serialize, Deserialize)]
struct JsonConnectivity {
    convention: String,
    weights: Vec<Vec<f32>>,
}

#[derive(Deserialize)]
struct Envelope {
    format: Option<String>,
    version: Option<serde_json::Value>,
}

pub(super) fn load(bytes: &[u8], options: &LoadOptions) -> Result<Recording> {
    let envelope: Envelope = serde_json::from_slice(bytes).map_err(|e| DataError::malformed("JSON", e))?;
    if envelope.format.as_deref() != Some(JSON_FORMAT_NAME) {
        return Err(DataError::missing("format", format!("\"format\": \"{JSON_FORMAT_NAME}\"")));
    }
    match envelope.version.as_ref().and_then(serde_json::Value::as_u64) {
        Some(v) if v == u64::from(JSON_SCHEMA_VERSION) => {}
        other => {
            return Err(DataError::new(Problem::UnsupportedVersion {
                found: other.map_or_else(|| format!("{:?}", envelope.version), |v| v.to_string()),
                supported: JSON_SCHEMA_VERSION.to_string(),
            })
            .in_field("version"));
        }
    }
    let doc: JsonRecording = serde_json::from_slice(bytes).map_err(|e| DataError::malformed("JSON", e))?;
    let n_neurons = doc.activity.len();
    let n_frames = doc.activity.first().map_or(0, Vec::len);
    if let Some(i) = doc.activity.iter().position(|row| row.len() != n_frames) {
        return Err(DataError::shape(
            format!("{n_frames} values per neuron (as neuron 0)"),
            format!("{} for neuron {i}", doc.activity[i].len()),
        )
        .in_field("activity"));
    }
    let activity = doc.activity.into_iter().flatten().map(|v| v.unwrap_or(f32::NAN)).collect();
    let connectivity = match doc.connectivity {
        None => None,
        Some(c) => {
            if c.convention != CONVENTION {
                return Err(DataError::wrong_type(format!("\"{CONVENTION}\""), format!("{:?}", c.convention))
                    .in_field("connectivity.convention"));
            }
            if c.weights.iter().any(|r| r.len() != c.weights.len()) {
                return Err(DataError::shape("a square matrix", "rows of other lengths").in_field("connectivity"));
            }
            let n = c.weights.len();
            Some(Connectivity::new(n, c.weights.into_iter().flatten().collect())?)
        }
    };
    RecordingParts {
        activity,
        n_neurons,
        n_frames,
        sampling_rate_hz: doc.sampling_rate_hz.or(options.sampling_rate_hz),
        names: doc.neurons,
        behaviour: doc.behaviour.map(|b| (b.labels, b.states)),
        connectivity,
        animal_id: doc.animal_id,
        signals: doc
            .signals
            .into_iter()
            .map(|s| Signal { name: s.name, values: s.values.into_iter().map(|v| v.unwrap_or(f32::NAN)).collect() })
            .collect(),
    }
    .into_recording(options.missing_values)
}

/// Writes a recording in the JSON schema above.
pub fn to_json(recording: &Recording) -> Result<Vec<u8>> {
    let doc = JsonRecording {
        format: JSON_FORMAT_NAME.into(),
        version: JSON_SCHEMA_VERSION,
        sampling_rate_hz: Some(recording.sampling_rate_hz()),
        animal_id: recording.animal_id().map(str::to_owned),
        neurons: recording
            .neurons()
            .iter()
            .map(|n| if n.identified { n.name.clone() } else { String::new() })
            .collect(),
        activity: (0..recording.n_neurons()).map(|i| recording.trace(i).iter().map(|&v| Some(v)).collect()).collect(),
        behaviour: recording.behaviour().map(|b| JsonBehaviour {
            states: b.states.clone(),
            labels: b.labels.iter().map(|&l| crate::recording::label_to_file(l)).collect(),
        }),
        connectivity: recording.connectivity().map(|c| JsonConnectivity {
            convention: CONVENTION.into(),
            weights: c.weights().chunks(c.len().max(1)).map(<[f32]>::to_vec).collect(),
        }),
        signals: recording
            .signals()
            .iter()
            .map(|s| JsonSignal {
                name: s.name.clone(),
                values: s.values.iter().map(|v| v.is_finite().then_some(*v)).collect(),
            })
            .collect(),
    };
    serde_json::to_vec(&doc).map_err(|e| DataError::malformed("JSON", format!("while writing: {e}")))
}
