//! The browser rows of `cargo xtask bench`: `tests/e2e/bench/browser.js` times ganglion's
//! training workloads in the demo's worker in headless Chromium (WebGPU, and burn's CPU
//! device in wasm), with the cold start and the memory of each, and this module turns
//! its JSON into the report's columns and tables.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::tools::{Tools, root, run};

/// The browsers' backends, as the JSON and the report name them: ganglion's two, then
/// the TF.js peer's (`tests/e2e/bench/tfjs_gnn.js`, the GNN only).
pub const BACKENDS: [(&str, &str); 4] = [
    ("wasm-cpu", "Chromium wasm CPU"),
    ("webgpu", "Chromium WebGPU"),
    ("tfjs-wasm", "TF.js wasm (peer)"),
    ("tfjs-webgpu", "TF.js WebGPU (peer)"),
];

/// Builds the demo when it is not built (a full run), installs the e2e packages, and
/// runs the browser benchmark into `out`. `None`, with the reason printed, when this
/// machine has no Chromium.
pub fn measure(out: &Path, smoke: bool) -> Result<Option<Value>, String> {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
    if !Path::new(&chromium).exists() {
        eprintln!("browser rows skipped: no Chromium at {chromium}");
        return Ok(None);
    }
    let e2e = root().join("tests/e2e");
    let json = out.join("browser.json");
    let mut bench = Command::new("node");
    bench.arg("bench/browser.js").arg(&json).current_dir(&e2e);
    let dist = crate::site::release_dist();
    if smoke {
        // The test command has just built the release site and installed the packages.
        bench.arg("--smoke");
    } else {
        // The release site, as one would deploy it.
        crate::site::build(&Tools::ensure_web()?, true, &dist)?;
        run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&e2e))?;
    }
    bench.env("GANGLION_DIST", &dist);
    run(&mut bench)?;
    let text = std::fs::read_to_string(&json).map_err(|e| format!("{}: {e}", json.display()))?;
    serde_json::from_str(&text).map(Some).map_err(|e| format!("{}: {e}", json.display()))
}

/// The report's id of a browser row: `gnn-20`, or `elm-1278` for the ELMs (whose size
/// in the browser JSON is the sequence length).
pub fn row_id(row: &Value, elm_inputs: u64) -> Option<String> {
    let workload = row["workload"].as_str()?;
    let size = if workload.contains("elm") { elm_inputs } else { row["size"].as_u64()? };
    Some(format!("{workload}-{size}"))
}

/// Warm seconds per step of a row (every step after the first two).
pub fn warm(row: &Value) -> Vec<f64> {
    row["warm"].as_array().into_iter().flatten().filter_map(Value::as_f64).collect()
}

fn megabytes(v: &Value) -> String {
    v.as_f64().map_or_else(|| "-".to_owned(), |b| format!("{:.1}", b / 1e6))
}

fn seconds(v: &Value) -> String {
    v.as_f64().map_or_else(|| "-".to_owned(), |s| format!("{s:.2}"))
}

/// Least-squares slope of log(y) against log(x): how y grows with x.
pub fn exponent(points: &[(f64, f64)]) -> Option<f64> {
    let logs: Vec<(f64, f64)> =
        points.iter().filter(|(x, y)| *x > 0.0 && *y > 0.0).map(|(x, y)| (x.ln(), y.ln())).collect();
    if logs.len() < 2 {
        return None;
    }
    let n = logs.len() as f64;
    let (mx, my) = (logs.iter().map(|p| p.0).sum::<f64>() / n, logs.iter().map(|p| p.1).sum::<f64>() / n);
    let sxx: f64 = logs.iter().map(|(x, _)| (x - mx).powi(2)).sum();
    let sxy: f64 = logs.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
    (sxx > 0.0).then(|| sxy / sxx)
}

/// "name 12.3 MB (3.4 MB gzipped), ..." for the wasm files the rows ran.
fn wasm_sizes(browser: &Value) -> String {
    let files: Vec<String> = browser["wasm"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            format!(
                "{} {} MB ({} MB gzipped)",
                f["name"].as_str().unwrap_or("?"),
                megabytes(&f["bytes"]),
                megabytes(&f["gzip_bytes"])
            )
        })
        .collect();
    files.join(", ")
}

/// The cold-start and memory tables, and the fitted growth of the GNN's memory.
pub fn markdown(browser: &Value) -> String {
    let mut md = String::new();
    let _ = writeln!(
        md,
        "\n## In the browser\n\nChromium {} (headless; WebGPU here is SwiftShader, a CPU implementation, \
         unless the machine has a GPU), the site built by `cargo xtask site --release` into {} ({}). Every row starts a fresh worker: `ready` is page-side \
         time from `new Worker` to its wasm listening, `device` the adapter and runtime set-up, `first`/`tenth` when \
         the first and tenth steps had finished (cold start, including shader compilation). Heap: the worker's wasm \
         memory afterwards; GPU: the peak bytes in live GPU buffers (counted by wrapping `createBuffer`). {} steps \
         per row timed one by one ({} on WebGPU), then ganglion's warm speed from {} samples of several steps each \
         (as many as last 10 ms: the browser's clock ticks in 0.1 ms without cross-origin isolation, too coarse \
         for single sub-millisecond steps); where a row has no samples (WebGPU on SwiftShader, TF.js), warm = the \
         single steps after the first two.\n",
        browser["chromium"].as_str().unwrap_or("?"),
        browser["dist"].as_str().unwrap_or("?"),
        wasm_sizes(browser),
        browser["steps"],
        browser["webgpu_steps"],
        browser["samples"],
    );
    md.push_str("| backend | workload | ready s | device s | first step at s | tenth step at s | wasm heap MB | GPU buffers MB |\n");
    md.push_str("|---|---|---|---|---|---|---|---|\n");
    let rows = browser["rows"].as_array().cloned().unwrap_or_default();
    for row in &rows {
        let name = format!("{}-{}", row["workload"].as_str().unwrap_or("?"), row["size"]);
        if let Some(error) = row["error"].as_str() {
            let _ = writeln!(md, "| {} | {name} | failed: {error} | | | | | |", row["backend"].as_str().unwrap_or("?"));
            continue;
        }
        let _ = writeln!(
            md,
            "| {} | {name} | {} | {} | {} | {} | {} | {} |",
            row["backend"].as_str().unwrap_or("?"),
            seconds(&row["worker_ready_s"]),
            seconds(&row["device_s"]),
            seconds(&row["first_step_s"]),
            seconds(&row["tenth_step_s"]),
            megabytes(&row["heap_bytes"]),
            megabytes(&row["gpu_peak_bytes"]),
        );
    }
    md.push_str(&first_step_goal(&rows));
    // Memory is measured in ganglion's own worker only.
    for &(backend, label) in &BACKENDS[..2] {
        let gnn: Vec<&Value> =
            rows.iter().filter(|r| r["backend"] == backend && r["workload"] == "gnn" && r["error"].is_null()).collect();
        let fit = |field: &str| {
            let points: Vec<(f64, f64)> =
                gnn.iter().filter_map(|r| Some((r["size"].as_f64()?, r[field].as_f64()?))).collect();
            exponent(&points).map_or_else(|| "-".to_owned(), |e| format!("{e:.2}"))
        };
        if gnn.len() >= 2 {
            let _ = writeln!(
                md,
                "\n{label}, GNN memory against neurons (fitted exponent of a power law, from {} sizes): wasm heap \
                 N^{}, GPU buffers N^{}.",
                gnn.len(),
                fit("heap_bytes"),
                fit("gpu_peak_bytes")
            );
        }
    }
    md
}

/// The goal that the demo's default model (the GNN; the bundled sample has 16 neurons)
/// finishes its first trained step within 2 s of the page starting the worker, read from
/// the smallest GNN row of each of ganglion's backends.
fn first_step_goal(rows: &[Value]) -> String {
    let verdicts: Vec<String> = BACKENDS[..2]
        .iter()
        .filter_map(|&(backend, label)| {
            let row = rows
                .iter()
                .filter(|r| r["backend"] == backend && r["workload"] == "gnn" && r["error"].is_null())
                .min_by_key(|r| r["size"].as_u64().unwrap_or(u64::MAX))?;
            let first = row["first_step_s"].as_f64()?;
            let met = if first < 2.0 { "met" } else { "not met" };
            Some(format!("{label} {first:.2} s at {} neurons ({met})", row["size"]))
        })
        .collect();
    if verdicts.is_empty() {
        return String::new();
    }
    format!(
        "\nGoal (the demo's default model, the GNN, finishes its first trained step within 2 s; the bundled \
         sample has 16 neurons): {}.\n",
        verdicts.join("; ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exponent_of_a_power_law_is_recovered() {
        let points: Vec<(f64, f64)> =
            [20.0, 50.0, 100.0, 302.0].iter().map(|&n: &f64| (n, 3.0 * n.powf(1.7))).collect();
        let e = exponent(&points).expect("fits");
        assert!((e - 1.7).abs() < 1e-9, "{e}");
        assert_eq!(exponent(&[(10.0, 1.0)]), None);
    }

    #[test]
    fn the_first_step_goal_reads_the_smallest_gnn_of_each_backend() {
        let rows: Vec<Value> = serde_json::from_str(
            r#"[{"backend": "wasm-cpu", "workload": "gnn", "size": 100, "first_step_s": 3.0},
                {"backend": "wasm-cpu", "workload": "gnn", "size": 20, "first_step_s": 0.5},
                {"backend": "webgpu", "workload": "gnn", "size": 20, "first_step_s": 18.0},
                {"backend": "webgpu", "workload": "mlp", "size": 20, "first_step_s": 1.0}]"#,
        )
        .expect("json");
        let line = first_step_goal(&rows);
        assert!(line.contains("wasm CPU 0.50 s at 20 neurons (met)"), "{line}");
        assert!(line.contains("WebGPU 18.00 s at 20 neurons (not met)"), "{line}");
        assert_eq!(first_step_goal(&[]), "");
    }
}
