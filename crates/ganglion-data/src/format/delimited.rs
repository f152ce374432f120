//! CSV and TSV (comma, tab or semicolon; detected from the first line).
//!
//! Two layouts, told apart by the header:
//! - **rows are frames** (the common export): a header of neuron names, plus optional
//!   columns named `time` (also `t`, `time_s`, `timestamp`; seconds) and `behaviour`
//!   (also `behavior`, `state`, `label`; state names or integers).
//! - **rows are neurons**: the first header cell is `neuron` (or `name`, `neuron_name`,
//!   `id`); each row starts with the neuron's name. If the remaining header cells are
//!   numbers they are the frame times in seconds.
//!
//! A file with no header is a bare matrix; [`Orientation`](super::Orientation) decides
//! (by default the longer axis is time). Empty cells and `NaN` are missing values.

use csv::{ReaderBuilder, StringRecord};

use super::LoadOptions;
use super::matrix::{AxisHints, Matrix};
use crate::error::{DataError, Problem, Result};
use crate::recording::{Recording, RecordingParts, rate_from_times};

const TIME_COLUMNS: &[&str] = &["time", "t", "time_s", "timestamp", "seconds"];
const BEHAVIOUR_COLUMNS: &[&str] = &["behaviour", "behavior", "state", "label"];
const NAME_COLUMNS: &[&str] = &["neuron", "name", "neuron_name", "id"];

pub(super) fn load(bytes: &[u8], options: &LoadOptions) -> Result<Recording> {
    let rows = read_rows(bytes)?;
    let first = rows.first().ok_or_else(|| DataError::new(Problem::Empty { what: "rows".into() }))?;
    let has_header = first.iter().any(|c| !c.trim().is_empty() && parse_number(c).is_none());
    if !has_header {
        return bare_matrix(&rows, options);
    }
    let header: Vec<String> = first.iter().map(|c| c.trim().to_owned()).collect();
    let first_cell = header.first().map(|s| s.to_ascii_lowercase()).unwrap_or_default();
    if NAME_COLUMNS.contains(&first_cell.as_str()) {
        neurons_as_rows(&header, &rows[1..], options)
    } else {
        frames_as_rows(&header, &rows[1..], options)
    }
}

/// All records, with ragged rows reported by line number.
fn read_rows(bytes: &[u8]) -> Result<Vec<StringRecord>> {
    let delimiter = sniff_delimiter(bytes);
    let mut reader = ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(bytes);
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| match e.kind() {
            csv::ErrorKind::UnequalLengths { pos, expected_len, len } => DataError::new(Problem::RaggedRow {
                line: pos.as_ref().map_or(0, csv::Position::line),
                expected: *expected_len as usize,
                found: *len as usize,
            }),
            csv::ErrorKind::Utf8 { pos, .. } => DataError::malformed(
                "CSV",
                format!("line {} is not UTF-8 text", pos.as_ref().map_or(0, csv::Position::line)),
            ),
            _ => DataError::malformed("CSV", e),
        })?;
        if record.iter().all(|c| c.is_empty()) {
            continue;
        }
        rows.push(record);
    }
    Ok(rows)
}

fn sniff_delimiter(bytes: &[u8]) -> u8 {
    let line = bytes
        .split(|&b| b == b'\n')
        .find(|l| !l.starts_with(b"#") && !l.iter().all(u8::is_ascii_whitespace))
        .unwrap_or_default();
    let count = |d: u8| line.iter().filter(|&&b| b == d).count();
    [b'\t', b';', b','].into_iter().max_by_key(|&d| (count(d), d == b',')).unwrap_or(b',')
}

fn parse_number(cell: &str) -> Option<f64> {
    let c = cell.trim();
    if c.is_empty() || c.eq_ignore_ascii_case("nan") || c.eq_ignore_ascii_case("na") {
        return Some(f64::NAN);
    }
    c.parse::<f64>().ok()
}

/// Parses one cell, naming its line (1-based, counting the header) and column.
fn number_at(rows: &[StringRecord], r: usize, c: usize) -> Result<f64> {
    let cell = rows[r].get(c).unwrap_or("");
    parse_number(cell).ok_or_else(|| {
        let line = rows[r].position().map_or(r as u64 + 1, csv::Position::line);
        DataError::new(Problem::NotANumber { line, column: c + 1, text: cell.to_owned() })
    })
}

fn bare_matrix(rows: &[StringRecord], options: &LoadOptions) -> Result<Recording> {
    let (n_rows, n_cols) = (rows.len(), rows[0].len());
    let mut data = Vec::with_capacity(n_rows * n_cols);
    for r in 0..n_rows {
        for c in 0..n_cols {
            data.push(number_at(rows, r, c)? as f32);
        }
    }
    let matrix = Matrix { rows: n_rows, cols: n_cols, data };
    let rows_are_frames = matrix.rows_are_frames(options.orientation, AxisHints::default());
    let (n_neurons, n_frames, activity) = matrix.into_neuron_major(rows_are_frames);
    RecordingParts { activity, n_neurons, n_frames, sampling_rate_hz: options.sampling_rate_hz, ..Default::default() }
        .into_recording(options.missing_values)
}

fn frames_as_rows(header: &[String], rows: &[StringRecord], options: &LoadOptions) -> Result<Recording> {
    let find = |names: &[&str]| header.iter().position(|h| names.contains(&h.to_ascii_lowercase().as_str()));
    let time_col = find(TIME_COLUMNS);
    let behaviour_col = find(BEHAVIOUR_COLUMNS);
    let neuron_cols: Vec<usize> =
        (0..header.len()).filter(|&c| Some(c) != time_col && Some(c) != behaviour_col).collect();
    let n_frames = rows.len();
    let mut activity = vec![0.0f32; neuron_cols.len() * n_frames];
    for t in 0..n_frames {
        for (n, &c) in neuron_cols.iter().enumerate() {
            activity[n * n_frames + t] = number_at(rows, t, c)? as f32;
        }
    }
    let sampling_rate_hz = match time_col {
        Some(c) => {
            let times = (0..n_frames).map(|t| number_at(rows, t, c)).collect::<Result<Vec<_>>>()?;
            Some(rate_from_times(&times).map_err(|e| e.in_field(header[c].clone()))?)
        }
        None => options.sampling_rate_hz,
    };
    let behaviour = behaviour_col.map(|c| behaviour_labels(rows.iter().map(|r| r.get(c).unwrap_or(""))));
    RecordingParts {
        activity,
        n_neurons: neuron_cols.len(),
        n_frames,
        sampling_rate_hz,
        names: neuron_cols.iter().map(|&c| header[c].clone()).collect(),
        behaviour,
        ..Default::default()
    }
    .into_recording(options.missing_values)
}

fn neurons_as_rows(header: &[String], rows: &[StringRecord], options: &LoadOptions) -> Result<Recording> {
    let n_frames = header.len().saturating_sub(1);
    let mut activity = Vec::with_capacity(rows.len() * n_frames);
    for r in 0..rows.len() {
        for c in 1..=n_frames {
            activity.push(number_at(rows, r, c)? as f32);
        }
    }
    let times: Option<Vec<f64>> = header[1..].iter().map(|h| h.parse::<f64>().ok()).collect();
    let sampling_rate_hz = match times {
        Some(t) if t.len() >= 2 => Some(rate_from_times(&t).map_err(|e| e.in_field("header"))?),
        _ => options.sampling_rate_hz,
    };
    RecordingParts {
        activity,
        n_neurons: rows.len(),
        n_frames,
        sampling_rate_hz,
        names: rows.iter().map(|r| r.get(0).unwrap_or("").to_owned()).collect(),
        ..Default::default()
    }
    .into_recording(options.missing_values)
}

/// Integer labels are kept (states named `state_<k>`); text labels become states in
/// order of first appearance.
pub(crate) fn behaviour_labels<'a>(cells: impl Iterator<Item = &'a str>) -> (Vec<i64>, Vec<String>) {
    let cells: Vec<&str> = cells.map(str::trim).collect();
    let ints: Option<Vec<i64>> = cells.iter().map(|c| c.parse::<i64>().ok()).collect();
    if let Some(labels) = ints {
        let max = labels.iter().copied().max().unwrap_or(0).clamp(0, 1 << 16);
        return (labels, (0..=max).map(|k| format!("state_{k}")).collect());
    }
    let mut states: Vec<String> = Vec::new();
    let labels = cells
        .iter()
        .map(|c| match states.iter().position(|s| s == c) {
            Some(i) => i as i64,
            None => {
                states.push((*c).to_owned());
                states.len() as i64 - 1
            }
        })
        .collect();
    (labels, states)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> LoadOptions {
        LoadOptions { sampling_rate_hz: Some(2.0), ..Default::default() }
    }

    #[test]
    fn frames_as_rows_with_time_and_behaviour() {
        let csv = "time,AVAL,AVAR,behaviour\n0,1,2,fwd\n0.5,3,4,rev\n1.0,5,6,fwd\n";
        let r = load(csv.as_bytes(), &LoadOptions::default()).expect("loads");
        assert_eq!((r.n_neurons(), r.n_frames()), (2, 3));
        assert_eq!(r.trace(1), &[2.0, 4.0, 6.0]);
        assert!((r.sampling_rate_hz() - 2.0).abs() < 1e-9);
        let b = r.behaviour().expect("labels");
        assert_eq!(b.labels, vec![0, 1, 0]);
        assert_eq!(b.states, vec!["fwd", "rev"]);
    }

    #[test]
    fn neurons_as_rows_tab_separated() {
        let tsv = "neuron\t0\t0.25\t0.5\nAVAL\t1\t2\t3\nRIML\t4\t5\t6\n";
        let r = load(tsv.as_bytes(), &LoadOptions::default()).expect("loads");
        assert_eq!(r.neurons()[1].name, "RIML");
        assert_eq!(r.trace(0), &[1.0, 2.0, 3.0]);
        assert!((r.sampling_rate_hz() - 4.0).abs() < 1e-9);
    }

    #[test]
    fn ragged_rows_and_text_cells_are_located() {
        let e = load(b"A,B\n1,2\n3\n", &opts()).expect_err("ragged");
        assert_eq!(e.problem, Problem::RaggedRow { line: 3, expected: 2, found: 1 });
        let e = load(b"A,B\n1,2\n3,x\n", &opts()).expect_err("text");
        assert_eq!(e.problem, Problem::NotANumber { line: 3, column: 2, text: "x".into() });
    }

    #[test]
    fn headerless_matrix_uses_longer_axis_as_time() {
        let r = load(b"1;2;3;4\n5;6;7;8\n", &opts()).expect("loads");
        assert_eq!((r.n_neurons(), r.n_frames()), (2, 4));
    }
}
