//! The study panel: leave-one-animal-out over every loaded animal (GNN, MLP and GRU
//! beside the floors, the inferred graph against the wiring diagram), run in the worker
//! with the train panel's settings; the summary table, the verdict in words, and the
//! report as JSON, CSV or markdown.

use leptos::prelude::*;

use crate::client::{Client, Run, Status};
use crate::protocol::Request;
use crate::settings::Settings;
use crate::state::LoadState;
use crate::views::download;
use ganglion_train::experiment::ModelKind;
use ganglion_train::study::{STUDY_MODELS, StudyConfig, StudyReport};

fn table(report: &StudyReport) -> impl IntoView + use<> {
    let rows = report
        .summary
        .iter()
        .map(|r| {
            view! {
                <tr>
                    <td>{r.model.short_label()}</td>
                    <td>{r.metric.clone()}</td>
                    <td>{format!("{:.4} ± {:.4}", r.mean, r.sd)}</td>
                    <td>{format!("{:.4} ± {:.4}", r.floor_mean, r.floor_sd)}</td>
                    <td>{r.folds}</td>
                </tr>
            }
        })
        .collect_view();
    let verdict = report.verdict.iter().map(|v| view! { <li>{v.clone()}</li> }).collect_view();
    let (json, csv, markdown) = (
        serde_json::to_string_pretty(report).unwrap_or_default(),
        format!("{}\n{}", report.summary_csv(), report.folds_csv()),
        report.markdown(),
    );
    view! {
        <table data-testid="study-table">
            <thead>
                <tr><th>"model"</th><th>"metric"</th><th>"mean ± sd over held-out animals"</th>
                <th>"floor / baseline"</th><th>"folds"</th></tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        <ul data-testid="study-verdict">{verdict}</ul>
        <div class="actions">
            <button on:click=move |_| download("ganglion-study.json", "application/json", &json)>"Download JSON"</button>
            <button on:click=move |_| download("ganglion-study.csv", "text/csv", &csv)>"Download CSV"</button>
            <button on:click=move |_| download("ganglion-study.md", "text/markdown", &markdown)>"Download markdown"</button>
        </div>
    }
}

/// The study panel (shown when two or more animals are loaded).
#[component]
pub fn StudyPanel(
    /// What is loaded.
    loaded: RwSignal<LoadState>,
    /// The train panel's settings (steps, history, batch, learning rate, device).
    settings: RwSignal<Settings>,
    /// The current run.
    run: RwSignal<Run>,
    /// The worker.
    client: StoredValue<Option<Client>, LocalStorage>,
) -> impl IntoView {
    let animals = move || loaded.with(|l| l.data().map_or(0, |d| d.recordings.len()));
    let busy = move || run.with(|r| r.status == Status::Running);
    let models = RwSignal::new(STUDY_MODELS.to_vec());
    let behaviour = RwSignal::new(true);
    let start = move |_| {
        let Some(data) = loaded.with_untracked(|l| l.data().cloned()) else { return };
        let s = settings.get_untracked();
        let config = StudyConfig {
            models: models.get_untracked(),
            history: s.history,
            decoder: s.decoder,
            train: s.experiment().train,
            behaviour: behaviour.get_untracked(),
        };
        let request = Request::Study { source: data.source.clone(), config, backend: s.backend };
        crate::views::train::start_run(client, run, &request, &data, s.steps);
    };
    let stage = move || {
        run.with(|r| r.stage.clone()).map(|(k, n, label)| {
            view! { <p data-testid="study-stage">{format!("run {k} of {n}: {label}")}</p> }
        })
    };
    let result = move || run.with(|r| r.study.clone()).map(|report| table(&report));
    let failure = move || {
        run.with(|r| match &r.status {
            Status::Failed(message) => {
                Some(view! { <p class="error" role="alert" data-testid="study-error">{message.clone()}</p> })
            }
            _ => None,
        })
    };
    let model_box = move |model: ModelKind| {
        view! {
            <label>
                <input
                    type="checkbox"
                    data-testid=format!("study-model-{}", model.name())
                    prop:checked=move || models.with(|m| m.contains(&model))
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        models.update(|m| {
                            m.retain(|k| *k != model);
                            if on {
                                m.push(model);
                                m.sort_by_key(|k| STUDY_MODELS.iter().position(|x| x == k));
                            }
                        });
                    }
                />
                {model.short_label()}
            </label>
        }
    };
    move || {
        (animals() >= 2).then(|| {
            view! {
                <section class="study" data-testid="study">
                    <h2>"Study: leave one animal out"</h2>
                    <p class="hint">
                        {move || format!(
                            "Holds out each of the {} animals in turn and trains the GNN, the MLP and the GRU on the \
                             rest (train panel settings), scoring forecasts and behaviour beside the floors, and the \
                             GNN's inferred graph against the wiring diagram.",
                            animals()
                        )}
                    </p>
                    <div class="controls">
                        {STUDY_MODELS.map(model_box)}
                        <label>
                            <input
                                type="checkbox"
                                data-testid="study-behaviour"
                                prop:checked=move || behaviour.get()
                                on:change=move |ev| behaviour.set(event_target_checked(&ev))
                            />
                            "decode behaviour too"
                        </label>
                        <button data-testid="run-study" on:click=start disabled=move || busy() || models.with(Vec::is_empty)>
                            "Run study"
                        </button>
                    </div>
                    {stage}
                    {failure}
                    {result}
                </section>
            }
        })
    }
}
