//! A 2-D numeric matrix as files store it, and the rule that decides which axis is time.

use crate::error::{DataError, Result};

/// Which axis of a stored matrix is time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Orientation {
    /// Decide from what else the file says (a time vector, the names); failing that,
    /// the longer axis is time, since recordings have more frames than neurons.
    #[default]
    Auto,
    /// Rows are neurons, columns are frames.
    NeuronsByFrames,
    /// Rows are frames, columns are neurons.
    FramesByNeurons,
}

/// A row-major matrix of `rows x cols`.
#[derive(Debug, Clone)]
pub(crate) struct Matrix {
    pub rows: usize,
    pub cols: usize,
    pub data: Vec<f32>,
}

/// What else the file says about the axes, to resolve [`Orientation::Auto`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct AxisHints {
    pub n_frames: Option<usize>,
    pub n_neurons: Option<usize>,
}

impl Matrix {
    /// Whether rows are frames, by `orientation` and then `hints`.
    pub fn rows_are_frames(&self, orientation: Orientation, hints: AxisHints) -> bool {
        rows_are_frames(self.rows, self.cols, orientation, hints)
    }

    /// `(n_neurons, n_frames, neuron-major data)`.
    pub fn into_neuron_major(self, rows_are_frames: bool) -> (usize, usize, Vec<f32>) {
        if rows_are_frames {
            (self.cols, self.rows, transpose(&self.data, self.rows, self.cols))
        } else {
            (self.rows, self.cols, self.data)
        }
    }
}

/// Whether the rows of a `rows x cols` matrix are frames, by `orientation` and then
/// `hints` (the rule of [`Orientation::Auto`]).
pub(crate) fn rows_are_frames(rows: usize, cols: usize, orientation: Orientation, hints: AxisHints) -> bool {
    match orientation {
        Orientation::NeuronsByFrames => false,
        Orientation::FramesByNeurons => true,
        Orientation::Auto => {
            let (r, c) = (Some(rows), Some(cols));
            if hints.n_frames.is_some() && hints.n_frames != hints.n_neurons {
                if hints.n_frames == r && hints.n_frames != c {
                    return true;
                }
                if hints.n_frames == c && hints.n_frames != r {
                    return false;
                }
            }
            if hints.n_neurons.is_some() {
                if hints.n_neurons == c && hints.n_neurons != r {
                    return true;
                }
                if hints.n_neurons == r && hints.n_neurons != c {
                    return false;
                }
            }
            rows > cols
        }
    }
}

/// Little-endian IEEE floats of `width` bytes (4 or 8) as f32; `None` for other widths.
pub(crate) fn le_floats_as_f32(raw: &[u8], width: usize) -> Option<Vec<f32>> {
    match width {
        4 => Some(raw.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect()),
        8 => Some(le_floats_as_f64(raw, 8)?.into_iter().map(|v| v as f32).collect()),
        _ => None,
    }
}

/// Little-endian IEEE floats of `width` bytes (4 or 8) as f64; `None` for other widths.
pub(crate) fn le_floats_as_f64(raw: &[u8], width: usize) -> Option<Vec<f64>> {
    match width {
        4 => Some(raw.chunks_exact(4).map(|c| f64::from(f32::from_le_bytes([c[0], c[1], c[2], c[3]]))).collect()),
        8 => Some(
            raw.chunks_exact(8).map(|c| f64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]])).collect(),
        ),
        _ => None,
    }
}

/// Row-major `rows x cols` to row-major `cols x rows`, in cache-sized blocks (a naive
/// transpose of a whole-worm recording is several times slower).
pub(crate) fn transpose(data: &[f32], rows: usize, cols: usize) -> Vec<f32> {
    const BLOCK: usize = 32;
    let mut out = vec![0.0f32; data.len()];
    for r0 in (0..rows).step_by(BLOCK) {
        for c0 in (0..cols).step_by(BLOCK) {
            for r in r0..(r0 + BLOCK).min(rows) {
                let row = &data[r * cols..(r + 1) * cols];
                for c in c0..(c0 + BLOCK).min(cols) {
                    out[c * rows + r] = row[c];
                }
            }
        }
    }
    out
}

/// Checks a stored shape is 2-D (a 1-D array is one neuron) and returns `(rows, cols)`.
pub(crate) fn two_d(shape: &[u64], field: &str) -> Result<(usize, usize)> {
    let dims: Vec<usize> = shape.iter().map(|&d| usize::try_from(d).unwrap_or(usize::MAX)).collect();
    match dims.as_slice() {
        [n] => Ok((1, *n)),
        [r, c] => Ok((*r, *c)),
        _ => Err(DataError::shape("a 2-D array (neurons x frames)", format!("shape {shape:?}")).in_field(field)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transposes_frames_by_neurons() {
        let m = Matrix { rows: 3, cols: 2, data: vec![1., 10., 2., 20., 3., 30.] };
        assert!(m.rows_are_frames(Orientation::Auto, AxisHints::default()));
        let (n, t, d) = m.into_neuron_major(true);
        assert_eq!((n, t), (2, 3));
        assert_eq!(d, vec![1., 2., 3., 10., 20., 30.]);
    }

    #[test]
    fn hints_override_the_longer_axis_rule() {
        let m = Matrix { rows: 5, cols: 4, data: vec![0.; 20] };
        let hints = AxisHints { n_frames: Some(4), n_neurons: None };
        assert!(!m.rows_are_frames(Orientation::Auto, hints));
        let hints = AxisHints { n_frames: None, n_neurons: Some(4) };
        assert!(m.rows_are_frames(Orientation::Auto, hints));
    }
}
