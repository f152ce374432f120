//! The notebook page: load a recording, look at it, train in the worker, evaluate.

use std::sync::Arc;

use crate::files::{label, load_all, source_of};
use ganglion_data::layout::FileTree;
use ganglion_data::synth::synth_worms;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::client::{Client, Run, Status};
use crate::protocol::Source;
use crate::sample::sample_config;
use crate::settings::Settings;
use crate::state::{LoadState, Loaded, Picking};
use crate::summary::summarise;
use crate::views::explore::Explorer;
use crate::views::models::Models;
use crate::views::picker::Picker;
use crate::views::results::Results;
use crate::views::study::StudyPanel;
use crate::views::train::TrainPanel;

/// The seed of the bundled synthetic worms.
const SAMPLE_SEED: u64 = 7;

fn query() -> String {
    window().location().search().unwrap_or_default()
}

/// The whole notebook page.
#[component]
pub fn App() -> impl IntoView {
    let loaded = RwSignal::new(LoadState::Nothing);
    let settings = RwSignal::new(Settings::from_query(&query()));
    let run = RwSignal::new(Run::default());
    let restart = RwSignal::new(0u32);
    let spawn = move || match Client::spawn(run, restart) {
        Ok(c) => Some(c),
        Err(message) => {
            run.update(|r| r.status = Status::Failed(message));
            None
        }
    };
    let client = StoredValue::new_local(spawn());
    // A worker that died is replaced (the old one is terminated when dropped); the
    // failure stays on screen and the next run goes to the new worker.
    Effect::new(move |_| {
        if restart.get() > 0 {
            client.set_value(spawn());
        }
    });
    // The settings live in the URL, so a link reproduces a run setup.
    Effect::new(move |_| {
        let q = format!("?{}", settings.get().to_query());
        if q != query() {
            let _ =
                window().history().and_then(|h| h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&q)));
        }
    });
    let states = Signal::derive(move || {
        loaded.with(|l| {
            l.data()
                .and_then(|d| d.recordings.iter().find_map(|r| r.behaviour().map(|b| b.states.clone())))
                .unwrap_or_default()
        })
    });
    view! {
        <main class="notebook">
            <header>
                <h1>"ganglion"</h1>
                <p class="tagline">
                    "Neural-population models that train in your browser. Nothing you load leaves this page."
                </p>
                <nav class="hint">
                    <a href="embed.html">"ganglion in a documentation page"</a>
                    " · "
                    <a href="embed-howto.html">"how to embed each widget"</a>
                </nav>
            </header>
            <Loader loaded=loaded />
            <Summary loaded=loaded />
            {move || loaded.with(|l| l.data().map(|d| view! { <Explorer recordings=d.recordings.clone() /> }))}
            <TrainPanel loaded=loaded settings=settings run=run client=client />
            <Results run=run states=states />
            <StudyPanel loaded=loaded settings=settings run=run client=client />
            <Models loaded=loaded settings=settings run=run client=client />
        </main>
    }
}

/// File picker (and drop zone) plus the bundled synthetic worms.
#[component]
fn Loader(loaded: RwSignal<LoadState>) -> impl IntoView {
    let load_files = move |picked: Vec<web_sys::File>| {
        leptos::task::spawn_local(async move {
            let mut files: Vec<(String, Vec<u8>)> = Vec::new();
            for file in picked {
                let name = file.name();
                match JsFuture::from(file.array_buffer()).await {
                    Ok(buffer) => files.push((name, js_sys::Uint8Array::new(&buffer).to_vec())),
                    Err(_) => {
                        loaded.set(LoadState::Failed(format!("{name}: the browser could not read the file")));
                        return;
                    }
                }
            }
            loaded.set(load_state(files));
        });
    };
    let on_file = move |ev: leptos::ev::Event| {
        let input = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        if let Some(list) = input.and_then(|i| i.files()) {
            load_files((0..list.length()).filter_map(|i| list.get(i)).collect());
        }
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        if let Some(list) = ev.data_transfer().and_then(|d| d.files()) {
            load_files((0..list.length()).filter_map(|i| list.get(i)).collect());
        }
    };
    let on_sample = move |_| {
        let recordings = synth_worms(&sample_config(SAMPLE_SEED));
        loaded.set(LoadState::Loaded(Loaded {
            label: format!("synthetic worms (seed {SAMPLE_SEED}, known graph)"),
            source: Source::sample(SAMPLE_SEED),
            bytes: None,
            recordings: Arc::new(recordings),
            warnings: Vec::new(),
        }));
    };
    view! {
        <section class="loader" on:dragover=|ev: leptos::ev::DragEvent| ev.prevent_default() on:drop=on_drop>
            <h2>"Load a recording"</h2>
            <label>
                "NPY, NPZ, CSV/TSV, JSON, MATLAB .mat (v5, v7.3) or NWB; several files (one per animal) \
                 make a study (or drop files here): "
                <input type="file" multiple data-testid="file-input" on:change=on_file />
            </label>
            <button data-testid="load-sample" on:click=on_sample>"Use synthetic worms"</button>
        </section>
    }
}

/// Reads `files` (each in its built-in layout) into one set of recordings; when they do
/// not read and the first is an HDF5/NWB/MATLAB tree, the picker takes over (the layout
/// picked there then reads every file).
fn load_state(files: Vec<(String, Vec<u8>)>) -> LoadState {
    let Some((first_name, first_bytes)) = files.first() else { return LoadState::Nothing };
    let parts: Vec<(String, &[u8])> = files.iter().map(|(n, b)| (n.clone(), b.as_slice())).collect();
    match load_all(&parts, None, &[]) {
        Ok((recordings, warnings)) => {
            let (source, bytes) = source_of(&files, None, Vec::new());
            LoadState::Loaded(Loaded {
                label: label(&files),
                source,
                bytes: Some(Arc::new(bytes)),
                recordings: Arc::new(recordings),
                warnings,
            })
        }
        Err(e) => match FileTree::read(first_bytes, Some(first_name)) {
            Ok(tree) => LoadState::Picking(Box::new(Picking {
                files: Arc::new(files),
                tree: Arc::new(tree),
                reason: e.to_string(),
            })),
            Err(_) => LoadState::Failed(e.to_string()),
        },
    }
}

/// What was loaded, or the loader's error.
#[component]
fn Summary(loaded: RwSignal<LoadState>) -> impl IntoView {
    move || {
        loaded.with(|l| match l {
            LoadState::Nothing => view! { <p class="hint">"No recording loaded yet."</p> }.into_any(),
            LoadState::Picking(picking) => view! { <Picker picking=(**picking).clone() loaded=loaded /> }.into_any(),
            LoadState::Failed(message) => {
                view! { <p class="error" data-testid="load-error" role="alert">{message.clone()}</p> }.into_any()
            }
            LoadState::Loaded(data) => {
                let rows = summarise(&data.recordings)
                    .into_iter()
                    .map(|r| {
                        view! {
                            <tr>
                                <td>{r.animal}</td>
                                <td>{r.neurons}</td>
                                <td>{r.frames}</td>
                                <td>{r.rate}</td>
                                <td>{r.states}</td>
                                <td>{if r.graph { "yes" } else { "no" }}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                let warnings = data.warnings.iter().map(|w| view! { <li>{w.clone()}</li> }).collect_view();
                view! {
                    <section class="summary" data-testid="summary">
                        <h2>{format!("Loaded {}", data.label)}</h2>
                        <ul class="warnings" data-testid="load-warnings">{warnings}</ul>
                        <table>
                            <thead>
                                <tr>
                                    <th>"animal"</th><th>"neurons"</th><th>"frames"</th>
                                    <th>"rate"</th><th>"behaviour states"</th><th>"known graph"</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </section>
                }
                .into_any()
            }
        })
    }
}
