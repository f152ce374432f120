//! One animal's group in a file's tree, read through a [`Layout`] into a [`Recording`]:
//! the activity matrix, its time axis and rate, the names, the animal's id and each
//! behaviour channel (labels, flags or signals).

use super::{Channel, ChannelKind, FileTree, Layout, Node, describe, file_stem, guess_time_axis};
use crate::error::{DataError, Result};
use crate::format::LoadOptions;
use crate::format::matrix::Matrix;
use crate::recording::{Recording, RecordingParts, Signal, rate_from_times};

/// One animal's group in the tree.
pub(super) struct Animal<'a> {
    pub(super) tree: &'a FileTree,
    pub(super) root: &'a str,
    pub(super) layout: &'a Layout,
}

impl Animal<'_> {
    /// `path` as an absolute path in the tree (relative paths are below the animal's group).
    pub(super) fn resolve(&self, path: &str) -> String {
        if path.starts_with('/') || self.root == "/" {
            format!("/{}", path.trim_start_matches('/'))
        } else {
            format!("{}/{}", self.root.trim_end_matches('/'), path)
        }
    }

    fn node(&self, path: &str) -> Result<(&Node, String)> {
        let full = self.resolve(path);
        let node = self.tree.get(&full).ok_or_else(|| DataError::missing(&full, "a dataset at this path"))?;
        Ok((node, full))
    }

    fn numbers(&self, path: &str, what: &str) -> Result<(Vec<usize>, &[f64], String)> {
        let (node, full) = self.node(path)?;
        match node {
            Node::Numbers { shape, values } => Ok((shape.clone(), values, full)),
            other => Err(DataError::wrong_type(what.to_owned(), describe(other)).in_field(full)),
        }
    }

    fn texts(&self, path: &str) -> Result<Vec<String>> {
        let (node, full) = self.node(path)?;
        match node {
            Node::Texts { values, .. } => Ok(values.clone()),
            // Numeric ids ("12") are how some labs mark unidentified neurons.
            Node::Numbers { values, .. } => Ok(values.iter().map(|v| v.to_string()).collect()),
            // A cell whose entries are not all text (Kato's `IDs`: candidate-name cells
            // and empty numbers): each entry's first text, or nothing.
            Node::Group(children) => Ok(children.iter().map(|(_, c)| first_text(c)).collect()),
            other => Err(DataError::wrong_type("text (one name per neuron)", describe(other)).in_field(full)),
        }
    }

    pub(super) fn read(&self, options: &LoadOptions, warnings: &mut Vec<String>) -> Result<Recording> {
        let layout = self.layout;
        let (shape, values, activity_path) = self.numbers(&layout.activity, "a numeric neurons x frames matrix")?;
        let (rows, cols) = match shape.iter().filter(|&&d| d != 1).count() {
            0 | 1 if shape.len() <= 2 => (values.len(), 1),
            _ if shape.len() == 2 => (shape[0], shape[1]),
            _ => return Err(DataError::shape("a 2-D matrix", format!("{shape:?}")).in_field(activity_path)),
        };
        let shape2 = [rows, cols];
        // With a rate path as well, the time vector is optional (NWB series have one or the other).
        let times = match &layout.time {
            Some(p) if layout.rate.is_none() || self.tree.get(&self.resolve(p)).is_some() => {
                Some(self.numbers(p, "a time vector (seconds)")?.1.to_vec())
            }
            _ => None,
        };
        let names = self.names()?;
        let time_axis = match layout.time_axis {
            Some(a) if a < 2 => a,
            Some(a) => return Err(DataError::wrong_type("0 or 1", a.to_string()).in_field("time_axis")),
            None => guess_time_axis(&shape2, times.as_ref().map(Vec::len), names.as_ref().map(Vec::len)),
        };
        let matrix = Matrix { rows, cols, data: values.iter().map(|&v| v as f32).collect() };
        let (n_neurons, n_frames, activity) = matrix.into_neuron_major(time_axis == 0);
        let sampling_rate_hz = match (layout.rate_hz, &times, &layout.rate) {
            (Some(r), _, _) => Some(r),
            (None, Some(t), _) => Some(rate_from_times(t)?),
            (None, None, Some(p)) => Some(
                self.numbers(p, "a rate (frames per second)")?
                    .1
                    .first()
                    .copied()
                    .ok_or_else(|| DataError::missing(&self.resolve(p), "a rate value"))?,
            ),
            (None, None, None) => options.sampling_rate_hz,
        };
        let id = self.animal_id(options.file_name.as_deref())?;
        let mut behaviour = None;
        let mut signals = Vec::new();
        for channel in &layout.behaviour {
            let name = channel.label();
            let (values, states) = self.channel(channel, n_frames)?;
            let missing = values.iter().filter(|v| !v.is_finite()).count();
            if missing == values.len() {
                warnings.push(format!("{id}: behaviour channel {name} has no value in any frame; dropped"));
                continue;
            }
            if missing > 0 {
                warnings.push(format!(
                    "{id}: behaviour channel {name} is missing in {missing} of {n_frames} frames; \
                     those frames are left out, not filled"
                ));
            }
            match states {
                Some(labelled) if behaviour.is_none() => behaviour = Some(labelled),
                Some((labels, _)) => {
                    warnings.push(format!(
                        "{id}: only one set of behaviour states is decoded; channel {name} is kept as a signal"
                    ));
                    let values = labels.iter().map(|&l| if l < 0 { f32::NAN } else { l as f32 }).collect();
                    signals.push(Signal { name, values });
                }
                None => signals.push(Signal { name, values: values.iter().map(|&v| v as f32).collect() }),
            }
        }
        RecordingParts {
            activity,
            n_neurons,
            n_frames,
            sampling_rate_hz,
            names: names.unwrap_or_default(),
            behaviour,
            connectivity: None,
            animal_id: Some(id),
            signals,
        }
        .into_recording(options.missing_values)
    }

    /// A channel's per-frame values (NaN = missing) and, unless it is a signal to
    /// predict as is, its labels (-1 = unlabelled) and state names.
    #[allow(clippy::type_complexity)]
    fn channel(&self, channel: &Channel, n_frames: usize) -> Result<(Vec<f64>, Option<(Vec<i64>, Vec<String>)>)> {
        if channel.kind == ChannelKind::Flags {
            return self.flags(channel, n_frames);
        }
        let (shape, values, full) = self.numbers(&channel.path, "a numeric behaviour channel")?;
        let values = channel.frames(&shape, values, n_frames).map_err(|e| e.in_field(full.clone()))?;
        let named;
        let channel = match &channel.states_from {
            Some(p) => {
                named = Channel { states: self.texts(p)?, ..channel.clone() };
                &named
            }
            None => channel,
        };
        let states = channel.states(&values).map_err(|e| e.in_field(full))?;
        Ok((values, states))
    }

    /// A group of per-frame flags, one child per state: each frame takes the first
    /// state (in the channel's order, then the file's) whose flag is set; a frame with
    /// none set takes `nostate` where there is one, else stays unlabelled.
    #[allow(clippy::type_complexity)]
    fn flags(&self, channel: &Channel, n_frames: usize) -> Result<(Vec<f64>, Option<(Vec<i64>, Vec<String>)>)> {
        let (node, full) = self.node(&channel.path)?;
        let Node::Group(children) = node else {
            return Err(DataError::wrong_type("a group of per-frame flags", describe(node)).in_field(full));
        };
        let mut order: Vec<usize> = (0..children.len()).collect();
        let rank = |name: &str| channel.states.iter().position(|s| s == name).unwrap_or(channel.states.len());
        order.sort_by_key(|&i| rank(&children[i].0));
        let mut states = Vec::new();
        let mut flags = Vec::new();
        for &i in &order {
            let (name, child) = &children[i];
            let Node::Numbers { values, .. } = child else { continue };
            if values.len() != n_frames {
                return Err(DataError::shape(format!("{n_frames} flags (one per frame)"), values.len().to_string())
                    .in_field(format!("{full}/{name}")));
            }
            states.push(name.clone());
            flags.push(values);
        }
        let no_state = states.iter().position(|s| s == "nostate").map_or(-1, |i| i as i64);
        let mut seen = vec![f64::NAN; n_frames];
        let labels = (0..n_frames)
            .map(|t| {
                if flags.iter().any(|f| f[t].is_finite()) {
                    seen[t] = 0.0;
                }
                flags
                    .iter()
                    .position(|f| f[t].is_finite() && f[t] != 0.0)
                    .map_or(if seen[t].is_finite() { no_state } else { -1 }, |k| k as i64)
            })
            .collect();
        Ok((seen, Some((labels, states))))
    }

    fn names(&self) -> Result<Option<Vec<String>>> {
        let layout = self.layout;
        let Some(path) = &layout.names else { return Ok(None) };
        let all = self.texts(path)?;
        let Some(index_path) = &layout.name_index else { return Ok(Some(all)) };
        let (_, index, full) = self.numbers(index_path, "integer indices into the names")?;
        index
            .iter()
            .map(|&i| {
                let k = (i as i64) - layout.name_base as i64;
                usize::try_from(k).ok().and_then(|k| all.get(k)).cloned().ok_or_else(|| {
                    DataError::shape(
                        format!("indices from {} to {}", layout.name_base, all.len() - 1 + layout.name_base),
                        format!("index {i}"),
                    )
                    .in_field(full.clone())
                })
            })
            .collect::<Result<Vec<_>>>()
            .map(Some)
    }

    /// The layout's id dataset, else the animal's group name, else (the file's root is
    /// the animal) the file's stem, so folds and tables name real animals.
    fn animal_id(&self, file: Option<&str>) -> Result<String> {
        if let Some(path) = &self.layout.animal_id {
            let texts = self.texts(path)?;
            if let Some(t) = texts.into_iter().find(|t| !t.trim().is_empty()) {
                return Ok(t);
            }
        }
        Ok(match (self.root.rsplit('/').find(|s| !s.is_empty()), file.map(file_stem)) {
            (Some(name), _) => name.to_owned(),
            (None, Some(stem)) if !stem.is_empty() => stem.to_owned(),
            (None, _) => "animal 1".to_owned(),
        })
    }
}

/// The first text inside a node (depth first), or empty.
fn first_text(node: &Node) -> String {
    match node {
        Node::Texts { values, .. } => values.first().cloned().unwrap_or_default(),
        Node::Numbers { values, .. } if values.len() == 1 => values[0].to_string(),
        Node::Group(children) if children.len() == 1 => first_text(&children[0].1),
        _ => String::new(),
    }
}
