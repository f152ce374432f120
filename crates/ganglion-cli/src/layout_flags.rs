//! The layout flags: where a lab's own file keeps its data, said on the command line
//! (the same choices as a layout preset, which `--layout` reads).

use ganglion_data::layout::{Channel, ChannelKind, Layout};

use crate::args::Args;
use crate::names;

/// Flags that say where a file keeps its data (the same choices as a layout preset).
pub const LAYOUT_FLAGS: [&str; 12] = [
    "layout",
    "animals",
    "activity",
    "time-axis",
    "time",
    "rate-path",
    "names",
    "name-index",
    "name-base",
    "behaviour",
    "names-file",
    "names-pattern",
];

/// The layout the flags give: `--layout FILE.json`, changed by any of the other flags,
/// or built from them alone when `--activity` is given; `None` reads the file's own
/// layout (the presets ganglion knows).
pub fn layout_from(a: &Args) -> Result<Option<Layout>, String> {
    let mut layout = match a.text("layout") {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
            Layout::from_json(&text).map_err(|e| format!("{path}: {e}"))?
        }
        None => match a.text("activity") {
            Some(activity) => Layout::new(activity),
            None => {
                let names_flag = |f: &str| f == "names-file" || f == "names-pattern";
                if let Some(flag) = LAYOUT_FLAGS[2..].iter().find(|f| a.text(f).is_some() && !names_flag(f)) {
                    return Err(format!("--{flag} needs --activity PATH (or --layout FILE.json)"));
                }
                return Ok(None);
            }
        },
    };
    let path = |flag: &str| a.text(flag).map(str::to_owned);
    if let Some(v) = path("activity") {
        layout.activity = v;
    }
    layout.animals = path("animals").or(layout.animals);
    layout.time = path("time").or(layout.time);
    layout.rate = path("rate-path").or(layout.rate);
    layout.names = path("names").or(layout.names);
    layout.name_index = path("name-index").or(layout.name_index);
    if a.text("time-axis").is_some() {
        layout.time_axis = Some(a.get("time-axis", 0usize)?);
    }
    layout.name_base = a.get("name-base", layout.name_base)?;
    // One names table for every file travels inside the layout, so the layout a study
    // writes reproduces it; a table per file is paired by `names::tables`.
    if let Some(map) = names::single_table(a) {
        layout.name_map = Some(std::fs::read_to_string(map).map_err(|e| format!("{map}: {e}"))?);
    }
    layout.name_tables = path("names-pattern").or(layout.name_tables);
    if let Some(list) = a.text("behaviour") {
        layout.behaviour = list.split(',').map(channel_flag).collect::<Result<_, _>>()?;
    }
    Ok(Some(layout))
}

/// `binary:PATH`, `labels:PATH`, `flags:PATH` or `continuous:PATH[:T1:T2...]`.
fn channel_flag(text: &str) -> Result<Channel, String> {
    let mut parts = text.split(':');
    let kind = match parts.next().unwrap_or_default() {
        "binary" => ChannelKind::Binary,
        "labels" => ChannelKind::Labels,
        "flags" => ChannelKind::Flags,
        "continuous" => ChannelKind::Continuous,
        other => return Err(format!("--behaviour: {other:?} is not binary, labels, flags or continuous (KIND:PATH)")),
    };
    let path = parts.next().filter(|p| !p.is_empty()).ok_or(format!("--behaviour: {text:?} needs KIND:PATH"))?;
    let thresholds = parts
        .map(|t| t.parse::<f64>().map_err(|_| format!("--behaviour: threshold {t:?} is not a number")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Channel { thresholds, ..Channel::new(path, kind) })
}
