//! Files in lab layouts no preset knows, read through layouts: an HDF5 with one group
//! per worm, a MATLAB v7.3 struct array, an NWB file with 1-based ROI name indices; the
//! public presets on the committed fixtures; missing behaviour never filled in.

use crate::common::lab_files::{lab_hdf5, lab_mat73, lab_nwb, lab_worms};
use ganglion_data::layout::{Channel, ChannelKind, FileTree, Layout, Node, load_with_layout, presets};
use ganglion_data::{Behaviour, LoadOptions, Recording};

fn options(name: &str) -> LoadOptions {
    LoadOptions::for_file(name)
}

fn same_activity(a: &Recording, b: &Recording) {
    assert_eq!((a.n_neurons(), a.n_frames()), (b.n_neurons(), b.n_frames()));
    assert!(a.activity().iter().zip(b.activity()).all(|(x, y)| (x - y).abs() < 1e-6));
}

fn hdf5_layout() -> Layout {
    Layout::from_json(include_str!("../../../tests/fixtures/lab/lab_hdf5.layout.json")).expect("the committed layout")
}

#[test]
fn the_committed_lab_files_are_what_the_writers_write() {
    let worms = lab_worms();
    let files =
        [("lab_hdf5.h5", lab_hdf5(&worms)), ("lab_mat73.mat", lab_mat73(&worms)), ("lab_nwb.nwb", lab_nwb(&worms))];
    for (name, bytes) in files {
        crate::common::check_fixture("lab", name, &bytes);
    }
}

#[test]
fn an_animal_without_an_id_or_a_group_takes_its_file_stem() {
    let worms = lab_worms();
    let layout = Layout::from_json(
        r#"{"format": "ganglion-layout", "version": 1, "activity": "/worm2/traces", "time_axis": 0,
            "time": "/worm2/timestamps", "names": "/worm2/neuron_ids"}"#,
    )
    .expect("a layout");
    let read = |name: &str| load_with_layout(&lab_hdf5(&worms), &layout, &options(name)).expect("reads");
    let loaded = read("data/session-07.h5");
    assert_eq!(loaded.recordings.len(), 1);
    assert_eq!(loaded.recordings[0].animal_id(), Some("session-07"));
    // Groups still name the animals of a file that holds several.
    let several = load_with_layout(&lab_hdf5(&worms), &hdf5_layout(), &options("session-07.h5")).expect("reads");
    assert_eq!(several.recordings[0].animal_id(), Some("worm1"));
}

#[test]
fn a_lab_hdf5_file_reads_through_its_layout() {
    let worms = lab_worms();
    let loaded = load_with_layout(&lab_hdf5(&worms), &hdf5_layout(), &options("lab.h5")).expect("reads");
    assert_eq!(loaded.recordings.len(), 3);
    for (got, want) in loaded.recordings.iter().zip(&worms) {
        same_activity(got, want);
        assert!((got.sampling_rate_hz() - want.sampling_rate_hz()).abs() < 1e-9);
        assert_eq!(got.neurons(), want.neurons());
        let b = got.behaviour().expect("the reversal flag is the behaviour");
        assert_eq!(b.states, vec!["not reversal".to_string(), "reversal".to_string()]);
        // The first 10 frames are NaN in the file: unlabelled, not "not reversal".
        assert!(b.labels[..10].iter().all(|&l| l == Behaviour::UNLABELLED));
        let truth = &want.behaviour().expect("synthetic").labels;
        assert!(b.labels[10..].iter().zip(&truth[10..]).all(|(&l, &t)| l == u32::from(t == 1)));
        // Velocity is kept to predict directly; the dead head-angle channel is dropped.
        let names: Vec<&str> = got.signals().iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, vec!["velocity"]);
    }
    assert!(loaded.warnings.iter().any(|w| w.contains("head_angle") && w.contains("dropped")), "{:?}", loaded.warnings);
    assert!(loaded.warnings.iter().any(|w| w.contains("reversal") && w.contains("10 of")), "{:?}", loaded.warnings);
}

#[test]
fn the_tree_lists_datasets_with_shapes_and_guesses_the_time_axis() {
    let worms = lab_worms();
    let tree = FileTree::read(&lab_hdf5(&worms), Some("lab.h5")).expect("reads");
    let entries = tree.entries();
    let traces = entries.iter().find(|e| e.path == "/worm1/traces").expect("listed");
    assert_eq!(traces.shape, vec![worms[0].n_frames(), worms[0].n_neurons()]);
    assert_eq!(traces.kind, "numbers");
    assert!(entries.iter().any(|e| e.path == "/worm2/behavior/velocity"));
    assert_eq!(tree.matching("/worm*").len(), 3);
    let shape = &traces.shape;
    assert_eq!(ganglion_data::layout::guess_time_axis(shape, Some(worms[0].n_frames()), None), 0);
    assert_eq!(ganglion_data::layout::guess_time_axis(&[20, 900], None, None), 1);
    assert_eq!(ganglion_data::layout::guess_time_axis(&[300, 500], None, Some(500)), 0);
}

#[test]
fn a_matlab_struct_array_reads_one_animal_per_element() {
    let worms = lab_worms();
    let tree = FileTree::read(&lab_mat73(&worms), Some("lab.mat")).expect("reads");
    let f = tree.get("/imaging(2)/F").expect("the second worm's traces");
    let Node::Numbers { shape, .. } = f else { panic!("numbers, found {f:?}") };
    assert_eq!(shape, &vec![worms[1].n_frames(), worms[1].n_neurons()], "MATLAB's frames x neurons");
    let layout = Layout::from_json(include_str!("../../../tests/fixtures/lab/lab_mat73.layout.json")).expect("layout");
    let loaded = load_with_layout(&lab_mat73(&worms), &layout, &options("lab.mat")).expect("reads");
    assert_eq!(loaded.recordings.len(), 3);
    for (got, want) in loaded.recordings.iter().zip(&worms) {
        same_activity(got, want);
        assert_eq!(got.neurons(), want.neurons());
        assert_eq!(got.behaviour().map(|b| b.states.len()), Some(2));
    }
    assert_eq!(loaded.recordings[1].animal_id(), Some("imaging(2)"));
}

#[test]
fn nwb_roi_indices_counting_from_one_and_a_nan_only_channel() {
    let worms = lab_worms();
    let bytes = lab_nwb(&worms);
    let layout = Layout::from_json(include_str!("../../../tests/fixtures/lab/lab_nwb.layout.json")).expect("layout");
    assert_eq!(layout.name_base, 1);
    let loaded = load_with_layout(&bytes, &layout, &options("lab.nwb")).expect("reads");
    assert_eq!(loaded.recordings.len(), 3);
    for (got, want) in loaded.recordings.iter().zip(&worms) {
        same_activity(got, want);
        assert_eq!(got.neurons(), want.neurons());
        assert!(got.behaviour().is_none(), "the only channel is NaN everywhere");
    }
    assert_eq!(loaded.warnings.iter().filter(|w| w.contains("moving") && w.contains("dropped")).count(), 3);
    // Counting from 0 instead shifts every name by one: the last index is out of range.
    let zero = Layout { name_base: 0, ..layout };
    let e = load_with_layout(&bytes, &zero, &options("lab.nwb")).expect_err("off by one");
    assert!(e.to_string().contains("rois"), "{e}");
    assert!(e.to_string().contains("lab.nwb"), "{e}");
}

#[test]
fn layouts_round_trip_as_json_and_bad_ones_say_what_is_wrong() {
    let layout = hdf5_layout();
    assert_eq!(Layout::from_json(&layout.to_json()).expect("round trip"), layout);
    let e = Layout::from_json(r#"{"format": "something-else", "activity": "x"}"#).expect_err("format");
    assert!(e.to_string().contains("format"), "{e}");
    let e = Layout::from_json(r#"{"activity": "x", "version": 9}"#).expect_err("version");
    assert_eq!(e.code(), "unsupported_version");
    let worms = lab_worms();
    let missing = Layout { activity: "calcium".into(), ..hdf5_layout() };
    let e = load_with_layout(&lab_hdf5(&worms), &missing, &options("lab.h5")).expect_err("no such dataset");
    assert!(e.to_string().contains("calcium") && e.to_string().contains("lab.h5"), "{e}");
    let mut wrong = hdf5_layout();
    wrong.behaviour =
        vec![Channel { thresholds: vec![0.1, -0.1], ..Channel::new("behavior/velocity", ChannelKind::Continuous) }];
    let e = load_with_layout(&lab_hdf5(&worms), &wrong, &options("lab.h5")).expect_err("thresholds");
    assert!(e.to_string().contains("ascending"), "{e}");
}

#[test]
fn names_from_a_separate_mapping_counting_from_one() {
    let worms = lab_worms();
    let names: Vec<String> = worms[0].neurons().iter().map(|n| n.name.clone()).collect();
    let csv: String = std::iter::once("column,name".to_string())
        .chain(names.iter().enumerate().map(|(i, n)| format!("{},{n}", i + 1)))
        .collect::<Vec<_>>()
        .join("\n");
    let layout = Layout {
        animals: Some("/worm1".into()),
        names: None,
        name_map: Some(csv.clone()),
        name_base: 1,
        ..hdf5_layout()
    };
    let loaded = load_with_layout(&lab_hdf5(&worms), &layout, &options("lab.h5")).expect("reads");
    assert_eq!(loaded.recordings[0].neurons(), worms[0].neurons());
    let zero = Layout { name_base: 0, ..layout };
    let e =
        load_with_layout(&lab_hdf5(&worms), &zero, &options("lab.h5")).expect_err("column 24 of 24 is out of range");
    assert!(e.to_string().contains("name_map"), "{e}");
}

#[test]
fn continuous_signals_bin_into_states_at_thresholds() {
    let worms = lab_worms();
    let mut layout = hdf5_layout();
    layout.behaviour =
        vec![Channel { thresholds: vec![-0.1, 0.1], ..Channel::new("behavior/velocity", ChannelKind::Continuous) }];
    let loaded = load_with_layout(&lab_hdf5(&worms), &layout, &options("lab.h5")).expect("reads");
    let b = loaded.recordings[0].behaviour().expect("binned");
    assert_eq!(b.states, vec!["velocity < -0.1", "-0.1 <= velocity < 0.1", "velocity >= 0.1"]);
    let truth = &worms[0].behaviour().expect("synthetic").labels;
    // reverse (1) -> slow band 0, turn (2) -> middle 1, forward (0) -> fast 2.
    assert!(b.labels.iter().zip(truth).all(|(&l, &t)| l == [2, 0, 1][t as usize]));
}

#[test]
fn the_presets_read_the_public_fixtures() {
    let presets = presets();
    let by_name = |needle: &str| presets.iter().find(|p| p.name.contains(needle)).expect("preset").clone();
    for (file, preset) in
        [("kato2015_v73.mat", by_name("v7.3")), ("kato2015_v5.mat", by_name("v5")), ("ophys.nwb", by_name("NWB"))]
    {
        let bytes = crate::common::fixture(file);
        let direct = ganglion_data::load(&bytes, &options(file)).expect("the built-in reader");
        let loaded = load_with_layout(&bytes, &preset, &options(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(loaded.recordings.len(), direct.len(), "{file}");
        for (a, b) in loaded.recordings.iter().zip(&direct) {
            same_activity(a, b);
            assert_eq!(a.neurons(), b.neurons(), "{file}");
            assert_eq!(a.behaviour(), b.behaviour(), "{file}");
        }
    }
}
