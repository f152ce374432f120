//! `cargo xtask`: the project's developer commands, so the README's two commands stay
//! true on a fresh machine with only the Rust toolchain.
//!
//! - `cargo xtask demo`: installs the pinned tools and serves the demo on localhost.
//! - `cargo xtask test`: installs what the tests need and runs every check and test.
//! - `cargo xtask bench-load [--smoke]`: loader throughput beside numpy/scipy/h5py.
//! - `cargo xtask bench [--smoke | --render]`: training steps per second beside PyTorch on the CPU
//!   and TF.js in the browser (`--render` writes the report again from the last run).
//! - `cargo xtask package`: the npm package, packed under target/npm/.
//!
//! Tools go to a cache outside the clone (`$GANGLION_CACHE`, default
//! `~/.cache/ganglion`), each at a pinned version, so a warm machine skips them.

mod bench_browser;
mod bench_load;
mod bench_plot;
mod bench_train;
mod package;
mod prune;
#[cfg(test)]
mod tidy;
mod tools;

use std::process::{Command, ExitCode};

use tools::{Tools, run};

const USAGE: &str = "usage: cargo xtask <demo | test | package | bench [--smoke | --render] | bench-load [--smoke] [--neurons N --frames T --repeats R]>";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("demo") => demo(),
        Some("test") => test(),
        Some("bench-load") => bench_load::run(&args[1..]),
        Some("bench") => bench_train::run_bench(&args[1..]),
        Some("package") => package::run_package(),
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

/// Installs trunk and wasm-bindgen at their pinned versions and serves www/.
fn demo() -> Result<(), String> {
    let tools = Tools::ensure_web()?;
    println!("serving the demo at http://127.0.0.1:8080 (Ctrl-C to stop)");
    run(tools.command("trunk").args(["serve", "--config", "Trunk.toml"]))
}

/// Every check CI runs, in order of how fast they fail.
fn test() -> Result<(), String> {
    prune_cache();
    let tools = Tools::ensure_web()?;
    let cargo = || tools.command("cargo");
    run(cargo().args(["fmt", "--all", "--check"]))?;
    run(cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
    run(cargo()
        .args(["clippy", "--target", "wasm32-unknown-unknown"])
        .args(BROWSER_CRATES)
        .args(["--", "-D", "warnings"]))?;
    run(cargo().args(["build", "--target", "wasm32-unknown-unknown"]).args(BROWSER_CRATES))?;
    // web/tests/wasm.rs on wasm32, in Node.js, through the pinned wasm-bindgen's runner.
    run(cargo()
        .args(["test", "--target", "wasm32-unknown-unknown", "-p", "ganglion-web", "--test", "wasm"])
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", "wasm-bindgen-test-runner"))?;
    tools::ensure_system_packages()?;
    run(cargo().args(["test", "--workspace"]))?;
    // The workspace's test binaries were just linked: the previous run's copies can go.
    prune_cache();
    run(tools.command("trunk").args(["build", "--config", "Trunk.toml"]))?;
    package::assemble()?;
    run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(tools::root().join("tests/e2e")))?;
    run(Command::new("npm").arg("test").current_dir(tools::root().join("tests/e2e")))?;
    bench_load::run(&["--smoke".to_owned()])?;
    bench_train::run_bench(&["--smoke".to_owned()])?;
    println!("xtask test: every check passed");
    Ok(())
}

/// Removes superseded test binaries from the build cache ([`prune`]).
fn prune_cache() {
    let freed = prune::stale_binaries(&prune::target_dir());
    if freed > 0 {
        println!("xtask test: removed {} MB of superseded test binaries from the build cache", freed / 1_000_000);
    }
}

/// The crates that must compile for the browser.
const BROWSER_CRATES: [&str; 10] = [
    "-p",
    "ganglion-data",
    "-p",
    "ganglion-models",
    "-p",
    "ganglion-train",
    "-p",
    "ganglion-web",
    "-p",
    "ganglion-www",
];
