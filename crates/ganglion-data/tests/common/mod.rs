//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// Bytes of a file under the workspace's `tests/fixtures/`.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()))
}

/// Asserts that the committed fixture `name` under `tests/fixtures/{folder}` holds
/// `bytes` (what its writer writes); with `GANGLION_WRITE_FIXTURES` set, writes it first.
pub fn check_fixture(folder: &str, name: &str, bytes: &[u8]) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").join(folder).join(name);
    if std::env::var_os("GANGLION_WRITE_FIXTURES").is_some() {
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("makes the folder");
        std::fs::write(&path, bytes).expect("writes the fixture");
    }
    let committed = std::fs::read(&path).unwrap_or_default();
    assert!(committed == bytes, "{name} differs from its writer: run with GANGLION_WRITE_FIXTURES=1");
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
