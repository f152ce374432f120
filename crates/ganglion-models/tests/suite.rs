//! Every integration test of ganglion-models in one test binary: each linked burn, and
//! linking them was the slowest part of a cold build.

// Needs native wgpu: `cargo test -p ganglion-models --features wgpu --test suite devices`.
#[cfg(feature = "wgpu")]
mod devices;
mod elm_lif;
mod highway;
mod reference;

/// Held by tests that draw initial weights: the device's generator is shared by the
/// tests of this binary running in parallel, so a seeded test draws its own numbers.
pub fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
