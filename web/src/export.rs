//! The report's metrics as rows (model, floor, and the MLP trained beside it), shown
//! as the results table and written as CSV beside the JSON the worker sent.

use ganglion_train::experiment::{BaselineKind, Report, Scores, Task};
use serde::Serialize;

/// One metric of a report.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
pub struct MetricRow {
    /// How the table names it.
    pub label: &'static str,
    /// Its CSV name and test id.
    pub key: &'static str,
    /// The trained model's value.
    pub model: f64,
    /// The floor's value (persistence, majority class or chance), where there is one.
    pub floor: Option<f64>,
    /// The linear AR's value on the same neurons and frames (forecasting).
    pub linear: Option<f64>,
    /// The MLP baseline's value, when one was trained beside the model.
    pub mlp: Option<f64>,
}

/// A report's results table ([`metric_rows`]): the notebook shows it, and the worker
/// sends it beside every report so the JS API's `<ganglion-trainer>` shows the same
/// table rather than a copy of its logic.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
pub struct MetricTable {
    /// How the floor column is named.
    pub floor: &'static str,
    /// How the linear baseline's column is named, when the report has one.
    pub linear: Option<&'static str>,
    /// One row per metric.
    pub rows: Vec<MetricRow>,
}

/// The report's floor and one row per metric: the task's metrics (forecasts beside the
/// linear AR too, and the model's MSE as a ratio to every baseline), then edge recovery
/// when the true graph is known.
pub fn metric_rows(report: &Report) -> MetricTable {
    let row = |label, key, model, floor, mlp| MetricRow { label, key, model, floor: Some(floor), linear: None, mlp };
    let linear = report.baselines.iter().find(|b| b.baseline == BaselineKind::LinearAr).map(|b| &b.scores);
    let (floor, mut rows) = match (&report.scores, report.mlp.as_ref().map(|m| &m.scores)) {
        (Scores::Forecast { model, persistence }, mlp) => {
            let mlp = match mlp {
                Some(Scores::Forecast { model, .. }) => Some(model),
                _ => None,
            };
            let mut rows = vec![
                MetricRow {
                    linear: linear.map(|l| l.mse),
                    ..row("one-step MSE", "mse", model.mse, persistence.mse, mlp.map(|m| m.mse))
                },
                MetricRow {
                    linear: linear.map(|l| l.r2),
                    ..row("R²", "r2", model.r2, persistence.r2, mlp.map(|m| m.r2))
                },
            ];
            let ratio =
                |label, key, ratio| MetricRow { label, key, model: ratio, floor: None, linear: None, mlp: None };
            for b in &report.baselines {
                rows.push(match b.baseline {
                    BaselineKind::Persistence => ratio("MSE ÷ persistence's", "ratio-persistence", b.ratio),
                    BaselineKind::LinearAr => ratio("MSE ÷ linear AR's", "ratio-linear-ar", b.ratio),
                    BaselineKind::Var => ratio("MSE ÷ VAR's", "ratio-var", b.ratio),
                });
            }
            ("persistence (next = last)", rows)
        }
        (Scores::Behaviour { model, majority }, mlp) => {
            let mlp = match mlp {
                Some(Scores::Behaviour { model, .. }) => Some(model),
                _ => None,
            };
            let rows = vec![
                row("accuracy", "accuracy", model.accuracy, majority.accuracy, mlp.map(|m| m.accuracy)),
                row("macro-F1", "f1", model.macro_f1, majority.macro_f1, mlp.map(|m| m.macro_f1)),
            ];
            let trials = report.experiment.task == Task::LongMemory;
            (if trials { "chance (best constant answer)" } else { "majority class" }, rows)
        }
        (scores @ Scores::Signals { .. }, mlp) => {
            let (model, floor) = scores.signal_r2().unwrap_or((f64::NAN, f64::NAN));
            let mlp = mlp.and_then(Scores::signal_r2).map(|m| m.0);
            ("the training mean", vec![row("R² of the signals (mean over signals)", "signal_r2", model, floor, mlp)])
        }
    };
    if let Some(e) = &report.edges {
        let edge = |label, key, model| MetricRow { label, key, model, floor: None, linear: None, mlp: None };
        rows.push(edge("edge AUROC", "auroc", e.auroc));
        rows.push(edge("edge average precision", "ap", e.average_precision));
    }
    MetricTable { floor, linear: linear.map(|_| BaselineKind::LinearAr.label()), rows }
}

/// One row per metric: `metric,model,floor,mlp,linear_ar` (floor: persistence, majority
/// class or chance; mlp: the MLP trained beside the model; linear_ar: the linear AR;
/// empty where there is none).
pub fn report_csv(report: &Report) -> String {
    let cell = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    let mut lines = vec!["metric,model,floor,mlp,linear_ar".to_owned()];
    for r in metric_rows(report).rows {
        lines.push(format!("{},{},{},{},{}", r.key, r.model, cell(r.floor), cell(r.mlp), cell(r.linear)));
    }
    lines.join("\n") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::executor::block_on;
    use ganglion_data::synth::{SynthConfig, synth_worms};
    use ganglion_train::TrainConfig;
    use ganglion_train::experiment::{Experiment, ModelKind, Task, run};

    #[test]
    fn csv_has_the_scores_of_a_real_run() {
        let worms = synth_worms(&SynthConfig { n_neurons: 8, n_frames: 300, n_animals: 2, ..Default::default() });
        let experiment = Experiment {
            task: Task::Forecast,
            model: ModelKind::Gnn,
            history: 5,
            decoder: Default::default(),
            train: TrainConfig { max_steps: 3, validate_every: 0, ..TrainConfig::default() },
        };
        let device = burn::prelude::Device::flex();
        let report = block_on(run(&worms, &experiment, &device, &mut |_: &_| {})).expect("runs").report;
        let csv = report_csv(&report);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "metric,model,floor,mlp,linear_ar");
        let mse: Vec<&str> = lines[1].split(',').collect();
        assert_eq!(mse[0], "mse", "{csv}");
        assert!(mse[1..].iter().all(|v| v.parse::<f64>().is_ok()), "model, persistence, MLP and linear AR: {csv}");
        assert!(lines.iter().any(|l| l.starts_with("auroc,") && l.ends_with(",,,")), "{csv}");
        // The model's ratio to persistence and to the linear AR, from the report's baselines.
        for key in ["ratio-persistence", "ratio-linear-ar"] {
            let line = lines.iter().find(|l| l.starts_with(key)).unwrap_or_else(|| panic!("no {key} row: {csv}"));
            let ratio: f64 = line.split(',').nth(1).and_then(|v| v.parse().ok()).expect("a number");
            assert!(ratio > 0.0 && ratio.is_finite(), "{line}");
        }

        // The table the worker sends beside the report, which <ganglion-trainer> shows.
        let reply = crate::protocol::Reply::Report {
            table: metric_rows(&report),
            report: Box::new(report.clone()),
            model: None,
            forecasts: None,
        };
        let sent: serde_json::Value = serde_json::to_value(&reply).expect("serialises");
        assert_eq!(sent["table"]["floor"], "persistence (next = last)");
        assert_eq!(sent["table"]["rows"][0]["label"], "one-step MSE");
        assert_eq!(
            sent["table"]["rows"][0]["model"].as_f64(),
            Some(match &report.scores {
                Scores::Forecast { model, .. } => model.mse,
                _ => f64::NAN,
            })
        );

        // A signals report gets the signals' rows (the JS copy of these rows once took the
        // behaviour branch for it and read a majority class that is not there).
        let mut signals = report;
        signals.scores = Scores::Signals { names: vec!["velocity".into()], model: vec![0.4], mean: vec![-0.01] };
        signals.mlp = None;
        let table = metric_rows(&signals);
        assert_eq!(table.floor, "the training mean");
        assert_eq!((table.rows[0].key, table.rows[0].model, table.rows[0].floor), ("signal_r2", 0.4, Some(-0.01)));
    }
}
