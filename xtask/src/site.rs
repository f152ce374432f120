//! The static demo site, built without trunk: a `cargo build` for wasm32 of the worker
//! (with WebGPU) and one of the page (without: `web/Cargo.toml` says why), which lint
//! every browser crate as they compile, the wasm-bindgen CLI on the two binaries, and the
//! files of `www/` and `web/js/` copied beside them. Trunk did the same and took 12 minutes to install from source on a cold
//! machine, for a build that is only these steps.
//!
//! The site folder holds `index.html` (from `www/index.html`, whose `<!-- ganglion:head -->`
//! marker says where the stylesheet and the page's module go), `style.css`,
//! `ganglion-www.js` + `ganglion-www_bg.wasm` (the page), `ganglion-worker.js` +
//! `ganglion-worker_bg.wasm` (the worker; `worker.js` starts it, for the page and the npm
//! package alike), `ganglion.js` (the package's module) and the embed pages. Every path
//! is relative, so the folder works under any sub-path of any static host. The release
//! site (`--release`: LTO, one codegen unit, no debug info) also goes through wasm-opt and
//! gets a `.br` and a `.gz` beside each file.

use std::path::{Path, PathBuf};

use crate::prune::target_dir;
use crate::tools::{Tools, root, run};

/// The worker's build: its binary with WebGPU, and with it every crate of `crates/` that
/// compiles for the browser.
const WORKER_BUILD: [&str; 6] = ["-p", "ganglion-web", "--features", "ganglion-web/webgpu", "--bin", "ganglion-worker"];

/// The page's build, in an invocation of its own so that cargo does not unify the
/// worker's `webgpu` feature into it (`web/Cargo.toml` says why).
const PAGE_BUILD: [&str; 2] = ["-p", "ganglion-www"];

/// The two wasm binaries the site serves; wasm-bindgen names its output after each.
const BINARIES: [&str; 2] = ["ganglion-www", "ganglion-worker"];

/// Files copied unchanged: (source relative to the root, name in the site).
const COPIED: [(&str, &str); 8] = [
    ("www/style.css", "style.css"),
    ("www/embed.html", "embed.html"),
    ("www/embed-howto.html", "embed-howto.html"),
    ("web/js/ganglion.js", "ganglion.js"),
    ("web/js/api.js", "api.js"),
    ("web/js/elements.js", "elements.js"),
    ("web/js/drawing.js", "drawing.js"),
    ("web/js/worker.js", "worker.js"),
];

/// Where the debug site goes (`cargo xtask demo` serves it).
pub fn dev_dist() -> PathBuf {
    root().join("target/www-dist")
}

/// Where the release site goes: what the e2e tests serve, the npm package ships and the
/// browser benchmark measures.
pub fn release_dist() -> PathBuf {
    root().join("target/www-release")
}

/// Compiles the worker and the page for wasm32 (debug or release), each in its own cargo
/// invocation; clippy lints the workspace's own crates as they compile
/// (`.cargo/config.toml`).
fn compile(tools: &Tools, release: bool) -> Result<(), String> {
    for build in [&WORKER_BUILD[..], &PAGE_BUILD[..]] {
        let mut cargo = tools.command("cargo");
        cargo.args(["build", "--target", "wasm32-unknown-unknown"]).args(build);
        if release {
            cargo.arg("--release");
        }
        run(&mut cargo)?;
    }
    Ok(())
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

/// Compiles and assembles the site; a release site is then optimised by wasm-opt and
/// precompressed ([`crate::release`]).
pub fn build(tools: &Tools, release: bool, dist: &Path) -> Result<(), String> {
    compile(tools, release)?;
    assemble(tools, release, dist)?;
    if release { crate::release::finish(dist) } else { Ok(()) }
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
