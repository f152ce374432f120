//! The web crate's non-visual logic compiled to wasm32 and run by
//! `wasm-bindgen-test-runner` (in Node.js): the same code the worker and the page run,
//! on the target they run on, where float formatting, hashing, randomness (getrandom's
//! `wasm_js`) and burn's CPU device with SIMD differ from a native build.
//! `cargo xtask test` runs it; natively this file is empty.
#![cfg(target_arch = "wasm32")]

use burn::prelude::Device;
use ganglion_data::synth::synth_worms;
use ganglion_train::TrainEvent;
use ganglion_train::experiment::{ModelKind, Scores, Task, run};
use ganglion_web::client::{Run, Status};
use ganglion_web::draw::{activity, matrix};
use ganglion_web::export::{MetricTable, metric_rows, report_csv};
use ganglion_web::protocol::{BackendChoice, Reply, Request, Source};
use ganglion_web::sample::sample_config;
use ganglion_web::settings::{LONG_MEMORY_DELAY, Settings};
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn settings_round_trip_through_the_url() {
    let s = Settings { steps: 12, history: 6, ..Settings::default() }.with_task(Task::LongMemory);
    assert_eq!((s.model, s.history), (ModelKind::Elm, 6), "a chosen history stays");
    assert_eq!(Settings::from_query(&s.to_query()), s);
    let fresh = Settings::default().with_task(Task::LongMemory);
    assert_eq!(fresh.history, LONG_MEMORY_DELAY);
    assert_eq!(Settings::from_query("?steps=0&lr=2&model=nonsense"), Settings::default());
}

#[wasm_bindgen_test]
fn requests_and_replies_survive_the_json_between_page_and_worker() {
    let request = Request::Train {
        source: Source::sample(7),
        experiment: Settings::default().experiment(),
        backend: BackendChoice::Cpu,
    };
    let text = serde_json::to_string(&request).expect("a request serialises");
    let back: Request = serde_json::from_str(&text).expect("and reads back");
    assert_eq!(serde_json::to_string(&back).expect("serialises"), text);
    let mut state = Run::default().starting(10);
    let reply: Reply = serde_json::from_str(
        r#"{"type":"event","event":{"kind":"progress","step":5,"epoch":1,"train_loss":0.25,"steps_per_second":3.5}}"#,
    )
    .expect("a progress reply parses");
    state.apply(reply);
    assert_eq!((state.step, state.train_loss.clone()), (5, vec![(5, 0.25)]));
    state.apply(Reply::Failed { code: "device".into(), message: "the GPU was lost".into() });
    assert_eq!(state.status, Status::Failed("the GPU was lost".into()));
}

#[wasm_bindgen_test]
fn the_sample_draws_as_one_image_and_matrices_keep_their_shape() {
    let worms = synth_worms(&sample_config(7));
    let first = &worms[0];
    let image = activity(first, 0..first.n_frames(), 400);
    assert_eq!(image.rgba.len(), image.width * image.height * 4);
    assert!(image.width <= 400 && image.height >= first.n_neurons());
    let n = first.n_neurons();
    let weights = first.connectivity().expect("the sample has its graph").weights().to_vec();
    let m = matrix(&weights, true);
    assert_eq!((m.rgba.len() % (n * n * 4), m.width % n), (0, 0));
    assert!(m.rgba.chunks(4).any(|p| p[0] > p[2]) && m.rgba.chunks(4).any(|p| p[2] > p[0]), "excites and inhibits");
}

/// A short experiment on burn's CPU device compiled to wasm with SIMD (as the worker's
/// fallback runs it): the GNN trains, beats the persistence floor's MSE on the sample's
/// held-out animal with the MLP beside it, and the report's table and CSV carry all three.
#[wasm_bindgen_test]
async fn the_gnn_trains_on_the_wasm_cpu_device_and_reports_beside_its_baselines() {
    let worms = synth_worms(&sample_config(7));
    let settings = Settings { steps: 60, ..Settings::default() };
    let mut events = 0;
    let outcome = run(&worms, &settings.experiment(), &Device::flex(), &mut |_: &TrainEvent| events += 1)
        .await
        .expect("the experiment runs in wasm");
    assert!(events > 10);
    let Scores::Forecast { model, persistence } = &outcome.report.scores else { panic!("a forecast") };
    assert!(model.mse < persistence.mse, "GNN {} vs persistence {}", model.mse, persistence.mse);
    let MetricTable { floor, linear, rows } = metric_rows(&outcome.report);
    assert!(floor.starts_with("persistence"));
    assert_eq!(linear, Some("linear AR"), "the linear AR is fitted in wasm too");
    let ratio_or_edge = |key: &str| key == "auroc" || key == "ap" || key.starts_with("ratio-");
    assert!(rows.iter().all(|r| ratio_or_edge(r.key) || r.mlp.is_some()), "{rows:?}");
    assert!(rows.iter().any(|r| r.key == "ratio-linear-ar" && r.model.is_finite()), "{rows:?}");
    let csv = report_csv(&outcome.report);
    assert!(csv.starts_with("metric,model,floor,mlp,linear_ar\nmse,"), "{csv}");
}
