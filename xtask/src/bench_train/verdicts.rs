//! The report's verdicts in words: each goal against its measured ratios, and why a goal
//! is missed as far as it was measured (the machine, the libraries).

use std::fmt::Write as _;
use std::path::Path;

use super::Report;

impl Report {
    /// Why goals are missed: what the machine and the libraries do, as far as it was
    /// measured (the numbers stay in the tables above).
    pub(super) fn why(&self, native_misses: bool) -> String {
        let mut md = String::new();
        let gpu_rows = self.devices.iter().any(|d| d == "wgpu" || d.contains("WebGPU"));
        if gpu_rows && !has_gpu() {
            md.push_str(
                "\n**Why, GPU columns.** This machine has no GPU (no `/dev/nvidiactl`, `/dev/kfd` or \
                 `/dev/dri/renderD128`): native wgpu runs on lavapipe and Chromium's WebGPU on SwiftShader, both \
                 Vulkan/WebGPU implemented on the CPU. Those columns measure the emulators (every kernel launch \
                 is a CPU-side dispatch), not ganglion on a GPU; on a machine with one, the same command measures \
                 the real device.\n",
            );
        }
        if native_misses && let Some(threads) = self.torch_threads.filter(|&n| n > 1) {
            let _ = writeln!(
                md,
                "\n**Why, native CPU.** PyTorch split each operation over {threads} threads; burn's CPU device \
                 (flex) runs each operation on one (its `rayon` feature, tried on 2026-11-27, moved no row by \
                 more than the spread: its element-wise kernels stay single-threaded). The GNN's step is a few \
                 dozen element-wise passes over the encoder's `[1, N, N, 16]` pair features (a third of them \
                 ELU's, forward and backward, where PyTorch runs one fused kernel), bound by memory bandwidth, \
                 so on the GNN ganglion does on one core what PyTorch does on {threads}. What was \
                 ganglion's own cost is gone: glibc's allocator had `mmap`ed and zeroed those tensors afresh \
                 every step (now mimalloc; the GNN's step halved) and the ELM's loop had built a full-size zero \
                 gradient for every time step (now weighted step by step; Branch-ELM 6x faster)."
            );
        }
        // wasm against native, split by how long a step takes natively.
        let wasm = crate::bench_browser::BACKENDS[0].1;
        let (mut small, mut large) = (Vec::new(), Vec::new());
        for r in &self.rows {
            let (Some(native), Some(w)) = (r.ganglion.get("flex"), r.ganglion.get(wasm)) else { continue };
            let ratio = native.median / w.median;
            if native.median < 1e-3 {
                small.push(ratio);
            } else if native.median > 1e-2 {
                large.push(ratio);
            }
        }
        let range = |v: &[f64]| {
            let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = v.iter().copied().fold(0.0, f64::max);
            format!("{lo:.2}-{hi:.2}x")
        };
        if !small.is_empty() && !large.is_empty() {
            let _ = writeln!(
                md,
                "\n**Why, wasm CPU.** Steps that take over 10 ms natively (the GNN at larger sizes, the ELMs) run \
                 in Chromium's wasm at {} of native speed; steps under a millisecond natively (a few dozen \
                 operations on small tensors: the MLP and GRU) at {}. So the gap is in what each operation costs \
                 however small it is, not in arithmetic (wasm also has only 128-bit SIMD, no run-time choice of \
                 AVX kernels, and one thread). Not profiled further yet.",
                range(&large),
                range(&small)
            );
        }
        md
    }

    /// ganglion on `ours` against the peer on `theirs`, row by row, and whether every
    /// ratio reaches `floor`.
    pub(super) fn against(&self, ours: &str, theirs: &str, goal: &str, floor: f64) -> Option<String> {
        let ratios: Vec<String> = self
            .rows
            .iter()
            .filter_map(|r| Some((r.id.clone(), r.ganglion.get(theirs)?.median / r.ganglion.get(ours)?.median)))
            .map(|(id, r)| format!("{id} {r:.2}x{}", if r < floor { " (not met)" } else { "" }))
            .collect();
        (!ratios.is_empty())
            .then(|| format!("\nganglion on {ours} against {theirs} (goal: {goal}): {}.\n", ratios.join(", ")))
    }

    /// The goal that the wasm CPU path is within 2x of the same code natively (flex).
    pub(super) fn wasm_against_native(&self) -> Option<String> {
        let wasm = crate::bench_browser::BACKENDS[0].1;
        let ratios: Vec<(String, f64)> = self
            .rows
            .iter()
            .filter_map(|r| Some((r.id.clone(), r.ganglion.get("flex")?.median / r.ganglion.get(wasm)?.median)))
            .collect();
        if ratios.is_empty() {
            return None;
        }
        let slow: Vec<String> =
            ratios.iter().filter(|(_, r)| *r < 0.5).map(|(id, r)| format!("{id} ({r:.2}x)")).collect();
        let listed: Vec<String> = ratios.iter().map(|(id, r)| format!("{id} {r:.2}x")).collect();
        Some(format!(
            "\nwasm CPU in Chromium against native flex (same workloads; 1 = as fast): {}. Goal (within 2x): {}.\n",
            listed.join(", "),
            if slow.is_empty() { "met".to_owned() } else { format!("not met by {}", slow.join(", ")) }
        ))
    }
}

/// Whether the machine shows a GPU device node (NVIDIA, AMD's compute node, or a DRM
/// render node).
fn has_gpu() -> bool {
    ["/dev/nvidiactl", "/dev/kfd", "/dev/dri/renderD128"].iter().any(|p| Path::new(p).exists())
}
