//! Sliding windows over a recording: `history` frames in, `horizon` frames to predict.

use std::ops::Range;

use crate::error::{DataError, Result};
use crate::recording::Recording;

/// Window geometry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowSpec {
    /// Frames the model sees.
    pub history: usize,
    /// Frames after the history the model predicts (0 for classification only).
    pub horizon: usize,
    /// Frames between the starts of consecutive windows.
    pub stride: usize,
}

impl WindowSpec {
    /// Frames one window spans.
    pub fn span(&self) -> usize {
        self.history + self.horizon
    }
}

/// One window: a view into a recording, no copy.
#[derive(Debug, Clone, Copy)]
pub struct Window<'a> {
    /// The recording it views.
    pub recording: &'a Recording,
    /// First frame of the history.
    pub start: usize,
    /// Geometry.
    pub spec: WindowSpec,
}

impl<'a> Window<'a> {
    /// The history frames of one neuron.
    pub fn history(&self, neuron: usize) -> &'a [f32] {
        &self.recording.trace(neuron)[self.start..self.start + self.spec.history]
    }

    /// The frames to predict for one neuron.
    pub fn target(&self, neuron: usize) -> &'a [f32] {
        let from = self.start + self.spec.history;
        &self.recording.trace(neuron)[from..from + self.spec.horizon]
    }

    /// The continuous behaviour signals at the window's last history frame (one value
    /// per signal of the recording), or `None` when it has none or any is missing there.
    pub fn signals(&self) -> Option<Vec<f32>> {
        let t = self.last_history_frame();
        let values: Vec<f32> = self.recording.signals().iter().map(|s| s.values[t]).collect();
        (!values.is_empty() && values.iter().all(|v| v.is_finite())).then_some(values)
    }

    /// The behaviour label of the window: the state at its last history frame.
    pub fn label(&self) -> Option<u32> {
        self.recording.behaviour()?.state_at(self.last_history_frame())
    }

    /// The frame the window's label and signals are read at.
    fn last_history_frame(&self) -> usize {
        self.start + self.spec.history - 1
    }
}

/// All windows whose span lies inside `frames`.
pub fn windows(
    recording: &Recording,
    frames: Range<usize>,
    spec: WindowSpec,
) -> Result<impl Iterator<Item = Window<'_>>> {
    if spec.history == 0 || spec.stride == 0 {
        return Err(DataError::bad_request("a window needs a history and a stride of at least one frame"));
    }
    if frames.end > recording.n_frames() || frames.start > frames.end {
        return Err(DataError::bad_request(format!(
            "frames {}..{} are outside the recording's {} frames",
            frames.start,
            frames.end,
            recording.n_frames()
        )));
    }
    // One past the last start; empty when no window fits.
    let end = (frames.end + 1).saturating_sub(spec.span()).max(frames.start);
    let starts = (frames.start..end).step_by(spec.stride);
    Ok(starts.map(move |start| Window { recording, start, spec }))
}
