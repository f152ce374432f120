//! Typed errors for everything that turns bytes into a [`Recording`](crate::Recording).
//!
//! Every error names the file (when known), the field and what was expected, so a
//! scientist reading it knows what to fix in their data. [`DataError::code`] is a
//! stable machine-readable code that the JS API exposes unchanged.

use std::fmt;

/// What went wrong, without the file/field context that [`DataError`] adds.
///
/// Variant fields are named for what they hold; the variant docs say what they mean.
#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// The bytes are in no format we read.
    UnknownFormat { detail: String },
    /// The bytes claim a format but do not follow it.
    Malformed { format: &'static str, detail: String },
    /// A field that the layout needs is absent.
    MissingField { expected: String },
    /// A field holds a type we cannot use.
    WrongType { expected: String, found: String },
    /// Sizes that must agree do not.
    ShapeMismatch { expected: String, found: String },
    /// A delimited text row has a different number of cells than the header.
    RaggedRow { line: u64, expected: usize, found: usize },
    /// A cell of a text file is not a number.
    NotANumber { line: u64, column: usize, text: String },
    /// The recording has no neurons or no frames.
    Empty { what: String },
    /// NaN or infinite activity values, with where the first ones are.
    NonFinite { count: usize, first: Vec<(usize, usize)> },
    /// A neuron that is entirely missing cannot be interpolated.
    NothingToInterpolate { neuron: usize },
    /// Two neurons share a name.
    DuplicateName { name: String, first: usize, second: usize },
    /// A behaviour label refers to a state that has no name.
    LabelOutOfRange { frame: usize, label: i64, n_states: usize },
    /// The sampling rate is absent, zero, negative or not finite.
    BadSamplingRate { detail: String },
    /// A documented schema version we do not read.
    UnsupportedVersion { found: String, supported: String },
    /// A feature of the format that ganglion does not read (say which).
    Unsupported { detail: String },
    /// The file describes more data than it holds (guards against huge allocations).
    TooLarge { detail: String },
    /// A request that does not fit the recording (bad window, split, neuron list).
    BadRequest { detail: String },
    /// The compute device failed (lost GPU, out of memory, failed readback).
    Device { detail: String },
    /// A saved model that cannot be read or does not fit the recording.
    Checkpoint { detail: String },
    /// Names tables kept beside the data that do not pair up with the data files (a
    /// table named after no file, a file without its table, two tables for one file).
    UnmatchedNames { detail: String },
}

impl Problem {
    /// A stable code for programs (and the JS API's `Error.code`).
    pub fn code(&self) -> &'static str {
        match self {
            Problem::UnknownFormat { .. } => "unknown_format",
            Problem::Malformed { .. } => "malformed",
            Problem::MissingField { .. } => "missing_field",
            Problem::WrongType { .. } => "wrong_type",
            Problem::ShapeMismatch { .. } => "shape_mismatch",
            Problem::RaggedRow { .. } => "ragged_row",
            Problem::NotANumber { .. } => "not_a_number",
            Problem::Empty { .. } => "empty",
            Problem::NonFinite { .. } => "non_finite",
            Problem::NothingToInterpolate { .. } => "nothing_to_interpolate",
            Problem::DuplicateName { .. } => "duplicate_name",
            Problem::LabelOutOfRange { .. } => "label_out_of_range",
            Problem::BadSamplingRate { .. } => "bad_sampling_rate",
            Problem::UnsupportedVersion { .. } => "unsupported_version",
            Problem::Unsupported { .. } => "unsupported",
            Problem::TooLarge { .. } => "too_large",
            Problem::BadRequest { .. } => "bad_request",
            Problem::Device { .. } => "device",
            Problem::Checkpoint { .. } => "checkpoint",
            Problem::UnmatchedNames { .. } => "unmatched_names",
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::UnknownFormat { detail } => write!(
                f,
                "not a recognised recording format ({detail}); expected NPY, NPZ, CSV/TSV, \
                 JSON, MATLAB .mat (v5 or v7.3) or NWB"
            ),
            Problem::Malformed { format, detail } => write!(f, "not a valid {format} file: {detail}"),
            Problem::MissingField { expected } => write!(f, "missing: expected {expected}"),
            Problem::WrongType { expected, found } => write!(f, "expected {expected}, found {found}"),
            Problem::ShapeMismatch { expected, found } => {
                write!(f, "shape mismatch: expected {expected}, found {found}")
            }
            Problem::RaggedRow { line, expected, found } => {
                write!(f, "line {line} has {found} cells but the header has {expected}")
            }
            Problem::NotANumber { line, column, text } => {
                write!(f, "line {line}, column {column}: {text:?} is not a number")
            }
            Problem::Empty { what } => write!(f, "empty: the recording has no {what}"),
            Problem::NonFinite { count, first } => {
                let places: Vec<String> = first.iter().map(|(n, t)| format!("neuron {n} frame {t}")).collect();
                write!(
                    f,
                    "{count} activity value(s) are NaN or infinite (first at {}); \
                     fix the file or load with interpolation of missing values",
                    places.join(", ")
                )
            }
            Problem::NothingToInterpolate { neuron } => write!(
                f,
                "neuron {neuron} has no finite value at all, so it cannot be interpolated; \
                 remove it from the file"
            ),
            Problem::DuplicateName { name, first, second } => {
                write!(f, "neurons {first} and {second} are both named {name:?}; names must be unique")
            }
            Problem::LabelOutOfRange { frame, label, n_states } => write!(
                f,
                "frame {frame} has behaviour label {label}, but only {n_states} state name(s) \
                 exist (labels run from 0 to {})",
                n_states.saturating_sub(1)
            ),
            Problem::BadSamplingRate { detail } => write!(f, "bad sampling rate: {detail}"),
            Problem::UnsupportedVersion { found, supported } => {
                write!(f, "version {found} is not supported (this build reads {supported})")
            }
            Problem::Unsupported { detail } => write!(f, "not supported: {detail}"),
            Problem::TooLarge { detail } => write!(f, "too large or truncated: {detail}"),
            Problem::BadRequest { detail } => write!(f, "{detail}"),
            Problem::Device { detail } => write!(f, "the compute device failed: {detail}"),
            Problem::Checkpoint { detail } => write!(f, "saved model: {detail}"),
            Problem::UnmatchedNames { detail } => write!(f, "neuron names tables: {detail}"),
        }
    }
}

/// An error with the place it happened: which file and which field.
#[derive(Debug, Clone, PartialEq)]
pub struct DataError {
    /// The file's name as the user gave it, when known.
    pub file: Option<String>,
    /// The field (array, column, dataset path) the problem is in, when there is one.
    pub field: Option<String>,
    /// What is wrong.
    pub problem: Problem,
}

impl DataError {
    /// An error with no file or field yet; loaders add them with [`DataError::in_field`]
    /// and [`DataError::in_file`].
    pub fn new(problem: Problem) -> Self {
        DataError { file: None, field: None, problem }
    }

    /// Names the field, unless a more specific one is already set.
    pub fn in_field(mut self, field: impl Into<String>) -> Self {
        if self.field.is_none() {
            self.field = Some(field.into());
        }
        self
    }

    /// Names the file, unless one is already set.
    pub fn in_file(mut self, file: Option<&str>) -> Self {
        if self.file.is_none() {
            self.file = file.map(str::to_owned);
        }
        self
    }

    /// The stable code of [`Problem::code`].
    pub fn code(&self) -> &'static str {
        self.problem.code()
    }

    /// Shorthand for a [`Problem::Malformed`] error.
    pub fn malformed(format: &'static str, detail: impl fmt::Display) -> Self {
        DataError::new(Problem::Malformed { format, detail: detail.to_string() })
    }

    /// Shorthand for a [`Problem::MissingField`] error on `field`.
    pub fn missing(field: &str, expected: impl Into<String>) -> Self {
        DataError::new(Problem::MissingField { expected: expected.into() }).in_field(field)
    }

    /// Shorthand for a [`Problem::WrongType`] error.
    pub fn wrong_type(expected: impl Into<String>, found: impl Into<String>) -> Self {
        DataError::new(Problem::WrongType { expected: expected.into(), found: found.into() })
    }

    /// Shorthand for a [`Problem::ShapeMismatch`] error.
    pub fn shape(expected: impl Into<String>, found: impl Into<String>) -> Self {
        DataError::new(Problem::ShapeMismatch { expected: expected.into(), found: found.into() })
    }

    /// Shorthand for a [`Problem::Device`] error.
    pub fn device(detail: impl Into<String>) -> Self {
        DataError::new(Problem::Device { detail: detail.into() })
    }

    /// Shorthand for a [`Problem::Checkpoint`] error.
    pub fn checkpoint(detail: impl Into<String>) -> Self {
        DataError::new(Problem::Checkpoint { detail: detail.into() })
    }

    /// Shorthand for a [`Problem::UnmatchedNames`] error.
    pub fn unmatched_names(detail: impl Into<String>) -> Self {
        DataError::new(Problem::UnmatchedNames { detail: detail.into() })
    }

    /// Shorthand for a [`Problem::BadRequest`] error.
    pub fn bad_request(detail: impl Into<String>) -> Self {
        DataError::new(Problem::BadRequest { detail: detail.into() })
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{file}: ")?;
        }
        if let Some(field) = &self.field {
            write!(f, "field `{field}`: ")?;
        }
        write!(f, "{}", self.problem)
    }
}

impl std::error::Error for DataError {}

/// Result of every fallible function in this crate.
pub type Result<T, E = DataError> = std::result::Result<T, E>;
