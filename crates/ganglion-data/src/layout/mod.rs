//! Any lab's layout: which dataset of a file holds the activity, which axis is time,
//! where the rate, the names and the behaviour signals are. A [`Layout`] says so by path
//! into the file's [`FileTree`]; it is a small JSON document that can be saved, shared
//! and reused (the notebook's picker writes one, the CLI's `--layout` reads one), and
//! [`presets`] ship for the public layouts ganglion already reads.
//!
//! Behaviour channels come as per-frame labels, binary flags, or continuous signals
//! (binned into states by thresholds, or kept as [`Signal`]s to predict directly).
//! Missing values (NaN) are never filled in: a channel that is missing in every frame is
//! dropped, and partly missing frames are left unlabelled; both are reported in
//! [`Loaded::warnings`].

mod channel;
mod name_map;
mod name_tables;
mod tree;

use serde::{Deserialize, Serialize};

pub use channel::{Channel, ChannelKind};
pub use name_map::apply_name_map;
pub use name_tables::{NameTable, file_stem, is_table_for, match_by_stem, pattern_path, tables_for};
pub use tree::{Entry, FileTree, Node, describe};

use crate::error::{DataError, Result};
use crate::format::LoadOptions;
use crate::format::matrix::{AxisHints, Matrix, Orientation, rows_are_frames};
use crate::recording::{Recording, RecordingParts, Signal, rate_from_times};

/// The `format` field every layout document carries.
pub const LAYOUT_FORMAT: &str = "ganglion-layout";
/// The layout schema version this code writes and reads.
pub const LAYOUT_VERSION: u32 = 1;

/// Where a file keeps each part of a recording. Paths start with `/` (from the file's
/// root) or are relative to each animal's group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Layout {
    /// Always [`LAYOUT_FORMAT`].
    #[serde(default = "layout_format")]
    pub format: String,
    /// Always [`LAYOUT_VERSION`].
    #[serde(default = "layout_version")]
    pub version: u32,
    /// A name people recognise (`Kato 2015 (MATLAB)`, `my lab's rig 2`).
    #[serde(default)]
    pub name: String,
    /// Groups holding one animal each, `*` matching within a path segment
    /// (`/worm*`, `/WT_NoStim(*)`); absent: the whole file is one animal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub animals: Option<String>,
    /// The activity matrix (neurons x frames or frames x neurons).
    pub activity: String,
    /// Which axis of the activity is time (0 or 1); absent: guessed from the shapes of
    /// the time vector and the names ([`guess_time_axis`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_axis: Option<usize>,
    /// A time vector in seconds, one value per frame.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// A dataset (or a dataset's attribute, `dataset@attribute`) holding the rate in
    /// frames per second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<String>,
    /// The rate in frames per second, when the file has neither a time vector nor a rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_hz: Option<f64>,
    /// Neuron names (text, one per neuron, or one per row of a table `name_index` picks from).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub names: Option<String>,
    /// Indices into `names`, one per neuron (NWB's `rois`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_index: Option<String>,
    /// Whether name indices, here or in `name_map`, count from 0 or 1.
    #[serde(default)]
    pub name_base: usize,
    /// Names kept outside the data file, carried in the layout: the text of a
    /// `column,name` CSV or a JSON mapping ([`apply_name_map`]), applied to every animal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_map: Option<String>,
    /// Where each data file's own names table is, relative to the data file:
    /// `names/{stem}.csv` ([`pattern_path`]), its columns counting from `name_base`.
    /// Reading bytes is not this crate's job: the caller finds the table ([`tables_for`])
    /// and passes it in [`LoadOptions::name_table`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_tables: Option<String>,
    /// Behaviour channels.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub behaviour: Vec<Channel>,
    /// Text naming the animal; absent: the animal's group name, or the file's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub animal_id: Option<String>,
}

fn layout_format() -> String {
    LAYOUT_FORMAT.into()
}

fn layout_version() -> u32 {
    LAYOUT_VERSION
}

impl Layout {
    /// A layout with only the activity path set.
    pub fn new(activity: impl Into<String>) -> Layout {
        Layout {
            format: layout_format(),
            version: LAYOUT_VERSION,
            name: String::new(),
            animals: None,
            activity: activity.into(),
            time_axis: None,
            time: None,
            rate: None,
            rate_hz: None,
            names: None,
            name_index: None,
            name_base: 0,
            name_map: None,
            name_tables: None,
            behaviour: Vec::new(),
            animal_id: None,
        }
    }

    /// Reads a layout document, checking its format and version.
    pub fn from_json(text: &str) -> Result<Layout> {
        let layout: Layout =
            serde_json::from_str(text).map_err(|e| DataError::malformed("layout JSON", e.to_string()))?;
        if layout.format != LAYOUT_FORMAT {
            return Err(DataError::wrong_type(format!("\"{LAYOUT_FORMAT}\""), format!("\"{}\"", layout.format))
                .in_field("format"));
        }
        if layout.version != LAYOUT_VERSION {
            return Err(DataError::new(crate::Problem::UnsupportedVersion {
                found: layout.version.to_string(),
                supported: LAYOUT_VERSION.to_string(),
            })
            .in_field("version"));
        }
        if layout.name_base > 1 {
            return Err(DataError::wrong_type("0 or 1", layout.name_base.to_string()).in_field("name_base"));
        }
        Ok(layout)
    }

    /// The layout as pretty JSON, to download and share.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// Recordings read through a layout, and what was noticed on the way.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// One recording per animal.
    pub recordings: Vec<Recording>,
    /// Dropped or partly missing behaviour channels, and similar notes, per animal.
    pub warnings: Vec<String>,
}

/// Reads a file through `layout`.
pub fn load_with_layout(bytes: &[u8], layout: &Layout, options: &LoadOptions) -> Result<Loaded> {
    let file = options.file_name.as_deref();
    let tree = FileTree::read(bytes, file)?;
    read_tree(&tree, layout, options).map_err(|e| e.in_file(file))
}

/// Reads every animal of an already-read tree through `layout`.
pub fn read_tree(tree: &FileTree, layout: &Layout, options: &LoadOptions) -> Result<Loaded> {
    let roots = match &layout.animals {
        None => vec!["/".to_owned()],
        Some(pattern) => {
            let holds_activity = |root: &String| {
                let animal = Animal { tree, root, layout };
                tree.get(&animal.resolve(&layout.activity)).is_some()
            };
            let found: Vec<String> = tree.matching(pattern).into_iter().filter(holds_activity).collect();
            if found.is_empty() {
                return Err(DataError::missing(
                    "animals",
                    format!("groups matching {pattern} that hold {}", layout.activity),
                ));
            }
            found
        }
    };
    let mut loaded = Loaded { recordings: Vec::new(), warnings: Vec::new() };
    for root in &roots {
        let animal = Animal { tree, root, layout };
        let recording = animal.read(options, &mut loaded.warnings).map_err(|e| match &layout.animals {
            Some(_) => e.in_field(root.clone()),
            None => e,
        })?;
        let recording = match &layout.name_map {
            Some(map) => apply_name_map(&recording, map.as_bytes(), layout.name_base, Some("the layout's name_map"))?,
            None => recording,
        };
        loaded.recordings.push(recording);
    }
    loaded.recordings = crate::format::finish(loaded.recordings, options)?;
    Ok(loaded)
}

/// Which axis of an activity matrix of `shape` is time, by the rule every loader uses
/// ([`Orientation::Auto`](crate::Orientation::Auto)): the one as long as the time vector,
/// else the one that is not as long as the names, else the longer one.
pub fn guess_time_axis(shape: &[usize], time_len: Option<usize>, names_len: Option<usize>) -> usize {
    let [rows, cols] = *shape else { return 0 };
    let hints = AxisHints { n_frames: time_len, n_neurons: names_len };
    usize::from(!rows_are_frames(rows, cols, Orientation::Auto, hints))
}

/// One animal's group in the tree.
struct Animal<'a> {
    tree: &'a FileTree,
    root: &'a str,
    layout: &'a Layout,
}

impl Animal<'_> {
    fn resolve(&self, path: &str) -> String {
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

    fn read(&self, options: &LoadOptions, warnings: &mut Vec<String>) -> Result<Recording> {
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

/// Layouts for the public recordings ganglion already reads, by name.
pub fn presets() -> Vec<Layout> {
    let kato_states = Channel::flags("States", ["fwd", "slow", "rev1", "rev2", "revsus", "dt", "vt", "nostate"]);
    let kato_new = Layout {
        name: "Kato 2015, newer release (MATLAB v7.3 struct array)".into(),
        animals: Some("/*(*)".into()),
        time_axis: Some(0),
        time: Some("tv".into()),
        names: Some("NeuronNames".into()),
        behaviour: kato_states,
        animal_id: Some("dataset".into()),
        ..Layout::new("deltaFOverF_bc")
    };
    let kato_old = Layout {
        name: "Kato 2015, older release (MATLAB v5, one struct per worm)".into(),
        animals: Some("/*".into()),
        time_axis: Some(0),
        time: Some("timeVectorSeconds".into()),
        names: Some("IDs".into()),
        behaviour: vec![Channel {
            states_from: Some("States_key".into()),
            ..Channel::new("States", ChannelKind::Labels)
        }],
        animal_id: Some("dataset".into()),
        ..Layout::new("traces")
    };
    let nwb = Layout {
        name: "NWB optical physiology (RoiResponseSeries under processing/ophys)".into(),
        animals: Some("/processing/ophys/*/*".into()),
        time_axis: Some(0),
        time: Some("timestamps".into()),
        rate: Some("starting_time@rate".into()),
        names: Some("/processing/ophys/ImageSegmentation/PlaneSegmentation/neuron_name".into()),
        name_index: Some("rois".into()),
        ..Layout::new("data")
    };
    vec![kato_new, kato_old, nwb]
}
