//! Neuron names kept beside the data, one table per recording file, as labs that
//! identify neurons with NeuroPAL keep them (`worm3.h5` beside `worm3.csv`). Which table
//! belongs to which file is said by the file's stem (`worm3.csv`, `worm3_names.csv`), by
//! a layout's pattern (`names/{stem}.csv`) or by explicit pairs; the CLI, the notebook's
//! picker and the worker all pair them here. A table named after no file, a file without
//! its table, two tables for one file, or a column past a worm's neurons is an error that
//! names both files: no worm ever falls back to another worm's table.

use serde::{Deserialize, Serialize};

mod map;

use crate::error::{DataError, Result};
use crate::recording::Recording;
pub use map::apply_name_map;

/// One recording file's names table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NameTable {
    /// The table's file name as the user gave it (shown in errors, matched by stem).
    pub file: String,
    /// Its text: a `column,name` CSV or a JSON mapping ([`apply_name_map`]).
    pub text: String,
    /// Whether its columns count from 0 or 1.
    pub base: usize,
}

impl NameTable {
    /// Renames the neurons of `recording`, read from the data file `data`, from this
    /// table; a column past the recording's neurons names both files.
    pub fn apply(&self, recording: &Recording, data: &str) -> Result<Recording> {
        let place = format!("{} (the neuron names of {data})", self.file);
        apply_name_map(recording, self.text.as_bytes(), self.base, Some(&place))
    }

    /// How `inspect` and the picker say where the names came from.
    pub fn describe(&self) -> String {
        format!("table {} (columns from {})", self.file, self.base)
    }
}

/// A file's name without its folders and its last extension (`data/worm3.h5` ->
/// `worm3`), the key that pairs data files, tables and animals.
pub fn file_stem(name: &str) -> &str {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    match base.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => base,
    }
}

/// Endings a table's stem may add to its data file's stem (`worm3_names.csv`).
const TABLE_SUFFIXES: [&str; 4] = ["_names", "-names", ".names", " names"];

/// Whether the table file `table` is named after the data file `data`: the same stem,
/// or the stem followed by one of `_names`, `-names`, `.names`.
pub fn is_table_for(table: &str, data: &str) -> bool {
    let (table, data) = (file_stem(table), file_stem(data));
    table == data || table.strip_prefix(data).is_some_and(|rest| TABLE_SUFFIXES.contains(&rest))
}

/// The table a layout's names pattern names for the data file `data`:
/// `names/{stem}.csv` -> `names/worm3.csv`.
pub fn pattern_path(pattern: &str, data: &str) -> String {
    pattern.replace("{stem}", file_stem(data))
}

/// The table of every data file, in the files' order, paired by stem ([`is_table_for`]).
/// Every table must be named after exactly one file and every file must have one.
pub fn match_by_stem(data_files: &[&str], tables: &[NameTable]) -> Result<Vec<NameTable>> {
    let list = |names: &mut dyn Iterator<Item = &str>| names.collect::<Vec<_>>().join(", ");
    for table in tables {
        if !data_files.iter().any(|d| is_table_for(&table.file, d)) {
            let stem = data_files.first().map_or("worm1", |d| file_stem(d));
            return Err(DataError::unmatched_names(format!(
                "this table is named after none of the data files ({}); name it after its file, \
                 as {stem}.csv or {stem}_names.csv",
                list(&mut data_files.iter().copied())
            ))
            .in_file(Some(&table.file)));
        }
    }
    data_files
        .iter()
        .map(|data| {
            let mut fitting = tables.iter().filter(|t| is_table_for(&t.file, data));
            match (fitting.next(), fitting.next()) {
                (Some(one), None) => Ok(one.clone()),
                (Some(a), Some(b)) => Err(DataError::unmatched_names(format!(
                    "two names tables are named after this file: {} and {}",
                    a.file, b.file
                ))
                .in_file(Some(data))),
                (None, _) => Err(DataError::unmatched_names(format!(
                    "no names table is named after this file (the tables are {}); every file needs its own",
                    list(&mut tables.iter().map(|t| t.file.as_str()))
                ))
                .in_file(Some(data))),
            }
        })
        .collect()
}

/// The table of every data file, in the files' order: through a layout's `pattern`
/// when there is one (the table whose path ends with what the pattern names for that
/// file, so both a full path and a picked file's bare name fit), else by stem
/// ([`match_by_stem`]); no tables and no pattern: none.
pub fn tables_for(data_files: &[&str], tables: &[NameTable], pattern: Option<&str>) -> Result<Vec<Option<NameTable>>> {
    let Some(pattern) = pattern else {
        if tables.is_empty() {
            return Ok(vec![None; data_files.len()]);
        }
        return Ok(match_by_stem(data_files, tables)?.into_iter().map(Some).collect());
    };
    let fits = |table: &str, want: &str| {
        let ends = |long: &str, short: &str| long == short || long.ends_with(&format!("/{short}"));
        ends(table, want) || ends(want, table)
    };
    let found = data_files
        .iter()
        .map(|data| {
            let want = pattern_path(pattern, data);
            tables.iter().find(|t| fits(&t.file, &want)).cloned().map(Some).ok_or_else(|| {
                DataError::unmatched_names(format!(
                    "the layout's names pattern {pattern} names {want} for this file, and no such table was given"
                ))
                .in_file(Some(data))
            })
        })
        .collect::<Result<Vec<_>>>()?;
    if let Some(spare) = tables.iter().find(|t| !found.iter().flatten().any(|f| f.file == t.file)) {
        return Err(DataError::unmatched_names(format!(
            "the layout's names pattern {pattern} names this table for none of the data files"
        ))
        .in_file(Some(&spare.file)));
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(file: &str) -> NameTable {
        NameTable { file: file.into(), text: "1,AVAL\n".into(), base: 1 }
    }

    #[test]
    fn stems_pair_files_with_their_tables() {
        assert_eq!(file_stem("data/worm3.h5"), "worm3");
        assert_eq!(file_stem(r"C:\lab\worm3.nwb"), "worm3");
        assert_eq!(file_stem(".hidden"), ".hidden");
        assert!(is_table_for("names/worm3.csv", "worm3.h5"));
        assert!(is_table_for("worm3_names.json", "raw/worm3.h5"));
        assert!(!is_table_for("worm30.csv", "worm3.h5"));
        assert_eq!(pattern_path("names/{stem}.csv", "data/worm3.h5"), "names/worm3.csv");
    }

    #[test]
    fn every_file_takes_its_own_table_or_the_mismatch_is_named() {
        let files = ["a/worm1.h5", "a/worm2.h5"];
        let got = match_by_stem(&files, &[table("worm2.csv"), table("worm1_names.csv")]).expect("pairs");
        assert_eq!(got.iter().map(|t| t.file.as_str()).collect::<Vec<_>>(), ["worm1_names.csv", "worm2.csv"]);

        let e = match_by_stem(&files, &[table("worm1.csv")]).expect_err("worm2 has none");
        assert_eq!((e.code(), e.file.as_deref()), ("unmatched_names", Some("a/worm2.h5")));
        let e = match_by_stem(&files, &[table("worm1.csv"), table("worm2.csv"), table("fish.csv")])
            .expect_err("a table for no file");
        assert_eq!(e.file.as_deref(), Some("fish.csv"));
        assert!(e.to_string().contains("worm1.h5, a/worm2.h5") || e.to_string().contains("a/worm1.h5"), "{e}");
        let e = match_by_stem(&files, &[table("worm1.csv"), table("worm1_names.csv"), table("worm2.csv")])
            .expect_err("two tables");
        assert!(e.to_string().contains("worm1.csv and worm1_names.csv"), "{e}");
    }

    #[test]
    fn a_pattern_finds_each_files_table_by_path_or_bare_name() {
        let files = ["lab/worm1.h5", "lab/worm2.h5"];
        let pattern = Some("names/{stem}.csv");
        let on_disk = [table("lab/names/worm1.csv"), table("lab/names/worm2.csv")];
        let got = tables_for(&files, &on_disk, pattern).expect("pairs");
        assert_eq!(got[1].as_ref().map(|t| t.file.as_str()), Some("lab/names/worm2.csv"));
        let picked = [table("worm2.csv"), table("worm1.csv")];
        assert_eq!(tables_for(&files, &picked, pattern).expect("pairs")[0], Some(table("worm1.csv")));
        let e = tables_for(&files, &picked[..1], pattern).expect_err("worm1's is missing");
        assert!(e.file.as_deref() == Some("lab/worm1.h5") && e.to_string().contains("names/worm1.csv"), "{e}");
        assert_eq!(tables_for(&files, &[], None).expect("none"), vec![None, None]);
    }
}
