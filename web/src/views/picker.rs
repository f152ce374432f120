//! The layout picker: a file no preset reads is shown as its tree of groups and
//! datasets; the user says which is the activity, the time, the names and the
//! behaviour, and loads it, or downloads the choice as a layout preset to reuse (the CLI
//! reads the same file with `--layout`). Names tables kept beside the data may be picked
//! too, several at once: how they pair with the files (by stem) is shown before loading.

use std::sync::Arc;

use ganglion_data::layout::Layout;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::files::{label, load_all, source_of};
use crate::layout_pick::{
    NamesPlan, Picks, ROLES, Role, build_layout, names_plan, suggest_animals, suggest_time_axis, with_names,
};
use crate::state::{LoadState, Loaded, Picking};
use crate::views::download;

/// How the picked names tables pair with `picking`'s files.
fn plan(picking: &Picking, picks: &Picks) -> Result<NamesPlan, String> {
    names_plan(&picking.names(), &picks.name_tables, picks.name_base).map_err(|e| e.to_string())
}

/// Loads `picking`'s files through `layout` (with the picked names tables) into
/// `loaded`, or says why not.
fn apply(
    picking: &Picking,
    layout: Layout,
    picks: &Picks,
    loaded: RwSignal<LoadState>,
    error: RwSignal<Option<String>>,
) {
    let (layout, tables) = match with_names(layout, &picking.names(), picks) {
        Ok(named) => named,
        Err(e) => return error.set(Some(e.to_string())),
    };
    let parts: Vec<(String, &[u8])> = picking.files.iter().map(|(n, b)| (n.clone(), b.as_slice())).collect();
    match load_all(&parts, Some(&layout), &tables) {
        Ok((recordings, warnings)) => {
            let (source, bytes) = source_of(&picking.files, Some(layout), tables);
            loaded.set(LoadState::Loaded(Loaded {
                label: label(&picking.files),
                source,
                bytes: Some(Arc::new(bytes)),
                recordings: Arc::new(recordings),
                warnings,
            }));
        }
        Err(e) => error.set(Some(e.to_string())),
    }
}

/// The tree with a role menu per dataset, the animals pattern, time axis and rate.
#[component]
pub fn Picker(
    /// The file and its tree.
    picking: Picking,
    /// Where the loaded recordings go.
    loaded: RwSignal<LoadState>,
) -> impl IntoView {
    let picks = RwSignal::new(Picks::default());
    let error = RwSignal::new(None::<String>);
    let tree = picking.tree.clone();
    let entries = tree.entries();
    let set_role = {
        let tree = tree.clone();
        move |path: String, role: Role| {
            picks.update(|p| {
                p.roles.retain(|(q, _)| *q != path);
                if role != Role::None {
                    p.roles.push((path.clone(), role));
                }
                if role == Role::Activity && p.animals.is_empty() {
                    p.animals = suggest_animals(&tree, &path).unwrap_or_default();
                }
                if matches!(role, Role::Activity | Role::Time | Role::Names) {
                    p.time_axis = suggest_time_axis(&tree, p).or(p.time_axis);
                }
            });
        }
    };
    let rows = entries
        .into_iter()
        .filter(|e| e.kind != "group")
        .map(|entry| {
            let path = entry.path.clone();
            let set_role = set_role.clone();
            let options = ROLES
                .iter()
                .filter(|(_, _, role)| match entry.kind {
                    "texts" => matches!(role, Role::None | Role::Names),
                    "numbers" => *role != Role::Names || entry.shape.len() <= 1,
                    _ => *role == Role::None,
                })
                .map(|(key, label, _)| view! { <option value=*key>{*label}</option> })
                .collect_view();
            let on_change = move |ev: leptos::ev::Event| {
                let value = ev
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
                    .map(|s| s.value())
                    .unwrap_or_default();
                set_role(path.clone(), Role::from_key(&value));
            };
            let path_for_threshold = entry.path.clone();
            let is_continuous =
                move || picks.with(|p| p.roles.iter().any(|(q, r)| *q == path_for_threshold && *r == Role::Continuous));
            let path_for_input = entry.path.clone();
            let on_thresholds = move |ev: leptos::ev::Event| {
                let text = event_target_value(&ev);
                picks.update(|p| {
                    p.thresholds.retain(|(q, _)| *q != path_for_input);
                    p.thresholds.push((path_for_input.clone(), text));
                });
            };
            view! {
                <tr>
                    <td><code>{entry.path.clone()}</code></td>
                    <td>{entry.detail.clone()}</td>
                    <td>
                        <select data-testid=format!("role-{}", entry.path) on:change=on_change>{options}</select>
                        <Show when=is_continuous>
                            <input
                                type="text"
                                placeholder="thresholds, e.g. -0.1, 0.1 (empty: predict as is)"
                                on:change=on_thresholds.clone()
                            />
                        </Show>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let for_apply = picking.clone();
    let on_apply = {
        let tree = tree.clone();
        move |_| {
            error.set(None);
            let picks = picks.get();
            match build_layout(&tree, &picks, &for_apply.name()) {
                Ok(layout) => apply(&for_apply, layout, &picks, loaded, error),
                Err(message) => error.set(Some(message)),
            }
        }
    };
    let for_download = picking.clone();
    let on_download = {
        let tree = tree.clone();
        move |_| {
            let picks = picks.get();
            let layout = build_layout(&tree, &picks, &for_download.name())
                .and_then(|layout| with_names(layout, &for_download.names(), &picks).map_err(|e| e.to_string()))
                .map(|(layout, _)| layout);
            match layout {
                Ok(layout) => download("ganglion-layout.json", "application/json", &layout.to_json()),
                Err(message) => error.set(Some(message)),
            }
        }
    };
    let for_preset = picking.clone();
    let on_preset = move |ev: leptos::ev::Event| {
        let input = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        let Some(file) = input.and_then(|i| i.files()).and_then(|f| f.get(0)) else { return };
        let picking = for_preset.clone();
        leptos::task::spawn_local(async move {
            let text = JsFuture::from(file.text()).await.ok().and_then(|t| t.as_string()).unwrap_or_default();
            match Layout::from_json(&text) {
                Ok(layout) => apply(&picking, layout, &picks.get_untracked(), loaded, error),
                Err(e) => error.set(Some(format!("{}: {e}", file.name()))),
            }
        });
    };
    let on_names_files = move |ev: leptos::ev::Event| {
        let input = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        let Some(list) = input.and_then(|i| i.files()) else { return };
        let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        leptos::task::spawn_local(async move {
            let mut tables = Vec::new();
            for file in files {
                let text = JsFuture::from(file.text()).await.ok().and_then(|t| t.as_string()).unwrap_or_default();
                tables.push((file.name(), text));
            }
            picks.update(|p| p.name_tables = tables);
        });
    };
    let for_plan = picking.clone();
    let plan = move || picks.with(|p| plan(&for_plan, p));
    let on_base =
        move |ev: leptos::ev::Event| picks.update(|p| p.name_base = event_target_value(&ev).parse().unwrap_or(0));
    let on_animals = move |ev: leptos::ev::Event| picks.update(|p| p.animals = event_target_value(&ev));
    let on_axis = move |ev: leptos::ev::Event| picks.update(|p| p.time_axis = event_target_value(&ev).parse().ok());
    let on_rate = move |ev: leptos::ev::Event| picks.update(|p| p.rate_hz = event_target_value(&ev).parse().ok());
    view! {
        <section class="picker" data-testid="picker">
            <h2>{format!("Where is the data in {}?", picking.name())}</h2>
            <p class="hint">{format!("No built-in layout read it ({}). Say what each dataset is.", picking.reason)}</p>
            <table>
                <thead><tr><th>"dataset"</th><th>"holds"</th><th>"is"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <label>
                "Animals (groups with one animal each, * = any text): "
                <input
                    type="text"
                    data-testid="animals-pattern"
                    prop:value=move || picks.with(|p| p.animals.clone())
                    on:change=on_animals
                />
            </label>
            <label>
                "Time runs along axis: "
                <select data-testid="time-axis" on:change=on_axis
                    prop:value=move || picks.with(|p| p.time_axis.map_or("auto".to_owned(), |a| a.to_string()))>
                    <option value="auto">"guess"</option>
                    <option value="0">"0 (rows are frames)"</option>
                    <option value="1">"1 (columns are frames)"</option>
                </select>
            </label>
            <label>"Neuron names kept beside the data (column,name CSV or JSON; one per file, named after it, or one for all): "
                <input type="file" multiple accept=".csv,.tsv,.txt,.json" data-testid="names-file" on:change=on_names_files />
            </label>
            {move || match plan() {
                Ok(NamesPlan::FromFiles) => None,
                Ok(plan) => Some(view! {
                    <ul class="names-plan" data-testid="names-plan">
                        {plan.lines().into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                    </ul>
                }.into_any()),
                Err(message) => Some(view! {
                    <p class="error" role="alert" data-testid="names-plan-error">{message}</p>
                }.into_any()),
            }}
            <label>"Name indices count from "
                <select data-testid="name-base" on:change=on_base>
                    <option value="0">"0"</option>
                    <option value="1">"1"</option>
                </select>
            </label>
            <label>"Frames per second (if the file has no time vector or rate): "
                <input type="number" step="any" data-testid="rate-hz" on:change=on_rate />
            </label>
            <div class="actions">
                <button data-testid="apply-layout" on:click=on_apply>"Load with this layout"</button>
                <button data-testid="download-layout" on:click=on_download>"Download layout"</button>
                <label>"or use a layout file: "<input type="file" accept=".json" data-testid="layout-input" on:change=on_preset /></label>
            </div>
            {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="picker-error">{e}</p> })}
        </section>
    }
}
