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
                *n == file || (n.ends_with('/') && file.starts_with(n.as_str()) && n.starts_with(&format!("{source}/")))
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

/// Every library crate documents every public item (the compiler checks it).
#[test]
fn every_library_crate_denies_missing_docs() {
    for source in SOURCE_ROOTS {
        let lib = format!("{source}/lib.rs");
        if root().join(&lib).exists() {
            assert!(read(&lib).contains("#![deny(missing_docs)]"), "{lib} must say #![deny(missing_docs)]");
        }
    }
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

/// A crate's top-level module that `file` (below `source`) belongs to; `None` for the
/// crate root, which only declares and re-exports.
fn top_module(source: &str, file: &str) -> Option<String> {
    let inner = file.strip_prefix(source)?.trim_start_matches('/');
    let first = inner.split('/').next()?.trim_end_matches(".rs");
    (!matches!(first, "lib" | "main")).then(|| first.to_owned())
}

/// The top-level modules a file's code names through `crate::` (its tests and its
/// comments left out: a doc link is not a dependency), grouped `use crate::{a, b::c}`
/// paths included, on one line or several.
fn crate_references(text: &str) -> Vec<String> {
    let code = text.split("#[cfg(test)]\nmod tests").next().unwrap_or(text);
    let code: Vec<&str> =
        code.lines().filter(|l| !l.trim_start().starts_with("//")).map(|l| l.split("//").next().unwrap_or(l)).collect();
    let code = code.join("\n");
    let mut found = Vec::new();
    for after in code.split("crate::").skip(1) {
        if let Some(group) = after.strip_prefix('{') {
            let mut depth = 0;
            let mut start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if start && (c.is_alphanumeric() || c == '_') => {
                        let word: String =
                            group[i..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                        found.push(word);
                        start = false;
                    }
                    _ if c.is_whitespace() => {}
                    _ => start = false,
                }
            }
        } else {
            found.push(after.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect());
        }
    }
    found
}

/// Every use points down: within each crate, no two top-level modules reach each other
/// through `crate::` paths ([`crate_references`]), directly or around a longer loop.
#[test]
fn no_crate_has_an_import_circle() {
    let mut circles = Vec::new();
    for source in SOURCE_ROOTS {
        let files = rust_files(source);
        let modules: std::collections::BTreeSet<String> = files.iter().filter_map(|f| top_module(source, f)).collect();
        let mut edges: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> = Default::default();
        for file in &files {
            let Some(from) = top_module(source, file) else { continue };
            for to in crate_references(&read(file)).into_iter().filter(|n| modules.contains(n) && *n != from) {
                edges.entry(from.clone()).or_default().insert(to);
            }
        }
        // Depth-first search for a back edge; the path so far names the circle.
        fn visit(
            m: &str,
            edges: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
            path: &mut Vec<String>,
            done: &mut std::collections::BTreeSet<String>,
        ) -> Option<Vec<String>> {
            if let Some(at) = path.iter().position(|p| p == m) {
                let mut circle = path[at..].to_vec();
                circle.push(m.to_owned());
                return Some(circle);
            }
            if !done.insert(m.to_owned()) {
                return None;
            }
            path.push(m.to_owned());
            for next in edges.get(m).into_iter().flatten() {
                if let Some(c) = visit(next, edges, path, done) {
                    return Some(c);
                }
            }
            path.pop();
            None
        }
        for m in &modules {
            if let Some(circle) = visit(m, &edges, &mut Vec::new(), &mut Default::default()) {
                circles.push(format!("{source}: {}", circle.join(" -> ")));
            }
        }
    }
    circles.sort();
    circles.dedup();
    assert!(circles.is_empty(), "modules that import each other in a circle: {circles:#?}");
}

#[test]
fn the_circle_finder_reads_grouped_and_nested_paths() {
    let text = "use crate::{alpha, beta::Gamma, delta::{x, y}};\nfn f() { crate::eps::go(); }\n/// [`crate::zeta`]\n\
                use crate::{\n    eta::{A, B},\n    // theta\n    iota,\n};\n";
    assert_eq!(crate_references(text), ["alpha", "beta", "delta", "eps", "eta", "iota"]);
}

/// Source files a newcomer reads whole: none over 400 lines.
#[test]
fn no_source_file_is_over_400_lines() {
    let mut long = Vec::new();
    for source in SOURCE_ROOTS.iter().chain(&[
        "web/js",
        "tests/e2e/specs",
        "tests/e2e/support",
        "tests/e2e/bench",
        "benches",
        "python",
        "tests/notebook",
    ]) {
        let dir = root().join(source);
        if !dir.exists() {
            continue;
        }
        for path in files_below(source) {
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if matches!(ext, "rs" | "js" | "ts" | "py") {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                // Generated files (web/js/wire.d.ts) are read through their sources.
                let generated = text.starts_with("// Generated");
                let lines = text.lines().count();
                if lines > 400 && !generated {
                    long.push(format!("{} ({lines})", path.strip_prefix(root()).unwrap_or(&path).display()));
                }
            }
        }
    }
    long.sort();
    assert!(long.is_empty(), "over 400 lines: {long:?}");
}
