//! Training steps timed one by one, for the benchmark rows measured where criterion
//! cannot run (a browser's worker, on WebGPU or burn's CPU device in wasm).
//!
//! Each of the first steps of a [`ganglion_models::workload`] is timed alone, with its
//! loss read back before the clock stops (asynchronously, so WebGPU in a browser can run
//! it), so the first step's time includes what a cold start pays (shader compilation,
//! the allocator's first buffers). The warm speed is then measured in samples of several
//! steps each, as criterion does natively: a browser's clock ticks in steps of 0.1 ms
//! (without cross-origin isolation), too coarse for steps that take a millisecond or
//! less, so each sample runs enough steps to last at least [`MIN_SAMPLE_SECONDS`], and
//! reads the loss back once, at its end.

use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::prelude::*;
use ganglion_data::DataError;
use ganglion_models::ModelKind;
use ganglion_models::workload::{self, Workload};
use serde::{Deserialize, Serialize};
use web_time::Instant;

use crate::readback;

/// The times of one workload's steps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepTimes {
    /// The workload's name ([`ModelKind::name`]).
    pub workload: String,
    /// Neurons (GNN, MLP, GRU) or time steps per sequence (ELM, Branch-ELM).
    pub size: usize,
    /// Parameters that train.
    pub parameters: usize,
    /// Seconds to build the model and its data on the device.
    pub build_seconds: f64,
    /// Seconds of each step timed alone, in order (forward, backward, Adam, loss read
    /// back).
    pub step_seconds: Vec<f64>,
    /// Warm samples after those: seconds per step, each the mean over
    /// `steps_per_sample` steps (empty when none were asked for).
    #[serde(default)]
    pub warm_step_seconds: Vec<f64>,
    /// Steps in each warm sample.
    #[serde(default)]
    pub steps_per_sample: usize,
}

/// The shortest warm sample: a hundred ticks of a browser's coarsest clock.
pub const MIN_SAMPLE_SECONDS: f64 = 0.01;

/// The most steps one warm sample runs, however short a step is.
const MAX_STEPS_PER_SAMPLE: usize = 10_000;

/// How many steps to time alone, and how many warm samples to take after them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// Steps timed one by one (the cold start, then the first warm steps).
    pub steps: usize,
    /// Warm samples of several steps each (0: none).
    pub samples: usize,
}

/// Builds `kind` at `size` on `device` and times its optimiser steps as `timing` says.
pub async fn time_workload(
    kind: ModelKind,
    size: usize,
    timing: Timing,
    device: &Device,
) -> Result<StepTimes, DataError> {
    let Timing { steps, samples } = timing;
    if size == 0 || size > 2_000 || steps == 0 || steps > 10_000 || samples > 1_000 {
        return Err(DataError::bad_request(
            "a benchmark takes 1 to 2,000 neurons or steps, 1 to 10,000 steps and at most 1,000 samples",
        ));
    }
    let ad = device.clone().autodiff();
    let start = Instant::now();
    let timed = match kind {
        ModelKind::Gnn => timed(workload::gnn(size, &ad), timing).await?,
        ModelKind::Mlp => timed(workload::mlp(size, &ad), timing).await?,
        ModelKind::Gru => timed(workload::gru(size, &ad), timing).await?,
        ModelKind::Elm => timed(workload::elm(false, size, &ad), timing).await?,
        ModelKind::BranchElm => timed(workload::elm(true, size, &ad), timing).await?,
    };
    let total = start.elapsed().as_secs_f64();
    let build_seconds = (total - timed.spent).max(0.0);
    Ok(StepTimes {
        workload: kind.name().to_owned(),
        size,
        parameters: timed.parameters,
        build_seconds,
        step_seconds: timed.single,
        warm_step_seconds: timed.warm,
        steps_per_sample: timed.per_sample,
    })
}

/// What [`timed`] measured.
struct Timed {
    parameters: usize,
    single: Vec<f64>,
    warm: Vec<f64>,
    per_sample: usize,
    /// Seconds spent in steps (the rest of the run built the workload).
    spent: f64,
}

/// A model under its loss with its optimiser.
struct Stepper<M: Module + Clone, L: Fn(&M) -> Tensor<1>> {
    model: Option<M>,
    loss: L,
    optimizer: ModuleOptimizer,
}

impl<M: Module + Clone, L: Fn(&M) -> Tensor<1>> Stepper<M, L> {
    /// Runs `count` steps and reads the last loss back; seconds per step.
    async fn run(&mut self, count: usize) -> Result<f64, DataError> {
        let start = Instant::now();
        let mut last = None;
        for _ in 0..count {
            let model = self.model.take().ok_or_else(|| DataError::device("a benchmark step lost its model"))?;
            let l = (self.loss)(&model);
            let grads = GradientsParams::from_grads(l.backward(), &model);
            self.model = Some(self.optimizer.step(1e-3, model, grads));
            last = Some(l);
        }
        let value = match last {
            Some(l) => readback::sum(l).await?,
            None => 0.0,
        };
        if !value.is_finite() {
            return Err(DataError::device(format!(
                "the {} benchmark's loss became {value}",
                std::any::type_name::<M>()
            )));
        }
        Ok(start.elapsed().as_secs_f64() / count.max(1) as f64)
    }
}

async fn timed<M: Module + Clone, L: Fn(&M) -> Tensor<1>>(
    workload: Workload<M, L>,
    timing: Timing,
) -> Result<Timed, DataError> {
    let Workload { model, loss, parameters } = workload;
    let mut stepper = Stepper { model: Some(model), loss, optimizer: AdamConfig::new().init() };
    let mut single = Vec::with_capacity(timing.steps);
    for _ in 0..timing.steps {
        single.push(stepper.run(1).await?);
    }
    // The fastest single step after the cold one sets how many steps fill a sample.
    let typical = single.iter().skip(1).copied().fold(f64::INFINITY, f64::min);
    let per_sample = if typical.is_finite() && typical > 0.0 {
        (MIN_SAMPLE_SECONDS / typical).ceil().clamp(1.0, MAX_STEPS_PER_SAMPLE as f64) as usize
    } else {
        100
    };
    let mut warm = Vec::with_capacity(timing.samples);
    for _ in 0..timing.samples {
        warm.push(stepper.run(per_sample).await?);
    }
    let spent = single.iter().sum::<f64>() + warm.iter().sum::<f64>() * per_sample as f64;
    Ok(Timed { parameters, single, warm, per_sample: if timing.samples > 0 { per_sample } else { 0 }, spent })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_workload_times_its_steps() {
        for (name, kind) in ganglion_models::MODEL_NAMES {
            let size = if workload::per_neuron(kind) { 6 } else { 3 };
            let timing = Timing { steps: 2, samples: 2 };
            let times = futures::executor::block_on(time_workload(kind, size, timing, &Device::flex())).expect("runs");
            assert_eq!((times.workload.as_str(), times.size), (name, size));
            assert_eq!((times.step_seconds.len(), times.warm_step_seconds.len()), (2, 2));
            assert!(
                times.parameters > 0 && times.step_seconds.iter().chain(&times.warm_step_seconds).all(|s| *s > 0.0)
            );
            // A sample is sized to last at least the minimum at the fastest warm single
            // step. (How long the samples then took depends on the machine's load: a
            // step twice as fast as the single ones failed this test once on CI's kind
            // of machine, so their duration is not asserted.)
            assert!(times.steps_per_sample >= 1);
            let fastest = times.step_seconds.iter().skip(1).copied().fold(f64::INFINITY, f64::min);
            assert!(
                times.steps_per_sample as f64 * fastest >= MIN_SAMPLE_SECONDS * (1.0 - 1e-12)
                    || times.steps_per_sample == MAX_STEPS_PER_SAMPLE,
                "{name}: {} steps of {fastest} s fill a sample of {MIN_SAMPLE_SECONDS} s",
                times.steps_per_sample
            );
        }
        let timing = Timing { steps: 2, samples: 0 };
        let refused = futures::executor::block_on(time_workload(ModelKind::Gnn, 0, timing, &Device::flex()));
        assert_eq!(refused.expect_err("no neurons").code(), "bad_request");
    }
}
