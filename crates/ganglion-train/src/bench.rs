//! Training steps timed one by one, for the benchmark rows measured where criterion
//! cannot run (a browser's worker, on WebGPU or burn's CPU device in wasm).
//!
//! Each step of a [`ganglion_models::workload`] is timed with its loss read back before
//! the clock stops (asynchronously, so WebGPU in a browser can run it), so the first
//! step's time includes what a cold start pays (shader compilation, the allocator's
//! first buffers) and the later ones show the warm speed.

use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::prelude::*;
use ganglion_data::DataError;
use ganglion_models::workload::{self, Workload};
pub use ganglion_models::workload::{KINDS, Kind};
use serde::{Deserialize, Serialize};
use web_time::Instant;

use crate::readback;

/// The times of one workload's steps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepTimes {
    /// The workload's name ([`Kind::name`]).
    pub workload: String,
    /// Neurons (GNN, MLP, GRU) or time steps per sequence (ELM, Branch-ELM).
    pub size: usize,
    /// Parameters that train.
    pub parameters: usize,
    /// Seconds to build the model and its data on the device.
    pub build_seconds: f64,
    /// Seconds of each step, in order (forward, backward, Adam, loss read back).
    pub step_seconds: Vec<f64>,
}

/// Builds `kind` at `size` on `device` and times `steps` optimiser steps.
pub async fn time_workload(kind: Kind, size: usize, steps: usize, device: &Device) -> Result<StepTimes, DataError> {
    if size == 0 || size > 2_000 || steps == 0 || steps > 10_000 {
        return Err(DataError::bad_request("a benchmark takes 1 to 2,000 neurons or steps, and 1 to 10,000 steps"));
    }
    let ad = device.clone().autodiff();
    let start = Instant::now();
    let (parameters, step_seconds) = match kind {
        Kind::Gnn => timed(workload::gnn(size, &ad), steps).await?,
        Kind::Mlp => timed(workload::mlp(size, &ad), steps).await?,
        Kind::Gru => timed(workload::gru(size, &ad), steps).await?,
        Kind::Elm => timed(workload::elm(false, size, &ad), steps).await?,
        Kind::BranchElm => timed(workload::elm(true, size, &ad), steps).await?,
    };
    let total = start.elapsed().as_secs_f64();
    let build_seconds = (total - step_seconds.iter().sum::<f64>()).max(0.0);
    Ok(StepTimes { workload: kind.name().to_owned(), size, parameters, build_seconds, step_seconds })
}

async fn timed<M: Module + Clone, L: Fn(&M) -> Tensor<1>>(
    workload: Workload<M, L>,
    steps: usize,
) -> Result<(usize, Vec<f64>), DataError> {
    let Workload { mut model, loss, parameters } = workload;
    let mut optimizer: ModuleOptimizer = AdamConfig::new().init();
    let mut seconds = Vec::with_capacity(steps);
    for _ in 0..steps {
        let start = Instant::now();
        let l = loss(&model);
        let grads = GradientsParams::from_grads(l.backward(), &model);
        model = optimizer.step(1e-3, model, grads);
        let value = readback::sum(l).await?;
        seconds.push(start.elapsed().as_secs_f64());
        if !value.is_finite() {
            return Err(DataError::device(format!(
                "the {} benchmark's loss became {value}",
                std::any::type_name::<M>()
            )));
        }
    }
    Ok((parameters, seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_workload_times_its_steps() {
        for (name, kind) in KINDS {
            let size = if kind.per_neuron() { 6 } else { 3 };
            let times = futures::executor::block_on(time_workload(kind, size, 2, &Device::flex())).expect("runs");
            assert_eq!((times.workload.as_str(), times.size), (name, size));
            assert_eq!(times.step_seconds.len(), 2);
            assert!(times.parameters > 0 && times.step_seconds.iter().all(|s| *s > 0.0));
        }
        let refused = futures::executor::block_on(time_workload(Kind::Gnn, 0, 2, &Device::flex()));
        assert_eq!(refused.expect_err("no neurons").code(), "bad_request");
    }
}
