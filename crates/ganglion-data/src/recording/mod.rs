//! The one validated type every loader produces: [`Recording`].
//!
//! A recording is built from loosely-typed [`RecordingParts`] (what a file held) by
//! [`RecordingParts::into_recording`], which checks every invariant once so the rest of
//! the code can rely on them: activity is finite and `neurons x frames`, names are
//! unique, labels name existing states, the rate is positive.

mod checks;

pub use checks::rate_from_times;
use checks::{check_behaviour, check_rate, name_neurons, repair_or_reject_non_finite};

use crate::error::{DataError, Problem, Result};

/// Per-frame behavioural states: `labels[t]` indexes `states`, or is
/// [`Behaviour::UNLABELLED`] where the file had no value for that frame (a NaN in a
/// behaviour channel): such frames are left out of training and scoring, never given a
/// made-up state.
#[derive(Debug, Clone, PartialEq)]
pub struct Behaviour {
    /// One label per frame, each `< states.len()` or [`Behaviour::UNLABELLED`].
    pub labels: Vec<u32>,
    /// The state names, for example `["forward", "reverse", "turn"]`.
    pub states: Vec<String>,
}

impl Behaviour {
    /// The label of a frame with no known state (written as -1 in files).
    pub const UNLABELLED: u32 = u32::MAX;

    /// The state of frame `t`, `None` when unlabelled or out of range.
    pub fn state_at(&self, t: usize) -> Option<u32> {
        self.labels.get(t).copied().filter(|&l| l != Self::UNLABELLED)
    }
}

/// A continuous per-frame behaviour signal (velocity, head angle, ...), decoded by
/// regression. NaN marks frames where the file had no value; they are left out of
/// training and scoring.
#[derive(Debug, Clone, PartialEq)]
pub struct Signal {
    /// The signal's name, for example `velocity`.
    pub name: String,
    /// One value per frame (NaN = missing).
    pub values: Vec<f32>,
}

/// Known connectivity between the recording's neurons.
///
/// Convention: `weight(source, target)`; row = source (presynaptic), column = target
/// (postsynaptic), stored row-major. Zero means "no connection"; the sign says
/// excitatory (+) or inhibitory (-) where the source knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Connectivity {
    n: usize,
    weights: Vec<f32>,
}

impl Connectivity {
    /// Builds an `n x n` matrix from row-major weights (row = source).
    pub fn new(n: usize, weights: Vec<f32>) -> Result<Self> {
        if weights.len() != n * n {
            return Err(DataError::shape(format!("{n} x {n} weights"), format!("{} values", weights.len()))
                .in_field("connectivity"));
        }
        if let Some(i) = weights.iter().position(|w| !w.is_finite()) {
            return Err(DataError::wrong_type("finite weights", format!("{} at index {i}", weights[i]))
                .in_field("connectivity"));
        }
        Ok(Connectivity { n, weights })
    }

    /// Number of neurons on each side.
    pub fn len(&self) -> usize {
        self.n
    }

    /// True for a 0 x 0 matrix.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// The weight from `source` to `target`.
    pub fn weight(&self, source: usize, target: usize) -> f32 {
        self.weights[source * self.n + target]
    }

    /// Row-major weights, row = source.
    pub fn weights(&self) -> &[f32] {
        &self.weights
    }
}

/// One neuron's identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neuron {
    /// Unique within the recording. Unidentified neurons get `unnamed_<index>`.
    pub name: String,
    /// True when the name came from the file and identifies a real cell (for example
    /// `AVAL`); only identified neurons are aligned across animals.
    pub identified: bool,
}

/// What to do with NaN or infinite activity values.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MissingValues {
    /// Refuse the file, saying how many values are missing and where (the default).
    #[default]
    Reject,
    /// Fill each gap by linear interpolation in time within its neuron (edges take the
    /// nearest finite value).
    Interpolate,
}

/// What a file held, before validation. Loaders fill this and call
/// [`RecordingParts::into_recording`].
#[derive(Debug, Clone, Default)]
pub struct RecordingParts {
    /// Neuron-major activity: neuron `i`'s trace is `activity[i*n_frames..(i+1)*n_frames]`.
    pub activity: Vec<f32>,
    /// Number of neurons (rows).
    pub n_neurons: usize,
    /// Number of frames (columns).
    pub n_frames: usize,
    /// Frames per second; `None` when the file had none.
    pub sampling_rate_hz: Option<f64>,
    /// Names as the file gave them; empty or numeric-only entries count as unnamed.
    /// Empty vector = no names at all.
    pub names: Vec<String>,
    /// Per-frame labels (any integers) and the state names they index.
    pub behaviour: Option<(Vec<i64>, Vec<String>)>,
    /// Known connectivity, row = source.
    pub connectivity: Option<Connectivity>,
    /// Animal or session id.
    pub animal_id: Option<String>,
    /// Continuous behaviour signals, one value per frame each.
    pub signals: Vec<Signal>,
}

/// A validated recording: activity (neurons x frames, f32), sampling rate, unique
/// neuron names, and optional behaviour, connectivity and animal id.
#[derive(Debug, Clone, PartialEq)]
pub struct Recording {
    activity: Vec<f32>,
    n_neurons: usize,
    n_frames: usize,
    sampling_rate_hz: f64,
    neurons: Vec<Neuron>,
    behaviour: Option<Behaviour>,
    connectivity: Option<Connectivity>,
    animal_id: Option<String>,
    signals: Vec<Signal>,
}

impl RecordingParts {
    /// Validates the parts and builds a [`Recording`].
    pub fn into_recording(mut self, missing: MissingValues) -> Result<Recording> {
        if self.n_neurons == 0 {
            return Err(DataError::new(Problem::Empty { what: "neurons".into() }).in_field("activity"));
        }
        if self.n_frames == 0 {
            return Err(DataError::new(Problem::Empty { what: "frames".into() }).in_field("activity"));
        }
        let expected = self.n_neurons.checked_mul(self.n_frames);
        if expected != Some(self.activity.len()) {
            return Err(DataError::shape(
                format!("{} neurons x {} frames", self.n_neurons, self.n_frames),
                format!("{} values", self.activity.len()),
            )
            .in_field("activity"));
        }
        repair_or_reject_non_finite(&mut self.activity, self.n_frames, missing)?;
        let sampling_rate_hz = check_rate(self.sampling_rate_hz)?;
        let neurons = name_neurons(&self.names, self.n_neurons)?;
        let behaviour = match self.behaviour {
            Some((labels, states)) => Some(check_behaviour(labels, states, self.n_frames)?),
            None => None,
        };
        if let Some(c) = self.connectivity.as_ref().filter(|c| c.len() != self.n_neurons) {
            return Err(DataError::shape(
                format!("{0} x {0} (one row and column per neuron)", self.n_neurons),
                format!("{0} x {0}", c.len()),
            )
            .in_field("connectivity"));
        }
        if let Some(s) = self.signals.iter().find(|s| s.values.len() != self.n_frames) {
            return Err(DataError::shape(
                format!("{} values (one per frame)", self.n_frames),
                s.values.len().to_string(),
            )
            .in_field(s.name.clone()));
        }
        Ok(Recording {
            activity: self.activity,
            n_neurons: self.n_neurons,
            n_frames: self.n_frames,
            sampling_rate_hz,
            neurons,
            behaviour,
            connectivity: self.connectivity,
            animal_id: self.animal_id.filter(|s| !s.trim().is_empty()),
            signals: self.signals,
        })
    }
}

impl Recording {
    /// Number of neurons.
    pub fn n_neurons(&self) -> usize {
        self.n_neurons
    }
    /// Number of frames.
    pub fn n_frames(&self) -> usize {
        self.n_frames
    }
    /// Frames per second.
    pub fn sampling_rate_hz(&self) -> f64 {
        self.sampling_rate_hz
    }
    /// Duration in seconds.
    pub fn duration_s(&self) -> f64 {
        self.n_frames as f64 / self.sampling_rate_hz
    }
    /// All activity, neuron-major.
    pub fn activity(&self) -> &[f32] {
        &self.activity
    }
    /// One neuron's trace over all frames.
    pub fn trace(&self, neuron: usize) -> &[f32] {
        &self.activity[neuron * self.n_frames..(neuron + 1) * self.n_frames]
    }
    /// Activity of one neuron at one frame.
    pub fn value(&self, neuron: usize, frame: usize) -> f32 {
        self.activity[neuron * self.n_frames + frame]
    }
    /// The neurons, in row order.
    pub fn neurons(&self) -> &[Neuron] {
        &self.neurons
    }
    /// Row index of the neuron with this exact name.
    pub fn neuron_index(&self, name: &str) -> Option<usize> {
        self.neurons.iter().position(|n| n.name == name)
    }
    /// Per-frame behaviour labels, when the file had them.
    pub fn behaviour(&self) -> Option<&Behaviour> {
        self.behaviour.as_ref()
    }
    /// Known connectivity, when the file had it.
    pub fn connectivity(&self) -> Option<&Connectivity> {
        self.connectivity.as_ref()
    }
    /// Animal or session id.
    pub fn animal_id(&self) -> Option<&str> {
        self.animal_id.as_deref()
    }
    /// Continuous behaviour signals (empty when the file had none).
    pub fn signals(&self) -> &[Signal] {
        &self.signals
    }
    /// Sets the animal id (loaders of multi-animal files use it).
    pub fn with_animal_id(mut self, id: impl Into<String>) -> Self {
        self.animal_id = Some(id.into());
        self
    }
    /// Back to parts, for writers and transformations that rebuild a recording.
    pub fn to_parts(&self) -> RecordingParts {
        RecordingParts {
            activity: self.activity.clone(),
            n_neurons: self.n_neurons,
            n_frames: self.n_frames,
            sampling_rate_hz: Some(self.sampling_rate_hz),
            names: self.neurons.iter().map(|n| if n.identified { n.name.clone() } else { String::new() }).collect(),
            behaviour: self
                .behaviour
                .as_ref()
                .map(|b| (b.labels.iter().map(|&l| label_to_file(l)).collect(), b.states.clone())),
            connectivity: self.connectivity.clone(),
            animal_id: self.animal_id.clone(),
            signals: self.signals.clone(),
        }
    }
}

/// A label as files write it: -1 for an unlabelled frame.
pub fn label_to_file(label: u32) -> i64 {
    if label == Behaviour::UNLABELLED { -1 } else { i64::from(label) }
}
