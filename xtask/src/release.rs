//! The release site's last steps, after wasm-bindgen: wasm-opt 132 on both wasm files and
//! a precompressed `.br` and `.gz` beside every file a browser downloads.
//!
//! Both tools come from the pinned npm packages of `xtask/site-tools` (binaryen 132:
//! Debian's wasm-opt 108 corrupts our wasm, a `WebAssembly.Table.set` error at start;
//! Node's own zlib for brotli and gzip), installed with `npm ci` beside the lock file.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::tools::{output, root, run};

/// The features the wasm32 build emits (Rust 1.95's defaults and our `+simd128`), which
/// wasm-opt must be told it may keep.
const WASM_FEATURES: [&str; 7] = [
    "--enable-simd",
    "--enable-bulk-memory",
    "--enable-reference-types",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-multivalue",
];

/// wasm-opt's optimisation level. Measured on the worker's wasm (26.7 MB after LTO, one
/// codegen unit, opt-level 3; 2026-12-07): `-O1` 86 s to 25.9 MB, 2.98 MB brotli; `-O2`
/// 199 s to 25.7 MB, 3.06 MB; `-O3` about 300 s to 23.8 MB, 3.08 MB; none 3.00 MB. The
/// bytes sent do not shrink past `-O1`, the build time triples, so `-O1`.
const OPT_LEVEL: &str = "-O1";

/// The folder of the pinned npm tools.
fn site_tools() -> PathBuf {
    root().join("xtask/site-tools")
}

/// The version of npm package `name` that `manifest` (a package.json's text) gives:
/// the pin in `devDependencies`, or an installed package's own `version`.
fn npm_version(manifest: &str, name: &str) -> Option<String> {
    let json: serde_json::Value = serde_json::from_str(manifest).ok()?;
    let version = if json["name"] == name { &json["version"] } else { &json["devDependencies"][name] };
    version.as_str().map(str::to_owned)
}

/// `npm ci` of the site tools unless binaryen is installed at the version
/// `xtask/site-tools/package.json` pins.
fn ensure_site_tools() -> Result<PathBuf, String> {
    let tools = site_tools();
    let read = |path: PathBuf| std::fs::read_to_string(path).unwrap_or_default();
    let pinned = npm_version(&read(tools.join("package.json")), "binaryen");
    let installed = npm_version(&read(tools.join("node_modules/binaryen/package.json")), "binaryen");
    if pinned.is_none() || installed != pinned {
        run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&tools))?;
    }
    Ok(tools)
}

/// Optimises every wasm file of `dist` in place and writes the compressed copies; prints
/// the sizes.
pub fn finish(dist: &Path) -> Result<(), String> {
    let tools = ensure_site_tools()?;
    let wasm_opt = tools.join("node_modules/binaryen/bin/wasm-opt");
    let mut wasm_files: Vec<PathBuf> = std::fs::read_dir(dist)
        .map_err(|e| format!("{}: {e}", dist.display()))?
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "wasm"))
        .collect();
    wasm_files.sort();
    for wasm in wasm_files {
        let mut opt = Command::new("node");
        opt.arg(&wasm_opt).arg(&wasm).arg("-o").arg(&wasm).args([OPT_LEVEL, "--strip-debug", "--strip-producers"]);
        run(opt.args(WASM_FEATURES))?;
    }
    let mut compress = Command::new("node");
    compress.arg(tools.join("compress.mjs")).arg(dist);
    let sizes = output(&mut compress)?;
    println!("{}", size_table(&sizes)?);
    Ok(())
}

/// The compressor's JSON as a markdown table of the wasm and JS files, in MB.
fn size_table(json: &str) -> Result<String, String> {
    let sizes: serde_json::Value = serde_json::from_str(json).map_err(|e| format!("compress.mjs: {e}"))?;
    let mut table = String::from("| file | raw (MB) | gzip (MB) | brotli (MB) |\n|---|---:|---:|---:|\n");
    let mb = |v: &serde_json::Value| v.as_f64().map_or_else(|| "-".to_owned(), |b| format!("{:.2}", b / 1e6));
    for (name, size) in sizes.as_object().into_iter().flatten() {
        if name.ends_with(".wasm") || name.ends_with(".js") {
            table.push_str(&format!(
                "| {name} | {} | {} | {} |\n",
                mb(&size["raw"]),
                mb(&size["gzip"]),
                mb(&size["brotli"])
            ));
        }
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_size_table_lists_wasm_and_js_in_megabytes() {
        let json =
            r#"{"a_bg.wasm":{"raw":2000000,"gzip":1000000,"brotli":500000},"style.css":{"raw":1,"gzip":1,"brotli":1}}"#;
        let table = size_table(json).expect("valid JSON");
        assert!(table.contains("| a_bg.wasm | 2.00 | 1.00 | 0.50 |"), "{table}");
        assert!(!table.contains("style.css"));
        assert!(size_table("not json").is_err());
    }

    #[test]
    fn the_site_tools_pin_binaryen_132() {
        let manifest = std::fs::read_to_string(site_tools().join("package.json")).expect("package.json");
        assert_eq!(npm_version(&manifest, "binaryen").as_deref(), Some("132.0.0"));
        assert_eq!(
            npm_version(r#"{"name": "binaryen", "version": "131.0.0"}"#, "binaryen").as_deref(),
            Some("131.0.0")
        );
        assert!(site_tools().join("package-lock.json").is_file(), "the lock file is committed");
    }
}
