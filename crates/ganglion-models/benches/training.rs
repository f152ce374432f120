//! Training steps per second of every model, on every device this machine has (flex on
//! the CPU; with the `wgpu` feature, wgpu where a Vulkan adapter exists, lavapipe on
//! machines without a GPU).
//!
//! One measured iteration is one optimiser step (forward, backward, Adam) on data
//! already on the device, the loss read back at the end of each sample so the device's
//! queue is drained. `benches/torch_models.py` times the identical architectures in
//! PyTorch, and `cargo xtask bench` puts both side by side as ratios.
//!
//! Fixed sizes (written into the report): the GNN, MLP and GRU see windows of
//! [`HISTORY`] frames, [`BATCH`] per step, at `GANGLION_BENCH_NEURONS` neurons
//! (default 20, 100 and 302); ELM and Branch-ELM run the published 1,278-input
//! configuration over `GANGLION_BENCH_ELM_STEPS` time steps (default 100), [`ELM_BATCH`]
//! sequences per step. `GANGLION_BENCH_QUICK` shortens warm-up and measurement to a
//! few steps (the test command's smoke run). `GANGLION_BENCH_OUT`, when set, names a
//! folder that receives `params.json` (every model's parameter count, which the PyTorch
//! script must match) and `sizes.json` (the sizes above and the devices measured).

use std::time::{Duration, Instant};

use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::prelude::*;
use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use ganglion_models::workload::{self, BATCH, ELM_BATCH, ELM_INPUTS, HISTORY, Workload};

/// Whether criterion only tests the benchmarks (`cargo test`) rather than measuring them.
fn testing() -> bool {
    !std::env::args().any(|a| a == "--bench")
}

/// Time steps per ELM sequence.
fn elm_steps() -> usize {
    let default = if testing() { 10 } else { 100 };
    std::env::var("GANGLION_BENCH_ELM_STEPS").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn quick() -> bool {
    std::env::var_os("GANGLION_BENCH_QUICK").is_some()
}

fn neuron_counts() -> Vec<usize> {
    std::env::var("GANGLION_BENCH_NEURONS")
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .unwrap_or_else(|| if testing() { vec![20] } else { vec![20, 100, 302] })
}

/// The devices to measure: flex always, wgpu when it is built in and an adapter opens.
fn devices() -> Vec<(&'static str, Device)> {
    #[allow(unused_mut)]
    let mut devices = vec![("flex", Device::flex())];
    #[cfg(feature = "wgpu")]
    match std::panic::catch_unwind(|| Device::wgpu_options().init()) {
        Ok(Ok(gpu)) => devices.push(("wgpu", gpu)),
        Ok(Err(e)) => eprintln!("wgpu skipped: no adapter ({e})"),
        Err(_) => eprintln!("wgpu skipped: opening an adapter panicked"),
    }
    devices
}

/// Times `iters` optimiser steps of `model` under `loss`, reading the last loss back.
fn time_steps<M: Module + Clone>(model: &mut Option<M>, iters: u64, loss: &impl Fn(&M) -> Tensor<1>) -> Duration {
    let mut optimizer: ModuleOptimizer = AdamConfig::new().init();
    let start = Instant::now();
    let mut last = None;
    for _ in 0..iters {
        let m = model.take().expect("the model is put back after every step");
        let l = loss(&m);
        let grads = GradientsParams::from_grads(l.backward(), &m);
        *model = Some(optimizer.step(1e-3, m, grads));
        last = Some(l);
    }
    if let Some(l) = last {
        let _ = l.into_scalar::<f32>();
    }
    start.elapsed()
}

/// Benchmarks `id` unless one probe step fails on this device (a buffer over the
/// adapter's limits, say), which is noted in `skipped` instead.
fn bench_model<M: Module + Clone, L: Fn(&M) -> Tensor<1>>(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    params: &mut Params,
    skipped: &mut Vec<String>,
    id: String,
    workload: Workload<M, L>,
) {
    let Workload { model, loss, parameters } = workload;
    let loss = &loss;
    params.note(id.rsplit_once('-').map_or(&id, |(model, _)| model), parameters);
    let mut model = Some(model);
    let probe = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| time_steps(&mut model, 1, loss)));
    if probe.is_err() || model.is_none() {
        eprintln!("{id} skipped: one step failed on this device");
        skipped.push(id);
        return;
    }
    group.bench_function(id, |b| b.iter_custom(|iters| time_steps(&mut model, iters, loss)));
}

/// Parameter counts, written for the PyTorch script to check against.
#[derive(Default)]
struct Params(Vec<(String, usize)>);

impl Params {
    fn note(&mut self, id: &str, count: usize) {
        if !self.0.iter().any(|(k, _)| k == id) {
            self.0.push((id.to_owned(), count));
        }
    }

    fn write(&self, devices: &[(&str, Device)], skipped: &[String]) {
        let Ok(dir) = std::env::var("GANGLION_BENCH_OUT") else { return };
        let params: serde_json::Map<String, serde_json::Value> =
            self.0.iter().map(|(k, v)| (k.clone(), (*v).into())).collect();
        let sizes = serde_json::json!({
            "history": HISTORY, "batch": BATCH, "elm_steps": elm_steps(), "elm_batch": ELM_BATCH,
            "elm_inputs": ELM_INPUTS, "neurons": neuron_counts(),
            "devices": devices.iter().map(|(name, _)| *name).collect::<Vec<_>>(),
            "skipped": skipped,
        });
        let write = |name: &str, value: serde_json::Value| {
            let path = std::path::Path::new(&dir).join(name);
            if let Err(e) = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, value.to_string())) {
                eprintln!("could not write {}: {e}", path.display());
            }
        };
        write("params.json", serde_json::Value::Object(params));
        write("sizes.json", sizes);
    }
}

fn training(c: &mut Criterion) {
    let devices = devices();
    let mut params = Params::default();
    let mut skipped = Vec::new();
    let mut group = c.benchmark_group("train-step");
    group.sampling_mode(SamplingMode::Flat).sample_size(10).warm_up_time(Duration::from_secs(2));
    if quick() {
        group.warm_up_time(Duration::from_millis(1)).measurement_time(Duration::from_millis(1));
    }
    for (device_name, base) in &devices {
        let device = base.clone().autodiff();
        for &n in &neuron_counts() {
            // The GNN (encoder and decoder; forecasting) and the baselines on the same windows.
            bench_model(
                &mut group,
                &mut params,
                &mut skipped,
                format!("gnn-{n}-{device_name}"),
                workload::gnn(n, &device),
            );
            bench_model(
                &mut group,
                &mut params,
                &mut skipped,
                format!("mlp-{n}-{device_name}"),
                workload::mlp(n, &device),
            );
            bench_model(
                &mut group,
                &mut params,
                &mut skipped,
                format!("gru-{n}-{device_name}"),
                workload::gru(n, &device),
            );
        }
        // ELM and Branch-ELM, the published NeuronIO configuration.
        for (id, branched) in [("elm", false), ("branch-elm", true)] {
            let id = format!("{id}-{ELM_INPUTS}-{device_name}");
            bench_model(&mut group, &mut params, &mut skipped, id, workload::elm(branched, elm_steps(), &device));
        }
    }
    group.finish();
    params.write(&devices, &skipped);
}

criterion_group!(benches, training);
criterion_main!(benches);
