//! Evaluate: the metrics table beside the floors, the confusion matrix, predicted vs
//! true traces, the inferred graph beside the known one, and downloads of the report.

use std::sync::Arc;

use ganglion_train::experiment::{HeldOut, Report, Scores, Task};
use leptos::prelude::*;

use super::charts::{NodeLink, Traces};
use super::{FIGURES, PixelCanvas, download, download_figure};
use crate::client::Run;
use crate::draw::matrix;
use crate::export::{MetricRow, MetricTable, metric_rows, report_csv};

/// A metric row: the model's value, the floor's, the linear AR's (forecasting) and the
/// MLP baseline's (when one was trained beside it), each with a test id and raw value.
fn row(r: MetricRow, linear_column: bool, mlp_column: bool) -> impl IntoView {
    let key = r.key;
    let cell = move |who: &'static str, v: Option<f64>| {
        let text = v.map_or("–".to_owned(), |v| format!("{v:.4}"));
        view! { <td data-testid=format!("{key}-{who}") data-value=v.map(|v| v.to_string())>{text}</td> }
    };
    view! {
        <tr>
            <th scope="row">{r.label}</th>
            {cell("model", Some(r.model))}
            {cell("floor", r.floor)}
            {linear_column.then(|| cell("linear", r.linear))}
            {mlp_column.then(|| cell("mlp", r.mlp))}
        </tr>
    }
}

fn metrics(report: &Report) -> impl IntoView + use<> {
    let MetricTable { floor, linear, rows } = metric_rows(report);
    let mlp_column = report.mlp.is_some();
    let rows = rows.into_iter().map(|r| row(r, linear.is_some(), mlp_column)).collect_view();
    let linear_head = linear.map(|l| view! { <th>{format!("{l} (same neurons, closed form)")}</th> });
    let mlp_head = report.mlp.as_ref().map(|m| {
        let which = if m.neurons == report.neurons {
            "same neurons and steps".to_owned()
        } else {
            format!("same steps, on the {} named neurons every animal shares", m.neurons)
        };
        view! { <th>{format!("MLP ({which})")}</th> }
    });
    let held = match report.held_out {
        HeldOut::Animal => format!("scored on {}, an animal never seen in training", report.test_animal),
        HeldOut::Time => format!("scored on the last third of {}, never seen in training", report.test_animal),
        HeldOut::Saved if report.experiment.task == Task::LongMemory => {
            format!("a saved model scored on {}", report.test_animal)
        }
        HeldOut::Saved => format!("a saved model scored on the second half of {}", report.test_animal),
        HeldOut::Trials => format!("scored on {}", report.test_animal),
    };
    view! {
        <table class="metrics" data-testid="metrics">
            <caption>{held}</caption>
            <thead><tr><th></th><th>{report.experiment.model.label()}</th><th>{floor}</th>{linear_head}{mlp_head}</tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

fn confusion(report: &Report, states: &[String]) -> Option<impl IntoView + use<>> {
    let Scores::Behaviour { model, .. } = &report.scores else { return None };
    let name = |k: usize| states.get(k).cloned().unwrap_or_else(|| format!("state {k}"));
    let head = (0..model.confusion.counts.len()).map(|k| view! { <th>{name(k)}</th> }).collect_view();
    let body = model
        .confusion
        .counts
        .iter()
        .enumerate()
        .map(|(t, row)| {
            let cells = row.iter().map(|c| view! { <td>{*c}</td> }).collect_view();
            view! { <tr><th scope="row">{name(t)}</th>{cells}</tr> }
        })
        .collect_view();
    Some(view! {
        <table class="confusion" data-testid="confusion">
            <caption>"confusion matrix (rows: true state, columns: predicted)"</caption>
            <thead><tr><th></th>{head}</tr></thead>
            <tbody>{body}</tbody>
        </table>
    })
}

fn graph(report: &Report) -> Option<impl IntoView + use<>> {
    let g = report.graph.clone()?;
    let inferred = Signal::derive({
        let p = g.probability.clone();
        move || Some(matrix(&p, false))
    });
    let truth = g.truth.clone().map(|t| Signal::derive(move || Some(matrix(&t, true))));
    let auroc = report.edges.as_ref().map(|e| format!("AUROC {:.3} against the known graph", e.auroc));
    Some(view! {
        <div class="graphs">
            <figure>
                <PixelCanvas pixels=inferred testid="graph-inferred" class="matrix" label="inferred interactions" />
                <figcaption>"inferred edge probability (row sends to column)"</figcaption>
            </figure>
            {truth.map(|t| view! {
                <figure>
                    <PixelCanvas pixels=t testid="graph-truth" class="matrix" label="known interactions" />
                    <figcaption>"known graph (red excites, blue inhibits)"</figcaption>
                </figure>
            })}
            <figure>
                <NodeLink names=g.names probability=g.probability truth=g.truth />
                <figcaption>{auroc.unwrap_or_else(|| "strongest inferred edges".into())}" · green: in the known graph"</figcaption>
            </figure>
        </div>
    })
}

fn preview(report: &Report) -> Option<impl IntoView + use<>> {
    let p = report.preview.clone()?;
    let charts = p
        .names
        .into_iter()
        .zip(p.truth)
        .zip(p.predicted)
        .map(|((name, truth), predicted)| {
            view! { <Traces title=format!("{name}: true (solid) and predicted (dashed)") truth=truth predicted=predicted /> }
        })
        .collect_view();
    Some(view! { <div class="previews" data-testid="preview">{charts}</div> })
}

/// The results of the last run.
#[component]
pub fn Results(
    /// The run.
    run: RwSignal<Run>,
    /// Behaviour state names of the loaded recordings.
    #[prop(into)]
    states: Signal<Vec<String>>,
) -> impl IntoView {
    move || {
        let report: Arc<Report> = run.with(|r| r.report.clone())?;
        // Written when asked for: at 302 neurons the report's JSON carries two 91,204-entry
        // matrices, and writing it as the results appear held the page's main thread.
        let (for_json, for_csv) = (Arc::clone(&report), Arc::clone(&report));
        Some(view! {
            <section class="results" data-testid="results">
                <h2>"Evaluate"</h2>
                {metrics(&report)}
                {confusion(&report, &states.get())}
                {graph(&report)}
                {preview(&report)}
                <div class="controls">
                    <button on:click=move |_| {
                        download("ganglion-report.json", "application/json", &serde_json::to_string_pretty(&*for_json).unwrap_or_default())
                    }>
                        "Download report (JSON)"
                    </button>
                    <button on:click=move |_| download("ganglion-report.csv", "text/csv", &report_csv(&for_csv))>
                        "Download metrics (CSV)"
                    </button>
                </div>
                <div class="controls" data-testid="figures">
                    "Figures: "
                    {FIGURES
                        .iter()
                        .map(|&(testid, name)| {
                            view! {
                                <button data-figure=testid on:click=move |_| download_figure(testid, name)>{name.trim_start_matches("ganglion-").to_owned()}</button>
                            }
                        })
                        .collect_view()}
                </div>
            </section>
        })
    }
}
