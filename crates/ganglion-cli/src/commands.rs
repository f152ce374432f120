//! The commands.

use std::path::Path;

use burn::prelude::Device;
use futures::executor::block_on;
use ganglion_data::layout::{FileTree, Layout, NameTable, load_with_layout};
use ganglion_data::synth::{GraphSource, SynthConfig, synth_worms};
use ganglion_data::{LoadOptions, Recording, format, load};
use ganglion_train::experiment::{
    DECODER_NAMES, DEFAULT_HISTORY, DecoderKind, Experiment, MODEL_NAMES, Report, Scores, TASK_NAMES, Task, run,
};
use ganglion_train::saved::score_saved;
use ganglion_train::study::{StudyConfig, run_study};
use ganglion_train::{TrainConfig, TrainEvent};

use crate::args::Args;
use crate::layout_flags::{LAYOUT_FLAGS, layout_from};
use crate::names;
use crate::usage::usage;

/// The recordings of one file's `bytes`, through `layout` (from [`layout_from`]) or the
/// file's built-in layout, renamed by the file's names `table` (from [`names::tables`]).
fn read(
    path: &str,
    bytes: &[u8],
    a: &Args,
    layout: Option<&Layout>,
    table: Option<NameTable>,
) -> Result<Vec<Recording>, String> {
    let rate = a.text("rate").map(|_| a.get("rate", 1.0)).transpose()?;
    let options = LoadOptions {
        file_name: Some(path.to_owned()),
        sampling_rate_hz: rate,
        name_table: table,
        ..Default::default()
    };
    match layout {
        None => load(bytes, &options).map_err(|e| e.to_string()),
        Some(layout) => {
            let loaded = load_with_layout(bytes, layout, &options).map_err(|e| e.to_string())?;
            for warning in &loaded.warnings {
                eprintln!("{path}: {warning}");
            }
            Ok(loaded.recordings)
        }
    }
}

/// `ganglion tree`: the groups and datasets of an HDF5, NWB or MATLAB file, to write a layout.
pub fn tree(args: &[String]) -> Result<(), String> {
    let a = Args::parse(args, &[])?;
    if a.positional.is_empty() {
        return Err(usage());
    }
    for path in &a.positional {
        let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
        let tree = FileTree::read(&bytes, Some(path)).map_err(|e| e.to_string())?;
        println!("{path}: {}", tree.format.name());
        for entry in tree.entries() {
            let depth = entry.path.matches('/').count();
            println!("{}{}  ({})", "  ".repeat(depth), entry.path, entry.detail);
        }
    }
    Ok(())
}

/// `ganglion inspect`: what each file holds.
pub fn inspect(args: &[String]) -> Result<(), String> {
    let a = Args::parse(args, &with_layout_flags(&["rate"]))?;
    if a.positional.is_empty() {
        return Err(usage());
    }
    let layout = layout_from(&a)?;
    let tables = names::tables(&a, &a.positional, layout.as_ref())?;
    for (path, table) in a.positional.iter().zip(tables) {
        let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
        let kind = format::detect(&bytes, Some(path)).map_err(|e| format!("{path}: {e}"))?;
        let names_from = names::source(&a, layout.as_ref(), table.as_ref());
        let recordings = read(path, &bytes, &a, layout.as_ref(), table)?;
        println!("{path}: {} with {} recording(s)", kind.name(), recordings.len());
        for (i, r) in recordings.iter().enumerate() {
            let named = r.neurons().iter().filter(|n| n.identified).count();
            println!(
                "  [{}] animal {}: {} neurons ({named} named), {} frames at {:.3} Hz ({:.1} s); behaviour: {}; signals: {}; known graph: {}; names: {names_from}",
                i + 1,
                r.animal_id().unwrap_or("-"),
                r.n_neurons(),
                r.n_frames(),
                r.sampling_rate_hz(),
                r.duration_s(),
                r.behaviour().map_or_else(|| "none".to_owned(), |b| b.states.join(", ")),
                if r.signals().is_empty() {
                    "none".to_owned()
                } else {
                    r.signals().iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(", ")
                },
                if r.connectivity().is_some() { "yes" } else { "no" },
            );
        }
    }
    Ok(())
}

/// `ganglion synth`: writes one NPZ per synthetic animal.
pub fn synth(args: &[String]) -> Result<(), String> {
    let a = Args::parse(args, &["out", "neurons", "frames", "animals", "seed", "graph", "preset"])?;
    let out = a.text("out").ok_or("synth needs --out DIR")?;
    let defaults = match a.text("preset").unwrap_or("toy") {
        "toy" => SynthConfig::default(),
        "realistic" => SynthConfig::realistic(),
        other => return Err(format!("--preset: {other:?} is not toy or realistic")),
    };
    let graph = match a.text("graph").unwrap_or(if defaults.graph == GraphSource::Connectome {
        "connectome"
    } else {
        "random"
    }) {
        "random" if defaults.graph == GraphSource::Connectome => GraphSource::Random { density: 0.15 },
        "random" => defaults.graph,
        "connectome" => GraphSource::Connectome,
        other => return Err(format!("--graph: {other:?} is not random or connectome")),
    };
    let config = SynthConfig {
        n_neurons: a.get("neurons", defaults.n_neurons)?,
        n_frames: a.get("frames", defaults.n_frames)?,
        n_animals: a.get("animals", defaults.n_animals)?,
        seed: a.get("seed", defaults.seed)?,
        graph,
        ..defaults
    };
    if config.n_neurons == 0 || config.n_frames < 2 || config.n_animals == 0 {
        return Err("--neurons and --animals must be at least 1 and --frames at least 2".into());
    }
    std::fs::create_dir_all(out).map_err(|e| format!("{out}: {e}"))?;
    for (i, worm) in synth_worms(&config).iter().enumerate() {
        let path = Path::new(out).join(format!("worm-{}.npz", i + 1));
        let bytes = format::to_npz(worm).map_err(|e| e.to_string())?;
        std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        println!("wrote {} ({} neurons x {} frames)", path.display(), worm.n_neurons(), worm.n_frames());
    }
    Ok(())
}

/// `ganglion train`: a held-out-animal experiment with a progress line and a JSON report.
pub fn train(args: &[String]) -> Result<(), String> {
    let a = Args::parse(
        args,
        &with_layout_flags(&[
            "task",
            "model",
            "steps",
            "history",
            "seed",
            "rate",
            "report",
            "batch",
            "save",
            "decoder",
            "learning-rate",
        ]),
    )?;
    let task = named("task", &TASK_NAMES, a.text("task").unwrap_or("forecast").replace("behavior", "behaviour"))?;
    let model = named("model", &MODEL_NAMES, a.text("model").unwrap_or("gnn").to_owned())?;
    // The long-memory task makes its own trials.
    let recordings = if task == Task::LongMemory && a.positional.is_empty() {
        Vec::new()
    } else {
        read_all(&a, layout_from(&a)?.as_ref())?
    };
    let defaults = TrainConfig::default();
    let experiment = Experiment {
        task,
        model,
        history: a.get("history", DEFAULT_HISTORY)?,
        decoder: decoder_of(&a)?,
        train: TrainConfig {
            max_steps: a.get("steps", defaults.max_steps)?,
            batch_size: a.get("batch", defaults.batch_size)?,
            learning_rate: a.get("learning-rate", defaults.learning_rate)?,
            seed: a.get("seed", defaults.seed)?,
            ..defaults
        },
    };
    if experiment.history < 2 {
        return Err("--history must be at least 2 frames (steps between cue and answer for long-memory)".into());
    }
    let total = experiment.train.max_steps;
    let mut progress = |event: &TrainEvent| match event {
        TrainEvent::Progress { step, train_loss, steps_per_second, .. } => {
            let left = total.saturating_sub(*step) as f64 / steps_per_second.max(1e-9);
            eprint!("\rstep {step}/{total}  loss {train_loss:.4}  {steps_per_second:.1} steps/s  ~{left:.0} s left   ");
        }
        TrainEvent::Validation { step, loss, best } => {
            eprintln!("\rstep {step}: validation loss {loss:.4}{}", if *best { " (best so far, kept)" } else { "" });
        }
        _ => {}
    };
    let device = Device::flex();
    let outcome = block_on(run(&recordings, &experiment, &device, &mut progress)).map_err(|e| e.to_string())?;
    eprintln!();
    if let Some(path) = a.text("save") {
        std::fs::write(path, &outcome.model).map_err(|e| format!("{path}: {e}"))?;
    }
    write_report(&a, &outcome.report)
}

/// `ganglion study`: leave-one-animal-out, written to `--out` as JSON, markdown, CSV and SVG.
pub fn study(args: &[String]) -> Result<(), String> {
    let a = Args::parse(
        args,
        &with_layout_flags(&[
            "out",
            "models",
            "steps",
            "history",
            "seed",
            "rate",
            "batch",
            "learning-rate",
            "behaviour-task",
            "decoder",
        ]),
    )?;
    let out = a.text("out").ok_or("study needs --out DIR")?;
    let models = a
        .text("models")
        .unwrap_or("gnn,mlp,gru")
        .split(',')
        .map(|m| named("models", &MODEL_NAMES, m.trim().to_owned()))
        .collect::<Result<Vec<_>, _>>()?;
    let layout = layout_from(&a)?;
    let recordings = read_all(&a, layout.as_ref())?;
    let defaults = StudyConfig::default();
    let config = StudyConfig {
        models,
        history: a.get("history", defaults.history)?,
        decoder: decoder_of(&a)?,
        train: TrainConfig {
            max_steps: a.get("steps", defaults.train.max_steps)?,
            batch_size: a.get("batch", defaults.train.batch_size)?,
            learning_rate: a.get("learning-rate", defaults.train.learning_rate)?,
            seed: a.get("seed", defaults.train.seed)?,
            ..defaults.train
        },
        behaviour: match a.text("behaviour-task").unwrap_or("yes") {
            "yes" => true,
            "no" => false,
            other => return Err(format!("--behaviour-task: {other:?} is not yes or no")),
        },
    };
    let mut progress = |event: &TrainEvent| match event {
        TrainEvent::Stage { run, runs, label } => eprintln!("\n[{run}/{runs}] {label}"),
        TrainEvent::Progress { step, train_loss, .. } => eprint!("\rstep {step}  loss {train_loss:.4}   "),
        _ => {}
    };
    let report =
        block_on(run_study(&recordings, &config, &Device::flex(), &mut progress)).map_err(|e| e.to_string())?;
    eprintln!();
    let dir = Path::new(out);
    std::fs::create_dir_all(dir).map_err(|e| format!("{out}: {e}"))?;
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
    };
    write("study.json", &serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?)?;
    write("study.md", &report.markdown())?;
    write("summary.csv", &report.summary_csv())?;
    write("folds.csv", &report.folds_csv())?;
    if let Some(layout) = &layout {
        write("layout.json", &layout.to_json())?;
    }
    crate::figure::study_svg(&report, &dir.join("study.svg"))?;
    println!("{}", report.markdown());
    Ok(())
}

/// The GNN's message form from `--decoder` (the model's default where absent).
fn decoder_of(a: &Args) -> Result<DecoderKind, String> {
    a.text("decoder").map_or(Ok(DecoderKind::default()), |d| named("decoder", &DECODER_NAMES, d.to_owned()))
}

/// The value `name` stands for in `table`, or an error listing the names `--flag` takes.
fn named<T: Copy>(flag: &str, table: &[(&str, T)], name: String) -> Result<T, String> {
    table.iter().find(|(n, _)| *n == name).map(|(_, v)| *v).ok_or_else(|| {
        let names: Vec<&str> = table.iter().map(|(n, _)| *n).collect();
        format!("--{flag}: {name:?} is not one of {}", names.join(", "))
    })
}

/// `ganglion eval`: a saved model scored on the last recording given.
pub fn eval(args: &[String]) -> Result<(), String> {
    let a = Args::parse(args, &with_layout_flags(&["model", "rate", "report"]))?;
    let path = a.text("model").ok_or("--model MODEL.ganglion is required")?;
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    let recordings = if a.positional.is_empty() { Vec::new() } else { read_all(&a, layout_from(&a)?.as_ref())? };
    let report = block_on(score_saved(&recordings, &bytes, &Device::flex())).map_err(|e| format!("{path}: {e}"))?;
    write_report(&a, &report)
}

/// A command's own flags and the layout flags.
fn with_layout_flags<'a>(own: &[&'a str]) -> Vec<&'a str> {
    own.iter().copied().chain(LAYOUT_FLAGS).collect()
}

/// Every recording in the positional files, in order.
fn read_all(a: &Args, layout: Option<&Layout>) -> Result<Vec<Recording>, String> {
    let mut recordings = Vec::new();
    for (path, table) in a.positional.iter().zip(names::tables(a, &a.positional, layout)?) {
        let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
        recordings.extend(read(path, &bytes, a, layout, table)?);
    }
    if recordings.is_empty() {
        return Err("no recording given (pass one or more files)".into());
    }
    Ok(recordings)
}

/// The report as JSON, to `--report` or standard output.
fn write_report(a: &Args, report: &Report) -> Result<(), String> {
    // The model beside every baseline, in one line a person reads before the JSON.
    if let Scores::Forecast { model, .. } = &report.scores {
        let beside: Vec<String> = report
            .baselines
            .iter()
            .map(|b| format!("{:.3}x {} ({:.4})", b.ratio, b.baseline.label(), b.scores.mse))
            .collect();
        if !beside.is_empty() {
            eprintln!("one-step MSE {:.4}: {}", model.mse, beside.join(", "));
        }
    }
    let json = serde_json::to_string_pretty(report).map_err(|e| e.to_string())?;
    match a.text("report") {
        Some(path) => std::fs::write(path, &json).map_err(|e| format!("{path}: {e}")),
        None => {
            println!("{json}");
            Ok(())
        }
    }
}
