//! `cargo xtask bench-load`: load time per format for a whole-worm-sized recording
//! (302 neurons x 3,000 frames by default), ganglion beside numpy / scipy / h5py on the
//! same files in the same run, as ratios. Writes `reports/load.md` (the smoke version,
//! run by `cargo xtask test`, writes under the cache instead).

use std::fmt::Write as _;
use std::process::Command;

use serde_json::Value;

use crate::tools::run as run_command;
use crate::tools::{cache_dir, output, root};

struct Settings {
    neurons: usize,
    frames: usize,
    repeats: usize,
    smoke: bool,
}

fn parse(args: &[String]) -> Result<Settings, String> {
    let smoke = args.iter().any(|a| a == "--smoke");
    let mut s = if smoke {
        Settings { neurons: 20, frames: 100, repeats: 3, smoke }
    } else {
        Settings { neurons: 302, frames: 3000, repeats: 7, smoke }
    };
    let value = |flag: &str| -> Result<Option<usize>, String> {
        match args.iter().position(|a| a == flag) {
            None => Ok(None),
            Some(i) => args.get(i + 1).and_then(|v| v.parse().ok()).map(Some).ok_or(format!("{flag} needs a number")),
        }
    };
    s.neurons = value("--neurons")?.unwrap_or(s.neurons);
    s.frames = value("--frames")?.unwrap_or(s.frames);
    s.repeats = value("--repeats")?.unwrap_or(s.repeats);
    Ok(s)
}

/// A virtual environment with the pinned peers, reused while requirements are unchanged.
pub fn python() -> Result<std::path::PathBuf, String> {
    venv(&cache_dir().join("pyenv"), &root().join("benches/requirements.txt"))
}

/// The Python of a virtual environment at `env` with `requirements` installed, made or
/// remade only when the requirements file changed since the last install.
pub fn venv(env: &std::path::Path, requirements: &std::path::Path) -> Result<std::path::PathBuf, String> {
    let wanted = std::fs::read_to_string(requirements).map_err(|e| format!("{}: {e}", requirements.display()))?;
    let marker = env.join("installed-requirements.txt");
    let python = env.join("bin/python");
    if std::fs::read_to_string(&marker).ok().as_deref() != Some(wanted.as_str()) {
        run_command(Command::new("python3").args(["-m", "venv"]).arg(env))?;
        run_command(Command::new(&python).args(["-m", "pip", "install", "--quiet", "-r"]).arg(requirements))?;
        std::fs::write(&marker, wanted).map_err(|e| e.to_string())?;
    }
    Ok(python)
}

/// Median, minimum and maximum (NaN for none).
pub fn median_and_spread(seconds: &[f64]) -> (f64, f64, f64) {
    let mut s = seconds.to_vec();
    s.sort_by(f64::total_cmp);
    let median = if s.is_empty() { f64::NAN } else { s[s.len() / 2] };
    (median, s.first().copied().unwrap_or(f64::NAN), s.last().copied().unwrap_or(f64::NAN))
}

fn seconds_of(v: &Value) -> Vec<f64> {
    v.as_array().map(|a| a.iter().filter_map(Value::as_f64).collect()).unwrap_or_default()
}

pub fn run(args: &[String]) -> Result<(), String> {
    let s = parse(args)?;
    let python = python()?;
    let out_dir = cache_dir().join(if s.smoke { "bench-load-smoke" } else { "bench-load" });
    let peer_json = output(Command::new(&python).arg(root().join("benches/load_peers.py")).arg(&out_dir).args([
        s.neurons.to_string(),
        s.frames.to_string(),
        s.repeats.to_string(),
    ]))?;
    let peer: Value = serde_json::from_str(&peer_json).map_err(|e| format!("peer output: {e}"))?;
    let files = peer["files"].as_object().ok_or("peer output has no files")?;
    // The smoke run uses the debug build `cargo test` made (it checks the harness); the
    // full run a release build.
    let mut bench = if s.smoke {
        Command::new(crate::tools::test_executable("bench", "load")?)
    } else {
        let mut cargo = Command::new("cargo");
        cargo.args(["bench", "--quiet", "-p", "ganglion-data", "--bench", "load", "--"]);
        cargo
    };
    for (format, path) in files {
        bench.arg(format!("{format}={}", path.as_str().unwrap_or_default()));
    }
    bench.args(["--repeats", &s.repeats.to_string()]);
    let ours = output(&mut bench)?;

    let mut report = String::new();
    let _ = writeln!(report, "# Load time per format\n");
    let _ = writeln!(
        report,
        "{} neurons x {} frames (float32 written, as each tool writes it); medians of {} warm runs, \
         file read included on both sides; spread = min-max. Ratio = ganglion / peer (below 1: ganglion is faster).\n",
        s.neurons, s.frames, s.repeats
    );
    let _ = writeln!(report, "| format | peer | ganglion ms (spread) | peer ms (spread) | ratio |");
    let _ = writeln!(report, "|---|---|---|---|---|");
    let mut slower = Vec::new();
    for line in ours.lines().filter(|l| l.starts_with('{')) {
        let v: Value = serde_json::from_str(line).map_err(|e| format!("bench output: {e}"))?;
        let format = v["format"].as_str().unwrap_or("?");
        if v["neurons"].as_u64() != Some(s.neurons as u64) || v["frames"].as_u64() != Some(s.frames as u64) {
            return Err(format!(
                "{format}: ganglion read {} x {}, expected {} x {}",
                v["neurons"], v["frames"], s.neurons, s.frames
            ));
        }
        let (g, g_lo, g_hi) = median_and_spread(&seconds_of(&v["seconds"]));
        let p = &peer["peer"][format];
        let (m, m_lo, m_hi) = median_and_spread(&seconds_of(&p["seconds"]));
        let ratio = g / m;
        if ratio > 1.0 {
            slower.push(format.to_owned());
        }
        let _ = writeln!(
            report,
            "| {format} | {} | {:.2} ({:.2}-{:.2}) | {:.2} ({:.2}-{:.2}) | {ratio:.2} |",
            p["tool"].as_str().unwrap_or("?"),
            g * 1e3,
            g_lo * 1e3,
            g_hi * 1e3,
            m * 1e3,
            m_lo * 1e3,
            m_hi * 1e3
        );
    }
    let verdict = if slower.is_empty() {
        "Goal (no slower than the peer) met on every format.".to_owned()
    } else {
        format!("Goal (no slower than the peer) not met on: {}.", slower.join(", "))
    };
    let _ = writeln!(report, "\n{verdict}");
    if !slower.is_empty() {
        let _ = writeln!(
            report,
            "\nWhy: for the binary formats the peers return the file's bytes as an array after one read \
             (np.load reads straight into the array; h5py returns the stored layout, frames x neurons for NWB). \
             ganglion is handed bytes (as in the browser), decodes them into its own buffer, checks every value \
             is finite, and stores neurons x frames, transposing files stored the other way. Each of those passes \
             over a whole-worm recording costs a few tenths of a millisecond; the whole load stays around a \
             millisecond."
        );
    }
    print!("{report}");
    let path = if s.smoke { out_dir.join("load.md") } else { root().join("reports/load.md") };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    }
    std::fs::write(&path, report).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("report written to {}", path.display());
    Ok(())
}
