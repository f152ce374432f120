//! The long-memory experiment ([`ganglion_train::long_memory`]) as the notebook and the
//! CLI run it: which of two spike patterns was shown, asked 200 steps after it ended.
//! Every model trains for the same 150 Adam steps of 32 fresh trials and is scored on
//! 256 trials never seen in training; chance is about 0.5.

use burn::prelude::*;
use futures::executor::block_on;
use ganglion_train::experiment::{Experiment, HeldOut, ModelKind, Report, Scores, Task, run};
use ganglion_train::saved::score_saved;
use ganglion_train::{TrainConfig, TrainEvent};

fn experiment(model: ModelKind) -> Experiment {
    Experiment {
        task: Task::LongMemory,
        model,
        history: 200,
        decoder: Default::default(),
        train: TrainConfig {
            max_steps: 150,
            batch_size: 32,
            learning_rate: 5e-3,
            validate_every: 50,
            patience: 0,
            lr_decay_every: 10_000,
            seed: 7,
            ..TrainConfig::default()
        },
    }
}

fn accuracy(report: &Report) -> (f64, f64) {
    match &report.scores {
        Scores::Behaviour { model, majority } => (model.accuracy, majority.accuracy),
        Scores::Forecast { .. } | Scores::Signals { .. } => panic!("the long-memory task classifies"),
    }
}

fn trained(model: ModelKind) -> (Report, Vec<u8>, Vec<TrainEvent>) {
    let _serial = crate::common::one_run_at_a_time();
    let mut events = Vec::new();
    let outcome = block_on(run(&[], &experiment(model), &Device::flex(), &mut |e: &TrainEvent| events.push(e.clone())))
        .expect("the long-memory experiment needs no recording");
    (outcome.report, outcome.model, events)
}

#[test]
fn elm_recalls_a_cue_two_hundred_steps_back_better_than_a_gru() {
    let (elm, bytes, events) = trained(ModelKind::Elm);
    let (gru, _, _) = trained(ModelKind::Gru);
    let ((elm_accuracy, chance), (gru_accuracy, _)) = (accuracy(&elm), accuracy(&gru));
    println!("delayed cue (200 steps): ELM {elm_accuracy:.3}, GRU {gru_accuracy:.3}, chance {chance:.3}");
    assert_eq!(elm.held_out, HeldOut::Trials);
    assert!(elm.mlp.is_none(), "no MLP is trained beside a long-memory model");
    assert!(events.iter().filter(|e| matches!(e, TrainEvent::Validation { .. })).count() == 3, "{events:?}");
    assert!(matches!(events.last(), Some(TrainEvent::Finished { step: 150, .. })), "{events:?}");
    assert!(elm_accuracy >= 0.9, "ELM accuracy {elm_accuracy:.3}");
    assert!(chance < 0.6);
    assert!(elm_accuracy >= gru_accuracy, "ELM {elm_accuracy:.3} vs GRU {gru_accuracy:.3} with the same budget");

    let again = block_on(score_saved(&[], &bytes, &Device::flex())).expect("a saved long-memory model scores");
    assert_eq!(again.held_out, HeldOut::Saved);
    assert_eq!(accuracy(&again), accuracy(&elm), "the reloaded ELM answers the same unseen trials the same way");
}

#[test]
fn the_branched_elm_beats_chance_and_the_gnn_is_refused() {
    let (branch, _, _) = trained(ModelKind::BranchElm);
    let (branch_accuracy, chance) = accuracy(&branch);
    println!("delayed cue (200 steps): Branch-ELM {branch_accuracy:.3}, chance {chance:.3}");
    assert!(branch_accuracy > chance + 0.2, "Branch-ELM {branch_accuracy:.3}, chance {chance:.3}");
    let gnn = block_on(run(&[], &experiment(ModelKind::Gnn), &Device::flex(), &mut |_: &TrainEvent| {}));
    let message = gnn.expect_err("no graph in spike trials").to_string();
    assert!(message.contains("ELM"), "{message}");
}
