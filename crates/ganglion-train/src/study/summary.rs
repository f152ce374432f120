//! The study's summary over folds (mean and spread per model and metric), its verdict
//! in words, and its tables as CSV and Markdown.

use super::*;

fn mean_sd(values: &[f64]) -> (f64, f64) {
    let n = values.len();
    if n == 0 {
        return (f64::NAN, f64::NAN);
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    let sd = if n > 1 { (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt() } else { 0.0 };
    (mean, sd)
}

// The metric names below say how far ahead the multi-step forecast looks.
const _: () = assert!(MULTI_STEP == 5, "rename the \"5 frames ahead\" metrics");

/// Metric names in the order the report lists them. Each row sets the model's value
/// beside a floor or baseline: persistence, the majority class or the training mean for
/// the first ones, the named baseline for the `vs` rows, the absolute correlation for
/// edges and anatomy.
pub const METRICS: [&str; 17] = [
    "forecast MSE",
    "forecast R^2",
    "forecast MSE vs linear AR",
    "forecast MSE, 5 frames ahead",
    "forecast R^2, 5 frames ahead",
    "forecast MSE, shared neurons",
    "forecast MSE vs linear AR, shared neurons",
    "forecast MSE vs VAR",
    "behaviour accuracy",
    "behaviour macro-F1",
    "signal R^2",
    "edge AUROC",
    "edge AUROC vs partial correlation",
    "edge AUROC vs VAR(1) coefficient",
    "anatomy AUROC",
    "anatomy AUROC vs partial correlation",
    "anatomy AUROC vs VAR(1) coefficient",
];

/// A field of a CSV row, quoted where it holds a comma, a quote or a line break (RFC
/// 4180), so `forecast MSE, 5 frames ahead` stays one column in a spreadsheet.
fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

impl FoldResult {
    /// One of [`METRICS`]: the model's value and its floor's (or the baseline's), when
    /// this fold scored it.
    pub fn metric(&self, metric: &str) -> Option<(f64, f64)> {
        match metric {
            "forecast MSE" => self.forecast.map(|p| (p.first, p.floor_first)),
            "forecast R^2" => self.forecast.map(|p| (p.second, p.floor_second)),
            "forecast MSE vs linear AR" => self.linear_ar.map(|p| (p.first, p.floor_first)),
            "forecast MSE vs linear AR, shared neurons" => self.linear_ar_shared.map(|p| (p.first, p.floor_first)),
            "forecast MSE vs VAR" => self.var.map(|p| (p.first, p.floor_first)),
            "forecast MSE, 5 frames ahead" => self.forecast_ahead.map(|p| (p.first, p.floor_first)),
            "forecast R^2, 5 frames ahead" => self.forecast_ahead.map(|p| (p.second, p.floor_second)),
            "forecast MSE, shared neurons" => self.forecast_shared.map(|p| (p.first, p.floor_first)),
            "behaviour accuracy" => self.behaviour.map(|p| (p.first, p.floor_first)),
            "behaviour macro-F1" => self.behaviour.map(|p| (p.second, p.floor_second)),
            "signal R^2" => self.signals.map(|p| (p.first, p.floor_first)),
            "edge AUROC" => self.edges.as_ref().map(|e| (e.gnn.auroc, e.correlation.auroc)),
            "edge AUROC vs partial correlation" => {
                self.edges.as_ref().and_then(|e| Some((e.gnn.auroc, e.partial_correlation.as_ref()?.auroc)))
            }
            "edge AUROC vs VAR(1) coefficient" => {
                self.edges.as_ref().and_then(|e| Some((e.gnn.auroc, e.var_coefficient.as_ref()?.auroc)))
            }
            "anatomy AUROC" => self.anatomy.as_ref().map(|a| (a.auroc, a.correlation_auroc)),
            "anatomy AUROC vs partial correlation" => {
                self.anatomy.as_ref().and_then(|a| Some((a.auroc, a.partial_correlation_auroc?)))
            }
            "anatomy AUROC vs VAR(1) coefficient" => self.anatomy.as_ref().and_then(|a| Some((a.auroc, a.var_auroc?))),
            _ => None,
        }
    }
}

pub(super) fn summarise(folds: &[FoldResult], models: &[ModelKind]) -> Vec<SummaryRow> {
    let mut rows = Vec::new();
    for &model in models {
        let of_model: Vec<&FoldResult> = folds.iter().filter(|f| f.model == model).collect();
        for metric in METRICS {
            let pairs: Vec<(f64, f64)> = of_model
                .iter()
                .filter_map(|f| f.metric(metric))
                .filter(|(a, b)| a.is_finite() && b.is_finite())
                .collect();
            if pairs.is_empty() {
                continue;
            }
            let (mean, sd) = mean_sd(&pairs.iter().map(|p| p.0).collect::<Vec<_>>());
            let (floor_mean, floor_sd) = mean_sd(&pairs.iter().map(|p| p.1).collect::<Vec<_>>());
            rows.push(SummaryRow {
                model,
                metric: metric.to_owned(),
                mean,
                sd,
                floor_mean,
                floor_sd,
                folds: pairs.len(),
            });
        }
    }
    rows
}

pub(super) fn verdict(summary: &[SummaryRow], folds: &[FoldResult]) -> Vec<String> {
    let row = |model: ModelKind, metric: &str| summary.iter().find(|r| r.model == model && r.metric == metric);
    let mut out = Vec::new();
    if let Some(gnn) = row(ModelKind::Gnn, "forecast MSE") {
        let beats_floor = folds
            .iter()
            .filter(|f| f.model == ModelKind::Gnn)
            .filter_map(|f| f.forecast)
            .filter(|p| p.first < p.floor_first)
            .count();
        out.push(format!(
            "Unseen animals: the GNN's one-step forecast MSE is {:.4} ± {:.4} against persistence's {:.4} ± {:.4}; it beats persistence on {beats_floor} of {} held-out animals.",
            gnn.mean, gnn.sd, gnn.floor_mean, gnn.floor_sd, gnn.folds
        ));
        if let Some(a) = row(ModelKind::Gnn, "forecast MSE, 5 frames ahead") {
            out.push(format!(
                "Five frames ahead (the GNN's own predictions fed back): MSE {:.4} ± {:.4} against persistence's {:.4} ± {:.4}.",
                a.mean, a.sd, a.floor_mean, a.floor_sd
            ));
        }
        let shared = row(ModelKind::Gnn, "forecast MSE, shared neurons");
        for other in [ModelKind::Mlp, ModelKind::Gru] {
            let Some(b) = row(other, "forecast MSE") else { continue };
            // Same neurons and frames: the GNN's MSE on the neurons the baseline reads.
            let Some(g) = shared else { continue };
            let wins = folds
                .iter()
                .filter(|f| f.model == ModelKind::Gnn)
                .filter_map(|gf| {
                    let o = folds.iter().find(|f| f.model == other && f.held_out == gf.held_out)?;
                    Some(gf.forecast_shared?.first < o.forecast?.first)
                })
                .filter(|&w| w)
                .count();
            let holds = if g.mean < b.mean { "holds" } else { "does not hold" };
            let neurons = folds.iter().find(|f| f.model == other).map_or(0, |f| f.neurons);
            out.push(format!(
                "GNN vs {name}, on the {neurons} named neurons every animal shares (what the {name} reads): forecast MSE {:.4} vs {:.4}, lower is better, the GNN lower in {wins} of {} folds: the claim that the GNN beats the structure-agnostic {name} {holds} on this data.",
                g.mean,
                b.mean,
                g.folds,
                name = other.short_label(),
            ));
        }
    }
    for (metric, neurons) in [
        ("forecast MSE vs linear AR", "all neurons"),
        ("forecast MSE vs linear AR, shared neurons", "the shared named neurons"),
    ] {
        for model in ModelKind::ALL {
            let Some(r) = row(model, metric) else { continue };
            // The GNN's shared-neuron row is the comparison the MLP and GRU rows make on all theirs.
            if model != ModelKind::Gnn && metric != "forecast MSE vs linear AR" {
                continue;
            }
            out.push(linear_verdict(model, metric, neurons, r, folds));
        }
    }
    if let Some(e) = row(ModelKind::Gnn, "edge AUROC") {
        out.push(format!(
            "Known graph: the GNN's edge AUROC is {:.3} ± {:.3} against {:.3} ± {:.3} for the absolute correlation between neurons.",
            e.mean, e.sd, e.floor_mean, e.floor_sd
        ));
    }
    if let Some(a) = row(ModelKind::Gnn, "anatomy AUROC") {
        out.push(format!(
            "Anatomy: inferred strengths among named neurons rank anatomically connected pairs with AUROC {:.3} ± {:.3} (absolute correlation: {:.3}); 0.5 is chance.",
            a.mean, a.sd, a.floor_mean
        ));
    }
    out
}

/// One model against the linear AR on unseen animals, fold by fold, in a sentence.
fn linear_verdict(model: ModelKind, metric: &str, neurons: &str, r: &SummaryRow, folds: &[FoldResult]) -> String {
    let per_fold: Vec<(String, f64)> = folds
        .iter()
        .filter(|f| f.model == model)
        .filter_map(|f| f.metric(metric).map(|(m, ar)| (f.held_out.clone(), m / ar)))
        .collect();
    let wins = per_fold.iter().filter(|(_, ratio)| *ratio < 1.0).count();
    let list: Vec<String> = per_fold
        .iter()
        .map(|(animal, ratio)| {
            format!("{animal} {ratio:.3}x ({})", if *ratio < 1.0 { "beats" } else { "does not beat" })
        })
        .collect();
    let ratio = r.mean / r.floor_mean;
    let beats = if (ratio - 1.0).abs() < 0.01 {
        "is level with (within 1% of)"
    } else if ratio < 1.0 {
        "beats"
    } else {
        "does not beat"
    };
    format!(
        "{name} vs the linear AR on {neurons}: one-step MSE {:.4} against {:.4} ({:.3}x), lower in {wins} of {} held-out animals; per fold: {}. The {name} {beats} the linear AR on this data.",
        r.mean,
        r.floor_mean,
        ratio,
        per_fold.len(),
        list.join(", "),
        name = model.short_label(),
    )
}

impl StudyReport {
    /// The summary as CSV: `model,metric,mean,sd,floor_mean,floor_sd,folds`.
    pub fn summary_csv(&self) -> String {
        let mut out = String::from("model,metric,mean,sd,floor_mean,floor_sd,folds\n");
        for r in &self.summary {
            out.push_str(&format!(
                "{},{},{},{},{},{},{}\n",
                r.model.short_label(),
                csv_field(&r.metric),
                r.mean,
                r.sd,
                r.floor_mean,
                r.floor_sd,
                r.folds
            ));
        }
        out
    }

    /// Every fold as CSV: `held_out,model,neurons,metric,value,floor`.
    pub fn folds_csv(&self) -> String {
        let mut out = String::from("held_out,model,neurons,metric,value,floor\n");
        for f in &self.folds {
            for metric in METRICS {
                if let Some((value, floor)) = f.metric(metric) {
                    out.push_str(&format!(
                        "{},{},{},{},{value},{floor}\n",
                        csv_field(&f.held_out),
                        f.model.short_label(),
                        f.neurons,
                        csv_field(metric),
                    ));
                }
            }
        }
        out
    }

    /// The whole report as markdown: settings, summary table, verdict, top edges.
    pub fn markdown(&self) -> String {
        let c = &self.config;
        let models: Vec<&str> = c.models.iter().map(|&m| m.short_label()).collect();
        let mut out = format!(
            "# ganglion study: leave one animal out\n\nAnimals: {}. Models: {}. History {} frames; {} steps per run, batch {}, learning rate {}, seed {}.{}\n\n",
            self.animals.join(", "),
            models.join(", "),
            c.history,
            c.train.max_steps,
            c.train.batch_size,
            c.train.learning_rate,
            c.train.seed,
            if self.cancelled { " **Stopped before every fold ran.**" } else { "" }
        );
        out.push_str("| model | metric | mean | sd | floor / baseline | sd | folds |\n|---|---|---|---|---|---|---|\n");
        for r in &self.summary {
            out.push_str(&format!(
                "| {} | {} | {:.4} | {:.4} | {:.4} | {:.4} | {} |\n",
                r.model.short_label(),
                r.metric,
                r.mean,
                r.sd,
                r.floor_mean,
                r.floor_sd,
                r.folds
            ));
        }
        out.push_str(
            "\nFloors: persistence (next frame = last) for forecasts, the majority class for behaviour, \
             the training mean for continuous signals, the absolute correlation between neurons for \
             edges and anatomy; a `vs` row's baseline is the one it names (the linear AR: one ridge \
             regression from a neuron's last frames to its next, shared by every neuron and animal).\n\n",
        );
        for line in &self.verdict {
            out.push_str(&format!("- {line}\n"));
        }
        for f in self.folds.iter().filter(|f| f.anatomy.is_some()) {
            let Some(a) = &f.anatomy else { continue };
            out.push_str(&format!(
                "\n## Strongest inferred interactions, {} held out ({} named neurons, {} connected pairs)\n\n| from | to | strength | in the wiring diagram |\n|---|---|---|---|\n",
                f.held_out, a.neurons, a.connected_pairs
            ));
            for e in &a.top_edges {
                out.push_str(&format!(
                    "| {} | {} | {:.3} | {} |\n",
                    e.from,
                    e.to,
                    e.strength,
                    if e.anatomical { "yes" } else { "no" }
                ));
            }
        }
        out
    }
}
