//! What the page has loaded: the recordings it shows and the source the worker reloads
//! them from (a file's bytes, or the synthetic-worm seed).

use std::sync::Arc;

use ganglion_data::Recording;
use ganglion_data::layout::FileTree;

use crate::protocol::Source;

/// A loaded set of recordings and where they came from.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// What to call it on the page.
    pub label: String,
    /// What the worker is sent.
    pub source: Source,
    /// The file's bytes (files only).
    pub bytes: Option<Arc<Vec<u8>>>,
    /// One recording per animal.
    pub recordings: Arc<Vec<Recording>>,
    /// What the loader noticed (dropped or partly missing behaviour channels).
    pub warnings: Vec<String>,
}

/// Files no built-in layout reads, waiting for their layout (the first one's tree is
/// shown; the layout picked reads them all).
#[derive(Debug, Clone)]
pub struct Picking {
    /// The files' names and bytes (shared: the picker's handlers each hold them).
    pub files: Arc<Vec<(String, Vec<u8>)>>,
    /// The first file's tree.
    pub tree: Arc<FileTree>,
    /// Why no built-in layout read them.
    pub reason: String,
}

impl Picking {
    /// The first file's name.
    pub fn name(&self) -> String {
        self.files.first().map(|(n, _)| n.clone()).unwrap_or_default()
    }

    /// The files' names.
    pub fn names(&self) -> Vec<&str> {
        self.files.iter().map(|(n, _)| n.as_str()).collect()
    }
}

/// What the loader last produced.
#[derive(Debug, Clone, Default)]
pub enum LoadState {
    /// Nothing yet.
    #[default]
    Nothing,
    /// Recordings.
    Loaded(Loaded),
    /// A file no built-in layout reads, waiting for the user to pick its datasets.
    Picking(Box<Picking>),
    /// The loader's error, in words.
    Failed(String),
}

impl LoadState {
    /// The loaded data, if any.
    pub fn data(&self) -> Option<&Loaded> {
        match self {
            LoadState::Loaded(l) => Some(l),
            _ => None,
        }
    }
}
