//! Bad data gets a typed error that names the file, the field and what was expected.

use ganglion_data::{DataError, LoadOptions, MissingValues, Problem, format};

fn load_csv(text: &str, options: LoadOptions) -> Result<ganglion_data::Recording, DataError> {
    format::load_one(text.as_bytes(), &LoadOptions { file_name: Some("traces.csv".into()), ..options })
}

fn rate(hz: f64) -> LoadOptions {
    LoadOptions { sampling_rate_hz: Some(hz), ..Default::default() }
}

#[test]
fn non_finite_values_are_counted_located_and_interpolated_only_on_request() {
    let text = "AVAL,AVAR\n1,2\nNaN,4\n3,inf\n5,8\n";
    let e = load_csv(text, rate(1.0)).expect_err("rejects");
    assert_eq!(e.problem, Problem::NonFinite { count: 2, first: vec![(0, 1), (1, 2)] });
    let message = e.to_string();
    assert!(message.starts_with("traces.csv: field `activity`: 2 activity value(s)"), "{message}");
    assert!(message.contains("neuron 0 frame 1"), "{message}");
    let fixed =
        load_csv(text, LoadOptions { missing_values: MissingValues::Interpolate, ..rate(1.0) }).expect("interpolates");
    assert_eq!(fixed.trace(0), &[1.0, 2.0, 3.0, 5.0]);
    assert_eq!(fixed.trace(1), &[2.0, 4.0, 6.0, 8.0]);
}

#[test]
fn an_all_missing_neuron_cannot_be_interpolated() {
    let e = load_csv("A,B\n1,\n2,\n", LoadOptions { missing_values: MissingValues::Interpolate, ..rate(1.0) })
        .expect_err("nothing to interpolate");
    assert_eq!(e.problem, Problem::NothingToInterpolate { neuron: 1 });
}

#[test]
fn duplicate_names_are_refused() {
    let e = load_csv("AVAL,AVAR,AVAL\n1,2,3\n4,5,6\n", rate(1.0)).expect_err("duplicate");
    assert_eq!(e.problem, Problem::DuplicateName { name: "AVAL".into(), first: 0, second: 2 });
    assert_eq!(e.field.as_deref(), Some("neuron_names"));
}

#[test]
fn labels_out_of_range_and_shape_mismatches_are_named() {
    let json = r#"{"format":"ganglion-recording","version":1,"sampling_rate_hz":1,
        "activity":[[1,2,3]],"behaviour":{"states":["fwd"],"labels":[0,0,2]}}"#;
    let e = format::load_one(json.as_bytes(), &LoadOptions::for_file("w.json")).expect_err("label 2");
    assert_eq!(e.problem, Problem::LabelOutOfRange { frame: 2, label: 2, n_states: 1 });
    assert_eq!(e.file.as_deref(), Some("w.json"));

    let json = r#"{"format":"ganglion-recording","version":1,"sampling_rate_hz":1,
        "activity":[[1,2,3],[1,2]]}"#;
    let e = format::load_one(json.as_bytes(), &LoadOptions::default()).expect_err("ragged");
    assert_eq!(e.code(), "shape_mismatch");
    assert_eq!(e.field.as_deref(), Some("activity"));
}

#[test]
fn empty_recordings_and_unsupported_versions() {
    let json = r#"{"format":"ganglion-recording","version":1,"sampling_rate_hz":1,"activity":[]}"#;
    assert_eq!(format::load_one(json.as_bytes(), &LoadOptions::default()).expect_err("empty").code(), "empty");
    let json = r#"{"format":"ganglion-recording","version":7,"activity":[[1]]}"#;
    let e = format::load_one(json.as_bytes(), &LoadOptions::default()).expect_err("v7");
    assert_eq!(e.code(), "unsupported_version");
    assert!(e.to_string().contains("version 7"), "{e}");
}

#[test]
fn a_wrong_shape_csv_says_which_line() {
    let e = load_csv("AVAL,AVAR\n1,2\n3,4,5\n", rate(1.0)).expect_err("ragged");
    assert_eq!(e.to_string(), "traces.csv: line 3 has 3 cells but the header has 2");
}

#[test]
fn a_mat_file_without_traces_lists_what_it_found() {
    // A v5 file holding only `fps`: build it from the fixture generator's layout rules.
    let mut bytes = b"MATLAB 5.0 MAT-file, Platform: test".to_vec();
    bytes.resize(116, b' ');
    bytes.extend_from_slice(&[0; 8]);
    bytes.extend_from_slice(&[0x00, 0x01, b'I', b'M']);
    // miMATRIX, double scalar named "fps".
    let mut m = Vec::new();
    m.extend_from_slice(&[6, 0, 0, 0, 8, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0]); // flags: class double
    m.extend_from_slice(&[5, 0, 0, 0, 8, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0]); // dims 1x1
    m.extend_from_slice(&[1, 0, 3, 0, b'f', b'p', b's', 0]); // small element name
    m.extend_from_slice(&[9, 0, 0, 0, 8, 0, 0, 0]);
    m.extend_from_slice(&2.9f64.to_le_bytes());
    bytes.extend_from_slice(&[14, 0, 0, 0]);
    bytes.extend_from_slice(&(m.len() as u32).to_le_bytes());
    bytes.extend_from_slice(&m);
    let e = format::load(&bytes, &LoadOptions::for_file("worm.mat")).expect_err("no traces");
    assert_eq!(e.code(), "missing_field");
    let text = e.to_string();
    assert!(text.starts_with("worm.mat: field `traces`"), "{text}");
    assert!(text.contains("\"fps\""), "{text}");
}
