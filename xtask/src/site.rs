//! The static demo site, built without trunk: one `cargo build` for wasm32 of every
//! browser crate (the same invocation the test command lints), the wasm-bindgen CLI on
//! the page's and the worker's binaries, and the files of `www/` and `web/js/` copied
//! beside them. Trunk did the same and took 12 minutes to install from source on a cold
//! machine, for a build that is only these steps.
//!
//! The site folder holds `index.html` (from `www/index.html`, whose `<!-- ganglion:head -->`
//! marker says where the stylesheet and the page's module go), `style.css`,
//! `ganglion-www.js` + `ganglion-www_bg.wasm` (the page), `ganglion-worker.js` +
//! `ganglion-worker_bg.wasm` (the worker; `worker.js` starts it, for the page and the npm
//! package alike), `ganglion.js` (the package's module) and the embed pages. Every path
//! is relative, so the folder works under any sub-path of any static host.

use std::path::{Path, PathBuf};

use crate::prune::target_dir;
use crate::tools::{Tools, root, run};

/// The crates that must compile for the browser (the page and the worker among them).
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

/// The two wasm binaries the site serves; wasm-bindgen names its output after each.
const BINARIES: [&str; 2] = ["ganglion-www", "ganglion-worker"];

/// Files copied unchanged: (source relative to the root, name in the site).
const COPIED: [(&str, &str); 7] = [
    ("www/style.css", "style.css"),
    ("www/embed.html", "embed.html"),
    ("www/embed-howto.html", "embed-howto.html"),
    ("web/js/ganglion.js", "ganglion.js"),
    ("web/js/api.js", "api.js"),
    ("web/js/elements.js", "elements.js"),
    ("web/js/worker.js", "worker.js"),
];

/// Where the debug site goes (the e2e tests and the npm package read it).
pub fn dev_dist() -> PathBuf {
    root().join("target/www-dist")
}

/// Compiles every browser crate for wasm32 (debug or release); clippy lints the
/// workspace's own crates as they compile (`.cargo/config.toml`).
fn compile(tools: &Tools, release: bool) -> Result<(), String> {
    let mut build = tools.command("cargo");
    build.args(["build", "--target", "wasm32-unknown-unknown"]).args(BROWSER_CRATES);
    if release {
        build.arg("--release");
    }
    run(&mut build)
}

/// Writes the site into `dist` from binaries [`compile`] built.
fn assemble(tools: &Tools, release: bool, dist: &Path) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(dist);
    std::fs::create_dir_all(dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    let wasm_dir = target_dir().join("wasm32-unknown-unknown").join(if release { "release" } else { "debug" });
    for name in BINARIES {
        let wasm = wasm_dir.join(format!("{name}.wasm"));
        let mut bindgen = tools.command("wasm-bindgen");
        bindgen.args(["--target", "web", "--no-typescript", "--out-dir"]).arg(dist).arg(&wasm);
        run(&mut bindgen)?;
    }
    for (from, to) in COPIED {
        std::fs::copy(root().join(from), dist.join(to)).map_err(|e| format!("{from}: {e}"))?;
    }
    let template =
        std::fs::read_to_string(root().join("www/index.html")).map_err(|e| format!("www/index.html: {e}"))?;
    std::fs::write(dist.join("index.html"), index_html(&template)?).map_err(|e| e.to_string())
}

/// Compiles and assembles the site.
pub fn build(tools: &Tools, release: bool, dist: &Path) -> Result<(), String> {
    compile(tools, release)?;
    assemble(tools, release, dist)
}

/// The stylesheet link, the preloads and the module script that starts the page.
const HEAD: &str = r#"<link rel="stylesheet" href="./style.css" />
    <link rel="modulepreload" href="./ganglion-www.js" />
    <link rel="preload" href="./ganglion-www_bg.wasm" as="fetch" type="application/wasm" crossorigin />
    <script type="module">
      import init from './ganglion-www.js';
      await init({ module_or_path: new URL('./ganglion-www_bg.wasm', import.meta.url) });
    </script>"#;

const MARKER: &str = "<!-- ganglion:head -->";

/// `www/index.html` with its marker replaced by [`HEAD`].
fn index_html(template: &str) -> Result<String, String> {
    if template.matches(MARKER).count() != 1 {
        return Err(format!("www/index.html must hold the marker {MARKER} once"));
    }
    Ok(template.replace(MARKER, HEAD))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_template_gets_its_module_once() {
        let template = std::fs::read_to_string(root().join("www/index.html")).expect("www/index.html");
        let html = index_html(&template).expect("one marker");
        assert_eq!(html.matches("import init from './ganglion-www.js'").count(), 1);
        assert!(!html.contains("data-trunk"), "nothing left for trunk");
        assert!(index_html("<head></head>").is_err());
    }

    #[test]
    fn every_copied_file_exists() {
        for (from, _) in COPIED {
            assert!(root().join(from).is_file(), "{from}");
        }
    }
}
