//! Checkpoints saved by earlier builds still load and score as they did: one from before
//! checkpoints stored the GNN's hyperparameters (and before there was a choice of
//! decoder), written by the `ganglion` CLI of commit 82ecfb4, and one from before the
//! encoder's pair width was an option, written by that of 98aded8
//! (`tests/fixtures/checkpoints/README.md` has the commands): each a GNN trained for a
//! few steps on two small synthetic worms, with the report that CLI's `eval` wrote on
//! the second worm; and an MLP from before checkpoints stored a window model's
//! hyperparameters, written by that of 39e2fd8. Today's build must read the same setup
//! from the header, rebuild the model it was trained with (not today's defaults) and
//! give the same scores; and a checkpoint whose stored width is not today's default must
//! load with the width it stores.

use std::path::PathBuf;

use burn::prelude::Device;
use futures::executor::block_on;
use ganglion_data::{LoadOptions, load};
use ganglion_models::WindowMlpConfig;
use ganglion_train::experiment::{DecoderKind, ModelKind, Scores};
use ganglion_train::saved::{Setup, read_setup, save_model, score_saved};
use ganglion_train::setup::WindowConfig;

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/checkpoints").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Loads fixture `name`, checks its header with `check`, scores it on the fixture worm
/// and compares with the report `name.eval.json` that the saving build's `eval` wrote.
fn scores_as_when_saved(name: &str, kind: ModelKind, check: impl FnOnce(&Setup)) {
    let bytes = fixture(&format!("{name}.ganglion"));
    let setup = read_setup(&bytes).expect("the old header reads");
    assert_eq!(setup.experiment.model, kind);
    check(&setup);
    let report = block_on(score_saved(&worm(), &bytes, &Device::flex())).expect("the old checkpoint scores");
    let then: serde_json::Value = serde_json::from_slice(&fixture(&format!("{name}.eval.json"))).expect("json");
    let Scores::Forecast { model, persistence } = &report.scores else {
        panic!("forecast scores: {:?}", report.scores)
    };
    let close = |now: f64, then: &serde_json::Value, what: &str| {
        let then = then.as_f64().expect(what);
        assert!((now - then).abs() <= 1e-5 * then.abs().max(1.0), "{name} {what}: {now} now, {then} when saved");
    };
    close(model.mse, &then["scores"]["model"]["mse"], "model MSE");
    close(model.r2, &then["scores"]["model"]["r2"], "model R^2");
    close(persistence.mse, &then["scores"]["persistence"]["mse"], "persistence MSE");
    if kind == ModelKind::Gnn {
        close(report.edges.as_ref().expect("edges scored").auroc, &then["edges"]["auroc"], "edge AUROC");
    }
}

/// The recording every fixture is scored on.
fn worm() -> Vec<ganglion_data::Recording> {
    let options = LoadOptions { file_name: Some("worm-2.npz".into()), ..LoadOptions::default() };
    load(&fixture("worm-2.npz"), &options).expect("the scored recording loads")
}

#[test]
fn a_gnn_saved_before_the_config_was_stored_loads_and_scores_as_it_did() {
    scores_as_when_saved("gnn-pairwise-82ecfb4", ModelKind::Gnn, |setup| {
        assert!(setup.gnn.is_none(), "the old header has no stored config");
        let config = setup.gnn_config();
        assert_eq!(config.decoder, DecoderKind::Pairwise, "old GNNs were all pairwise");
        assert_eq!(config.pair_hidden, None, "and their pair layers were as wide as the rest");
    });
}

#[test]
fn a_gnn_saved_before_the_pair_width_was_an_option_loads_and_scores_as_it_did() {
    scores_as_when_saved("gnn-separable-98aded8", ModelKind::Gnn, |setup| {
        let stored = setup.gnn.as_ref().expect("98aded8 stored the config");
        assert_eq!(stored.decoder, DecoderKind::Separable);
        assert_eq!(stored.pair_hidden, None, "a stored config without the field reads as the old width");
    });
}

#[test]
fn an_mlp_saved_before_its_config_was_stored_loads_and_scores_as_it_did() {
    scores_as_when_saved("mlp-39e2fd8", ModelKind::Mlp, |setup| {
        assert!(setup.window.is_none(), "39e2fd8 stored no window model config");
    });
}

/// A default may change (the MLP's hidden width is 128 today): a checkpoint records the
/// width it was built with and loads with it, whatever today's default is.
#[test]
fn a_window_model_loads_with_the_width_its_checkpoint_stores_not_todays_default() {
    let old = read_setup(&fixture("mlp-39e2fd8.ganglion")).expect("reads");
    let today = old.clone().with_window_config(6);
    let Some(WindowConfig::Mlp(default)) = &today.window else { panic!("an MLP's config: {:?}", today.window) };
    assert_ne!(default.hidden, 40, "the stored width below differs from today's default");
    let narrow = WindowMlpConfig { hidden: 40, ..default.clone() };
    let setup = Setup { window: Some(WindowConfig::Mlp(narrow.clone())), ..old };
    let bytes = block_on(save_model(narrow.init(&Device::flex()), &setup, 5)).expect("saves");
    let Some(WindowConfig::Mlp(stored)) = read_setup(&bytes).expect("reads").window else { panic!("stored") };
    assert_eq!(stored.hidden, 40);
    let report = block_on(score_saved(&worm(), &bytes, &Device::flex())).expect("loads with the stored width");
    let Scores::Forecast { model, .. } = &report.scores else { panic!("forecast scores: {:?}", report.scores) };
    assert!(model.mse.is_finite(), "scored: {}", model.mse);
}
