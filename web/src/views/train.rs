//! The train panel: task, model and main hyperparameters (kept in the URL), start and
//! cancel, progress with speed and time left, the device badge and the live loss curve.

use leptos::prelude::*;

use super::charts::LossChart;
use crate::client::{Client, Run, Status};
use crate::protocol::{BackendChoice, Request};
use crate::settings::{BACKENDS, Settings, name_of, value_of};
use crate::state::{LoadState, Loaded};
use ganglion_train::experiment::{DECODER_NAMES, DecoderKind, MODEL_NAMES, ModelKind, TASK_NAMES, Task};

/// A `<select>` over one of the settings tables.
fn choice<T: PartialEq + Copy + Send + Sync + 'static>(
    table: &'static [(&'static str, T)],
    label: fn(T) -> &'static str,
    testid: &'static str,
    get: impl Fn() -> T + Send + Sync + 'static,
    set: impl Fn(T) + 'static,
) -> impl IntoView {
    let options =
        table.iter().map(|(name, value)| view! { <option value=*name>{label(*value)}</option> }).collect_view();
    view! {
        <select
            data-testid=testid
            prop:value=move || name_of(table, get())
            on:change=move |ev| {
                if let Some(v) = value_of(table, &event_target_value(&ev)) {
                    set(v);
                }
            }
        >
            {options}
        </select>
    }
}

fn backend_label(choice: BackendChoice) -> &'static str {
    match choice {
        BackendChoice::Auto => "WebGPU if available",
        BackendChoice::Cpu => "CPU",
    }
}

fn decoder_label(kind: DecoderKind) -> &'static str {
    match kind {
        DecoderKind::Separable => "separable (sender x receiver gate)",
        DecoderKind::Pairwise => "pairwise MLP (more memory)",
    }
}

fn history_label(task: Task) -> &'static str {
    if task == Task::LongMemory { "delay steps " } else { "history frames " }
}

/// Starts a run of `steps` steps per training (a run, or each run of a study): resets
/// the progress and sends `request` with the loaded files' bytes to the worker.
pub fn start_run(
    client: StoredValue<Option<Client>, LocalStorage>,
    run: RwSignal<Run>,
    request: &Request,
    data: &Loaded,
    steps: usize,
) {
    run.update(|r| *r = r.starting(steps));
    let sent = client.with_value(|c| match c {
        Some(c) => c.send(request, data.bytes.as_deref().map(Vec::as_slice), None),
        None => Err("the training worker is not running".into()),
    });
    if let Err(message) = sent {
        run.update(|r| r.status = Status::Failed(message));
    }
}

/// The train panel.
#[component]
pub fn TrainPanel(
    /// What is loaded.
    loaded: RwSignal<LoadState>,
    /// The run settings.
    settings: RwSignal<Settings>,
    /// The current run.
    run: RwSignal<Run>,
    /// The worker.
    client: StoredValue<Option<Client>, LocalStorage>,
) -> impl IntoView {
    // Starting is not busy: a run asked for while the worker loads waits for it.
    let busy = move || run.with(|r| r.status == Status::Running);
    let can_start = move || !busy() && loaded.with(|l| l.data().is_some());
    let start = move |_| {
        let Some(data) = loaded.with_untracked(|l| l.data().cloned()) else { return };
        let s = settings.get_untracked();
        let request = Request::Train { source: data.source.clone(), experiment: s.experiment(), backend: s.backend };
        start_run(client, run, &request, &data, s.steps);
    };
    let cancel = move |_| {
        client.with_value(|c| {
            if let Some(c) = c {
                let _ = c.send(&Request::Cancel, None, None);
            }
        })
    };
    let number = move |get: fn(&Settings) -> String, set: fn(&mut Settings, &str)| {
        view! {
            <input
                type="number"
                prop:value=move || settings.with(get)
                on:change=move |ev| settings.update(|s| set(s, &event_target_value(&ev)))
            />
        }
    };
    let progress = move || {
        run.with(|r| {
            let left = r.total.saturating_sub(r.step) as f64 / r.steps_per_second.max(1e-9);
            let speed = if r.steps_per_second > 0.0 {
                format!(" · {:.1} steps/s · ~{left:.0} s left", r.steps_per_second)
            } else {
                String::new()
            };
            let status = match &r.status {
                Status::Starting => "starting the worker…".to_owned(),
                Status::Idle => "ready".to_owned(),
                Status::Running if r.finished.is_some() => "evaluating on held-out data…".to_owned(),
                Status::Running if r.total == 0 => "scoring the saved model…".to_owned(),
                Status::Done if r.total == 0 => "done: saved model scored".to_owned(),
                Status::Running => format!("step {}/{}{speed}", r.step, r.total),
                Status::Done => format!("done: {} steps ({})", r.step, r.finished.clone().unwrap_or_default()),
                Status::Failed(m) => m.clone(),
            };
            let failed = matches!(r.status, Status::Failed(_));
            view! {
                <progress max=r.total.max(1) value=r.step data-testid="progress"></progress>
                <span class:error=failed data-testid="status" role=if failed { "alert" } else { "status" }>
                    {status}
                </span>
            }
        })
    };
    let badge = move || {
        run.with(|r| {
            r.backend.clone().map(|(name, reason)| {
                let class = if name == "WebGPU" { "badge gpu" } else { "badge cpu" };
                view! {
                    <span class=class data-testid="backend" title=reason.clone()>{name}</span>
                    <small data-testid="backend-reason">{reason}</small>
                }
            })
        })
    };
    view! {
           <section class="train" data-testid="train">
               <h2>"Train"</h2>
               <div class="controls">
                   <label>"task " {choice(&TASK_NAMES, Task::label, "task",
                       move || settings.with(|s| s.task), move |v| settings.update(|s| *s = s.with_task(v)))}</label>
                   <label>"model " {choice(&MODEL_NAMES, ModelKind::label, "model",
                       move || settings.with(|s| s.model), move |v| settings.update(|s| s.model = v))}</label>
                   <label>"device " {choice(&BACKENDS, backend_label, "device",
                       move || settings.with(|s| s.backend), move |v| settings.update(|s| s.backend = v))}</label>
                   <label prop:hidden=move || settings.with(|s| s.model != ModelKind::Gnn)>"messages "
                       {choice(&DECODER_NAMES, decoder_label, "decoder",
                       move || settings.with(|s| s.decoder), move |v| settings.update(|s| s.decoder = v))}</label>
               </div>
               <div class="controls">
                   <label>"steps " {number(|s| s.steps.to_string(), |s, v| {
                       s.steps = v.parse().ok().filter(|n| *n > 0).unwrap_or(s.steps)
                   })}</label>
                   <label>{move || history_label(settings.with(|s| s.task))} {number(|s| s.history.to_string(), |s, v| {
                       s.history = v.parse().ok().filter(|n| *n >= 2).unwrap_or(s.history)
                   })}</label>
    <label>"batch " {number(|s| s.batch.to_string(), |s, v| {
                       s.batch = v.parse().ok().filter(|n| *n > 0).unwrap_or(s.batch)
                   })}</label>
                   <label>"learning rate " {number(|s| s.learning_rate.to_string(), |s, v| {
                       s.learning_rate = v.parse().ok().filter(|r: &f64| *r > 0.0 && *r < 1.0).unwrap_or(s.learning_rate)
                   })}</label>
               </div>
               <div class="controls">
                   <button data-testid="start" on:click=start disabled=move || !can_start()>"Train and evaluate"</button>
                   <button data-testid="cancel" on:click=cancel disabled=move || !busy()>"Cancel"</button>
                   {badge}
               </div>
               <div class="progress">{progress}</div>
               <LossChart run=run />
           </section>
       }
}
