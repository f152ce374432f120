//! Neuron names kept outside the data file: a CSV (`index,name` per line, header
//! optional) or JSON (`{"3": "AVAL"}`, `[[3, "AVAL"]]` or a plain list of names) that
//! maps a column of the activity matrix to a neuron's name, counting from 0 or 1.

use crate::error::{DataError, Result};
use crate::recording::Recording;

const WHAT: &str = "neuron name mapping";

/// Renames `recording`'s neurons from a mapping file (`base` = the number of the first
/// column: 0 or 1). Neurons the mapping does not name stay unnamed.
pub fn apply_name_map(recording: &Recording, text: &[u8], base: usize, file: Option<&str>) -> Result<Recording> {
    let pairs = parse(text, base).map_err(|e| e.in_file(file))?;
    let n = recording.n_neurons();
    let mut parts = recording.to_parts();
    let mut names = if parts.names.is_empty() { vec![String::new(); n] } else { parts.names };
    for (line, index, name) in pairs {
        let slot = index.checked_sub(base).filter(|&i| i < n).ok_or_else(|| {
            DataError::shape(
                format!("a column from {base} to {} (the recording has {n} neurons)", n - 1 + base),
                format!("{index} on entry {line}"),
            )
            .in_file(file)
        })?;
        names[slot] = name;
    }
    parts.names = names;
    parts.into_recording(crate::MissingValues::Reject).map_err(|e| e.in_file(file))
}

/// `(entry number, column index, name)` triples.
fn parse(text: &[u8], base: usize) -> Result<Vec<(usize, usize, String)>> {
    let text = std::str::from_utf8(text).map_err(|e| DataError::malformed(WHAT, format!("not UTF-8 text ({e})")))?;
    if text.trim_start().starts_with(['{', '[']) {
        return parse_json(text, base);
    }
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (index, name) = line.split_once([',', '\t', ';']).ok_or_else(|| {
            DataError::malformed(WHAT, format!("line {}: expected `index,name`, found {line:?}", i + 1))
        })?;
        match index.trim().parse::<usize>() {
            Ok(k) => out.push((i + 1, k, name.trim().trim_matches('"').to_owned())),
            Err(_) if out.is_empty() => continue, // a header line
            Err(_) => {
                return Err(DataError::new(crate::Problem::NotANumber {
                    line: i as u64 + 1,
                    column: 1,
                    text: index.into(),
                }));
            }
        }
    }
    Ok(out)
}

fn parse_json(text: &str, base: usize) -> Result<Vec<(usize, usize, String)>> {
    use serde_json::Value;
    let bad = |what: String| DataError::malformed(WHAT, what);
    let value: Value = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
    match value {
        Value::Object(map) => map
            .into_iter()
            .enumerate()
            .map(|(i, (k, v))| {
                let index = k.trim().parse::<usize>().map_err(|_| bad(format!("key {k:?} is not a column number")))?;
                let name = v.as_str().ok_or_else(|| bad(format!("the name of column {k} is not text")))?;
                Ok((i + 1, index, name.to_owned()))
            })
            .collect(),
        Value::Array(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::String(name) => Ok((i + 1, i + base, name)),
                Value::Array(pair) if pair.len() == 2 => {
                    let index = pair[0]
                        .as_u64()
                        .ok_or_else(|| bad(format!("entry {}: the index is not a whole number", i + 1)))?;
                    let name = pair[1].as_str().ok_or_else(|| bad(format!("entry {}: the name is not text", i + 1)))?;
                    Ok((i + 1, index as usize, name.to_owned()))
                }
                _ => Err(bad(format!("entry {}: expected a name or [index, name]", i + 1))),
            })
            .collect(),
        _ => Err(bad("expected an object or a list".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_json_and_lists_give_the_same_pairs() {
        let csv = parse(b"column,name\n1,AVAL\n3,AVAR\n", 1).expect("csv");
        let json = parse(br#"{"1": "AVAL", "3": "AVAR"}"#, 1).expect("json");
        let pairs = parse(br#"[[1, "AVAL"], [3, "AVAR"]]"#, 1).expect("pairs");
        let strip = |v: Vec<(usize, usize, String)>| v.into_iter().map(|(_, k, n)| (k, n)).collect::<Vec<_>>();
        assert_eq!(strip(csv), vec![(1, "AVAL".to_string()), (3, "AVAR".to_string())]);
        assert_eq!(strip(json), strip(pairs));
        let list = parse(br#"["AVAL", "", "AVAR"]"#, 1).expect("list");
        assert_eq!(list[2].1, 3);
    }

    #[test]
    fn bad_mappings_name_the_line() {
        let e = parse(b"1,AVAL\nx,AVAR\n", 0).expect_err("not a number");
        assert_eq!(e.code(), "not_a_number");
        let e = parse(b"1 AVAL\n", 0).expect_err("no separator");
        assert!(e.to_string().contains("line 1"), "{e}");
    }
}
