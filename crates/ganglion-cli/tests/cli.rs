//! The `ganglion` binary end to end: synth, inspect, train with a JSON report, a saved
//! model scored again with `eval`, and
//! readable non-zero exits on bad input.

use std::process::Command;

fn ganglion(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ganglion")).args(args).output().expect("runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn synth_inspect_and_train_a_held_out_animal() {
    let dir = std::env::temp_dir().join(format!("ganglion-cli-{}", std::process::id()));
    let d = dir.to_str().expect("utf-8 path");
    let (ok, out, err) =
        ganglion(&["synth", "--out", d, "--neurons", "12", "--frames", "400", "--animals", "3", "--seed", "3"]);
    assert!(ok, "{err}");
    assert_eq!(out.lines().count(), 3);
    let files: Vec<String> = (1..=3).map(|i| format!("{d}/worm-{i}.npz")).collect();
    let (ok, out, err) = ganglion(&["inspect", &files[0]]);
    assert!(ok, "{err}");
    assert!(out.contains("12 neurons (12 named), 400 frames") && out.contains("known graph: yes"), "{out}");

    let report = format!("{d}/report.json");
    let model = format!("{d}/gnn.ganglion");
    let mut args =
        vec!["train", "--task", "forecast", "--model", "gnn", "--steps", "20", "--report", &report, "--save", &model];
    args.extend(files.iter().map(String::as_str));
    let (ok, _, err) = ganglion(&args);
    assert!(ok, "{err}");
    assert!(err.contains("step 20/20"), "progress is shown: {err}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).expect("report")).expect("json");
    assert_eq!(json["test_animal"], "synthetic-worm-3");
    assert!(json["scores"]["model"]["mse"].as_f64().is_some_and(f64::is_finite));
    assert!(json["scores"]["persistence"]["mse"].as_f64().is_some_and(f64::is_finite));
    assert!(json["edges"]["auroc"].as_f64().is_some(), "the true graph is known, so edges are scored");
    assert_eq!(json["held_out"], "animal");
    assert_eq!(json["steps"], 20);
    let n = json["neurons"].as_u64().expect("neuron count") as usize;
    assert_eq!(json["graph"]["probability"].as_array().map(Vec::len), Some(n * n), "the held-out animal's graph");

    // The saved model scores the same held-out frames exactly as training did.
    let evaluated = format!("{d}/eval.json");
    let (ok, _, err) = ganglion(&["eval", "--model", &model, "--report", &evaluated, &files[2]]);
    assert!(ok, "{err}");
    let again: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&evaluated).expect("report")).expect("json");
    assert_eq!(again["held_out"], "saved");
    assert_eq!(again["scores"], json["scores"]);
    assert_eq!(again["edges"], json["edges"]);
    assert_eq!(again["steps"], 20);

    // One recording: time is held out instead of an animal.
    let mlp = format!("{d}/mlp.ganglion");
    let args = ["train", "--model", "mlp", "--steps", "10", "--report", &report, "--save", &mlp, &files[0]];
    let (ok, _, err) = ganglion(&args);
    assert!(ok, "{err}");
    // The MLP reads the first animal's named neurons; the third animal lacks some of them.
    let (ok, _, err) = ganglion(&["eval", "--model", &mlp, &files[2]]);
    assert!(!ok && err.contains("saved model: the model reads 12 named neurons and this recording lacks"), "{err}");
    let (ok, _, err) = ganglion(&["eval", "--model", &files[0], &files[0]]);
    assert!(!ok && err.contains("not a ganglion checkpoint"), "{err}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).expect("report")).expect("json");
    assert_eq!(json["held_out"], "time");
    assert_eq!(json["preview"]["names"].as_array().map(Vec::len), Some(6));
    assert!(json["scores"]["model"]["r2"].as_f64().is_some_and(f64::is_finite));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_input_exits_non_zero_with_a_readable_message() {
    let junk = std::env::temp_dir().join(format!("ganglion-junk-{}.bin", std::process::id()));
    std::fs::write(&junk, [0xff, 0x00, 0x13, 0x37]).expect("writes");
    let junk = junk.to_str().expect("utf-8 path");
    let (ok, _, err) = ganglion(&["inspect", junk]);
    assert!(!ok);
    assert!(err.starts_with(&format!("ganglion: {junk}: not a recognised recording format")), "{err}");
    let (ok, _, err) = ganglion(&["train", "--model", "cnn"]);
    assert!(!ok && err.contains("\"cnn\" is not one of gnn, mlp, gru, elm, branch-elm"), "{err}");
    let (ok, _, err) = ganglion(&["train", "--frobnicate", "1"]);
    assert!(!ok && err.contains("unknown flag --frobnicate"), "{err}");
    let (ok, _, err) = ganglion(&["inspect", "/no/such/file.npz"]);
    assert!(!ok && err.contains("/no/such/file.npz"), "{err}");
}

#[test]
fn the_long_memory_task_needs_no_recording_and_its_model_scores_again() {
    let model = std::env::temp_dir().join(format!("ganglion-elm-{}.ganglion", std::process::id()));
    let model = model.to_str().expect("utf-8 path");
    let args = ["train", "--task", "long-memory", "--model", "branch-elm", "--steps", "4", "--history", "20"];
    let (ok, out, err) = ganglion(&[&args[..], &["--save", model]].concat());
    assert!(ok, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).expect("a JSON report");
    assert_eq!(report["held_out"], "trials");
    assert_eq!(report["experiment"]["model"], "branch-elm");
    let trained = report["scores"]["model"]["accuracy"].as_f64().expect("an accuracy");
    let (ok, out, err) = ganglion(&["eval", "--model", model]);
    assert!(ok, "{err}");
    let again: serde_json::Value = serde_json::from_str(&out).expect("a JSON report");
    assert_eq!(again["scores"]["model"]["accuracy"].as_f64(), Some(trained));
    let (ok, _, err) = ganglion(&["train", "--task", "long-memory", "--model", "gnn", "--steps", "2"]);
    assert!(!ok && err.contains("pick the ELM"), "{err}");
}

fn fixture(name: &str) -> String {
    format!("{}/../../tests/fixtures/lab/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn lab_files_read_through_a_layout_file_or_the_same_choices_as_flags() {
    let (ok, out, err) = ganglion(&["tree", &fixture("lab_hdf5.h5")]);
    assert!(ok, "{err}");
    assert!(out.contains("/worm1/traces") && out.contains("600 x 24 numbers"), "{out}");

    let layout = fixture("lab_hdf5.layout.json");
    let (ok, by_file, err) = ganglion(&["inspect", "--layout", &layout, &fixture("lab_hdf5.h5")]);
    assert!(ok, "{err}");
    assert!(by_file.contains("3 recording(s)") && by_file.contains("signals: velocity"), "{by_file}");
    assert!(err.contains("head_angle has no value in any frame; dropped"), "the dead channel is reported: {err}");
    let flags = [
        "inspect",
        "--animals",
        "/worm*",
        "--activity",
        "traces",
        "--time-axis",
        "0",
        "--time",
        "timestamps",
        "--names",
        "neuron_ids",
        "--behaviour",
        "binary:behavior/reversal,continuous:behavior/velocity,continuous:behavior/head_angle",
    ];
    let mut args = flags.to_vec();
    let file = fixture("lab_hdf5.h5");
    args.push(&file);
    let (ok, by_flags, err) = ganglion(&args);
    assert!(ok, "{err}");
    assert_eq!(by_flags, by_file, "flags and the layout file read the same");

    // The NWB file's ROI indices count from 1; the MATLAB struct array needs its own layout.
    let nwb = fixture("lab_nwb.nwb");
    let (ok, out, err) = ganglion(&["inspect", "--layout", &fixture("lab_nwb.layout.json"), &nwb]);
    assert!(ok && out.contains("24 neurons (24 named)"), "{out}{err}");
    let (ok, _, err) = ganglion(&["inspect", "--layout", &fixture("lab_nwb.layout.json"), "--name-base", "0", &nwb]);
    assert!(!ok && err.contains("rois"), "0-based indices run past the names: {err}");
    let (ok, _, err) = ganglion(&["inspect", "--time-axis", "0", &nwb]);
    assert!(!ok && err.contains("--activity"), "{err}");
}

#[test]
fn a_study_writes_its_report_table_and_figure() {
    let dir = std::env::temp_dir().join(format!("ganglion-study-{}", std::process::id()));
    let d = dir.to_str().expect("utf-8 path");
    let (ok, out, err) = ganglion(&[
        "study",
        "--out",
        d,
        "--models",
        "gnn,mlp",
        "--steps",
        "15",
        "--layout",
        &fixture("lab_hdf5.layout.json"),
        &fixture("lab_hdf5.h5"),
    ]);
    assert!(ok, "{err}");
    assert!(err.contains("[18/18] MLP signals without worm3"), "{err}");
    assert!(out.contains("| GNN | forecast MSE |") && out.contains("| MLP | behaviour accuracy |"), "{out}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("study.json")).expect("json")).expect("parses");
    assert_eq!(json["animals"].as_array().map(Vec::len), Some(3));
    assert_eq!(json["folds"].as_array().map(Vec::len), Some(6));
    assert!(out.contains("| GNN | signal R^2 |"), "the velocity signal is decoded: {out}");
    for name in ["study.md", "summary.csv", "folds.csv", "study.svg", "layout.json"] {
        assert!(dir.join(name).exists(), "{name} written");
    }
    let svg = std::fs::read_to_string(dir.join("study.svg")).expect("svg");
    assert!(svg.contains("<svg") && svg.contains("forecast MSE"), "the figure names its metrics");
    let _ = std::fs::remove_dir_all(&dir);
}

fn worms() -> (Vec<String>, String) {
    let files = ["worm_a.h5", "worm_b.h5", "worm_c.h5"].map(|f| fixture(&format!("one-worm-files/{f}"))).to_vec();
    (files, fixture("one-worm-files"))
}

#[test]
fn each_worm_takes_its_own_names_table_by_pattern_folder_or_pairs() {
    let (files, dir) = worms();
    let with = |flags: &[&str]| {
        let mut args = vec!["inspect", "--activity", "/traces", "--time", "/timestamps", "--time-axis", "0"];
        args.extend_from_slice(flags);
        args.extend(files.iter().map(String::as_str));
        ganglion(&args)
    };
    let layout = format!("{dir}/layout.json");
    let mut args = vec!["inspect", "--layout", layout.as_str()];
    args.extend(files.iter().map(String::as_str));
    let (ok, by_pattern, err) = ganglion(&args);
    assert!(ok, "{err}");
    for (worm, named) in [("worm_a", 20), ("worm_b", 23), ("worm_c", 22)] {
        let line = by_pattern.lines().find(|l| l.contains(&format!("animal {worm}:"))).expect("each file's animal");
        assert!(line.contains(&format!("({named} named)")), "{line}");
        assert!(line.contains(&format!("names: table {dir}/names/{worm}.csv (columns from 1)")), "{line}");
    }
    let folder = format!("{dir}/names");
    let (ok, by_folder, err) = with(&["--name-base", "1", "--names-file", &folder]);
    assert!(ok, "{err}");
    assert_eq!(by_folder, by_pattern, "a folder of tables pairs by stem as the pattern does");
    let pair = |w: &str| format!("{dir}/{w}.h5={dir}/names/{w}.csv");
    let pairs = [pair("worm_a"), pair("worm_b"), pair("worm_c")];
    let (ok, by_pairs, err) =
        with(&["--name-base", "1", "--names-file", &pairs[2], "--names-file", &pairs[0], "--names-file", &pairs[1]]);
    assert!(ok, "{err}");
    assert_eq!(by_pairs, by_pattern, "explicit pairs, in any order");

    let (ok, _, err) = with(&["--name-base", "1", "--names-file", &pairs[0], "--names-file", &pairs[1]]);
    assert!(!ok && err.contains("worm_c.h5: no names table for this file"), "{err}");
    let (ok, _, err) = with(&["--name-base", "1", "--names-file", &format!("{dir}/out-of-range")]);
    assert!(!ok && err.contains("worm_a.h5") && err.contains("no names table is named after this file"), "{err}");
    let (ok, _, err) =
        ganglion(&["inspect", "--layout", &layout, "--names-pattern", "out-of-range/{stem}.csv", &files[2]]);
    assert!(!ok, "worm_c's other table runs past its neurons");
    for part in ["out-of-range/worm_c.csv", "worm_c.h5", "a column from 1 to 24", "found 25"] {
        assert!(err.contains(part), "{part} is named: {err}");
    }
    let (ok, _, err) = with(&["--name-base", "1", "--names-file", &pairs[0], "--names-file", &pairs[0]]);
    assert!(!ok && err.contains("two tables"), "{err}");
    let (ok, _, err) = with(&["--time", "/timestamps"]);
    assert!(!ok && err.contains("--time is given twice"), "{err}");
}

#[test]
fn a_study_over_a_labs_worms_names_each_fold_by_file_and_compares_on_shared_names() {
    let (files, dir) = worms();
    let out = std::env::temp_dir().join(format!("ganglion-worms-{}", std::process::id()));
    let o = out.to_str().expect("utf-8 path");
    let layout = format!("{dir}/layout.json");
    let mut args = vec!["study", "--out", o, "--models", "gnn,mlp", "--steps", "15", "--behaviour-task", "no"];
    args.extend(["--layout", layout.as_str()]);
    args.extend(files.iter().map(String::as_str));
    let (ok, md, err) = ganglion(&args);
    assert!(ok, "{err}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("study.json")).expect("json")).expect("parses");
    assert_eq!(json["animals"], serde_json::json!(["worm_a", "worm_b", "worm_c"]));
    let held: Vec<&str> =
        json["folds"].as_array().expect("folds").iter().filter_map(|f| f["held_out"].as_str()).collect();
    assert_eq!(held.len(), 6, "GNN and MLP on each of the three worms");
    assert!(["worm_a", "worm_b", "worm_c"].iter().all(|w| held.contains(w)), "{held:?}");
    let mlp = json["folds"].as_array().and_then(|f| f.iter().find(|f| f["model"] == "mlp")).expect("an MLP fold");
    let shared = mlp["neurons"].as_u64().expect("neurons");
    assert!((10..20).contains(&shared), "the MLP reads the named neurons all three worms share: {shared}");
    assert!(md.contains(&format!("GNN vs MLP, on the {shared} named neurons every animal shares")), "{md}");
    let written = std::fs::read_to_string(out.join("layout.json")).expect("the layout used");
    assert!(written.contains("names/{stem}.csv"), "the written layout reproduces the names: {written}");
    let _ = std::fs::remove_dir_all(&out);
}
