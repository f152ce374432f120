//! Parsers never panic on user data: random bytes, truncations and bit flips of real
//! files go through every loader and come back as `Ok` or a typed `Err`.

use crate::common::{FIXTURES, fixture};
use ganglion_data::{Format, LoadOptions, format};
use proptest::prelude::*;

const FORMATS: [Format; 6] = [Format::Npy, Format::Npz, Format::Delimited, Format::Json, Format::MatV5, Format::Hdf5];

fn load_as_every_format(bytes: &[u8]) {
    let _ = format::load(bytes, &LoadOptions::default());
    for f in FORMATS {
        let _ =
            format::load(bytes, &LoadOptions { format: Some(f), sampling_rate_hz: Some(1.0), ..Default::default() });
    }
}

fn seeds() -> Vec<Vec<u8>> {
    let mut all: Vec<Vec<u8>> = FIXTURES.iter().map(|f| fixture(f)).collect();
    all.push(b"time,AVAL,behaviour\n0,1,fwd\n1,2,rev\n".to_vec());
    all.push(br#"{"format":"ganglion-recording","version":1,"sampling_rate_hz":1,"activity":[[1,2]]}"#.to_vec());
    all
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        load_as_every_format(&bytes);
    }

    #[test]
    fn truncated_real_files(which in 0usize..8, cut in 0.0f64..1.0) {
        let seeds = seeds();
        let file = &seeds[which % seeds.len()];
        let end = (file.len() as f64 * cut) as usize;
        load_as_every_format(&file[..end]);
    }

    #[test]
    fn corrupted_real_files(which in 0usize..8, flips in proptest::collection::vec((0.0f64..1.0, any::<u8>()), 1..12)) {
        let seeds = seeds();
        let mut file = seeds[which % seeds.len()].clone();
        for (at, byte) in flips {
            let i = ((file.len() as f64) * at) as usize;
            if let Some(b) = file.get_mut(i) {
                *b ^= byte | 1;
            }
        }
        load_as_every_format(&file);
    }
}
