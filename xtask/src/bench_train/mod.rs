//! `cargo xtask bench [--smoke]`: training steps per second of every model on every
//! device ganglion has here (flex; wgpu where Vulkan opens), beside the identical models
//! in PyTorch on the CPU, measured in the same run and reported as ratios. Writes
//! `reports/bench.md` and `reports/bench.svg` (steps per second against neurons).
//!
//! The ganglion side is the criterion benchmark `crates/ganglion-models/benches/training.rs`
//! (release build); the PyTorch side is `benches/torch_models.py`, which checks that
//! every model has the same parameter count as ganglion's before timing it. The smoke
//! version (`--smoke`, run by the test command) runs the benchmark binary that
//! `cargo test --workspace` built, for a few steps per model at 20 neurons, and writes
//! the report under the cache, with PyTorch only where it is already installed, so the
//! harness cannot rot.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

mod verdicts;

use crate::bench_load::{median_and_spread, venv};
use crate::tools::{cache_dir, root, run};

/// Medians and spread of one measurement, in seconds per step.
#[derive(Debug, Clone, Copy)]
struct Timing {
    median: f64,
    min: f64,
    max: f64,
}

impl Timing {
    fn of(per_step: &[f64]) -> Option<Timing> {
        let (median, min, max) = median_and_spread(per_step);
        median.is_finite().then_some(Timing { median, min, max })
    }

    /// "12.3 (11.9-12.8)" steps per second.
    fn rate(&self) -> String {
        format!("{} ({}-{})", rate(1.0 / self.median), rate(1.0 / self.max), rate(1.0 / self.min))
    }
}

fn rate(steps_per_second: f64) -> String {
    if steps_per_second >= 100.0 { format!("{steps_per_second:.0}") } else { format!("{steps_per_second:.3}") }
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Per-step seconds of every criterion sample of `id` (Flat sampling: time / iterations).
fn criterion_timing(criterion: &Path, id: &str) -> Option<Timing> {
    let sample = read_json(&criterion.join("train-step").join(id).join("new/sample.json")).ok()?;
    let iters = sample["iters"].as_array()?;
    let times = sample["times"].as_array()?;
    let per_step: Vec<f64> =
        iters.iter().zip(times).filter_map(|(i, t)| Some(t.as_f64()? * 1e-9 / i.as_f64()?)).collect();
    Timing::of(&per_step)
}

/// The Python with torch: `$GANGLION_PYTHON`, or the cached environment of
/// benches/requirements-torch.txt (installed here only when `install`).
fn torch_python(install: bool) -> Result<Option<PathBuf>, String> {
    if let Some(python) = std::env::var_os("GANGLION_PYTHON") {
        return Ok(Some(PathBuf::from(python)));
    }
    let env = cache_dir().join("torchenv");
    if install {
        return venv(&env, &root().join("benches/requirements-torch.txt")).map(Some);
    }
    let python = env.join("bin/python");
    Ok(python.exists().then_some(python))
}

/// Runs the benchmark and writes the report.
pub fn run_bench(args: &[String]) -> Result<(), String> {
    let smoke = args.iter().any(|a| a == "--smoke");
    // `--render`: write the report again from the last run's measurements (no timing).
    let render = args.iter().any(|a| a == "--render");
    let out = cache_dir().join(if smoke { "bench-train-smoke" } else { "bench-train" });
    if !smoke && !render {
        // The wgpu rows on machines without a GPU run on lavapipe.
        crate::tools::ensure_system_packages(true)?;
    }
    let criterion = out.join("criterion");
    let (torch, browser) = if render {
        (read_json(&out.join("torch.json")).ok(), read_json(&out.join("browser.json")).ok())
    } else {
        measure(&out, &criterion, smoke)?
    };
    let mut report = Report::gather(&out, &criterion, torch.as_ref())?;
    report.add_browser(browser);
    let mut markdown = report.markdown(smoke);
    if !smoke {
        // The loaders beside numpy / scipy / h5py, measured in the same invocation.
        if !render {
            crate::bench_load::run(&[])?;
        }
        let load = std::fs::read_to_string(root().join("reports/load.md")).map_err(|e| e.to_string())?;
        markdown.push_str("\n## Loading recordings\n\n");
        markdown.push_str(load.trim_start_matches(|c| c != '\n').trim_start());
        markdown.push('\n');
    }
    print!("{markdown}");
    let dir = if smoke { out.clone() } else { root().join("reports") };
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("bench.md"), markdown).map_err(|e| e.to_string())?;
    crate::bench_plot::steps_per_second(&report.plot_series(), &dir.join("bench.svg"))?;
    println!("report written to {}", dir.join("bench.md").display());
    Ok(())
}

/// Runs the native benchmark, the PyTorch peers and the browser rows into `out`.
fn measure(out: &Path, criterion: &Path, smoke: bool) -> Result<(Option<Value>, Option<Value>), String> {
    let _ = std::fs::remove_dir_all(out);
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let mut bench = if smoke { smoke_bench()? } else { release_bench() };
    bench.env("GANGLION_BENCH_OUT", out).env("CRITERION_HOME", criterion).current_dir(root());
    run(&mut bench)?;
    let torch = match torch_python(!smoke)? {
        Some(python) => {
            let json = out.join("torch.json");
            let mut peer = Command::new(python);
            peer.arg(root().join("benches/torch_models.py")).arg("--rust").arg(out).arg("--out").arg(&json);
            if smoke {
                peer.arg("--quick");
            }
            run(&mut peer)?;
            Some(read_json(&json)?)
        }
        None => None,
    };
    Ok((torch, crate::bench_browser::measure(out, smoke)?))
}

/// The release benchmark through cargo.
fn release_bench() -> Command {
    let mut bench = Command::new("cargo");
    bench.args(["bench", "-p", "ganglion-models", "--features", "wgpu", "--bench", "training", "--", "--noplot"]);
    bench
}

/// The benchmark binary as the test command builds it (`cargo test --workspace`: the
/// bench target has `test = true`, and selecting it alone would resolve other features
/// and rebuild the dependencies), run in criterion's bench mode for a few steps per
/// model at 20 neurons.
fn smoke_bench() -> Result<Command, String> {
    let mut bench = Command::new(crate::tools::test_executable("bench", "training")?);
    bench.args(["--bench", "--noplot"]);
    bench.env("GANGLION_BENCH_QUICK", "1").env("GANGLION_BENCH_ELM_STEPS", "10").env("GANGLION_BENCH_NEURONS", "20");
    Ok(bench)
}

/// One model at one size: its parameter count and its timing per device.
struct Row {
    id: String,
    params: u64,
    ganglion: BTreeMap<String, Timing>,
    torch: Option<Timing>,
}

struct Report {
    sizes: Value,
    devices: Vec<String>,
    rows: Vec<Row>,
    torch_version: Option<String>,
    /// Threads PyTorch used (`torch.get_num_threads()`).
    torch_threads: Option<u64>,
    /// What `tests/e2e/bench/browser.js` measured, when it ran.
    browser: Option<Value>,
}

impl Report {
    fn gather(out: &Path, criterion: &Path, torch: Option<&Value>) -> Result<Report, String> {
        let sizes = read_json(&out.join("sizes.json"))?;
        let params = read_json(&out.join("params.json"))?;
        let devices: Vec<String> =
            sizes["devices"].as_array().into_iter().flatten().filter_map(|d| d.as_str().map(str::to_owned)).collect();
        let mut rows = Vec::new();
        for (id, count) in params.as_object().ok_or("params.json is not an object")? {
            let ganglion = devices
                .iter()
                .filter_map(|d| criterion_timing(criterion, &format!("{id}-{d}")).map(|t| (d.clone(), t)))
                .collect();
            let torch = torch.and_then(|t| {
                let m = &t["models"][id];
                Some(Timing { median: m["median_s"].as_f64()?, min: m["min_s"].as_f64()?, max: m["max_s"].as_f64()? })
            });
            rows.push(Row { id: id.clone(), params: count.as_u64().unwrap_or(0), ganglion, torch });
        }
        // By model, then by size (numerically: 20 before 100).
        rows.sort_by_key(|r| {
            let (model, size) = r.id.rsplit_once('-').unwrap_or((r.id.as_str(), "0"));
            (model.to_owned(), size.parse::<u64>().unwrap_or(0))
        });
        if rows.iter().all(|r| r.ganglion.is_empty()) {
            return Err(format!("no criterion results under {}", criterion.display()));
        }
        let torch_version = torch.and_then(|t| t["torch"].as_str().map(str::to_owned));
        let torch_threads = torch.and_then(|t| t["threads"].as_u64());
        Ok(Report { sizes, devices, rows, torch_version, torch_threads, browser: None })
    }

    /// Adds the browser's backends as devices of the rows they measured.
    fn add_browser(&mut self, browser: Option<Value>) {
        let Some(browser) = browser else { return };
        let elm_inputs = self.sizes["elm_inputs"].as_u64().unwrap_or(0);
        for (backend, label) in crate::bench_browser::BACKENDS {
            let mut any = false;
            for measured in browser["rows"].as_array().into_iter().flatten().filter(|r| r["backend"] == backend) {
                let (Some(id), Some(timing)) = (
                    crate::bench_browser::row_id(measured, elm_inputs),
                    Timing::of(&crate::bench_browser::warm(measured)),
                ) else {
                    continue;
                };
                let Some(row) = self.rows.iter_mut().find(|r| r.id == id) else { continue };
                // A peer's model must be ganglion's model: same trainable parameters.
                if measured["parameters"].as_u64() != Some(row.params) {
                    eprintln!(
                        "{label} {id}: {} parameters, ganglion {}: not compared",
                        measured["parameters"], row.params
                    );
                    continue;
                }
                row.ganglion.insert(label.to_owned(), timing);
                any = true;
            }
            if any {
                self.devices.push(label.to_owned());
            }
        }
        self.browser = Some(browser);
    }

    fn markdown(&self, smoke: bool) -> String {
        let s = &self.sizes;
        let mut md = String::from("# Training steps per second\n\n");
        if smoke {
            md.push_str("**Smoke run** (the debug build `cargo test` makes, a few steps each): checks the harness, not the speed.\n\n");
        }
        let _ = writeln!(
            md,
            "One step = forward, backward and an Adam update on data already on the device. GNN, MLP and GRU: \
             windows of {} frames, {} per step, next-frame forecasting of every neuron. ELM and Branch-ELM: the \
             published NeuronIO configuration ({} inputs, 15 memory units; Branch-ELM with 45 branches of 100 \
             synapses), {} sequences of {} steps per step. Steps per second: median over 10 samples \
             (slowest-fastest sample in brackets). Ratio = ganglion steps/s / PyTorch steps/s (above 1: ganglion \
             is faster). Same machine, same run.\n",
            s["history"], s["batch"], s["elm_inputs"], s["elm_batch"], s["elm_steps"]
        );
        let peer = self.torch_version.as_ref().map_or_else(
            || "PyTorch CPU (not measured: torch is not installed here)".to_owned(),
            |v| match self.torch_threads {
                Some(n) => format!("PyTorch {v} CPU ({n} threads)"),
                None => format!("PyTorch {v} CPU"),
            },
        );
        let _ = write!(md, "| model | parameters | {peer} |");
        for d in &self.devices {
            let who = if d.contains("peer") { "" } else { "ganglion " };
            let _ = write!(md, " {who}{d} | ratio {d} |");
        }
        md.push_str("\n|---|---|---|");
        md.push_str(&"---|---|".repeat(self.devices.len()));
        md.push('\n');
        let mut misses = Vec::new();
        for row in &self.rows {
            let torch = row.torch.map_or_else(|| "-".to_owned(), |t| t.rate());
            let _ = write!(md, "| {} | {} | {torch} |", row.id, row.params);
            for d in &self.devices {
                match (row.ganglion.get(d), row.torch) {
                    (Some(g), Some(t)) => {
                        let ratio = t.median / g.median;
                        let native = crate::bench_browser::BACKENDS.iter().all(|(_, label)| label != d);
                        if native && ratio < 2.0 {
                            misses.push(format!("{} on {d} ({ratio:.2}x)", row.id));
                        }
                        let _ = write!(md, " {} | {ratio:.2} |", g.rate());
                    }
                    (Some(g), None) => {
                        let _ = write!(md, " {} | - |", g.rate());
                    }
                    (None, _) => md.push_str(" - | - |"),
                }
            }
            md.push('\n');
        }
        md.push('\n');
        if self.torch_version.is_some() {
            if misses.is_empty() {
                md.push_str("Goal (native ganglion at least 2x faster than PyTorch on the CPU): met by every model on every device.\n");
            } else {
                let _ = writeln!(
                    md,
                    "Goal (native ganglion at least 2x faster than PyTorch on the CPU) not met by: {}.",
                    misses.join("; ")
                );
            }
        }
        if let Some(line) = self.wasm_against_native() {
            md.push_str(&line);
        }
        let [(_, wasm), (_, webgpu), (_, tf_wasm), (_, tf_webgpu)] = crate::bench_browser::BACKENDS;
        for (ours, theirs, goal, floor) in
            [(wasm, tf_wasm, "at least 3x faster", 3.0), (webgpu, tf_webgpu, "faster", 1.0)]
        {
            if let Some(line) = self.against(ours, theirs, goal, floor) {
                md.push_str(&line);
            }
        }
        let skipped: Vec<&str> =
            self.sizes["skipped"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        if !skipped.is_empty() {
            let _ = writeln!(
                md,
                "\nNot measured: {} (its probe step failed on that device: an adapter limit or a \
                 missing feature; the benchmark's log says which).",
                skipped.join(", ")
            );
        }
        md.push_str(&self.why(!misses.is_empty()));
        md.push_str("\n![steps per second against neurons](bench.svg)\n");
        if let Some(browser) = &self.browser {
            md.push_str(&crate::bench_browser::markdown(browser));
        }
        md
    }

    /// Steps per second of the GNN, MLP and GRU against neurons, one series per model
    /// and backend.
    fn plot_series(&self) -> Vec<(String, Vec<(f64, f64)>)> {
        let mut series: BTreeMap<String, Vec<(f64, f64)>> = BTreeMap::new();
        for row in &self.rows {
            let Some((model, neurons)) = row.id.rsplit_once('-') else { continue };
            let Ok(neurons) = neurons.parse::<f64>() else { continue };
            if model.contains("elm") {
                continue;
            }
            for (d, t) in &row.ganglion {
                series.entry(format!("{model} ganglion {d}")).or_default().push((neurons, 1.0 / t.median));
            }
            if let Some(t) = row.torch {
                series.entry(format!("{model} PyTorch CPU")).or_default().push((neurons, 1.0 / t.median));
            }
        }
        series.into_iter().collect()
    }
}
