//! `cargo xtask wheel`: the notebook widget's Python wheel, built under `target/python/`.
//!
//! `python/` is staged with the runtime its widget sends to the page (web/js's `api.js`
//! and `drawing.js`, and the release site's worker glue and gzipped wasm) under
//! `ganglion/static/`, then the pinned hatchling builds the wheel from the copy, so the
//! wheel, the npm package and the site run the very same release wasm. The test command
//! installs the wheel into a fresh virtual environment with the pinned notebook servers
//! (`python/requirements.txt`) for the JupyterLab and marimo tests.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::tools::{root, run};

/// Files of `python/` staged as they are, besides every `.py` and `.js` file of its
/// `ganglion/` package.
const PROJECT_FILES: [&str; 2] = ["pyproject.toml", "README.md"];

/// The runtime: (source, name under ganglion/static/); `_runtime.py` reads the same names.
fn runtime_files() -> [(PathBuf, &'static str); 4] {
    let (js, dist) = (root().join("web/js"), crate::site::release_dist());
    [
        (js.join("api.js"), "api.js"),
        (js.join("drawing.js"), "drawing.js"),
        (dist.join("ganglion-worker.js"), "ganglion-worker.js"),
        (dist.join("ganglion-worker_bg.wasm.gz"), "ganglion-worker_bg.wasm.gz"),
    ]
}

/// Builds the release site (for its worker), the wheel, and the environment the tests use.
pub fn run_wheel() -> Result<(), String> {
    crate::site::build(&crate::tools::Tools::ensure_web()?, true, &crate::site::release_dist())?;
    let (wheel, env) = build_and_install()?;
    println!("built {} and installed it into {}", wheel.display(), env.display());
    Ok(())
}

/// A fresh virtual environment at `target/python/venv` with the pinned notebook stack
/// (`python/requirements.txt`, hatchling among it; pip's cache makes it quick after the
/// first time), the wheel built with its hatchling from `python/` staged with the runtime
/// of an existing release site, and the wheel installed into it. Returns the wheel and the
/// environment's folder (the notebook tests read it from `GANGLION_NOTEBOOK_VENV`).
pub fn build_and_install() -> Result<(PathBuf, PathBuf), String> {
    let out = root().join("target/python");
    let (stage, dist, env) = (out.join("stage"), out.join("dist"), out.join("venv"));
    let _ = std::fs::remove_dir_all(&out);
    stage_sources(&stage)?;
    // Made afresh (the folder was just removed) by the helper that makes the benchmarks' one.
    let python = crate::bench_load::venv(&env, &root().join("python/requirements.txt"))?;
    let pip = |args: &[&str]| {
        let mut command = Command::new(&python);
        command.args(["-m", "pip", "--disable-pip-version-check"]).args(args);
        command
    };
    run(pip(&["wheel", "--quiet", "--no-deps", "--no-build-isolation", "--wheel-dir"]).arg(&dist).arg(&stage))?;
    let wheel = std::fs::read_dir(&dist)
        .map_err(|e| format!("{}: {e}", dist.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .find(|path| path.extension().is_some_and(|e| e == "whl"))
        .ok_or_else(|| format!("pip wrote no wheel into {}", dist.display()))?;
    run(pip(&["install", "--quiet", "--no-deps"]).arg(&wheel))?;
    let size = std::fs::metadata(&wheel).map_err(|e| e.to_string())?.len();
    println!("xtask wheel: {} is {:.2} MB", wheel.display(), size as f64 / 1e6);
    Ok((wheel, env))
}

/// Copies `python/`'s sources, the licence and the runtime into `stage`.
fn stage_sources(stage: &Path) -> Result<(), String> {
    let copy = |from: &Path, to: PathBuf| {
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::copy(from, &to)
            .map(|_| ())
            .map_err(|e| format!("{}: {e} (the wheel needs `cargo xtask site --release` to have run)", from.display()))
    };
    let package = root().join("python/ganglion");
    let modules = std::fs::read_dir(&package)
        .map_err(|e| format!("{}: {e}", package.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "py" || e == "js"));
    for from in modules {
        let name = from.file_name().map(PathBuf::from).unwrap_or_default();
        copy(&from, stage.join("ganglion").join(name))?;
    }
    for name in PROJECT_FILES {
        copy(&root().join("python").join(name), stage.join(name))?;
    }
    copy(&root().join("LICENSE"), stage.join("LICENSE"))?;
    for (from, name) in runtime_files() {
        copy(&from, stage.join("ganglion/static").join(name))?;
    }
    Ok(())
}

/// The package's unit tests (`python/tests/`) against the installed wheel in `env`.
pub fn unit_tests(env: &Path) -> Result<(), String> {
    run(Command::new(env.join("bin/python"))
        .args(["-m", "unittest", "discover", "--start-directory"])
        .arg(root().join("python/tests")))
}
