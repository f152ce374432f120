//! A single-memory-unit ELM with no hidden layer fits a leaky integrator (the
//! subthreshold membrane of a leaky integrate-and-fire neuron) driven by random spikes:
//! the first sanity check of elm.md.

use burn::optim::{AdamConfig, GradientsParams};
use burn::prelude::*;
use ganglion_models::ElmConfig;

const INPUTS: usize = 8;
const STEPS: usize = 60;

/// Random spike trains `[batch, STEPS, INPUTS]` and the membrane they drive.
fn lif_data(batch: usize, seed: u64) -> (Vec<f32>, Vec<f32>) {
    let weights = [0.6f32, -0.4, 0.3, 0.5, -0.2, 0.4, 0.1, -0.5];
    let decay = (-1.0f32 / 8.0).exp(); // membrane time constant of 8 steps
    let mut state = seed;
    let mut spikes = vec![0.0f32; batch * STEPS * INPUTS];
    let mut membrane = vec![0.0f32; batch * STEPS];
    for b in 0..batch {
        let mut v = 0.0f32;
        for t in 0..STEPS {
            let mut input = 0.0;
            for (i, w) in weights.iter().enumerate() {
                state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                if (state >> 33) % 100 < 15 {
                    spikes[(b * STEPS + t) * INPUTS + i] = 1.0;
                    input += w;
                }
            }
            v = decay * v + input;
            membrane[b * STEPS + t] = v;
        }
    }
    (spikes, membrane)
}

#[test]
fn one_memory_unit_fits_a_leaky_integrator() {
    let _serial = crate::one_at_a_time();
    let device = Device::flex();
    let ad = device.clone().autodiff();
    ad.seed(1); // the initial memory time constant is drawn at random: fix it
    let config = ElmConfig::new(INPUTS, 1).with_num_memory(1).with_mlp_num_layers(0).with_memory_tau_max(20.0);
    let mut model = config.init(&ad);
    let mut optimizer = AdamConfig::new().init();
    for step in 0..600u64 {
        let (x, y) = lif_data(16, step);
        let x = Tensor::<3>::from_data(TensorData::new(x, [16, STEPS, INPUTS]), &ad);
        let y = Tensor::<3>::from_data(TensorData::new(y, [16, STEPS, 1]), &ad);
        let loss = (model.forward(x) - y).powi_scalar(2).mean();
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        model = optimizer.step(1e-2, model, grads);
    }
    let model = model.valid();
    let (x, y) = lif_data(32, 99_999);
    let predicted: Vec<f32> = model
        .forward(Tensor::from_data(TensorData::new(x, [32, STEPS, INPUTS]), &device))
        .into_data()
        .iter::<f32>()
        .collect();
    let mean = y.iter().sum::<f32>() / y.len() as f32;
    let sst: f32 = y.iter().map(|v| (v - mean).powi(2)).sum();
    let sse: f32 = y.iter().zip(&predicted).map(|(a, b)| (a - b).powi(2)).sum();
    let r2 = 1.0 - sse / sst;
    println!("ELM (1 memory unit) fits the leaky integrator with R2 {r2:.4} on unseen spike trains");
    assert!(r2 > 0.95, "R2 {r2}");
}
