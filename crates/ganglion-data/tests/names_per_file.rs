//! A lab's worms in one file each, their neuron names in a table per worm: each file
//! takes its own table (by a layout's pattern or by stem), a table for another worm or
//! with a column past a worm's neurons is an error naming both files, and each animal is
//! named after its file.

use crate::common::one_worm_files::{OneWormFile, one_worm_files, out_of_range_table};
use ganglion_data::LoadOptions;
use ganglion_data::layout::{Layout, NameTable, load_with_layout, tables_for};

fn layout() -> Layout {
    Layout::from_json(include_str!("../../../tests/fixtures/lab/one-worm-files/layout.json")).expect("the layout")
}

fn table(file: &str, text: &str) -> NameTable {
    NameTable { file: file.into(), text: text.into(), base: 1 }
}

fn read(file: &OneWormFile, table: Option<NameTable>) -> ganglion_data::Result<ganglion_data::Recording> {
    let options = LoadOptions { name_table: table, ..LoadOptions::for_file(format!("lab/{}", file.data_name)) };
    Ok(load_with_layout(&file.data, &layout(), &options)?.recordings.remove(0))
}

#[test]
fn the_committed_worm_files_are_what_the_writer_writes() {
    let files = one_worm_files();
    let mut expected: Vec<(String, Vec<u8>)> = Vec::new();
    for f in &files {
        expected.push((f.data_name.clone(), f.data.clone()));
        expected.push((format!("names/{}", f.data_name.replace(".h5", ".csv")), f.table.clone().into_bytes()));
    }
    expected.push(("out-of-range/worm_c.csv".into(), out_of_range_table(&files).into_bytes()));
    for (name, bytes) in expected {
        crate::common::check_fixture("lab/one-worm-files", &name, &bytes);
    }
}

#[test]
fn each_worm_takes_its_own_table_through_the_layouts_pattern() {
    let files = one_worm_files();
    let counts: Vec<usize> = files.iter().map(|f| f.worm.n_neurons()).collect();
    assert!(counts[0] != counts[1] && counts[1] != counts[2] && counts[0] != counts[2], "{counts:?}");
    let names: Vec<String> = files.iter().map(|f| format!("lab/{}", f.data_name)).collect();
    let data: Vec<&str> = names.iter().map(String::as_str).collect();
    let on_disk: Vec<NameTable> = files
        .iter()
        .rev()
        .map(|f| table(&format!("lab/names/{}", f.data_name.replace(".h5", ".csv")), &f.table))
        .collect();
    let pattern = layout().name_tables;
    let chosen = tables_for(&data, &on_disk, pattern.as_deref()).expect("every file has its table");
    for (file, table) in files.iter().zip(chosen) {
        let got = read(file, table).expect("reads");
        assert_eq!(got.neurons(), file.worm.neurons(), "{}", file.data_name);
        assert_eq!(got.animal_id(), Some(file.data_name.trim_end_matches(".h5")), "named after its file");
        assert_eq!(got.neurons().iter().filter(|n| n.identified).count(), got.n_neurons() - 2);
    }
    // Tables picked by their bare names pair by stem just the same.
    let picked: Vec<NameTable> =
        files.iter().map(|f| table(&f.data_name.replace(".h5", "_names.csv"), &f.table)).collect();
    let by_stem = tables_for(&data, &picked, None).expect("pairs by stem");
    assert_eq!(by_stem[1].as_ref().map(|t| t.file.as_str()), Some("worm_b_names.csv"));
}

#[test]
fn another_worms_table_or_a_column_past_the_neurons_is_an_error_naming_both_files() {
    let files = one_worm_files();
    // worm_a's table on worm_b: every column is in range, and the names are wrong.
    let wrong = read(&files[1], Some(table("names/worm_a.csv", &files[0].table))).expect("in range");
    let right = files[1].worm.neurons();
    assert!(wrong.neurons().iter().zip(right).filter(|(a, b)| a.name != b.name).count() > 10, "one table mislabels");
    // worm_b's table (more named columns) on worm_a (fewer neurons): out of range.
    assert!(files[1].worm.n_neurons() - 2 > files[0].worm.n_neurons());
    let e = read(&files[0], Some(table("names/worm_b.csv", &files[1].table))).expect_err("past worm_a's neurons");
    assert_eq!(e.code(), "shape_mismatch");
    let n = files[2].worm.n_neurons();
    let e = read(&files[2], Some(table("out-of-range/worm_c.csv", &out_of_range_table(&files)))).expect_err("n + 1");
    let text = e.to_string();
    for part in ["out-of-range/worm_c.csv", "worm_c.h5", &format!("from 1 to {n}"), &format!("{}", n + 1)] {
        assert!(text.contains(part), "{part} is named: {text}");
    }
}
