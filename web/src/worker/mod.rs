//! The training worker's runtime: it answers the page's [`Request`]s with [`Reply`]s.
//!
//! Every training step runs here, never on the page's main thread. The worker loads the
//! recordings itself (from the bytes or the synthetic-worm seed the page sends), picks a
//! device ([`device`]), runs the same held-out experiment as the CLI and posts progress
//! as it goes. Between reports it yields to its event loop so a `Cancel` gets through.
//! It also holds loaded recordings for the JS API (`Load`, then `Source::Held`) and
//! draws heatmaps and matrices, so the widgets on a page share its one wasm instance
//! and one GPU device and the page itself runs no wasm.

mod device;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use ganglion_data::{DataError, Recording, synth::synth_worms};
use ganglion_train::bench::{Timing, time_workload};
use ganglion_train::experiment::{ModelKind, Outcome, run};
use ganglion_train::saved::{read_setup, score_and_predict};
use ganglion_train::study::run_study;
use ganglion_train::{Observer, TrainEvent};
use js_sys::{ArrayBuffer, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::draw;
use crate::export::metric_rows;
use crate::protocol::{
    BackendChoice, GPU_LOST, GRAPH_PROBABILITY, GRAPH_TRUTH, PANIC, RecordingInfo, Reply, Request, Source,
};
use crate::sample::sample_config;

thread_local! {
    static CANCELLED: Cell<bool> = const { Cell::new(false) };
    static BUSY: Cell<bool> = const { Cell::new(false) };
    /// Recordings loaded with `Request::Load`, by id (the JS API's recording handles).
    static HELD: RefCell<HashMap<u32, Rc<Vec<Recording>>>> = RefCell::new(HashMap::new());
    static NEXT_ID: Cell<u32> = const { Cell::new(1) };
    /// Whether the current run is on WebGPU (a failure then is the GPU's).
    static ON_GPU: Cell<bool> = const { Cell::new(false) };
}

/// What a scientist reads when the GPU fails mid-run.
fn gpu_failure(detail: &str) -> Reply {
    let message = format!(
        "the GPU stopped during the run (the device was lost or ran out of memory: {detail}). The run ended and \
         nothing else is lost; train again (a fresh worker starts), with a smaller batch or history, or on the CPU"
    );
    Reply::Failed { code: GPU_LOST.into(), message }
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Typed arrays that travel beside a reply's JSON, each in its own field, transferred.
#[derive(Default)]
struct Attached(Vec<(&'static str, JsValue)>);

impl Attached {
    fn bytes(mut self, field: &'static str, bytes: &[u8]) -> Self {
        self.0.push((field, Uint8Array::from(bytes).buffer().into()));
        self
    }

    fn floats(mut self, field: &'static str, values: &[f32]) -> Self {
        self.0.push((field, js_sys::Float32Array::from(values).buffer().into()));
        self
    }

    fn words(mut self, field: &'static str, values: &[u32]) -> Self {
        self.0.push((field, js_sys::Uint32Array::from(values).buffer().into()));
        self
    }
}

/// Posts `reply` for the request numbered `ticket`, with `attached` arrays transferred.
fn post_with(reply: &Reply, ticket: f64, attached: Attached) {
    let Ok(text) = serde_json::to_string(reply) else { return };
    let message = js_sys::Object::new();
    let transfer = js_sys::Array::new();
    for (field, buffer) in attached.0 {
        let _ = Reflect::set(&message, &field.into(), &buffer);
        transfer.push(&buffer);
    }
    let _ = Reflect::set(&message, &"ticket".into(), &ticket.into());
    if Reflect::set(&message, &"json".into(), &text.into()).is_ok() {
        let _ = scope().post_message_with_transfer(&message, &transfer);
    }
}

/// Posts `reply`; a report's model, forecasts and inferred graph travel as transferred
/// arrays ([`crate::protocol::GRAPH_PROBABILITY`]).
fn post(reply: &Reply, ticket: f64) {
    let mut attached = Attached::default();
    if let Reply::Report { report, model, forecasts, table } = reply {
        if let Some(bytes) = model {
            attached = attached.bytes("model", bytes);
        }
        if let Some((predicted, truth)) = forecasts {
            attached = attached.floats("predicted", predicted).floats("truth", truth);
        }
        if let Some(graph) = &report.graph {
            // N x N values (91,204 at 302 neurons) as JSON text took the page's main
            // thread tens of milliseconds to parse: they go beside it, the JSON's are empty.
            attached = attached.floats(GRAPH_PROBABILITY, &graph.probability);
            if let Some(truth) = &graph.truth {
                attached = attached.floats(GRAPH_TRUTH, truth);
            }
            let mut light = report.clone();
            if let Some(g) = light.graph.as_mut() {
                g.probability = Vec::new();
                g.truth = g.truth.as_ref().map(|_| Vec::new());
            }
            let reply = Reply::Report { report: light, model: None, forecasts: None, table: table.clone() };
            return post_with(&reply, ticket, attached);
        }
    }
    post_with(reply, ticket, attached);
}

/// The `ArrayBuffer` in field `field` of a message, as bytes.
fn buffer_field(data: &JsValue, field: &str) -> Option<Vec<u8>> {
    Reflect::get(data, &field.into())
        .ok()
        .filter(|b| b.is_instance_of::<ArrayBuffer>())
        .map(|b| Uint8Array::new(&b).to_vec())
}

fn failed(e: &DataError) -> Reply {
    Reply::Failed { code: e.code().to_owned(), message: e.to_string() }
}

/// Installs the message handler and tells the page the worker is ready. A panic (a
/// bug, or a device failure deep in the runtime) is reported as a `panic` failure, and
/// the page replaces the worker.
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let reply = if ON_GPU.get() {
            gpu_failure(&info.to_string())
        } else {
            Reply::Failed { code: PANIC.into(), message: format!("the training worker failed: {info}") }
        };
        post(&reply, TICKETLESS);
    }));
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(handle);
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&Reply::Ready, TICKETLESS);
}

/// The ticket of messages that answer no request (ready, a panic).
const TICKETLESS: f64 = 0.0;

fn handle(event: MessageEvent) {
    let data = event.data();
    let ticket = Reflect::get(&data, &"ticket".into()).ok().and_then(|t| t.as_f64()).unwrap_or(TICKETLESS);
    let request = Reflect::get(&data, &"json".into())
        .ok()
        .and_then(|v| v.as_string())
        .and_then(|text| serde_json::from_str::<Request>(&text).ok());
    match request {
        Some(Request::Cancel) => CANCELLED.set(true),
        Some(Request::Train { source, experiment, backend }) => {
            let bytes = buffer_field(&data, "bytes");
            exclusive(ticket, async move {
                let (recordings, device) = prepare(source, bytes, backend, ticket).await?;
                let mut posting = Posting { ticket };
                let Outcome { report, model } = run(&recordings, &experiment, &device, &mut posting).await?;
                let table = metric_rows(&report);
                Ok(Reply::Report { report: Box::new(report), model: Some(model), forecasts: None, table })
            });
        }
        Some(Request::Evaluate { source, backend }) => {
            let (bytes, model) = (buffer_field(&data, "bytes"), buffer_field(&data, "model"));
            exclusive(ticket, async move {
                let model = model.ok_or_else(|| DataError::checkpoint("no model bytes came with the request"))?;
                let (recordings, device) = prepare(source, bytes, backend, ticket).await?;
                let (report, forecasts) = score_and_predict(&recordings, &model, &device).await?;
                let forecasts = forecasts.map(|f| (f.predicted, f.truth));
                let table = metric_rows(&report);
                Ok(Reply::Report { report: Box::new(report), model: None, forecasts, table })
            });
        }
        Some(Request::Study { source, config, backend }) => {
            let bytes = buffer_field(&data, "bytes");
            exclusive(ticket, async move {
                let (recordings, device) = prepare(source, bytes, backend, ticket).await?;
                let report = run_study(&recordings, &config, &device, &mut Posting { ticket }).await?;
                Ok(Reply::Studied { report: Box::new(report) })
            });
        }
        Some(Request::Bench { workload, size, steps, samples, backend }) => {
            exclusive(ticket, async move {
                let kind = ModelKind::from_name(&workload)
                    .ok_or_else(|| DataError::bad_request(format!("no benchmark workload is called {workload:?}")))?;
                let start = js_sys::Date::now();
                let device = announce(backend, ticket).await;
                let device_seconds = (js_sys::Date::now() - start) / 1000.0;
                let times = time_workload(kind, size, Timing { steps, samples }, &device).await?;
                let heap_bytes = wasm_bindgen::memory()
                    .dyn_into::<js_sys::WebAssembly::Memory>()
                    .map_or(0.0, |m| f64::from(m.buffer().unchecked_into::<ArrayBuffer>().byte_length()));
                Ok(Reply::Benched { times, device_seconds, heap_bytes })
            });
        }
        Some(Request::Device { backend }) => {
            wasm_bindgen_futures::spawn_local(async move {
                let chosen = device::choose(backend).await;
                post(&Reply::Backend { name: chosen.name.to_owned(), reason: chosen.reason }, ticket);
            });
        }
        Some(Request::Load { source, width }) => match load(source, buffer_field(&data, "bytes"), width) {
            Ok((reply, attached)) => post_with(&reply, ticket, attached),
            Err(e) => post(&failed(&e), ticket),
        },
        Some(Request::Release { id }) => {
            HELD.with_borrow_mut(|held| held.remove(&id));
        }
        Some(Request::ReadModel) => {
            let bytes = buffer_field(&data, "model").unwrap_or_default();
            let reply = read_setup(&bytes).map_or_else(|e| failed(&e), |setup| Reply::Model { setup: Box::new(setup) });
            post(&reply, ticket);
        }
        Some(Request::Draw { values, signed }) => {
            let pixels = draw::matrix(&values, signed);
            let reply = Reply::Drawn { width: pixels.width, height: pixels.height };
            post_with(&reply, ticket, Attached::default().bytes("pixels", &pixels.rgba));
        }
        None => post(&failed(&DataError::bad_request("the worker got a message it does not understand")), ticket),
    }
}

/// Loads and holds recordings; describes them, with the first one's activity and heatmap.
fn load(source: Source, bytes: Option<Vec<u8>>, width: usize) -> Result<(Reply, Attached), DataError> {
    let held = recordings(source, bytes)?;
    let first = held.first().ok_or_else(|| DataError::bad_request("the file holds no recording"))?;
    let pixels = draw::activity(first, 0..first.n_frames(), width.clamp(1, 4096));
    let mut attached = Attached::default().floats("activity", first.activity()).bytes("pixels", &pixels.rgba);
    if let Some(b) = first.behaviour() {
        attached = attached.words("labels", &b.labels);
    }
    let recordings = held
        .iter()
        .map(|r| RecordingInfo {
            animal: r.animal_id().map(str::to_owned),
            names: r.neurons().iter().map(|n| n.name.clone()).collect(),
            frames: r.n_frames(),
            rate_hz: r.sampling_rate_hz(),
            states: r.behaviour().map(|b| b.states.clone()),
            connectivity: r.connectivity().is_some(),
        })
        .collect();
    let id = NEXT_ID.replace(NEXT_ID.get() + 1);
    HELD.with_borrow_mut(|h| h.insert(id, held));
    Ok((Reply::Loaded { id, recordings, width: pixels.width, height: pixels.height }, attached))
}

/// Runs `job` unless another is running, and posts its reply or its error.
fn exclusive(ticket: f64, job: impl std::future::Future<Output = Result<Reply, DataError>> + 'static) {
    if BUSY.replace(true) {
        post(&failed(&DataError::bad_request("a training run is already going; cancel it first")), ticket);
        return;
    }
    CANCELLED.set(false);
    wasm_bindgen_futures::spawn_local(async move {
        let reply = job.await.unwrap_or_else(|e| {
            if ON_GPU.get() && e.code() == "device" { gpu_failure(&e.to_string()) } else { failed(&e) }
        });
        BUSY.set(false);
        post(&reply, ticket);
    });
}

fn recordings(source: Source, bytes: Option<Vec<u8>>) -> Result<Rc<Vec<Recording>>, DataError> {
    match source {
        Source::Synth { seed, neurons, frames, animals } => {
            let mut config = sample_config(seed);
            config.n_neurons = neurons.unwrap_or(config.n_neurons).clamp(2, 302);
            config.n_frames = frames.unwrap_or(config.n_frames).clamp(20, 100_000);
            config.n_animals = animals.unwrap_or(config.n_animals).clamp(1, 20);
            Ok(Rc::new(synth_worms(&config)))
        }
        Source::File { name, layout, name_tables } => {
            let bytes = bytes.ok_or_else(|| DataError::bad_request(format!("{name}: no bytes came with the file")))?;
            Ok(Rc::new(crate::files::load_all(&[(name, &bytes)], layout.as_deref(), &name_tables)?.0))
        }
        Source::Files { names, sizes, layout, name_tables } => {
            let bytes = bytes.ok_or_else(|| DataError::bad_request("no bytes came with the files"))?;
            let files = crate::files::split(&names, &sizes, &bytes)?;
            Ok(Rc::new(crate::files::load_all(&files, layout.as_deref(), &name_tables)?.0))
        }
        Source::Held { id } => HELD
            .with_borrow(|held| held.get(&id).cloned())
            .ok_or_else(|| DataError::bad_request(format!("recording {id} is no longer held (it was released)"))),
    }
}

/// The recordings of a request and the device to use, which the page is told about.
async fn prepare(
    source: Source,
    bytes: Option<Vec<u8>>,
    backend: BackendChoice,
    ticket: f64,
) -> Result<(Rc<Vec<Recording>>, burn::prelude::Device), DataError> {
    let recordings = recordings(source, bytes)?;
    Ok((recordings, announce(backend, ticket).await))
}

/// Chooses the device for a run and tells the caller which and why.
async fn announce(backend: BackendChoice, ticket: f64) -> burn::prelude::Device {
    let chosen = device::choose(backend).await;
    ON_GPU.set(chosen.name == "WebGPU");
    post(&Reply::Backend { name: chosen.name.to_owned(), reason: chosen.reason.clone() }, ticket);
    chosen.device
}

/// Posts every reported event to the caller and yields so messages get through. Of the
/// silent steps only the first is posted: the page shows 'step 1/N' as soon as training
/// has begun (and the e2e tests time the cold start by it), not after the first report.
struct Posting {
    ticket: f64,
}

impl Observer for Posting {
    async fn observe(&mut self, event: &TrainEvent) -> bool {
        if !matches!(event, TrainEvent::Stepped { step } if *step > 1) {
            post(&Reply::Event { event: event.clone() }, self.ticket);
            yield_now().await;
        }
        !CANCELLED.get()
    }
}

/// Resolves on the next turn of the worker's event loop.
async fn yield_now() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
    });
    let _ = JsFuture::from(promise).await;
}
