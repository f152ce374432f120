//! The page's side of the worker: spawns it, sends [`Request`]s and folds its
//! [`Reply`]s into one reactive [`Run`].

use std::sync::Arc;

use ganglion_train::TrainEvent;
use ganglion_train::experiment::Report;
use js_sys::{Array, Reflect, Uint8Array};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker, WorkerOptions, WorkerType};

use crate::protocol::{Reply, Request};

/// Where a run stands.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Status {
    /// The worker is starting (its wasm is loading).
    #[default]
    Starting,
    /// Ready for a run.
    Idle,
    /// Training or evaluating.
    Running,
    /// The run ended with a report.
    Done,
    /// The run or the worker failed.
    Failed(String),
}

/// Everything the page shows about the current run.
#[derive(Debug, Clone, Default)]
pub struct Run {
    /// Where it stands.
    pub status: Status,
    /// The device in use and why.
    pub backend: Option<(String, String)>,
    /// `(step, train loss)` at each report.
    pub train_loss: Vec<(usize, f64)>,
    /// `(step, validation loss)` at each validation.
    pub validation_loss: Vec<(usize, f64)>,
    /// Steps done so far.
    pub step: usize,
    /// Steps asked for.
    pub total: usize,
    /// Latest speed.
    pub steps_per_second: f64,
    /// Why training ended.
    pub finished: Option<String>,
    /// The report, once evaluated.
    pub report: Option<Arc<Report>>,
}

impl Run {
    /// A fresh run of `total` steps (the device stays as it was).
    pub fn starting(&self, total: usize) -> Run {
        Run { status: Status::Running, total, backend: self.backend.clone(), ..Run::default() }
    }

    /// Folds one reply in.
    pub fn apply(&mut self, reply: Reply) {
        match reply {
            Reply::Ready => {
                if self.status == Status::Starting {
                    self.status = Status::Idle;
                }
            }
            Reply::Backend { name, reason } => self.backend = Some((name, reason)),
            Reply::Event { event } => match event {
                TrainEvent::Progress { step, train_loss, steps_per_second, .. } => {
                    self.step = step;
                    self.steps_per_second = steps_per_second;
                    self.train_loss.push((step, train_loss));
                }
                TrainEvent::Validation { step, loss, .. } => {
                    self.step = step;
                    self.validation_loss.push((step, loss));
                }
                TrainEvent::Stepped { step } => self.step = step,
                TrainEvent::Finished { step, reason } => {
                    self.step = step;
                    self.finished = Some(reason);
                }
            },
            Reply::Report { report } => {
                self.report = Some(Arc::new(*report));
                self.status = Status::Done;
            }
            Reply::Failed { message, .. } => self.status = Status::Failed(message),
        }
    }
}

/// A running worker and the handlers that keep it talking to the page.
pub struct Client {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

/// The worker script trunk writes beside the page (see www/index.html).
const WORKER_URL: &str = "./ganglion-worker_loader.js";

impl Client {
    /// Starts the worker; its replies update `run`.
    pub fn spawn(run: RwSignal<Run>) -> Result<Client, String> {
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(WORKER_URL, &options)
            .map_err(|e| format!("the browser refused to start the training worker: {e:?}"))?;
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let text = Reflect::get(&event.data(), &"json".into()).ok().and_then(|v| v.as_string());
            match text.map(|t| serde_json::from_str::<Reply>(&t)) {
                Some(Ok(reply)) => run.update(|r| r.apply(reply)),
                _ => run.update(|r| r.status = Status::Failed("the worker sent a message the page cannot read".into())),
            }
        });
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
            let message = format!("the training worker stopped: {}", event.message());
            run.update(|r| r.status = Status::Failed(message));
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Client { worker, _on_message: on_message, _on_error: on_error })
    }

    /// Sends `request`, with a file's bytes transferred beside it.
    pub fn send(&self, request: &Request, bytes: Option<&[u8]>) -> Result<(), String> {
        let text = serde_json::to_string(request).map_err(|e| e.to_string())?;
        let message = js_sys::Object::new();
        let transfer = Array::new();
        let _ = Reflect::set(&message, &"json".into(), &text.into());
        if let Some(bytes) = bytes {
            let buffer = Uint8Array::from(bytes).buffer();
            let _ = Reflect::set(&message, &"bytes".into(), &buffer);
            transfer.push(&buffer);
        }
        self.worker
            .post_message_with_transfer(&message, &transfer)
            .map_err(|e| format!("could not reach the training worker: {e:?}"))
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}
