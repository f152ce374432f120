//! The training worker's runtime: it answers the page's [`Request`]s with [`Reply`]s.
//!
//! Every training step runs here, never on the page's main thread. The worker loads the
//! recordings itself (from the bytes or the synthetic-worm seed the page sends), picks a
//! device ([`device`]), runs the same held-out experiment as the CLI and posts progress
//! as it goes. Between reports it yields to its event loop so a `Cancel` gets through.

mod device;

use std::cell::Cell;

use ganglion_data::{DataError, LoadOptions, Recording, format, synth::synth_worms};
use ganglion_train::experiment::{Outcome, run};
use ganglion_train::saved::score_saved;
use ganglion_train::{Observer, TrainEvent};
use js_sys::{ArrayBuffer, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::protocol::{BackendChoice, Reply, Request, Source};
use crate::sample::sample_config;

thread_local! {
    static CANCELLED: Cell<bool> = const { Cell::new(false) };
    static BUSY: Cell<bool> = const { Cell::new(false) };
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Posts `reply`; a report's model bytes are transferred in the `model` field.
fn post(reply: &Reply) {
    let Ok(text) = serde_json::to_string(reply) else { return };
    let message = js_sys::Object::new();
    let transfer = js_sys::Array::new();
    if let Reply::Report { model: Some(bytes), .. } = reply {
        let buffer = Uint8Array::from(bytes.as_slice()).buffer();
        let _ = Reflect::set(&message, &"model".into(), &buffer);
        transfer.push(&buffer);
    }
    if Reflect::set(&message, &"json".into(), &text.into()).is_ok() {
        let _ = scope().post_message_with_transfer(&message, &transfer);
    }
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
        post(&Reply::Failed { code: "panic".into(), message: format!("the training worker failed: {info}") });
    }));
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(handle);
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&Reply::Ready);
}

fn handle(event: MessageEvent) {
    let data = event.data();
    let request = Reflect::get(&data, &"json".into())
        .ok()
        .and_then(|v| v.as_string())
        .and_then(|text| serde_json::from_str::<Request>(&text).ok());
    match request {
        Some(Request::Cancel) => CANCELLED.set(true),
        Some(Request::Train { source, experiment, backend }) => {
            let bytes = buffer_field(&data, "bytes");
            exclusive(async move {
                let (recordings, device) = prepare(source, bytes, backend).await?;
                let Outcome { report, model } = run(&recordings, &experiment, &device, &mut Posting).await?;
                Ok(Reply::Report { report: Box::new(report), model: Some(model) })
            });
        }
        Some(Request::Evaluate { source, backend }) => {
            let (bytes, model) = (buffer_field(&data, "bytes"), buffer_field(&data, "model"));
            exclusive(async move {
                let model = model.ok_or_else(|| DataError::checkpoint("no model bytes came with the request"))?;
                let (recordings, device) = prepare(source, bytes, backend).await?;
                let report = score_saved(&recordings, &model, &device).await?;
                Ok(Reply::Report { report: Box::new(report), model: None })
            });
        }
        None => post(&failed(&DataError::bad_request("the worker got a message it does not understand"))),
    }
}

/// Runs `job` unless another is running, and posts its reply or its error.
fn exclusive(job: impl std::future::Future<Output = Result<Reply, DataError>> + 'static) {
    if BUSY.replace(true) {
        post(&failed(&DataError::bad_request("a training run is already going; cancel it first")));
        return;
    }
    CANCELLED.set(false);
    wasm_bindgen_futures::spawn_local(async move {
        let reply = job.await.unwrap_or_else(|e| failed(&e));
        BUSY.set(false);
        post(&reply);
    });
}

fn recordings(source: Source, bytes: Option<Vec<u8>>) -> Result<Vec<Recording>, DataError> {
    match source {
        Source::Synth { seed } => Ok(synth_worms(&sample_config(seed))),
        Source::File { name } => {
            let bytes = bytes.ok_or_else(|| DataError::bad_request(format!("{name}: no bytes came with the file")))?;
            format::load(&bytes, &LoadOptions::for_file(name))
        }
    }
}

/// The recordings of a request and the device to use, which the page is told about.
async fn prepare(
    source: Source,
    bytes: Option<Vec<u8>>,
    backend: BackendChoice,
) -> Result<(Vec<Recording>, burn::prelude::Device), DataError> {
    let recordings = recordings(source, bytes)?;
    let chosen = device::choose(backend).await;
    post(&Reply::Backend { name: chosen.name.to_owned(), reason: chosen.reason.clone() });
    Ok((recordings, chosen.device))
}

/// Posts every reported event to the page and yields so messages get through.
struct Posting;

impl Observer for Posting {
    async fn observe(&mut self, event: &TrainEvent) -> bool {
        if !matches!(event, TrainEvent::Stepped { .. }) {
            post(&Reply::Event { event: event.clone() });
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
