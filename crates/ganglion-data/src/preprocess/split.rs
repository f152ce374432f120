//! Splits by time within a recording and by animal across recordings.

use std::ops::Range;

use crate::error::{DataError, Result};
use crate::recording::Recording;

/// Contiguous train / validation / test frame ranges, in that order in time, separated
/// by `gap` frames so no window straddles two parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeSplit {
    /// Training frames.
    pub train: Range<usize>,
    /// Validation frames (early stopping).
    pub validation: Range<usize>,
    /// Held-out test frames.
    pub test: Range<usize>,
}

/// Splits `n_frames` by the fractions given (the test part takes the rest).
pub fn split_by_time(n_frames: usize, train: f64, validation: f64, gap: usize) -> Result<TimeSplit> {
    if !(train > 0.0 && validation >= 0.0 && train + validation <= 1.0) {
        return Err(DataError::bad_request(format!(
            "split fractions train={train}, validation={validation} must be positive and sum to at most 1"
        )));
    }
    let usable = n_frames.saturating_sub(2 * gap);
    let n_train = (usable as f64 * train).floor() as usize;
    let n_val = (usable as f64 * validation).floor() as usize;
    let train_r = 0..n_train;
    let val_start = (n_train + gap).min(n_frames);
    let validation_r = val_start..(val_start + n_val).min(n_frames);
    let test_start = (validation_r.end + gap).min(n_frames);
    if n_train == 0 {
        return Err(DataError::bad_request(format!("{n_frames} frames are too few to split")));
    }
    Ok(TimeSplit { train: train_r, validation: validation_r, test: test_start..n_frames })
}

/// One fold of leave-one-animal-out: train on the others, test on `test`.
#[derive(Debug, Clone)]
pub struct AnimalSplit<'a> {
    /// The recordings to train on.
    pub train: Vec<&'a Recording>,
    /// The held-out animal.
    pub test: &'a Recording,
}

/// One fold per recording, each held out once.
pub fn leave_one_animal_out(recordings: &[Recording]) -> impl Iterator<Item = AnimalSplit<'_>> {
    (0..recordings.len()).map(move |held| AnimalSplit {
        train: recordings.iter().enumerate().filter(|(i, _)| *i != held).map(|(_, r)| r).collect(),
        test: &recordings[held],
    })
}
