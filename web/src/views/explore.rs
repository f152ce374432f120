//! Look at a recording: the activity heatmap with its behaviour ribbon, zoom and pan in
//! time, and one neuron's trace.

use std::sync::Arc;

use ganglion_data::Recording;
use leptos::prelude::*;

use super::PixelCanvas;
use super::charts::Traces;
use crate::draw::{STATE_COLOURS, activity};

/// Columns of the heatmap image at most.
const MAX_COLUMNS: usize = 2000;

/// The explorer for one set of recordings.
#[component]
pub fn Explorer(
    /// The loaded recordings (one per animal).
    recordings: Arc<Vec<Recording>>,
) -> impl IntoView {
    let animal = RwSignal::new(0usize);
    let neuron = RwSignal::new(0usize);
    let frames = recordings.first().map_or(1, Recording::n_frames);
    let view_range = RwSignal::new((0usize, frames));
    let stored = StoredValue::new(recordings.clone());
    // Runs `f` on the chosen animal's recording (tracking the choice).
    let on_current = move |f: &mut dyn FnMut(&Recording)| {
        let i = animal.get();
        stored.with_value(|rs| f(&rs[i.min(rs.len() - 1)]))
    };
    let pixels = Signal::derive(move || {
        let (start, end) = view_range.get();
        let mut image = None;
        on_current(&mut |rec| image = Some(activity(rec, start..end, MAX_COLUMNS)));
        image
    });
    let zoom = move |factor: f64, shift: f64| {
        let total = stored.with_value(|rs| rs[animal.get_untracked().min(rs.len() - 1)].n_frames());
        view_range.update(|(start, end)| {
            let len = ((*end - *start) as f64 * factor).round().clamp(10f64.min(total as f64), total as f64) as usize;
            let centre = (*start + *end) as f64 / 2.0 + shift * (*end - *start) as f64;
            let s = (centre - len as f64 / 2.0).round().clamp(0.0, (total - len) as f64) as usize;
            (*start, *end) = (s, s + len);
        })
    };
    let animals = recordings
        .iter()
        .enumerate()
        .map(|(i, r)| view! { <option value=i.to_string()>{r.animal_id().unwrap_or("recording").to_owned()}</option> })
        .collect_view();
    let neuron_options = move || {
        let mut names = Vec::new();
        on_current(&mut |rec| names = rec.neurons().iter().map(|n| n.name.clone()).collect());
        names
            .into_iter()
            .enumerate()
            .map(|(i, name)| view! { <option value=i.to_string()>{name}</option> })
            .collect_view()
    };
    let legend = move || {
        let mut states = Vec::new();
        on_current(&mut |rec| states = rec.behaviour().map(|b| b.states.clone()).unwrap_or_default());
        states
            .into_iter()
            .enumerate()
            .map(|(k, s)| {
                let [r, g, b] = STATE_COLOURS[k % STATE_COLOURS.len()];
                view! { <span class="state" style=format!("--swatch: rgb({r},{g},{b})")>{s}</span> }
            })
            .collect_view()
    };
    let trace = move || {
        let (start, end) = view_range.get();
        let (mut name, mut values) = (String::new(), Vec::new());
        on_current(&mut |rec| {
            let i = neuron.get().min(rec.n_neurons().saturating_sub(1));
            name = rec.neurons().get(i).map(|n| n.name.clone()).unwrap_or_default();
            values = rec.trace(i)[start.min(rec.n_frames())..end.min(rec.n_frames())].to_vec();
        });
        view! { <Traces title=format!("{name}, frames {start} to {end}") truth=values /> }
    };
    view! {
        <section class="explorer" data-testid="explorer">
            <h2>"Look"</h2>
            <div class="controls">
                <label>
                    "animal "
                    <select on:change=move |ev| {
                        let i: usize = event_target_value(&ev).parse().unwrap_or(0);
                        animal.set(i);
                        view_range.set((0, stored.with_value(|rs| rs[i.min(rs.len() - 1)].n_frames())));
                    }>{animals}</select>
                </label>
                <button on:click=move |_| zoom(0.5, 0.0) title="zoom in">"+"</button>
                <button on:click=move |_| zoom(2.0, 0.0) title="zoom out">"−"</button>
                <button on:click=move |_| zoom(1.0, -0.5) title="earlier">"◀"</button>
                <button on:click=move |_| zoom(1.0, 0.5) title="later">"▶"</button>
                <span data-testid="frame-range">
                    {move || {
                        let (s, e) = view_range.get();
                        format!("frames {s} to {e}")
                    }}
                </span>
            </div>
            <PixelCanvas pixels=pixels testid="heatmap" class="heatmap" label="activity of every neuron over time" />
            <p class="legend">"behaviour: " {legend}</p>
            <label>
                "neuron "
                <select on:change=move |ev| neuron.set(event_target_value(&ev).parse().unwrap_or(0))>
                    {neuron_options}
                </select>
            </label>
            {trace}
        </section>
    }
}
