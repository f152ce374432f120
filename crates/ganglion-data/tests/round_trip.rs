//! Writers and readers agree: every format ganglion writes reads back identically.

use ganglion_data::synth::{SynthConfig, synth_worms};
use ganglion_data::{LoadOptions, MissingValues, Recording, Signal, format};
use proptest::prelude::*;

fn worm(seed: u64, n_neurons: usize, n_frames: usize) -> Recording {
    let config = SynthConfig { n_neurons, n_frames, n_animals: 2, seed, ..Default::default() };
    synth_worms(&config).remove(1)
}

fn assert_same(a: &Recording, b: &Recording) {
    assert_eq!(a.n_neurons(), b.n_neurons());
    assert_eq!(a.activity(), b.activity());
    assert_eq!(a.neurons(), b.neurons());
    assert_eq!(a.behaviour(), b.behaviour());
    assert_eq!(a.connectivity(), b.connectivity());
    assert_eq!(a.animal_id(), b.animal_id());
    assert!((a.sampling_rate_hz() - b.sampling_rate_hz()).abs() < 1e-5);
}

#[test]
fn npz_round_trip() {
    let w = worm(1, 14, 120);
    let back = format::load_one(&format::to_npz(&w).expect("writes"), &LoadOptions::for_file("w.npz")).expect("reads");
    assert_same(&w, &back);
}

#[test]
fn json_round_trip() {
    let w = worm(2, 9, 50);
    let back =
        format::load_one(&format::to_json(&w).expect("writes"), &LoadOptions::for_file("w.json")).expect("reads");
    assert_same(&w, &back);
}

#[test]
fn json_round_trip_keeps_signals_and_their_missing_frames() {
    let mut parts = worm(3, 6, 40).to_parts();
    let velocity: Vec<f32> = (0..parts.n_frames).map(|t| if t == 7 { f32::NAN } else { t as f32 * 0.1 }).collect();
    parts.signals = vec![Signal { name: "velocity".into(), values: velocity.clone() }];
    let w = parts.into_recording(MissingValues::Reject).expect("valid");
    let back =
        format::load_one(&format::to_json(&w).expect("writes"), &LoadOptions::for_file("w.json")).expect("reads");
    assert_same(&w, &back);
    let [signal] = back.signals() else { panic!("one signal, read {:?}", back.signals().len()) };
    assert_eq!(signal.name, "velocity");
    assert!(signal.values[7].is_nan(), "a missing frame stays missing");
    assert_eq!(
        signal.values.iter().enumerate().filter(|(t, _)| *t != 7).map(|(_, v)| *v).collect::<Vec<_>>(),
        velocity.iter().enumerate().filter(|(t, _)| *t != 7).map(|(_, v)| *v).collect::<Vec<_>>()
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn round_trips_for_any_small_worm(seed in 0u64..1000, n in 10usize..24, frames in 20usize..80) {
        let w = worm(seed, n, frames);
        for bytes in [format::to_npz(&w).expect("npz"), format::to_json(&w).expect("json")] {
            let back = format::load_one(&bytes, &LoadOptions::default()).expect("reads");
            prop_assert_eq!(back.activity(), w.activity());
            prop_assert_eq!(back.neurons(), w.neurons());
        }
    }
}
