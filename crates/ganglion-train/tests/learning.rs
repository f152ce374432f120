//! Learning is proven by trained models beating baselines on an animal never seen in
//! training (synthetic worms, flex CPU device). Every score is printed.

use crate::common::{Study, cross_entropy};
use burn::prelude::*;
use futures::executor::block_on;
use ganglion_models::{RelationalGnn, RelationalGnnConfig, WindowGruConfig, WindowMlp, WindowMlpConfig};
use ganglion_train::evaluate::{classify, edge_recovery, forecasts, majority, persistence, score_edges};
use ganglion_train::metrics::mse;
use ganglion_train::{BatchTensors, TrainEvent, Trainer};

#[test]
fn gnn_infers_the_graph_of_an_unseen_animal_and_forecasts_it() {
    let study = Study::new(10);
    let (train, test) = study.own_sets();
    let loss = |m: &RelationalGnn, b: &BatchTensors| study.gnn_forecast_loss(m, b);
    // The message-passing GNN alone (no linear highway) on the toy worms, whose fast
    // dynamics its one-frame decoder was built for; the realistic worms' test is study.rs.
    let model = study.init(|d| RelationalGnnConfig::new(10).with_highway(None).init(d));
    let mut losses = Vec::new();
    let trainer = Trainer::new(model, loss, study.config(600), &train, None, &study.normalizer, study.device.clone());
    let mut record = |e: &TrainEvent| {
        if let TrainEvent::Progress { train_loss, .. } = e {
            losses.push(*train_loss);
        }
    };
    let model = block_on(trainer.expect("trainer").run(&mut record)).expect("trains").valid();
    let early: f64 = losses[..5].iter().sum::<f64>() / 5.0;
    let late: f64 = losses[losses.len() - 5..].iter().sum::<f64>() / 5.0;
    assert!(late < early, "training loss fell: {early:.4} -> {late:.4}");

    // Edges: inferred from the held-out animal's first half, scored against its true graph,
    // beside the absolute Pearson correlation of the same frames.
    let graph = study.test_graph(&model);
    let truth = study.test_worm().connectivity().expect("known graph").weights().to_vec();
    let edges = block_on(edge_recovery(&model, &graph, &truth)).expect("scores");
    let n = study.test_context.n;
    let correlation: Vec<f32> = (0..n * n).map(|k| study.test_context.values[k * 3].abs()).collect();
    let baseline = score_edges(&correlation, &truth).expect("scores");
    let ridge: Vec<f32> = (0..n * n).map(|k| study.test_context.values[k * 3 + 2].abs()).collect();
    let ridge = score_edges(&ridge, &truth).expect("scores");
    println!(
        "edge AUROC: GNN {:.3} (AP {:.3}), |correlation| {:.3}, its input |ridge coefficient| alone {:.3}",
        edges.auroc, edges.average_precision, baseline.auroc, ridge.auroc
    );
    assert!(edges.auroc >= 0.9, "edge AUROC {:.3}", edges.auroc);
    assert!(edges.auroc > baseline.auroc + 0.15, "GNN {:.3} vs correlation {:.3}", edges.auroc, baseline.auroc);

    // Forecasts on the held-out animal's second half.
    let device = &study.device;
    let gnn = block_on(forecasts(&test, &study.normalizer, device, |b| {
        model.forecast(b.inputs.clone(), b.ids.clone(), b.mask.clone(), &graph)
    }))
    .expect("forecasts");
    let floor = block_on(forecasts(&test, &study.normalizer, device, persistence)).expect("forecasts").scores();
    let gnn_scores = gnn.scores();
    println!(
        "one-step MSE (all neurons): GNN {:.4} (R2 {:.3}), persistence {:.4}",
        gnn_scores.mse, gnn_scores.r2, floor.mse
    );
    assert!(gnn_scores.mse < 0.95 * floor.mse, "GNN {:.4} vs persistence {:.4}", gnn_scores.mse, floor.mse);

    // Beside the MLP baseline, on the named neurons all animals share.
    let (train_a, test_a, align) = study.aligned_sets();
    let k = align.len();
    let mlp = study.init(|d| WindowMlpConfig::new(k, 10, k).init(d));
    let mlp_loss =
        |m: &WindowMlp, b: &BatchTensors| (m.forecast(b.inputs.clone()) - b.next.clone()).powi_scalar(2).mean();
    let trainer = Trainer::new(mlp, mlp_loss, study.config(600), &train_a, None, &study.normalizer, device.clone())
        .expect("trainer");
    let mlp = block_on(trainer.run(&mut |_: &TrainEvent| {})).expect("trains").valid();
    let mlp_scores = block_on(forecasts(&test_a, &study.normalizer, device, |b| mlp.forecast(b.inputs.clone())))
        .expect("forecasts")
        .scores();
    let shared: Vec<usize> = align.rows[3].iter().map(|r| r.expect("intersection")).collect();
    let rows = gnn.predicted.len() / gnn.n_neurons;
    let pick = |v: &[f32]| -> Vec<f32> {
        (0..rows).flat_map(|s| shared.iter().map(move |&r| v[s * gnn.n_neurons + r])).collect()
    };
    let gnn_shared = mse(&pick(&gnn.predicted), &pick(&gnn.truth));
    println!("one-step MSE (shared {k} neurons): GNN {gnn_shared:.4}, MLP {:.4}", mlp_scores.mse);
    // Lower on every initial-weight seed tried (1-5: by 0.5-2.8%); allow float noise.
    assert!(gnn_shared <= 1.005 * mlp_scores.mse, "GNN {gnn_shared:.4} vs MLP {:.4}", mlp_scores.mse);
}

#[test]
fn gnn_decodes_the_behaviour_of_an_unseen_animal() {
    let study = Study::new(20);
    let (train, test) = study.own_sets();
    let loss = |m: &RelationalGnn, b: &BatchTensors| {
        let logits = m.classify(b.inputs.clone(), b.ids.clone(), b.mask.clone(), &study.batch_graph(m, b));
        cross_entropy(logits, b.labels.as_ref().expect("labels"))
    };
    let model = study.init(|d| RelationalGnnConfig::new(20).init(d));
    let trainer = Trainer::new(model, loss, study.config(1500), &train, None, &study.normalizer, study.device.clone())
        .expect("trainer");
    let model = block_on(trainer.run(&mut |_: &TrainEvent| {})).expect("trains").valid();
    let graph = study.test_graph(&model);
    let gnn = block_on(classify(&test, &study.normalizer, &study.device, 3, |b| {
        model.classify(b.inputs.clone(), b.ids.clone(), b.mask.clone(), &graph)
    }))
    .expect("scores");
    let floor = majority(&train, &test, 3);
    println!(
        "behaviour accuracy: GNN {:.3} (macro-F1 {:.3}), majority {:.3}",
        gnn.accuracy, gnn.macro_f1, floor.accuracy
    );
    assert!(gnn.accuracy >= 0.9, "accuracy {:.3}", gnn.accuracy);
    assert!(gnn.accuracy > floor.accuracy + 0.1);
}

#[test]
fn gru_baseline_decodes_behaviour_above_the_majority_class() {
    let study = Study::new(10);
    let (train_a, test_a, align) = study.aligned_sets();
    let gru = study.init(|d| WindowGruConfig::new(align.len(), 3).init(d));
    let loss = |m: &ganglion_models::WindowGru, b: &BatchTensors| {
        cross_entropy(m.forward(b.inputs.clone()), b.labels.as_ref().expect("labels"))
    };
    let trainer = Trainer::new(gru, loss, study.config(400), &train_a, None, &study.normalizer, study.device.clone())
        .expect("trainer");
    let gru = block_on(trainer.run(&mut |_: &TrainEvent| {})).expect("trains").valid();
    let scores = block_on(classify(&test_a, &study.normalizer, &study.device, 3, |b| gru.forward(b.inputs.clone())))
        .expect("scores");
    let floor = majority(&train_a, &test_a, 3);
    println!("behaviour accuracy: GRU {:.3}, majority {:.3}", scores.accuracy, floor.accuracy);
    assert!(scores.accuracy > floor.accuracy + 0.1);
}
