//! The training loop's contract: progress every `report_every` steps, validation every
//! `validate_every`, early stopping, cancellation, and a trained model that survives a
//! checkpoint round trip with identical scores.

use crate::common::Study;
use burn::prelude::*;
use futures::executor::block_on;
use ganglion_models::{WindowMlp, WindowMlpConfig};
use ganglion_train::{BatchTensors, TrainConfig, TrainEvent, Trainer};

fn mlp_loss(m: &WindowMlp, b: &BatchTensors) -> Tensor<1> {
    (m.forecast(b.inputs.clone()) - b.next.clone()).powi_scalar(2).mean()
}

#[test]
fn events_come_in_order_and_the_best_validated_model_is_kept() {
    let study = Study::new(10);
    let (train, test, align) = study.aligned_sets();
    let config = TrainConfig { max_steps: 60, report_every: 10, validate_every: 20, patience: 0, ..Default::default() };
    let model = study.init(|d| WindowMlpConfig::new(align.len(), 10, align.len()).init(d));
    let trainer = Trainer::new(model, mlp_loss, config, &train, Some(&test), &study.normalizer, study.device.clone());
    let mut events = Vec::new();
    block_on(trainer.expect("trainer").run(&mut |e: &TrainEvent| events.push(e.clone()))).expect("runs");
    let progress: Vec<usize> = events
        .iter()
        .filter_map(|e| if let TrainEvent::Progress { step, .. } = e { Some(*step) } else { None })
        .collect();
    let validations: Vec<usize> = events
        .iter()
        .filter_map(|e| if let TrainEvent::Validation { step, .. } = e { Some(*step) } else { None })
        .collect();
    assert_eq!(validations, vec![20, 40, 60]);
    assert_eq!(progress, vec![10, 30, 50], "steps 20, 40, 60 report a validation instead");
    assert!(matches!(events.last(), Some(TrainEvent::Finished { step: 60, .. })));
    assert!(events.iter().all(|e| match e {
        TrainEvent::Progress { train_loss, steps_per_second, .. } => train_loss.is_finite() && *steps_per_second > 0.0,
        TrainEvent::Validation { loss, .. } => loss.is_finite(),
        _ => true,
    }));
}

#[test]
fn cancel_stops_at_once_and_patience_stops_early() {
    let study = Study::new(10);
    let (train, test, align) = study.aligned_sets();
    let model = study.init(|d| WindowMlpConfig::new(align.len(), 10, align.len()).init(d));
    let config = TrainConfig { max_steps: 1000, ..Default::default() };
    let mut trainer =
        Trainer::new(model.clone(), mlp_loss, config, &train, None, &study.normalizer, study.device.clone())
            .expect("trainer");
    block_on(trainer.step()).expect("steps");
    trainer.cancel();
    assert_eq!(
        block_on(trainer.step()).expect("finishes"),
        TrainEvent::Finished { step: 1, reason: "cancelled".into() }
    );

    // A learning rate of zero never improves after the first validation (step 5): the
    // second stale one (step 15) stops it.
    let config =
        TrainConfig { max_steps: 1000, learning_rate: 0.0, validate_every: 5, patience: 2, ..Default::default() };
    let trainer = Trainer::new(model, mlp_loss, config, &train, Some(&test), &study.normalizer, study.device.clone());
    let mut last = None;
    block_on(trainer.expect("trainer").run(&mut |e: &TrainEvent| last = Some(e.clone()))).expect("runs");
    assert_eq!(last, Some(TrainEvent::Finished { step: 15, reason: "early stop".into() }));
}

#[test]
fn a_trained_gnn_saved_to_bytes_and_loaded_scores_the_same() {
    use ganglion_models::checkpoint::{load, read_header, save};
    use ganglion_models::{RelationalGnn, RelationalGnnConfig};
    use ganglion_train::evaluate::forecasts;

    let study = Study::new(6);
    let (train, test) = study.own_sets();
    let loss = |m: &RelationalGnn, b: &BatchTensors| study.gnn_forecast_loss(m, b);
    let config = RelationalGnnConfig::new(6);
    let model = study.init(|d| config.init(d));
    let trainer = Trainer::new(model, loss, study.config(30), &train, None, &study.normalizer, study.device.clone());
    let trained = block_on(trainer.expect("trainer").run(&mut |_: &TrainEvent| {})).expect("trains").valid();

    let bytes = save(&trained, "relational-gnn", &config).expect("saves");
    let (header, _) = read_header(&bytes, Some("relational-gnn")).expect("header");
    let rebuilt: RelationalGnnConfig = serde_json::from_value(header.config).expect("config");
    let loaded = load(rebuilt.init(&study.device), "relational-gnn", &bytes).expect("loads");

    let score = |m: &RelationalGnn| {
        let graph = study.test_graph(m);
        let f = forecasts(&test, &study.normalizer, &study.device, |b| {
            m.forecast(b.inputs.clone(), b.ids.clone(), b.mask.clone(), &graph)
        });
        block_on(f).expect("forecasts").scores()
    };
    let (before, after) = (score(&trained), score(&loaded));
    assert_eq!(before.mse, after.mse, "bit-identical scores after the round trip");
    assert_eq!(before.r2_per_neuron, after.r2_per_neuron);
}
