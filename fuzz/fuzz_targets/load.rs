//! Feeds arbitrary bytes to every loader: detection, then each format forced.
//! Run: `cargo +nightly fuzz run load -- -max_total_time=60` (seeds: tests/fixtures).
#![no_main]

use ganglion_data::{Format, LoadOptions, load};
use libfuzzer_sys::fuzz_target;

const FORMATS: [Format; 6] = [Format::Npy, Format::Npz, Format::Delimited, Format::Json, Format::MatV5, Format::Hdf5];

fuzz_target!(|bytes: &[u8]| {
    let _ = load(bytes, &LoadOptions::default());
    for format in FORMATS {
        let _ = load(bytes, &LoadOptions { format: Some(format), sampling_rate_hz: Some(1.0), ..Default::default() });
    }
});
