//! Every integration test of ganglion-data in one test binary (one link instead of six:
//! see the workspace Cargo.toml). Each module is one file of the former layout.

mod common;
mod lab_layouts;
mod names_per_file;
mod never_panics;
mod preprocessing;
mod real_formats;
mod round_trip;
mod validation;
