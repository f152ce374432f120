//! Keeping models: save the trained model in this browser (IndexedDB) or as a file,
//! upload a model file, and score any kept model on the loaded recording.

use std::sync::Arc;

use ganglion_train::saved::{Setup, read_setup};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::download_bytes;
use crate::client::{Client, Run, Status};
use crate::protocol::Request;
use crate::settings::Settings;
use crate::state::LoadState;
use crate::store::{self, SavedModel};

/// One line about a saved model: which model, task, steps and training animals.
pub fn describe(setup: &Setup) -> String {
    let model = setup.experiment.model.label();
    let task = setup.experiment.task.label();
    let animals = setup.train_animals.len();
    let plural = if animals == 1 { "" } else { "s" };
    format!("{model}, {task}, {} steps, trained on {animals} recording{plural}", setup.steps)
}

/// The models panel.
#[component]
pub fn Models(
    /// What is loaded.
    loaded: RwSignal<LoadState>,
    /// The run settings (for the device).
    settings: RwSignal<Settings>,
    /// The current run.
    run: RwSignal<Run>,
    /// The worker.
    client: StoredValue<Option<Client>, LocalStorage>,
) -> impl IntoView {
    let saved = RwSignal::new(Vec::<SavedModel>::new());
    let message = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let refresh = move || {
        leptos::task::spawn_local(async move {
            match store::list().await {
                Ok(list) => saved.set(list),
                Err(e) => message.set(e),
            }
        })
    };
    refresh();
    let busy = move || run.with(|r| r.status == Status::Running);
    let trained = move || run.with(|r| if r.status == Status::Done { r.model.clone() } else { None });
    let evaluate = move |bytes: Arc<Vec<u8>>| {
        let Some(data) = loaded.with_untracked(|l| l.data().cloned()) else {
            message.set("load a recording first: the model is scored on its last animal".into());
            return;
        };
        if let Err(e) = read_setup(&bytes) {
            message.set(e.to_string());
            return;
        }
        let request = Request::Evaluate { source: data.source.clone(), backend: settings.get_untracked().backend };
        run.update(|r| *r = r.evaluating(bytes.clone()));
        let sent = client.with_value(|c| match c {
            Some(c) => c.send(&request, data.bytes.as_deref().map(Vec::as_slice), Some(&bytes)),
            None => Err("the training worker is not running".into()),
        });
        if let Err(e) = sent {
            run.update(|r| r.status = Status::Failed(e));
        }
    };
    let save = move |_| {
        let Some(bytes) = trained() else { return };
        let summary = read_setup(&bytes).map(|s| describe(&s)).unwrap_or_default();
        let label = name.get_untracked();
        let label = if label.trim().is_empty() { summary.clone() } else { label.trim().to_owned() };
        leptos::task::spawn_local(async move {
            match store::save(&label, &summary, &bytes).await {
                Ok(_) => {
                    message.set(format!("saved \"{label}\" in this browser"));
                    refresh();
                }
                Err(e) => message.set(e),
            }
        });
    };
    let on_upload = move |ev: leptos::ev::Event| {
        let input = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        let Some(file) = input.and_then(|i| i.files()).and_then(|f| f.get(0)) else { return };
        leptos::task::spawn_local(async move {
            match JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => evaluate(Arc::new(js_sys::Uint8Array::new(&buffer).to_vec())),
                Err(_) => message.set(format!("{}: the browser could not read the file", file.name())),
            }
        });
    };
    let rows = move || {
        saved
            .get()
            .into_iter()
            .map(|m| {
                let (for_eval, for_download, id) = (m.bytes.clone(), m.bytes.clone(), m.id);
                let file = format!("{}.ganglion", m.name.replace(|c: char| !c.is_alphanumeric(), "-"));
                view! {
                    <tr data-testid="saved-model">
                        <td>{m.name.clone()}</td>
                        <td>{m.summary.clone()}</td>
                        <td>{m.saved_at.clone()}</td>
                        <td>
                            <button data-testid="evaluate-saved" disabled=busy
                                on:click=move |_| evaluate(for_eval.clone())>"Score on loaded recording"</button>
                            <button on:click=move |_| download_bytes(&file, "application/octet-stream", &for_download)>
                                "Download"
                            </button>
                            <button data-testid="delete-saved" on:click=move |_| {
                                leptos::task::spawn_local(async move {
                                    match store::delete(id).await {
                                        Ok(()) => refresh(),
                                        Err(e) => message.set(e),
                                    }
                                })
                            }>"Delete"</button>
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <section class="models" data-testid="models">
            <h2>"Models"</h2>
            <Show when=move || trained().is_some()>
                <p>
                    <input type="text" placeholder="name (optional)" data-testid="model-name"
                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                    <button data-testid="save-model" on:click=save>"Save in this browser"</button>
                    <button data-testid="download-model" on:click=move |_| {
                        if let Some(bytes) = trained() {
                            download_bytes("ganglion-model.ganglion", "application/octet-stream", &bytes);
                        }
                    }>"Download model"</button>
                </p>
            </Show>
            <label>
                "Score a model file on the loaded recording: "
                <input type="file" accept=".ganglion" data-testid="model-input" on:change=on_upload />
            </label>
            <p class="hint" data-testid="models-message" role="status">{move || message.get()}</p>
            <Show when=move || !saved.with(Vec::is_empty) fallback=|| view! { <p class="hint">"No model saved in this browser yet."</p> }>
                <table data-testid="saved-models">
                    <thead><tr><th>"name"</th><th>"model"</th><th>"saved"</th><th></th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </Show>
        </section>
    }
}
