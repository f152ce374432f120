//! Tidy checks, run as ordinary tests: the docs and the CI entry point stay true.

use crate::tools::root;

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Backticked spans that look like repository paths.
fn named_paths(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| {
            !s.contains(' ') && (s.contains('/') || s.ends_with(".rs") || s.ends_with(".toml") || s.ends_with(".md"))
        })
        .filter(|s| !s.starts_with("~/") && !s.starts_with('$') && !s.contains("://"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_path_the_architecture_doc_names_exists() {
    let paths = named_paths(&read("ARCHITECTURE.md"));
    assert!(paths.len() > 10, "the code map names paths");
    for p in paths {
        assert!(root().join(&p).exists(), "ARCHITECTURE.md names {p}, which does not exist");
    }
}

/// The source folders whose modules the code map must name.
const SOURCE_ROOTS: [&str; 7] = [
    "crates/ganglion-data/src",
    "crates/ganglion-models/src",
    "crates/ganglion-train/src",
    "crates/ganglion-cli/src",
    "web/src",
    "www/src",
    "xtask/src",
];

/// Every file below `dir` (relative to the root).
fn files_below(dir: &str) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![root().join(dir)];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).expect("readable").flatten() {
            let path = entry.path();
            if path.is_dir() { stack.push(path) } else { found.push(path) }
        }
    }
    found
}

/// Every `.rs` file below `dir`, as a path relative to the root.
fn rust_files(dir: &str) -> Vec<String> {
    files_below(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .map(|p| p.strip_prefix(root()).expect("below the root").to_string_lossy().into_owned())
        .collect()
}

/// A module is named when ARCHITECTURE.md names its file, or a folder below the crate's
/// `src/` that holds it (`crates/ganglion-data/src/format/` covers its loaders); a
/// crate's `lib.rs` or `main.rs` is the crate itself.
#[test]
fn the_code_map_names_every_module() {
    let named = named_paths(&read("ARCHITECTURE.md"));
    let mut missing = Vec::new();
    for source in SOURCE_ROOTS {
        for file in rust_files(source) {
            let crate_root = [format!("{source}/lib.rs"), format!("{source}/main.rs")].contains(&file);
            let covered = named.iter().any(|n| {
                *n == file || (n.ends_with('/') && file.starts_with(n.as_str()) && n.trim_end_matches('/') != source)
            });
            if !crate_root && !covered {
                missing.push(file);
            }
        }
    }
    missing.sort();
    assert!(missing.is_empty(), "ARCHITECTURE.md's code map does not name {missing:?}");
}

#[test]
fn readme_opens_with_the_two_commands_and_ci_runs_the_test_one() {
    let readme = read("README.md");
    let block = readme.split("```").nth(1).expect("README has a code block");
    let commands: Vec<&str> = block
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .collect();
    assert_eq!(commands, ["cargo xtask demo", "cargo xtask test"]);
    assert!(readme.find("```").expect("block") < 20, "the commands open the README");
    let ci = read(".ci/run");
    assert!(ci.lines().any(|l| l.trim() == "cargo xtask test"), ".ci/run calls the README's test command");
}

#[test]
fn every_crate_opens_with_a_doc_comment() {
    for lib in ["crates/ganglion-data/src/lib.rs", "web/src/lib.rs", "www/src/main.rs", "xtask/src/main.rs"] {
        assert!(read(lib).starts_with("//!"), "{lib} must open with a //! doc comment");
    }
}

#[test]
fn crates_know_nothing_about_the_browser() {
    for path in files_below("crates") {
        if path.extension().is_some_and(|e| e == "rs") {
            // Code in crates/ has no platform switches and no browser bindings (the one
            // Cargo.toml line choosing getrandom's wasm backend is configuration).
            let text = std::fs::read_to_string(&path).expect("utf-8");
            for banned in ["web_sys", "wasm_bindgen", "js_sys", "target_arch"] {
                assert!(!text.contains(banned), "{} mentions {banned}", path.display());
            }
        } else if path.file_name().is_some_and(|n| n == "Cargo.toml") {
            let text = std::fs::read_to_string(&path).expect("utf-8");
            for banned in ["web-sys", "wasm-bindgen", "js-sys", "leptos"] {
                assert!(!text.contains(banned), "{} depends on {banned}", path.display());
            }
        }
    }
}
