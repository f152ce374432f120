//! Where each file's neuron names come from on the command line: one table for every
//! recording (`--names-file MAP.csv`), a table per file (`--names-file worm1.h5=a.csv`,
//! repeated, or `--names-file DIR`, a folder of tables named after the files), or a
//! pattern beside each file (`--names-pattern 'names/{stem}.csv'`, or the layout's
//! `name_tables`). The pairing rules are the data crate's, shared with the notebook; a
//! file left without its table is an error, never another worm's names.

use std::path::Path;

use ganglion_data::layout::{Layout, NameTable, is_table_for, match_by_stem, pattern_path};

use crate::args::Args;

/// Extensions a names table may have, when tables are found in a folder.
const TABLE_EXTENSIONS: [&str; 4] = ["csv", "tsv", "txt", "json"];

/// The names table of each file in `files` (`None`: the names the file or the layout
/// give), from the flags and `layout`.
pub fn tables(a: &Args, files: &[String], layout: Option<&Layout>) -> Result<Vec<Option<NameTable>>, String> {
    let base = match layout {
        Some(layout) => layout.name_base,
        None => a.get("name-base", 0usize)?,
    };
    let given = a.all("names-file");
    let pattern = a.text("names-pattern").or(layout.and_then(|l| l.name_tables.as_deref()));
    if let Some(pattern) = pattern {
        if !given.is_empty() {
            return Err("--names-file and a names pattern both say where the names are: give one".into());
        }
        return files.iter().map(|file| beside(file, pattern, base).map(Some)).collect();
    }
    let read = |path: &str| {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
        Ok::<_, String>(NameTable { file: path.to_owned(), text, base })
    };
    match given {
        [] => Ok(vec![None; files.len()]),
        [one] if Path::new(one).is_dir() => in_folder(one, files, base),
        [one] if single_table(a).is_some() => {
            if files.len() > 1 {
                eprintln!(
                    "note: one names table ({one}) for {} files; give FILE=TABLE pairs or a folder of \
                     tables named after the files when each worm has its own",
                    files.len()
                );
            }
            // With a layout, the table travels inside it (`layout_from`), so a study's
            // written layout reproduces the names.
            let table = if layout.is_some() { None } else { Some(read(one)?) };
            Ok(vec![table; files.len()])
        }
        pairs => {
            let mut per_file: Vec<Option<NameTable>> = vec![None; files.len()];
            for pair in pairs {
                let (data, map) = pair
                    .split_once('=')
                    .ok_or_else(|| format!("--names-file {pair}: give every table as FILE=TABLE, or one table"))?;
                let same = |f: &String| f == data || Path::new(f).file_name().is_some_and(|n| n == data);
                let k = files.iter().position(same).ok_or_else(|| {
                    format!("--names-file {pair}: {data} is none of the files given ({})", files.join(", "))
                })?;
                if per_file[k].is_some() {
                    return Err(format!("--names-file: {data} is given two tables"));
                }
                per_file[k] = Some(read(map)?);
            }
            if let Some(k) = per_file.iter().position(Option::is_none) {
                return Err(format!(
                    "{}: no names table for this file (the --names-file pairs name other files); add {}=TABLE",
                    files[k], files[k]
                ));
            }
            Ok(per_file)
        }
    }
}

/// The one table `--names-file` gives for every file, if that is what it gives (not
/// pairs, not a folder).
pub fn single_table(a: &Args) -> Option<&str> {
    match a.all("names-file") {
        [one] if Path::new(one).is_file() || !(one.contains('=') || Path::new(one).is_dir()) => Some(one),
        _ => None,
    }
}

/// The table `pattern` names beside the data file `file`.
fn beside(file: &str, pattern: &str, base: usize) -> Result<NameTable, String> {
    let path = Path::new(file).parent().unwrap_or(Path::new("")).join(pattern_path(pattern, file));
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("{file}: its names table {shown} (from the names pattern {pattern}): {e}"))?;
    Ok(NameTable { file: shown, text, base })
}

/// The tables of `folder` named after the files, one per file.
fn in_folder(folder: &str, files: &[String], base: usize) -> Result<Vec<Option<NameTable>>, String> {
    let entries = std::fs::read_dir(folder).map_err(|e| format!("{folder}: {e}"))?;
    let mut tables = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| format!("{folder}: {e}"))?.path();
        let name = path.display().to_string();
        let is_table = path.extension().is_some_and(|x| TABLE_EXTENSIONS.iter().any(|t| x.eq_ignore_ascii_case(t)));
        if path.is_file() && is_table && files.iter().any(|f| is_table_for(&name, f)) {
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{name}: {e}"))?;
            tables.push(NameTable { file: name, text, base });
        }
    }
    tables.sort_by(|a, b| a.file.cmp(&b.file));
    let data: Vec<&str> = files.iter().map(String::as_str).collect();
    let matched = match_by_stem(&data, &tables).map_err(|e| format!("{e} (in the folder {folder})"))?;
    Ok(matched.into_iter().map(Some).collect())
}

/// Where a recording's names came from, for `inspect`: its table, the layout's names
/// dataset or inline map, or the file's own.
pub fn source(a: &Args, layout: Option<&Layout>, table: Option<&NameTable>) -> String {
    if let Some(table) = table {
        return table.describe();
    }
    let Some(layout) = layout else { return "the file's own".into() };
    let base = layout.name_base;
    match (&layout.name_map, single_table(a), &layout.names, &layout.name_index) {
        (Some(_), Some(one), _, _) => format!("table {one} (columns from {base})"),
        (Some(_), _, _, _) => format!("the layout's name_map (columns from {base})"),
        (None, _, Some(names), Some(index)) => format!("dataset {names} by {index} (indices from {base})"),
        (None, _, Some(names), None) => format!("dataset {names}"),
        (None, _, None, _) => "none".into(),
    }
}
