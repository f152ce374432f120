//! Pixels for the canvas views: the activity heatmap with its behaviour ribbon, and
//! adjacency matrices. Pure functions from numbers to RGBA bytes (tested natively); the
//! components put them on a canvas in one `putImageData`, so 302 neurons x 3,000 frames
//! is one image, not thousands of DOM nodes.

use ganglion_data::Recording;

/// An RGBA image, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct Pixels {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// `width * height * 4` bytes.
    pub rgba: Vec<u8>,
}

impl Pixels {
    fn new(width: usize, height: usize) -> Self {
        Pixels { width, height, rgba: vec![255; width * height * 4] }
    }

    fn set(&mut self, x: usize, y: usize, [r, g, b]: [u8; 3]) {
        let k = (y * self.width + x) * 4;
        self.rgba[k..k + 3].copy_from_slice(&[r, g, b]);
    }
}

/// Viridis, sampled at five points and interpolated: `t` in 0..=1.
pub fn viridis(t: f32) -> [u8; 3] {
    const STOPS: [[f32; 3]; 5] =
        [[68.0, 1.0, 84.0], [59.0, 82.0, 139.0], [33.0, 145.0, 140.0], [94.0, 201.0, 98.0], [253.0, 231.0, 37.0]];
    let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.0 } * 4.0;
    let i = (t.floor() as usize).min(3);
    let f = t - i as f32;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    [0, 1, 2].map(|c| (a[c] + (b[c] - a[c]) * f).round() as u8)
}

/// Blue-white-red for signed values: `v` in -1..=1.
pub fn diverging(v: f32) -> [u8; 3] {
    let v = if v.is_finite() { v.clamp(-1.0, 1.0) } else { 0.0 };
    let fade = |c: f32, k: f32| (255.0 + (c - 255.0) * k).round() as u8;
    if v >= 0.0 {
        [fade(178.0, v), fade(24.0, v), fade(43.0, v)]
    } else {
        [fade(33.0, -v), fade(102.0, -v), fade(172.0, -v)]
    }
}

/// Colours of behaviour states (ribbon), cycling past eight.
pub const STATE_COLOURS: [[u8; 3]; 8] = [
    [76, 114, 176],
    [221, 132, 82],
    [85, 168, 104],
    [196, 78, 82],
    [129, 114, 179],
    [147, 120, 96],
    [218, 139, 195],
    [140, 140, 140],
];

/// Rows of the behaviour ribbon under the heatmap.
pub const RIBBON: usize = 6;

/// Activity of `frames` as an image: one row per neuron (z-scored over the shown frames,
/// clipped at 2.5 SD), at most `max_width` columns (frames are averaged into columns),
/// then a gap row and the behaviour ribbon when the recording has labels.
pub fn activity(rec: &Recording, frames: std::ops::Range<usize>, max_width: usize) -> Pixels {
    let frames = frames.start.min(rec.n_frames())..frames.end.min(rec.n_frames());
    let t = frames.len().max(1);
    let width = t.min(max_width.max(1));
    let n = rec.n_neurons();
    let ribbon = if rec.behaviour().is_some() { RIBBON + 1 } else { 0 };
    let mut img = Pixels::new(width, n + ribbon);
    let column = |x: usize| {
        frames.start + x * t / width..(frames.start + (x + 1) * t / width).max(frames.start + x * t / width + 1)
    };
    for i in 0..n {
        let trace = &rec.trace(i)[frames.clone()];
        let mean = trace.iter().sum::<f32>() / t as f32;
        let sd = (trace.iter().map(|v| (v - mean).powi(2)).sum::<f32>() / t as f32).sqrt().max(1e-6);
        for x in 0..width {
            let cols = column(x);
            let len = cols.len() as f32;
            let v = rec.trace(i)[cols].iter().sum::<f32>() / len;
            img.set(x, i, viridis(((v - mean) / sd / 2.5 + 1.0) / 2.0));
        }
    }
    if let Some(b) = rec.behaviour() {
        for x in 0..width {
            // Unlabelled frames (no value in the file) stay the background colour.
            let Some(state) = b.state_at(column(x).start) else { continue };
            for y in n + 1..n + ribbon {
                img.set(x, y, STATE_COLOURS[state as usize % STATE_COLOURS.len()]);
            }
        }
    }
    img
}

/// An `n x n` matrix (row = sender) as an image: probabilities in viridis stretched
/// over their off-diagonal range (early in training they differ only a little), or
/// signed weights (scaled by the largest magnitude) in blue-white-red.
pub fn matrix(values: &[f32], signed: bool) -> Pixels {
    let n = (values.len() as f64).sqrt() as usize;
    let mut img = Pixels::new(n, n);
    let scale = values.iter().fold(0.0f32, |m, v| m.max(v.abs())).max(1e-9);
    let off_diagonal = values.iter().take(n * n).enumerate().filter(|(k, _)| k / n != k % n).map(|(_, v)| *v);
    let (lo, hi) = off_diagonal.fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let span = (hi - lo).max(1e-9);
    for (k, v) in values.iter().take(n * n).enumerate() {
        let colour = if signed { diverging(v / scale) } else { viridis((v - lo) / span) };
        img.set(k % n, k / n, colour);
    }
    img
}

#[cfg(test)]
mod tests {
    use super::*;
    use ganglion_data::synth::{SynthConfig, synth_worms};

    #[test]
    fn heatmap_has_a_row_per_neuron_and_a_ribbon() {
        let rec = &synth_worms(&SynthConfig { n_neurons: 5, n_frames: 300, n_animals: 1, ..Default::default() })[0];
        let img = activity(rec, 0..300, 100);
        assert_eq!((img.width, img.height), (100, 5 + RIBBON + 1));
        assert_eq!(img.rgba.len(), 100 * (5 + RIBBON + 1) * 4);
        let ribbon_row = (5 + 2) * 100 * 4;
        assert!(STATE_COLOURS.iter().any(|c| img.rgba[ribbon_row..ribbon_row + 3] == c[..]));
        let zoomed = activity(rec, 100..150, 100);
        assert_eq!(zoomed.width, 50, "fewer frames than columns: one column per frame");
    }

    #[test]
    fn colour_maps_cover_their_ends() {
        assert_eq!(viridis(0.0), [68, 1, 84]);
        assert_eq!(viridis(1.0), [253, 231, 37]);
        assert_eq!(viridis(f32::NAN), [68, 1, 84]);
        assert_eq!(diverging(0.0), [255, 255, 255]);
        assert_eq!(diverging(1.0), [178, 24, 43]);
        let m = matrix(&[0.0, 1.0, -2.0, 0.5], true);
        assert_eq!((m.width, m.height), (2, 2));
        assert_eq!(m.rgba[8..11], diverging(-1.0));
        let p = matrix(&[0.9, 0.2, 0.4, 0.9], false);
        assert_eq!(p.rgba[4..7], viridis(0.0), "stretched over the off-diagonal range");
        assert_eq!(p.rgba[8..11], viridis(1.0));
    }
}
