//! Pinned tool installation into a cache outside the clone.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root (xtask lives one level below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Where tools and the Python environment are cached.
pub fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("GANGLION_CACHE") {
        return PathBuf::from(dir);
    }
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("/tmp"), PathBuf::from);
    home.join(".cache/ganglion")
}

/// A command as a person would type it (without the environment we add).
pub fn shown(command: &Command) -> String {
    let mut words = vec![command.get_program().to_string_lossy().into_owned()];
    words.extend(command.get_args().map(|a| a.to_string_lossy().into_owned()));
    words.join(" ")
}

/// Runs a command (in the repository root unless it names a folder), echoing it, and
/// turns failure into a message.
pub fn run(command: &mut Command) -> Result<(), String> {
    let shown = shown(command);
    println!("$ {shown}");
    if command.get_current_dir().is_none() {
        command.current_dir(root());
    }
    let status = command.status().map_err(|e| format!("could not start {shown}: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("{shown} failed ({status})")) }
}

/// Runs `command` in the repository root and returns its standard output.
pub fn output(command: &mut Command) -> Result<String, String> {
    let shown = shown(command);
    println!("$ {shown}");
    let out = command.current_dir(root()).output().map_err(|e| format!("{shown}: {e}"))?;
    if !out.status.success() {
        return Err(format!("{shown} failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    String::from_utf8(out.stdout).map_err(|e| e.to_string())
}

/// The installed tool folders, put in front of PATH for every command.
pub struct Tools {
    path: String,
}

impl Tools {
    /// The wasm32 target, rustfmt, clippy and the wasm-bindgen CLI matching Cargo.lock
    /// (it makes the site's JavaScript glue and runs the wasm tests in Node.js).
    pub fn ensure_web() -> Result<Self, String> {
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
        run(Command::new("rustup").args(["component", "add", "rustfmt", "clippy"]))?;
        let wasm_bindgen = locked_version("wasm-bindgen")?;
        let bindgen_bin = install("wasm-bindgen-cli", &wasm_bindgen)?;
        let old = std::env::var("PATH").unwrap_or_default();
        Ok(Tools { path: format!("{}:{old}", bindgen_bin.display()) })
    }

    /// A command with the tools on its PATH.
    pub fn command(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        c.env("PATH", &self.path);
        c
    }
}

/// The executable `cargo test --workspace` builds for the target `name` of `kind`
/// ("bench", "test"), built now if it is not yet: the test command's smoke runs use these
/// debug builds, so they compile nothing of their own.
pub fn test_executable(kind: &str, name: &str) -> Result<PathBuf, String> {
    let mut build = Command::new("cargo");
    build.args(["test", "--workspace", "--no-run", "--message-format=json-render-diagnostics"]);
    output(&mut build)?
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["target"]["name"] == name && m["target"]["kind"][0] == kind)
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .ok_or_else(|| format!("cargo test built no {kind} {name}"))
}

/// Debian's packages: Chromium for the browser tests (the e2e harness drives
/// /usr/bin/chromium) and, with `lavapipe`, Mesa's Vulkan drivers, whose lavapipe gives
/// native wgpu a device on machines without a GPU (the full benchmark's wgpu rows; the
/// test command builds no native wgpu).
pub fn ensure_system_packages(lavapipe: bool) -> Result<(), String> {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
    let has_lavapipe = std::fs::read_dir("/usr/share/vulkan/icd.d")
        .map(|d| d.flatten().any(|e| e.file_name().to_string_lossy().starts_with("lvp_icd")))
        .unwrap_or(false);
    let mut missing = Vec::new();
    if !Path::new(&chromium).exists() {
        missing.push("chromium");
    }
    if lavapipe && !has_lavapipe {
        missing.push("mesa-vulkan-drivers");
    }
    if missing.is_empty() {
        return Ok(());
    }
    let sudo = |args: &[&str]| {
        let is_root = Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0"));
        let mut c = if is_root { Command::new(args[0]) } else { Command::new("sudo") };
        c.args(if is_root { &args[1..] } else { args });
        c.env("DEBIAN_FRONTEND", "noninteractive");
        c
    };
    run(&mut sudo(&["apt-get", "update", "-qq"]))?;
    let mut install = vec!["apt-get", "install", "-y", "-qq"];
    install.extend(&missing);
    run(&mut sudo(&install)).map_err(|e| format!("{e}; install Debian's {} package(s)", missing.join(" and ")))
}

/// `cargo install`s `krate` at `version` into its own folder unless it is there.
fn install(krate: &str, version: &str) -> Result<PathBuf, String> {
    let dir = cache_dir().join("tools").join(format!("{krate}-{version}"));
    let bin = dir.join("bin");
    if bin.is_dir() && std::fs::read_dir(&bin).map(|mut d| d.next().is_some()).unwrap_or(false) {
        return Ok(bin);
    }
    let mut c = Command::new("cargo");
    // Without --locked: wasm-bindgen-cli's own lock file fails to build with our toolchain.
    c.args(["install", krate, "--version", version, "--root"]).arg(&dir);
    // Build the tool in its own target folder so it does not churn the project's.
    c.env("CARGO_TARGET_DIR", cache_dir().join("tool-build"));
    run(&mut c)?;
    Ok(bin)
}

/// The version of `package` that Cargo.lock pins.
fn locked_version(package: &str) -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let needle = format!("name = \"{package}\"\nversion = \"");
    let start = lock.find(&needle).ok_or_else(|| format!("{package} is not in Cargo.lock"))? + needle.len();
    let end = lock[start..].find('"').ok_or("Cargo.lock is malformed")?;
    Ok(lock[start..start + end].to_owned())
}
