//! The checks [`RecordingParts::into_recording`](super::RecordingParts::into_recording)
//! runs once: a positive rate, unique names (generated where a file has none), labels
//! that name existing states, and activity that is finite or, where asked, repaired.

use super::{Behaviour, MissingValues, Neuron};
use crate::error::{DataError, Problem, Result};
use crate::names::{generated_name, identified_name};

pub(super) fn check_rate(rate: Option<f64>) -> Result<f64> {
    match rate {
        None => Err(DataError::new(Problem::BadSamplingRate {
            detail: "the file gives no sampling rate or time vector; pass one in the load options".into(),
        })
        .in_field("sampling_rate_hz")),
        Some(r) if r.is_finite() && r > 0.0 => Ok(r),
        Some(r) => Err(DataError::new(Problem::BadSamplingRate {
            detail: format!("{r} Hz; expected a positive number of frames per second"),
        })
        .in_field("sampling_rate_hz")),
    }
}

/// Estimates frames per second from a time vector (seconds), checking it increases.
pub fn rate_from_times(times: &[f64]) -> Result<f64> {
    let err = |detail: String| DataError::new(Problem::BadSamplingRate { detail }).in_field("time");
    if times.len() < 2 {
        return Err(err("a time vector needs at least two frames to give a rate".into()));
    }
    if let Some(i) = times.windows(2).position(|w| w[1].partial_cmp(&w[0]) != Some(std::cmp::Ordering::Greater)) {
        return Err(err(format!(
            "time must increase frame by frame, but frame {} ({}) is not after frame {} ({})",
            i + 1,
            times[i + 1],
            i,
            times[i]
        )));
    }
    let span = times[times.len() - 1] - times[0];
    Ok((times.len() - 1) as f64 / span)
}

pub(super) fn name_neurons(names: &[String], n: usize) -> Result<Vec<Neuron>> {
    if !names.is_empty() && names.len() != n {
        return Err(DataError::shape(format!("{n} names (one per neuron)"), format!("{} names", names.len()))
            .in_field("neuron_names"));
    }
    let mut neurons = Vec::with_capacity(n);
    let mut seen = std::collections::HashMap::new();
    for i in 0..n {
        let neuron = match names.get(i).and_then(|s| identified_name(s)) {
            Some(name) => Neuron { name, identified: true },
            None => Neuron { name: generated_name(i), identified: false },
        };
        if let Some(&first) = seen.get(&neuron.name) {
            return Err(
                DataError::new(Problem::DuplicateName { name: neuron.name, first, second: i }).in_field("neuron_names")
            );
        }
        seen.insert(neuron.name.clone(), i);
        neurons.push(neuron);
    }
    Ok(neurons)
}

pub(super) fn check_behaviour(labels: Vec<i64>, states: Vec<String>, n_frames: usize) -> Result<Behaviour> {
    if labels.len() != n_frames {
        return Err(DataError::shape(format!("{n_frames} labels (one per frame)"), format!("{} labels", labels.len()))
            .in_field("behaviour"));
    }
    if states.is_empty() {
        return Err(DataError::missing("behaviour_names", "at least one state name"));
    }
    let n_states = states.len();
    let mut out = Vec::with_capacity(n_frames);
    for (frame, &label) in labels.iter().enumerate() {
        if label == -1 {
            out.push(Behaviour::UNLABELLED);
            continue;
        }
        match u32::try_from(label) {
            Ok(l) if (l as usize) < n_states => out.push(l),
            _ => {
                return Err(DataError::new(Problem::LabelOutOfRange { frame, label, n_states }).in_field("behaviour"));
            }
        }
    }
    Ok(Behaviour { labels: out, states })
}

/// Rejects non-finite activity (saying where) or interpolates it, per `missing`.
pub(super) fn repair_or_reject_non_finite(activity: &mut [f32], n_frames: usize, missing: MissingValues) -> Result<()> {
    let count = activity.iter().filter(|v| !v.is_finite()).count();
    if count == 0 {
        return Ok(());
    }
    if missing == MissingValues::Reject {
        let first = activity
            .iter()
            .enumerate()
            .filter(|(_, v)| !v.is_finite())
            .take(5)
            .map(|(i, _)| (i / n_frames, i % n_frames))
            .collect();
        return Err(DataError::new(Problem::NonFinite { count, first }).in_field("activity"));
    }
    for (neuron, trace) in activity.chunks_mut(n_frames).enumerate() {
        interpolate_gaps(trace)
            .map_err(|_| DataError::new(Problem::NothingToInterpolate { neuron }).in_field("activity"))?;
    }
    Ok(())
}

/// Linear interpolation over non-finite runs; `Err(())` when nothing is finite.
fn interpolate_gaps(trace: &mut [f32]) -> std::result::Result<(), ()> {
    let finite: Vec<usize> = (0..trace.len()).filter(|&i| trace[i].is_finite()).collect();
    let (&first, &last) = match (finite.first(), finite.last()) {
        (Some(f), Some(l)) => (f, l),
        _ => return Err(()),
    };
    let (head, tail) = (trace[first], trace[last]);
    trace[..first].fill(head);
    trace[last + 1..].fill(tail);
    for pair in finite.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let (va, vb) = (trace[a], trace[b]);
        for (k, v) in trace[a + 1..b].iter_mut().enumerate() {
            let w = (k + 1) as f32 / (b - a) as f32;
            *v = va + w * (vb - va);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolation_fills_inner_and_edge_gaps() {
        let mut t = [f32::NAN, 1.0, f32::NAN, f32::NAN, 4.0, f32::INFINITY];
        interpolate_gaps(&mut t).expect("has finite values");
        assert_eq!(t, [1.0, 1.0, 2.0, 3.0, 4.0, 4.0]);
        assert!(interpolate_gaps(&mut [f32::NAN, f32::NAN]).is_err());
    }

    #[test]
    fn rate_from_times_checks_monotonic() {
        let r = rate_from_times(&[0.0, 0.5, 1.0, 1.5]).expect("valid");
        assert!((r - 2.0).abs() < 1e-12);
        let e = rate_from_times(&[0.0, 1.0, 1.0]).expect_err("not increasing");
        assert_eq!(e.code(), "bad_sampling_rate");
    }
}
