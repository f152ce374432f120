//! Several files loaded together as one study (one animal or more per file): the page
//! and the worker read them the same way, each through the same layout (or its own
//! built-in one), and animals without an id are called by their file's name.

use ganglion_data::layout::{Layout, load_with_layout};
use ganglion_data::{DataError, LoadOptions, Recording, format};

use crate::protocol::Source;

/// Recordings of every file, in order, and what the loader noticed.
pub fn load_all(
    files: &[(String, &[u8])],
    layout: Option<&Layout>,
) -> Result<(Vec<Recording>, Vec<String>), DataError> {
    let mut recordings = Vec::new();
    let mut warnings = Vec::new();
    for (name, bytes) in files {
        let options = LoadOptions::for_file(name.clone());
        let loaded = match layout {
            Some(layout) => {
                let loaded = load_with_layout(bytes, layout, &options)?;
                warnings.extend(loaded.warnings.into_iter().map(|w| format!("{name}: {w}")));
                loaded.recordings
            }
            None => format::load(bytes, &options)?,
        };
        let many = loaded.len() > 1;
        for (i, r) in loaded.into_iter().enumerate() {
            // With several files, an animal is known by its file unless the file names it.
            let r = match (r.animal_id().is_some(), files.len() > 1, many) {
                (false, true, false) => r.with_animal_id(name.clone()),
                (false, true, true) => r.with_animal_id(format!("{name} [{}]", i + 1)),
                _ => r,
            };
            recordings.push(r);
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

/// The source the worker is sent for `files` (read with `layout`), and their bytes
/// concatenated.
pub fn source_of(files: &[(String, Vec<u8>)], layout: Option<Layout>) -> (Source, Vec<u8>) {
    if let [(name, bytes)] = files {
        return (Source::File { name: name.clone(), layout: layout.map(Box::new) }, bytes.clone());
    }
    let names = files.iter().map(|(n, _)| n.clone()).collect();
    let sizes = files.iter().map(|(_, b)| b.len()).collect();
    (
        Source::Files { names, sizes, layout: layout.map(Box::new) },
        files.iter().flat_map(|(_, b)| b.iter().copied()).collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use ganglion_data::synth::{SynthConfig, synth_worms};

    #[test]
    fn files_split_back_and_animals_take_their_file_names() {
        let worms = synth_worms(&SynthConfig { n_neurons: 6, n_frames: 60, n_animals: 2, ..SynthConfig::default() });
        let npz: Vec<Vec<u8>> =
            worms.iter().map(|w| format::to_npz(&w.clone().with_animal_id(" ")).expect("npz")).collect();
        let files = vec![("a.npz".to_string(), npz[0].clone()), ("b.npz".to_string(), npz[1].clone())];
        let (source, bytes) = source_of(&files, None);
        let Source::Files { names, sizes, .. } = source else { panic!("several files") };
        let parts = split(&names, &sizes, &bytes).expect("splits");
        let (recordings, _) = load_all(&parts, None).expect("loads");
        let ids: Vec<Option<&str>> = recordings.iter().map(Recording::animal_id).collect();
        assert_eq!(ids, vec![Some("a.npz"), Some("b.npz")]);
        assert!(split(&names, &sizes, &bytes[1..]).is_err());
    }
}
