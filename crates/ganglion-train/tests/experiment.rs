//! The held-out experiment as the CLI and the browser worker run it: reproducible from
//! its seed, cancellable through its observer, usable on a single recording, and its
//! saved model scores new recordings the way the experiment scored its held-out one.

use burn::prelude::*;
use futures::executor::block_on;
use ganglion_data::Problem;
use ganglion_data::synth::{SynthConfig, synth_worms};
use ganglion_train::experiment::{Experiment, HeldOut, ModelKind, Report, Scores, Task, run};
use ganglion_train::saved::{read_setup, score_saved};
use ganglion_train::{Observer, TrainConfig, TrainEvent};

use crate::common::one_run_at_a_time as serial;

fn experiment(model: ModelKind, steps: usize) -> Experiment {
    Experiment {
        task: Task::Forecast,
        model,
        history: 5,
        decoder: Default::default(),
        train: TrainConfig { max_steps: steps, validate_every: 4, report_every: 2, ..TrainConfig::default() },
    }
}

fn mse(report: &Report) -> f64 {
    match &report.scores {
        Scores::Forecast { model, .. } => model.mse,
        Scores::Behaviour { .. } | Scores::Signals { .. } => f64::NAN,
    }
}

#[test]
fn the_same_seed_gives_the_same_report() {
    let _serial = serial();
    let worms = synth_worms(&SynthConfig { n_neurons: 8, n_frames: 300, n_animals: 3, ..Default::default() });
    let device = Device::flex();
    let go = || block_on(run(&worms, &experiment(ModelKind::Gnn, 8), &device, &mut |_: &TrainEvent| {}));
    let (a, b) = (go().expect("runs").report, go().expect("runs").report);
    assert_eq!(a.held_out, HeldOut::Animal);
    assert_eq!(mse(&a), mse(&b), "bit-identical scores from the same seed");
    assert_eq!(a.graph.as_ref().map(|g| &g.probability), b.graph.as_ref().map(|g| &g.probability));
}

/// Cancels at the first validation.
struct CancelAtValidation(Vec<TrainEvent>);

impl Observer for CancelAtValidation {
    async fn observe(&mut self, event: &TrainEvent) -> bool {
        self.0.push(event.clone());
        !matches!(event, TrainEvent::Validation { .. })
    }
}

#[test]
fn an_observer_cancels_and_the_model_so_far_is_scored_on_one_recording() {
    let _serial = serial();
    let worm = synth_worms(&SynthConfig { n_neurons: 6, n_frames: 400, n_animals: 1, ..Default::default() });
    let mut observer = CancelAtValidation(Vec::new());
    let report =
        block_on(run(&worm, &experiment(ModelKind::Mlp, 100), &Device::flex(), &mut observer)).expect("runs").report;
    assert_eq!(report.held_out, HeldOut::Time);
    assert_eq!(report.steps, 4, "cancelled at the first validation (step 4)");
    assert_eq!(observer.0.last(), Some(&TrainEvent::Finished { step: 4, reason: "cancelled".into() }));
    assert!(mse(&report).is_finite());
    let preview = report.preview.expect("forecast preview");
    assert_eq!(preview.names.len(), 6);
    assert_eq!(preview.truth[0].len(), preview.predicted[0].len());
}

#[test]
fn a_saved_model_scores_the_held_out_animal_as_the_experiment_did() {
    let _serial = serial();
    let worms = synth_worms(&SynthConfig { n_neurons: 8, n_frames: 300, n_animals: 3, ..Default::default() });
    let device = Device::flex();
    for model in [ModelKind::Gnn, ModelKind::Gru, ModelKind::Elm, ModelKind::BranchElm] {
        let outcome = block_on(run(&worms, &experiment(model, 6), &device, &mut |_: &TrainEvent| {})).expect("runs");
        // Every model but the MLP has an MLP trained beside it on the same frames.
        let mlp = outcome.report.mlp.as_ref().expect("an MLP beside it");
        assert!(matches!(&mlp.scores, Scores::Forecast { model, .. } if model.mse.is_finite()));
        assert!(mlp.neurons >= 1 && mlp.neurons <= outcome.report.neurons.max(8));
        let setup = read_setup(&outcome.model).expect("setup");
        assert_eq!((setup.experiment.model, setup.steps), (model, outcome.report.steps));
        let again = block_on(score_saved(&worms, &outcome.model, &device)).expect("scores");
        assert_eq!(again.held_out, HeldOut::Saved);
        assert_eq!(mse(&again), mse(&outcome.report), "{model:?}: same frames, same weights, same score");
        assert_eq!(again.graph.map(|g| g.probability), outcome.report.graph.map(|g| g.probability));
    }
    // A truncated or foreign file is a checkpoint error that says what is wrong.
    let outcome =
        block_on(run(&worms, &experiment(ModelKind::Mlp, 2), &device, &mut |_: &TrainEvent| {})).expect("runs");
    assert!(outcome.report.mlp.is_none(), "the MLP is not its own baseline");
    let cut = &outcome.model[..outcome.model.len() / 2];
    let e = block_on(score_saved(&worms, cut, &device)).expect_err("truncated");
    assert!(matches!(e.problem, Problem::Checkpoint { .. }), "{e}");
    let e = block_on(score_saved(&worms, b"{\"not\": \"a model\"}", &device)).expect_err("foreign");
    assert_eq!(e.code(), "checkpoint");
    assert!(e.to_string().contains("not a ganglion checkpoint"), "{e}");
}

/// Synthetic worms with a velocity signal set by their behaviour (forward +0.2, reverse
/// -0.2, turn 0, plus a slow wave) and missing in the first frames.
fn worms_with_velocity() -> Vec<ganglion_data::Recording> {
    synth_worms(&SynthConfig { n_neurons: 12, n_frames: 800, n_animals: 3, ..SynthConfig::default() })
        .into_iter()
        .map(|w| {
            let mut parts = w.to_parts();
            let labels = &w.behaviour().expect("synthetic behaviour").labels;
            let values = labels
                .iter()
                .enumerate()
                .map(
                    |(t, &l)| {
                        if t < 5 { f32::NAN } else { [0.2, -0.2, 0.0][l as usize] + 0.02 * (t as f32 * 0.3).sin() }
                    },
                )
                .collect();
            parts.signals = vec![ganglion_data::Signal { name: "velocity".into(), values }];
            parts.into_recording(ganglion_data::MissingValues::Reject).expect("valid")
        })
        .collect()
}

#[test]
fn continuous_signals_are_decoded_better_than_the_training_mean_and_saved_models_score_them_again() {
    let _one = serial();
    let worms = worms_with_velocity();
    for model in [ModelKind::Mlp, ModelKind::Gnn] {
        let exp = Experiment { task: Task::Signals, ..experiment(model, 200) };
        let outcome = block_on(run(&worms, &exp, &Device::flex(), &mut |_: &TrainEvent| {})).expect("runs");
        let (r2, floor) = outcome.report.scores.signal_r2().expect("signal scores");
        println!("{model:?} velocity R^2 on the unseen animal: {r2:.3} (training mean {floor:.3})");
        assert!(r2 > floor + 0.2, "{model:?}: R^2 {r2:.3} vs mean {floor:.3}");
        let again = block_on(score_saved(&worms, &outcome.model, &Device::flex())).expect("scores");
        assert!(again.scores.signal_r2().is_some_and(|(m, _)| m.is_finite()));
    }
    let no_signals = synth_worms(&SynthConfig { n_neurons: 8, n_frames: 200, n_animals: 2, ..SynthConfig::default() });
    let exp = Experiment { task: Task::Signals, ..experiment(ModelKind::Mlp, 2) };
    let e = block_on(run(&no_signals, &exp, &Device::flex(), &mut |_: &TrainEvent| {})).expect_err("no signals");
    assert!(e.to_string().contains("continuous behaviour signals"), "{e}");
}
