//! ganglion-web: the leptos components of the in-browser notebook, and its training
//! worker.
//!
//! The page ([`App`]) loads and shows recordings and talks to a dedicated Web Worker
//! ([`worker`]) with typed messages ([`protocol`]); every training step runs in the
//! worker, on WebGPU when the browser has it and on burn's CPU device otherwise.
//! Components only arrange and show; every computation lives in `crates/`, and the pure
//! parts here (pixels, settings, CSV, summaries) are tested natively.
#![deny(missing_docs)]

mod app;
pub mod client;
pub mod draw;
pub mod export;
pub mod files;
pub mod layout_pick;
pub mod protocol;
pub mod sample;
pub mod settings;
pub mod state;
pub mod store;
mod summary;
pub mod views;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod wire_types;
pub mod worker;

pub use app::App;
pub use summary::{SummaryRow, summarise};
