//! NWB (Neurodata Without Borders) optical physiology: one recording per
//! `RoiResponseSeries` (dF/F or fluorescence traces), `data` as time x ROIs, the rate
//! from `timestamps` or from `starting_time`'s `rate` attribute. Neuron names come
//! from a text column of the `PlaneSegmentation` table (`neuron_name`, `label`,
//! `name` or `roi_name`) picked by the series' `rois` indices.

use hdf5_pure::{Dataset, File, Group};

use super::super::LoadOptions;
use super::super::matrix::{Matrix, le_floats_as_f32, two_d};
use super::{attr_number, attr_text, attributes, hdf5_err, read_floats};
use crate::error::{DataError, Result};
use crate::recording::{Recording, RecordingParts, rate_from_times};

const NAME_COLUMNS: &[&str] = &["neuron_name", "label", "name", "roi_name"];
const SERIES_TYPE: &str = "RoiResponseSeries";

pub(super) fn load(file: &File, bytes: &[u8], options: &LoadOptions) -> Result<Vec<Recording>> {
    let mut series = Vec::new();
    find_series(&file.root(), "", 0, &mut series)?;
    if series.is_empty() {
        return Err(DataError::missing(
            "processing/ophys",
            format!("at least one {SERIES_TYPE} (for example processing/ophys/DfOverF/<series>/data)"),
        ));
    }
    let subject = file
        .dataset("general/subject/subject_id")
        .ok()
        .and_then(|d| d.read_string().ok())
        .and_then(|v| v.into_iter().next());
    let names = plane_segmentation_names(file);
    let many = series.len() > 1;
    series
        .into_iter()
        .map(|(path, group)| {
            let id = match (&subject, many) {
                (Some(s), false) => Some(s.clone()),
                (Some(s), true) => Some(format!("{s}/{}", path.rsplit('/').next().unwrap_or(&path))),
                (None, _) => Some(path.clone()),
            };
            read_series(&group, bytes, &path, names.as_deref(), id, options).map_err(|e| e.in_field(path.clone()))
        })
        .collect()
}

/// Depth-first search for groups typed `RoiResponseSeries` (or holding `data` and `rois`).
fn find_series(group: &Group, path: &str, depth: usize, out: &mut Vec<(String, Group)>) -> Result<()> {
    if depth > 6 {
        return Ok(());
    }
    for name in group.groups().map_err(hdf5_err(path))? {
        let sub = if path.is_empty() { name.clone() } else { format!("{path}/{name}") };
        let child = group.group(&name).map_err(hdf5_err(&sub))?;
        let attrs = attributes(&child, &sub)?;
        let typed = attrs.get("neurodata_type").and_then(attr_text).is_some_and(|t| t == SERIES_TYPE);
        let datasets = child.datasets().map_err(hdf5_err(&sub))?;
        let shaped = datasets.iter().any(|d| d == "data") && datasets.iter().any(|d| d == "rois");
        if typed || shaped {
            out.push((sub, child));
        } else {
            find_series(&child, &sub, depth + 1, out)?;
        }
    }
    Ok(())
}

fn read_series(
    group: &Group,
    bytes: &[u8],
    path: &str,
    table_names: Option<&[String]>,
    animal_id: Option<String>,
    options: &LoadOptions,
) -> Result<Recording> {
    let data = group.dataset("data").map_err(hdf5_err(path))?;
    let shape = data.shape().map_err(hdf5_err("data"))?;
    let (rows, cols) = two_d(&shape, "data")?;
    let values = read_floats(&data, bytes, "data", le_floats_as_f32, |d| d.read_f32_rows(0, 1), Dataset::read_f32)?;
    // NWB stores time first: rows are frames.
    let (n_neurons, n_frames, activity) = Matrix { rows, cols, data: values }.into_neuron_major(shape.len() == 2);
    let sampling_rate_hz = match group.dataset("timestamps") {
        Ok(ts) => Some(rate_from_times(&ts.read_f64().map_err(hdf5_err("timestamps"))?)?),
        Err(_) => group
            .dataset("starting_time")
            .ok()
            .and_then(|d| d.attrs().ok())
            .and_then(|a| a.get("rate").and_then(attr_number))
            .or(options.sampling_rate_hz),
    };
    let names = match (table_names, group.dataset("rois")) {
        (Some(all), Ok(rois)) => select_names(all, &rois)?,
        _ => Vec::new(),
    };
    RecordingParts {
        activity,
        n_neurons,
        n_frames,
        sampling_rate_hz,
        names,
        behaviour: None,
        connectivity: None,
        animal_id,
        signals: Vec::new(),
    }
    .into_recording(options.missing_values)
}

fn select_names(all: &[String], rois: &Dataset) -> Result<Vec<String>> {
    let idx = rois.read_i64().map_err(hdf5_err("rois"))?;
    idx.iter()
        .map(|&i| {
            usize::try_from(i).ok().and_then(|i| all.get(i)).cloned().ok_or_else(|| {
                DataError::shape(format!("ROI indices below {}", all.len()), format!("index {i}")).in_field("rois")
            })
        })
        .collect()
}

/// The first text column of a PlaneSegmentation table under `processing/ophys`.
fn plane_segmentation_names(file: &File) -> Option<Vec<String>> {
    let segmentation = file.group("processing/ophys/ImageSegmentation").ok()?;
    for plane in segmentation.groups().ok()? {
        let g = segmentation.group(&plane).ok()?;
        for column in NAME_COLUMNS {
            if let Some(names) = g.dataset(column).ok().and_then(|ds| ds.read_string().ok()) {
                return Some(names);
            }
        }
    }
    None
}
