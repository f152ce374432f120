//! `cargo xtask`: the project's developer commands, so the README's two commands stay
//! true on a fresh machine with only the Rust toolchain.
//!
//! - `cargo xtask demo`: installs the pinned tools, builds the demo (debug) and serves it
//!   on localhost.
//! - `cargo xtask site [--release] [--out DIR]`: builds the static site into a folder.
//! - `cargo xtask test`: installs what the tests need and runs every check and test.
//! - `cargo xtask bench-load [--smoke]`: loader throughput beside numpy/scipy/h5py.
//! - `cargo xtask bench [--smoke | --render]`: training steps per second beside PyTorch on the CPU
//!   and TF.js in the browser (`--render` writes the report again from the last run).
//! - `cargo xtask package`: the npm package, packed under target/npm/.
//! - `cargo xtask wheel`: the notebook widget's Python wheel, under target/python/.
//! - `cargo xtask types`: regenerates `web/js/wire.d.ts` from the Rust wire types (ts-rs;
//!   a test fails while the committed file is stale).
//!
//! Tools go to a cache outside the clone (`$GANGLION_CACHE`, default
//! `~/.cache/ganglion`), each at a pinned version, so a warm machine skips them.

mod bench_browser;
mod bench_load;
mod bench_plot;
mod bench_train;
mod package;
mod prune;
mod release;
mod serve;
mod site;
#[cfg(test)]
mod tidy;
mod tools;
mod wheel;

use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::Instant;

use tools::{Tools, run};

const USAGE: &str = "usage: cargo xtask <demo | site [--release] [--out DIR] | test | package | wheel | types | bench [--smoke | --render] | bench-load [--smoke] [--neurons N --frames T --repeats R]>";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("demo") => demo(),
        Some("site") => site(&args[1..]),
        Some("test") => test(),
        Some("bench-load") => bench_load::run(&args[1..]),
        Some("bench") => bench_train::run_bench(&args[1..]),
        Some("package") => package::run_package(),
        Some("wheel") => wheel::run_wheel(),
        Some("types") => types(),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Rewrites `web/js/wire.d.ts` through the test that otherwise checks it
/// (`web/src/wire_types.rs`), built as `cargo test --workspace` builds it.
fn types() -> Result<(), String> {
    let tools = Tools::ensure_web()?;
    run(tools
        .command("cargo")
        .args(["test", "--workspace", "--lib", "--", "wire_types::"])
        .env("GANGLION_WRITE_TYPES", "1"))?;
    println!("wrote web/js/wire.d.ts");
    Ok(())
}

/// Builds the site (debug: quick to rebuild) and serves it on localhost.
fn demo() -> Result<(), String> {
    let tools = Tools::ensure_web()?;
    let dist = site::dev_dist();
    site::build(&tools, false, &dist)?;
    println!("serving the demo (debug build) at http://127.0.0.1:8080 (Ctrl-C to stop)");
    serve::serve(&dist, "127.0.0.1:8080")
}

/// `cargo xtask site [--release] [--out DIR]`: the static site in one folder.
fn site(args: &[String]) -> Result<(), String> {
    let release = args.iter().any(|a| a == "--release");
    let out = match args.iter().position(|a| a == "--out") {
        Some(i) => PathBuf::from(args.get(i + 1).ok_or("--out needs a folder")?),
        None if release => site::release_dist(),
        None => site::dev_dist(),
    };
    site::build(&Tools::ensure_web()?, release, &out)?;
    println!("site written to {}", out.display());
    Ok(())
}

/// Every check CI runs, cheapest and most often failing first. Clippy lints every
/// workspace crate as it compiles (`.cargo/config.toml`), so there is no separate clippy
/// pass; what needs only the network (Debian's packages, the e2e tests' npm packages,
/// the loader benchmark's Python peers) is installed beside the compilers, which leave
/// the network idle.
fn test() -> Result<(), String> {
    let started = Instant::now();
    prune_cache();
    let tools = stage("tools", Tools::ensure_web)?;
    stage("fmt", || run(tools.command("cargo").args(["fmt", "--all", "--check"])))?;
    let installs = std::thread::spawn(|| stage("installs (beside the builds)", install_test_dependencies));
    // Every browser crate for wasm32, linted, and the release site the e2e tests serve
    // (as it is published: one wasm32 build of the dependencies, not a debug one as well).
    stage("wasm32 release build and site", || site::build(&tools, true, &site::release_dist()))?;
    // The notebook widget's wheel (it carries the site's worker) in a fresh environment with
    // the pinned JupyterLab and marimo that tests/e2e/specs/notebook.test.js starts; pip
    // waits on the network and the disk while cargo below keeps the cores busy.
    let notebook = std::thread::spawn(|| {
        stage("python wheel, environment and unit tests", || {
            let (wheel, env) = wheel::build_and_install()?;
            wheel::unit_tests(&env)?;
            Ok((wheel, env))
        })
    });
    // web/tests/wasm.rs on wasm32, in Node.js, through the pinned wasm-bindgen's runner,
    // built with the site's profile so that it reuses the site's dependencies.
    stage("wasm32 tests", || {
        run(tools
            .command("cargo")
            .args(["test", "--release", "--target", "wasm32-unknown-unknown", "-p", "ganglion-web", "--test", "wasm"])
            .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", "wasm-bindgen-test-runner"))
    })?;
    // Every native target linted and built (benchmarks included, `test = true`) before
    // anything runs, then run once the installs are in.
    stage("native build", || run(tools.command("cargo").args(["test", "--workspace", "--no-run"])))?;
    installs.join().map_err(|_| "installing the test dependencies panicked".to_owned())??;
    stage("native tests", || run(tools.command("cargo").args(["test", "--workspace"])))?;
    // The workspace's test binaries were just linked: the previous run's copies can go.
    prune_cache();
    stage("npm package", || package::assemble().map(|_| ()))?;
    let (_, notebook_env) = notebook.join().map_err(|_| "building the wheel panicked".to_owned())??;
    stage("e2e tests", || {
        run(Command::new("npm")
            .arg("test")
            .current_dir(tools::root().join("tests/e2e"))
            .env("GANGLION_NOTEBOOK_VENV", &notebook_env))
    })?;
    stage("loader benchmark smoke", || bench_load::run(&["--smoke".to_owned()]))?;
    stage("training benchmark smoke", || bench_train::run_bench(&["--smoke".to_owned()]))?;
    println!("xtask test: every check passed in {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// Runs one stage of the test command and says how long it took (reports/ci.md lists
/// these for a cold and a warm run).
fn stage<T>(name: &str, work: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    let started = Instant::now();
    let result = work();
    let outcome = if result.is_ok() { "took" } else { "failed after" };
    println!("xtask test: stage '{name}' {outcome} {:.0} s", started.elapsed().as_secs_f64());
    result
}

/// Debian's Chromium, the e2e tests' npm packages, the Python peers.
fn install_test_dependencies() -> Result<(), String> {
    tools::ensure_system_packages(false)?;
    run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(tools::root().join("tests/e2e")))?;
    bench_load::python().map(|_| ())
}

/// Removes superseded test binaries from the build cache ([`prune`]).
fn prune_cache() {
    let freed = prune::stale_binaries(&prune::target_dir());
    if freed > 0 {
        println!("xtask test: removed {} MB of superseded test binaries from the build cache", freed / 1_000_000);
    }
}
