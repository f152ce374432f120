//! The notebook shell: load a recording, see what it holds.

use ganglion_data::synth::{SynthConfig, synth_worms};
use ganglion_data::{LoadOptions, Recording, format};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::summary::summarise;

/// What the loader last produced.
#[derive(Clone)]
enum Loaded {
    Nothing,
    Recordings { source: String, recordings: Vec<Recording> },
    Failed(String),
}

/// The whole notebook page.
#[component]
pub fn App() -> impl IntoView {
    let loaded = RwSignal::new(Loaded::Nothing);
    view! {
        <main class="notebook">
            <header>
                <h1>"ganglion"</h1>
                <p class="tagline">
                    "Neural-population models that train in your browser. Nothing you load leaves this page."
                </p>
            </header>
            <Loader loaded=loaded />
            <Summary loaded=loaded />
        </main>
    }
}

/// File picker plus the bundled synthetic worm.
#[component]
fn Loader(loaded: RwSignal<Loaded>) -> impl IntoView {
    let on_file = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
        leptos::task::spawn_local(async move {
            let name = file.name();
            let result = match JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => {
                    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                    format::load(&bytes, &LoadOptions::for_file(name.clone())).map_err(|e| e.to_string())
                }
                Err(_) => Err(format!("{name}: the browser could not read the file")),
            };
            loaded.set(match result {
                Ok(recordings) => Loaded::Recordings { source: name, recordings },
                Err(message) => Loaded::Failed(message),
            });
        });
    };
    let on_sample = move |_| {
        let recordings = synth_worms(&SynthConfig::default());
        loaded.set(Loaded::Recordings { source: "synthetic worms (seed 7)".into(), recordings });
    };
    view! {
        <section class="loader">
            <h2>"Load a recording"</h2>
            <label>
                "NPY, NPZ, CSV/TSV, JSON, MATLAB .mat (v5, v7.3) or NWB: "
                <input type="file" data-testid="file-input" on:change=on_file />
            </label>
            <button data-testid="load-sample" on:click=on_sample>"Use a synthetic worm"</button>
        </section>
    }
}

/// What was loaded, or the loader's error.
#[component]
fn Summary(loaded: RwSignal<Loaded>) -> impl IntoView {
    move || match loaded.get() {
        Loaded::Nothing => view! { <p class="hint">"No recording loaded yet."</p> }.into_any(),
        Loaded::Failed(message) => {
            view! { <p class="error" data-testid="load-error" role="alert">{message}</p> }.into_any()
        }
        Loaded::Recordings { source, recordings } => {
            let rows = summarise(&recordings)
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
            view! {
                <section class="summary" data-testid="summary">
                    <h2>{format!("Loaded {source}")}</h2>
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
    }
}
