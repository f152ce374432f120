//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// Bytes of a file under the workspace's `tests/fixtures/`.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()))
}

/// Every committed fixture that is a recording.
pub const FIXTURES: &[&str] = &[
    "kato2015_v73.mat",
    "kato2015_v5.mat",
    "kato2015_v5_uncompressed.mat",
    "ophys.nwb",
    "recording.npz",
    "frames_by_neurons.npy",
];

pub mod lab_files;
pub mod one_worm_files;
