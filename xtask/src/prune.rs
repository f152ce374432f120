//! Keeps the build cache from filling the disk.
//!
//! A debug test binary of this workspace is about a gigabyte (burn, wgpu and their debug
//! information), and every change to a crate links a new one under a new hash while the
//! old one stays. With the cache kept outside the clone between runs, dozens of stale
//! binaries filled a 64 GB disk in a few days. Before the test command builds, and again
//! once it has linked the workspace's tests, this removes in each `deps` folder of the
//! cache all but the two newest linked artefacts (executables or `.wasm`) of each name:
//! two, because a binary crate's program and its unit-test harness share a name (the
//! CLI's `ganglion-<hash>` twice). Anything removed that is still wanted, cargo relinks.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The cargo target folder the commands of this process use.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| crate::tools::root().join("target"), PathBuf::from)
}

/// How many linked artefacts of one name are kept (the newest).
const KEEP: usize = 2;

/// Removes stale linked artefacts under `target`; the bytes freed.
pub fn stale_binaries(target: &Path) -> u64 {
    let folders =
        ["debug/deps", "release/deps", "wasm32-unknown-unknown/debug/deps", "wasm32-unknown-unknown/release/deps"];
    folders.iter().map(|f| prune_folder(&target.join(f))).sum()
}

/// A linked artefact: `name-<16 hex digits>` with no extension, or with `.wasm`.
fn artefact_name(path: &Path) -> Option<String> {
    let file = path.file_name()?.to_str()?;
    let stem = file.strip_suffix(".wasm").unwrap_or(file);
    if stem.contains('.') {
        return None;
    }
    let (name, hash) = stem.rsplit_once('-')?;
    let linked = file.ends_with(".wasm") || is_executable(path);
    (hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()) && linked).then(|| name.to_owned())
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata().is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "exe")
}

fn prune_folder(folder: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(folder) else { return 0 };
    let mut by_name: HashMap<String, Vec<(SystemTime, PathBuf, u64)>> = HashMap::new();
    for path in entries.flatten().map(|e| e.path()) {
        let Some(name) = artefact_name(&path) else { continue };
        let Ok(meta) = path.metadata() else { continue };
        let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
        by_name.entry(name).or_default().push((modified, path, meta.len()));
    }
    let mut freed = 0;
    for mut versions in by_name.into_values() {
        versions.sort_by_key(|v| std::cmp::Reverse(v.0));
        for (_, path, bytes) in versions.into_iter().skip(KEEP) {
            if std::fs::remove_file(&path).is_ok() {
                freed += bytes;
            }
        }
    }
    freed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_copies_older_than_the_newest_two_go() {
        let dir = std::env::temp_dir().join(format!("ganglion-prune-{}", std::process::id()));
        let deps = dir.join("debug/deps");
        std::fs::create_dir_all(&deps).expect("temp folder");
        let write = |name: &str, executable: bool| {
            let path = deps.join(name);
            std::fs::write(&path, b"x").expect("write");
            #[cfg(unix)]
            if executable {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        write("study-0123456789abcdef", true);
        write("study-0123456789abcdef.d", false);
        write("libburn-0123456789abcdef.rlib", false);
        write("libburn-fedcba9876543210.rlib", false);
        write("libburn-00000000000000aa.rlib", false);
        write("wasm-0123456789abcdef.wasm", false);
        write("study-00000000000000aa", true);
        write("wasm-00000000000000aa.wasm", false);
        write("study-fedcba9876543210", true);
        write("wasm-fedcba9876543210.wasm", false);
        let freed = stale_binaries(&dir);
        let left: Vec<String> = {
            let mut v: Vec<String> = std::fs::read_dir(&deps)
                .expect("list")
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            v.sort();
            v
        };
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(freed, 2);
        assert_eq!(
            left,
            [
                "libburn-00000000000000aa.rlib",
                "libburn-0123456789abcdef.rlib",
                "libburn-fedcba9876543210.rlib",
                "study-00000000000000aa",
                "study-0123456789abcdef.d",
                "study-fedcba9876543210",
                "wasm-00000000000000aa.wasm",
                "wasm-fedcba9876543210.wasm"
            ]
        );
    }
}
