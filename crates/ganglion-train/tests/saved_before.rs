//! A checkpoint saved before checkpoints stored the GNN's hyperparameters (and before
//! there was a choice of decoder) still loads and scores as it did. The fixtures in
//! `tests/fixtures/checkpoints/` were written by the `ganglion` CLI of commit 82ecfb4
//! (`tests/fixtures/checkpoints/README.md` has the commands): a GNN trained for a few
//! steps on two small synthetic worms, the recording it was scored on, and the report
//! that CLI's `eval` wrote for it. Today's build must read the same setup from the
//! header, rebuild the pairwise decoder it was trained with (not today's default) and
//! give the same scores.

use std::path::PathBuf;

use burn::prelude::Device;
use futures::executor::block_on;
use ganglion_data::{LoadOptions, load};
use ganglion_train::experiment::{DecoderKind, ModelKind, Scores};
use ganglion_train::saved::{read_setup, score_saved};

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/checkpoints").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn a_gnn_saved_before_the_config_was_stored_loads_and_scores_as_it_did() {
    let bytes = fixture("gnn-pairwise-82ecfb4.ganglion");
    let setup = read_setup(&bytes).expect("the old header reads");
    assert_eq!(setup.experiment.model, ModelKind::Gnn);
    assert!(setup.gnn.is_none(), "the old header has no stored config");
    assert_eq!(setup.gnn_config().decoder, DecoderKind::Pairwise, "old GNNs were all pairwise");
    let options = LoadOptions { file_name: Some("worm-2.npz".into()), ..LoadOptions::default() };
    let recordings = load(&fixture("worm-2.npz"), &options).expect("the scored recording loads");
    let report = block_on(score_saved(&recordings, &bytes, &Device::flex())).expect("the old checkpoint scores");
    let then: serde_json::Value = serde_json::from_slice(&fixture("gnn-pairwise-82ecfb4.eval.json")).expect("json");
    let Scores::Forecast { model, persistence } = &report.scores else {
        panic!("forecast scores: {:?}", report.scores)
    };
    let close = |now: f64, then: &serde_json::Value, what: &str| {
        let then = then.as_f64().expect(what);
        assert!((now - then).abs() <= 1e-5 * then.abs().max(1.0), "{what}: {now} now, {then} when saved");
    };
    close(model.mse, &then["scores"]["model"]["mse"], "model MSE");
    close(model.r2, &then["scores"]["model"]["r2"], "model R^2");
    close(persistence.mse, &then["scores"]["persistence"]["mse"], "persistence MSE");
    close(report.edges.as_ref().expect("edges scored").auroc, &then["edges"]["auroc"], "edge AUROC");
}
