//! `cargo xtask package`: the npm package, packed as `target/npm/ganglion-<version>.tgz`.
//!
//! Its files are the JS API and custom elements (web/js/: `ganglion.js` with `api.js`, `elements.js` and `drawing.js`,
//! its types, the worker entry, package.json, README), the licence, and the worker's wasm-bindgen output
//! (`ganglion-worker.js`, `ganglion-worker_bg.wasm`) that `cargo xtask site --release` builds,
//! so the package and the published site run the very same release wasm. `package.json`'s `files` and
//! `exports` decide what ships; the packaging test checks the installed file list.

use std::path::PathBuf;
use std::process::Command;

use crate::tools::{Tools, root, run};

/// The files copied from web/js/ and from the built site.
const JS_FILES: [&str; 9] = [
    "ganglion.js",
    "api.js",
    "elements.js",
    "drawing.js",
    "ganglion.d.ts",
    "wire.d.ts",
    "worker.js",
    "package.json",
    "README.md",
];
const WASM_FILES: [&str; 2] = ["ganglion-worker.js", "ganglion-worker_bg.wasm"];

/// Builds the release site (for its worker wasm) and packs the package.
pub fn run_package() -> Result<(), String> {
    crate::site::build(&Tools::ensure_web()?, true, &crate::site::release_dist())?;
    let tarball = assemble()?;
    println!("packed {}", tarball.display());
    Ok(())
}

/// Assembles target/npm/ganglion from an existing site build and `npm pack`s it.
pub fn assemble() -> Result<PathBuf, String> {
    let root = root();
    let (js, dist, out) = (root.join("web/js"), crate::site::release_dist(), root.join("target/npm"));
    let staging = out.join("ganglion");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&staging).map_err(|e| format!("{}: {e}", staging.display()))?;
    let copy = |from: PathBuf, name: &str| {
        std::fs::copy(&from, staging.join(name)).map(|_| ()).map_err(|e| {
            format!("{}: {e} (the package needs `cargo xtask site --release` to have run)", from.display())
        })
    };
    for name in JS_FILES {
        copy(js.join(name), name)?;
    }
    for name in WASM_FILES {
        copy(dist.join(name), name)?;
    }
    copy(root.join("LICENSE"), "LICENSE")?;
    let mut pack = Command::new("npm");
    pack.args(["pack", "--silent", "--pack-destination"]).arg(&out).current_dir(&staging);
    run(&mut pack)?;
    let manifest = std::fs::read_to_string(js.join("package.json")).map_err(|e| e.to_string())?;
    let version: serde_json::Value =
        serde_json::from_str(&manifest).map_err(|e| format!("web/js/package.json: {e}"))?;
    let tarball = out.join(format!("ganglion-{}.tgz", version["version"].as_str().unwrap_or("0.0.0")));
    if !tarball.exists() {
        return Err(format!("npm pack wrote no {}", tarball.display()));
    }
    Ok(tarball)
}
