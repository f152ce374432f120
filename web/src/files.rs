//! Several files loaded together as one study (one animal or more per file): the page
//! and the worker read them the same way, each through the same layout (or its own
//! built-in one) with its own names table, if any; the data crate names an animal
//! without an id after its file, as it does for the CLI.

use ganglion_data::layout::{Layout, NameTable, load_with_layout, tables_for};
use ganglion_data::{DataError, LoadOptions, Recording, format};

use crate::protocol::Source;

/// Recordings of every file, in order, and what the loader noticed; `tables` pair with
/// the files by the layout's names pattern or by stem.
pub fn load_all(
    files: &[(String, &[u8])],
    layout: Option<&Layout>,
    tables: &[NameTable],
) -> Result<(Vec<Recording>, Vec<String>), DataError> {
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    let per_file = tables_for(&names, tables, layout.and_then(|l| l.name_tables.as_deref()))?;
    let mut recordings = Vec::new();
    let mut warnings = Vec::new();
    for ((name, bytes), table) in files.iter().zip(per_file) {
        let options = LoadOptions { name_table: table, ..LoadOptions::for_file(name.clone()) };
        match layout {
            Some(layout) => {
                let loaded = load_with_layout(bytes, layout, &options)?;
                warnings.extend(loaded.warnings.into_iter().map(|w| format!("{name}: {w}")));
                recordings.extend(loaded.recordings);
            }
            None => recordings.extend(format::load(bytes, &options)?),
        }
    }
    Ok((recordings, warnings))
}

/// How the page names what was loaded: the file, or the count and the files.
pub fn label(files: &[(String, Vec<u8>)]) -> String {
    match files {
        [(name, _)] => name.clone(),
        _ => {
            format!("{} files ({})", files.len(), files.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(", "))
        }
    }
}

/// Splits the concatenated bytes of `names` (of `sizes` bytes each) back into files.
pub fn split<'a>(names: &[String], sizes: &[usize], bytes: &'a [u8]) -> Result<Vec<(String, &'a [u8])>, DataError> {
    if names.len() != sizes.len() || sizes.iter().sum::<usize>() != bytes.len() {
        return Err(DataError::bad_request("the files' sizes do not add up to the bytes sent"));
    }
    let mut out = Vec::with_capacity(names.len());
    let mut at = 0;
    for (name, &size) in names.iter().zip(sizes) {
        out.push((name.clone(), &bytes[at..at + size]));
        at += size;
    }
    Ok(out)
}

/// The source the worker is sent for `files` (read with `layout` and names `tables`),
/// and their bytes concatenated.
pub fn source_of(files: &[(String, Vec<u8>)], layout: Option<Layout>, tables: Vec<NameTable>) -> (Source, Vec<u8>) {
    let layout = layout.map(Box::new);
    if let [(name, bytes)] = files {
        return (Source::File { name: name.clone(), layout, name_tables: tables }, bytes.clone());
    }
    let names = files.iter().map(|(n, _)| n.clone()).collect();
    let sizes = files.iter().map(|(_, b)| b.len()).collect();
    (
        Source::Files { names, sizes, layout, name_tables: tables },
        files.iter().flat_map(|(_, b)| b.iter().copied()).collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use ganglion_data::synth::{SynthConfig, synth_worms};

    #[test]
    fn files_split_back_and_animals_take_their_file_stems_and_tables() {
        let worms = synth_worms(&SynthConfig { n_neurons: 6, n_frames: 60, n_animals: 2, ..SynthConfig::default() });
        let npz: Vec<Vec<u8>> =
            worms.iter().map(|w| format::to_npz(&w.clone().with_animal_id(" ")).expect("npz")).collect();
        let files = vec![("lab/a.npz".to_string(), npz[0].clone()), ("b.npz".to_string(), npz[1].clone())];
        let table = |file: &str, name: &str| NameTable { file: file.into(), text: format!("1,{name}\n"), base: 1 };
        let tables = vec![table("b_names.csv", "LABB"), table("a.csv", "LABA")];
        let (source, bytes) = source_of(&files, None, tables.clone());
        let Source::Files { names, sizes, name_tables, .. } = source else { panic!("several files") };
        let parts = split(&names, &sizes, &bytes).expect("splits");
        let (recordings, _) = load_all(&parts, None, &name_tables).expect("loads");
        let ids: Vec<Option<&str>> = recordings.iter().map(Recording::animal_id).collect();
        assert_eq!(ids, vec![Some("a"), Some("b")]);
        assert_eq!(
            (recordings[0].neurons()[0].name.as_str(), recordings[1].neurons()[0].name.as_str()),
            ("LABA", "LABB")
        );
        let e = load_all(&parts, None, &tables[..1]).expect_err("a.npz has no table");
        assert_eq!((e.code(), e.file.as_deref()), ("unmatched_names", Some("lab/a.npz")));
        assert!(split(&names, &sizes, &bytes[1..]).is_err());
    }
}
