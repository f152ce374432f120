//! The held-out experiment as the CLI and the browser worker run it: reproducible from
//! its seed, cancellable through its observer, and usable on a single recording.

use burn::prelude::*;
use futures::executor::block_on;
use ganglion_data::synth::{SynthConfig, synth_worms};
use ganglion_train::experiment::{Experiment, HeldOut, ModelKind, Report, Scores, Task, run};
use ganglion_train::{Observer, TrainConfig, TrainEvent};

/// The device's generator is shared by tests running in parallel: one run at a time, so
/// a seeded run draws exactly its own initial weights.
static ONE_RUN_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    ONE_RUN_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn experiment(model: ModelKind, steps: usize) -> Experiment {
    Experiment {
        task: Task::Forecast,
        model,
        history: 5,
        train: TrainConfig { max_steps: steps, validate_every: 4, report_every: 2, ..TrainConfig::default() },
    }
}

fn mse(report: &Report) -> f64 {
    match &report.scores {
        Scores::Forecast { model, .. } => model.mse,
        Scores::Behaviour { .. } => f64::NAN,
    }
}

#[test]
fn the_same_seed_gives_the_same_report() {
    let _serial = serial();
    let worms = synth_worms(&SynthConfig { n_neurons: 8, n_frames: 300, n_animals: 3, ..Default::default() });
    let device = Device::flex();
    let go = || block_on(run(&worms, &experiment(ModelKind::Gnn, 8), &device, &mut |_: &TrainEvent| {}));
    let (a, b) = (go().expect("runs"), go().expect("runs"));
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
    let report = block_on(run(&worm, &experiment(ModelKind::Mlp, 100), &Device::flex(), &mut observer)).expect("runs");
    assert_eq!(report.held_out, HeldOut::Time);
    assert_eq!(report.steps, 4, "cancelled at the first validation (step 4)");
    assert_eq!(observer.0.last(), Some(&TrainEvent::Finished { step: 4, reason: "cancelled".into() }));
    assert!(mse(&report).is_finite());
    let preview = report.preview.expect("forecast preview");
    assert_eq!(preview.names.len(), 6);
    assert_eq!(preview.truth[0].len(), preview.predicted[0].len());
}
