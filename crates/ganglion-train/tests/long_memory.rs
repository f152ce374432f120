//! The ELM neuron against a GRU of similar size on the delayed-cue task
//! ([`ganglion_train::long_memory`]): which of two spike patterns was shown, asked 200
//! steps after it ended. Both train for the same 150 Adam steps of 32 trials; scored on
//! trials never seen in training; chance is 0.5.

use burn::optim::{AdamConfig, GradientsParams};
use burn::prelude::*;
use burn::tensor::loss::cross_entropy_with_logits;
use ganglion_models::{Elm, ElmConfig, WindowGru, WindowGruConfig};
use ganglion_train::long_memory::DelayedCue;

const CHANNELS: usize = 16;
const BATCH: usize = 32;

fn batch(task: &DelayedCue, size: usize, seed: u64, device: &Device) -> (Tensor<3>, Tensor<1, Int>) {
    let (spikes, labels) = task.trials(size, seed);
    let x = Tensor::from_data(TensorData::new(spikes, [size, task.steps(), CHANNELS]), device);
    let y = Tensor::from_data(TensorData::new(labels.iter().map(|&l| i64::from(l)).collect(), [size]), device);
    (x, y)
}

/// Trains `model` (`answer`: spikes `[B, T, C]` -> logits `[B, classes]`) with Adam and
/// returns its accuracy on 256 fresh trials.
fn accuracy_after_training<M: Module + Clone>(
    task: &DelayedCue,
    model: M,
    answer: impl Fn(&M, Tensor<3>) -> Tensor<2>,
    steps: u64,
    lr: f64,
    ad: &Device,
) -> f64 {
    let mut model = model;
    let mut optimizer = AdamConfig::new().init();
    for step in 0..steps {
        let (x, y) = batch(task, BATCH, step, ad);
        let logits = answer(&model, x);
        let loss = cross_entropy_with_logits(logits, y.one_hot(task.classes).float());
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        model = optimizer.step(lr, model, grads);
    }
    let model = model.valid();
    let device = Device::flex();
    let (x, y) = batch(task, 256, 1_000_000, &device);
    let predicted = answer(&model, x).argmax(1).squeeze_dim::<1>(1);
    let correct = predicted.equal(y).int().sum().into_scalar::<i64>();
    correct as f64 / 256.0
}

fn elm_answer(m: &Elm, x: Tensor<3>) -> Tensor<2> {
    let [_, t, _] = x.dims();
    m.forward(x).narrow(1, t - 1, 1).squeeze_dim::<2>(1)
}

fn gru_answer(m: &WindowGru, x: Tensor<3>) -> Tensor<2> {
    m.forward(x.swap_dims(1, 2)) // [B, channels, time]
}

#[test]
fn elm_recalls_a_cue_two_hundred_steps_back() {
    let task = DelayedCue::new(CHANNELS, 2, 10, 200, 7);
    let device = Device::flex();
    let ad = device.clone().autodiff();
    ad.seed(1);
    let elm = ElmConfig::new(CHANNELS, 2).with_num_memory(20).init(&ad);
    let gru = WindowGruConfig::new(CHANNELS, 2).with_hidden(24).init(&ad);
    let (elm_params, gru_params) = (elm.num_params(), gru.num_params());
    let elm_accuracy = accuracy_after_training(&task, elm, elm_answer, 150, 5e-3, &ad);
    let gru_accuracy = accuracy_after_training(&task, gru, gru_answer, 150, 5e-3, &ad);
    println!(
        "delayed cue (200 steps): ELM {elm_accuracy:.3} ({elm_params} parameters), GRU {gru_accuracy:.3} \
         ({gru_params} parameters), chance 0.5"
    );
    assert!(elm_accuracy >= 0.9, "ELM accuracy {elm_accuracy:.3}");
    assert!(elm_accuracy >= gru_accuracy, "ELM {elm_accuracy:.3} vs GRU {gru_accuracy:.3} with the same budget");
}
