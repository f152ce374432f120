//! The leave-one-animal-out study on synthetic worms wired like the real animal (the
//! Varshney 2011 connectome among the chosen neurons): the GNN recovers the graph of
//! animals it never saw better than the correlation between neurons does, and forecasts
//! them better than persistence. Every number is printed.

use burn::prelude::Device;
use futures::executor::block_on;
use ganglion_data::synth::{GraphSource, SynthConfig, synth_worms};
use ganglion_train::TrainConfig;
use ganglion_train::experiment::ModelKind;
use ganglion_train::study::{StudyConfig, run_study};

#[test]
fn the_gnn_beats_correlation_and_persistence_on_unseen_connectome_worms() {
    let _serial = crate::common::one_run_at_a_time();
    let worms = synth_worms(&SynthConfig {
        n_neurons: 20,
        n_frames: 1200,
        n_animals: 3,
        graph: GraphSource::Connectome,
        seed: 11,
        ..SynthConfig::default()
    });
    let config = StudyConfig {
        models: vec![ModelKind::Gnn, ModelKind::Mlp],
        history: 10,
        decoder: Default::default(),
        train: TrainConfig { max_steps: 500, lr_decay_every: 10_000, ..TrainConfig::default() },
        behaviour: false,
    };
    let mut stages = Vec::new();
    let mut observe = |e: &ganglion_train::TrainEvent| {
        if let ganglion_train::TrainEvent::Stage { label, .. } = e {
            stages.push(label.clone());
        }
    };
    let report = block_on(run_study(&worms, &config, &Device::flex(), &mut observe)).expect("the study runs");
    for row in &report.summary {
        println!(
            "{:?} {}: {:.4} ± {:.4} (floor/baseline {:.4} ± {:.4}, {} folds)",
            row.model, row.metric, row.mean, row.sd, row.floor_mean, row.floor_sd, row.folds
        );
    }
    for line in &report.verdict {
        println!("{line}");
    }
    assert_eq!(stages.len(), 6, "three folds x two models: {stages:?}");
    assert_eq!(report.folds.len(), 6);
    assert!(!report.cancelled);
    let row = |model, metric: &str| {
        report.summary.iter().find(|r| r.model == model && r.metric == metric).expect("summarised")
    };
    let edges = row(ModelKind::Gnn, "edge AUROC");
    assert_eq!(edges.folds, 3);
    assert!(edges.mean > edges.floor_mean, "GNN edge AUROC {:.3} vs |correlation| {:.3}", edges.mean, edges.floor_mean);
    for fold in report.folds.iter().filter(|f| f.model == ModelKind::Gnn) {
        let f = fold.forecast.expect("forecast scored");
        let ahead = fold.forecast_ahead.expect("five frames ahead scored");
        assert!(ahead.first > f.first, "{}: five frames ahead is harder than one", fold.held_out);
        assert!(
            f.first < f.floor_first,
            "{}: GNN MSE {:.4} vs persistence {:.4}",
            fold.held_out,
            f.first,
            f.floor_first
        );
        let anatomy = fold.anatomy.as_ref().expect("named neurons of the wiring diagram");
        assert_eq!(anatomy.neurons, fold.neurons);
        assert!(!anatomy.top_edges.is_empty());
    }
    assert!(report.verdict.iter().any(|v| v.contains("GNN vs MLP, on the")), "{:?}", report.verdict);
}
