//! Loading files written by numpy, scipy and h5py (tests/fixtures/make_fixtures.py).

use crate::common::fixture;
use ganglion_data::{Format, LoadOptions, Orientation, format};

#[test]
fn kato_v73_struct_array_gives_one_recording_per_worm() {
    let bytes = fixture("kato2015_v73.mat");
    assert_eq!(format::detect(&bytes, Some("x.mat")), Ok(Format::Hdf5));
    let worms = format::load(&bytes, &LoadOptions::for_file("kato2015_v73.mat")).expect("loads");
    assert_eq!(worms.len(), 3);
    let w = &worms[1];
    assert_eq!((w.n_neurons(), w.n_frames()), (10, 55));
    assert!((w.sampling_rate_hz() - 2.9).abs() < 1e-9);
    assert_eq!(w.animal_id(), Some("TS2015_1"));
    let names: Vec<&str> = w.neurons().iter().map(|n| n.name.as_str()).collect();
    assert_eq!(&names[..6], &["AVAL", "AVAR", "unnamed_2", "unnamed_3", "VB02", "RIML"]);
    assert!(!w.neurons()[3].identified, "numeric IDs are unidentified");
    let b = w.behaviour().expect("States");
    assert_eq!(b.states.len(), 8);
    assert_eq!(b.states[0], "fwd");
    assert!(b.labels.iter().all(|&l| l < 8));
    assert!(b.labels.iter().collect::<std::collections::HashSet<_>>().len() > 3);
}

#[test]
fn kato_v73_values_are_frames_by_neurons_as_matlab_shows() {
    // The generator writes standard normal traces; check layout via the time axis: a
    // transposed read would give 10 frames, not 55.
    let worms = format::load(&fixture("kato2015_v73.mat"), &LoadOptions::default()).expect("loads");
    assert_eq!(worms[0].n_frames(), 60);
    assert_eq!(worms[2].n_frames(), 70);
}

#[test]
fn kato_v5_compressed_and_uncompressed() {
    for (file, n) in [("kato2015_v5.mat", 2), ("kato2015_v5_uncompressed.mat", 1)] {
        let bytes = fixture(file);
        assert_eq!(format::detect(&bytes, None), Ok(Format::MatV5), "{file}");
        let worms = format::load(&bytes, &LoadOptions::for_file(file)).expect(file);
        assert_eq!(worms.len(), n, "{file}");
        let w = &worms[0];
        assert_eq!((w.n_neurons(), w.n_frames()), (12, 60), "{file}");
        assert_eq!(w.animal_id(), Some("worm1_stim"));
        assert_eq!(w.neurons()[0].name, "AVAL");
        assert!(!w.neurons()[2].identified);
        let b = w.behaviour().expect("States codes");
        assert_eq!(b.states, vec!["FWD", "REV", "TURN", "QUIESCENT"]);
        assert!(b.labels.contains(&0) && b.labels.contains(&3), "1-based codes map to 0..4");
    }
}

#[test]
fn kato_v5_and_v73_agree_on_the_same_worm() {
    let v5 = format::load(&fixture("kato2015_v5.mat"), &LoadOptions::default()).expect("v5");
    let v73 = format::load(&fixture("kato2015_v73.mat"), &LoadOptions::default()).expect("v7.3");
    assert_eq!(v5[0].activity(), v73[0].activity());
    assert_eq!(v5[1].activity(), v73[1].activity());
    assert_eq!(v5[0].neurons(), v73[0].neurons());
}

#[test]
fn nwb_series_with_rate_or_timestamps_and_table_names() {
    let bytes = fixture("ophys.nwb");
    let recs = format::load(&bytes, &LoadOptions::for_file("ophys.nwb")).expect("loads");
    assert_eq!(recs.len(), 2);
    let dff = recs.iter().find(|r| r.n_neurons() == 6).expect("DfOverF series");
    assert_eq!(dff.n_frames(), 50);
    assert!((dff.sampling_rate_hz() - 3.0).abs() < 1e-9);
    assert_eq!(dff.neurons()[2].name, "RIML");
    assert!(!dff.neurons()[3].identified);
    let raw = recs.iter().find(|r| r.n_neurons() == 3).expect("raw series");
    assert!((raw.sampling_rate_hz() - 4.0).abs() < 1e-9);
    let names: Vec<&str> = raw.neurons().iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names, ["AVAL", "RIML", "SMDVL"]);
    assert!(raw.animal_id().is_some_and(|id| id.starts_with("worm-A")));
}

#[test]
fn npz_with_every_documented_array() {
    let r = format::load_one(&fixture("recording.npz"), &LoadOptions::for_file("recording.npz")).expect("loads");
    assert_eq!((r.n_neurons(), r.n_frames()), (5, 40));
    assert!((r.sampling_rate_hz() - 2.5).abs() < 1e-9);
    assert_eq!(r.neurons()[4].name, "VB02");
    assert_eq!(r.behaviour().expect("labels").states, ["forward", "reverse", "turn"]);
    assert_eq!(r.connectivity().expect("graph").len(), 5);
    assert_eq!(r.animal_id(), Some("npz-worm"));
}

#[test]
fn npy_orientation_auto_and_explicit() {
    let bytes = fixture("frames_by_neurons.npy");
    let mut options = LoadOptions { sampling_rate_hz: Some(1.0), ..Default::default() };
    let r = format::load_one(&bytes, &options).expect("loads");
    assert_eq!((r.n_neurons(), r.n_frames()), (4, 30), "longer axis is time");
    options.orientation = Orientation::NeuronsByFrames;
    let r = format::load_one(&bytes, &options).expect("loads");
    assert_eq!((r.n_neurons(), r.n_frames()), (30, 4));
    let e = format::load_one(&bytes, &LoadOptions::for_file("a.npy")).expect_err("no rate");
    assert_eq!(e.code(), "bad_sampling_rate");
    assert!(e.to_string().starts_with("a.npy: field `sampling_rate_hz`"), "{e}");
}
