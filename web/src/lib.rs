//! ganglion-web: the leptos components of the in-browser notebook.
//!
//! Components only arrange and show; every computation lives in `crates/`. This first
//! version loads a recording (a file the user picks, or a bundled synthetic worm) with
//! `ganglion-data` and shows what was loaded, or the loader's error in words.
#![deny(missing_docs)]

mod app;
mod summary;

pub use app::App;
pub use summary::{SummaryRow, summarise};
