//! The report as a CSV table (metric, model, floor), beside the JSON the worker sent.

use ganglion_train::experiment::{Report, Scores};

/// One row per metric: `metric,model,floor` (floor = persistence or majority class).
pub fn report_csv(report: &Report) -> String {
    let mut rows = vec!["metric,model,floor".to_owned()];
    match &report.scores {
        Scores::Forecast { model, persistence } => {
            rows.push(format!("mse,{},{}", model.mse, persistence.mse));
            rows.push(format!("r2,{},{}", model.r2, persistence.r2));
        }
        Scores::Behaviour { model, majority } => {
            rows.push(format!("accuracy,{},{}", model.accuracy, majority.accuracy));
            rows.push(format!("macro_f1,{},{}", model.macro_f1, majority.macro_f1));
        }
    }
    if let Some(e) = &report.edges {
        rows.push(format!("edge_auroc,{},", e.auroc));
        rows.push(format!("edge_average_precision,{},", e.average_precision));
    }
    rows.join("\n") + "\n"
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
            train: TrainConfig { max_steps: 3, validate_every: 0, ..TrainConfig::default() },
        };
        let device = burn::prelude::Device::flex();
        let report = block_on(run(&worms, &experiment, &device, &mut |_: &_| {})).expect("runs").report;
        let csv = report_csv(&report);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "metric,model,floor");
        assert!(lines[1].starts_with("mse,") && lines[1].split(',').count() == 3, "{csv}");
        assert!(lines.iter().any(|l| l.starts_with("edge_auroc,")), "{csv}");
    }
}
