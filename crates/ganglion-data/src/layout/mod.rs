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

mod animal;
mod channel;
mod tree;

use serde::{Deserialize, Serialize};

pub use crate::name_tables::{
    NameTable, apply_name_map, file_stem, is_table_for, match_by_stem, pattern_path, tables_for,
};
pub use channel::{Channel, ChannelKind};
pub use tree::{Entry, FileTree, Node, describe};

use crate::error::{DataError, Result};
use crate::format::LoadOptions;
use crate::format::matrix::{AxisHints, Orientation, rows_are_frames};
use crate::recording::Recording;
use animal::Animal;

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
