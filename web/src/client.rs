//! The page's side of the worker: spawns it, sends [`Request`]s and folds its
//! [`Reply`]s into one reactive [`Run`].

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use ganglion_train::TrainEvent;
use ganglion_train::experiment::Report;
use ganglion_train::study::StudyReport;
use js_sys::{Array, Reflect, Uint8Array};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker, WorkerOptions, WorkerType};

use crate::export::MetricTable;
use crate::protocol::{GRAPH_PROBABILITY, GRAPH_TRUTH, Reply, Request};

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
    /// The checkpoint bytes of the model the report is about.
    pub model: Option<Arc<Vec<u8>>>,
    /// A study's current training run: `(run, runs, what it trains)`.
    pub stage: Option<(usize, usize, String)>,
    /// A study's report, once every fold ran.
    pub study: Option<Arc<StudyReport>>,
}

impl Run {
    /// A fresh run of `total` steps (the device stays as it was).
    pub fn starting(&self, total: usize) -> Run {
        Run { status: Status::Running, total, backend: self.backend.clone(), ..Run::default() }
    }

    /// A fresh evaluation of the saved `model` (no training steps).
    pub fn evaluating(&self, model: Arc<Vec<u8>>) -> Run {
        Run { status: Status::Running, backend: self.backend.clone(), model: Some(model), ..Run::default() }
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
                    thin(&mut self.train_loss);
                }
                TrainEvent::Validation { step, loss, .. } => {
                    self.step = step;
                    self.validation_loss.push((step, loss));
                    thin(&mut self.validation_loss);
                }
                TrainEvent::Stepped { step } => self.step = step,
                TrainEvent::Stage { run, runs, label } => {
                    // Each run of a study has its own loss curve.
                    self.train_loss.clear();
                    self.validation_loss.clear();
                    self.stage = Some((run, runs, label));
                }
                TrainEvent::Finished { step, reason } => {
                    self.step = step;
                    self.finished = Some(reason);
                }
            },
            Reply::Report { report, model, .. } => {
                self.report = Some(Arc::new(*report));
                if let Some(bytes) = model {
                    self.model = Some(Arc::new(bytes));
                }
                self.status = Status::Done;
            }
            Reply::Studied { report } => {
                self.study = Some(Arc::new(*report));
                self.status = Status::Done;
            }
            Reply::Failed { message, .. } => self.status = Status::Failed(message),
            // The notebook holds its recordings itself and draws on its own thread.
            Reply::Loaded { .. } | Reply::Drawn { .. } | Reply::Model { .. } | Reply::Benched { .. } => {}
        }
    }
}

/// The most points a loss curve keeps. The chart is redrawn at every report, so a long
/// run (an MLP reports hundreds of times a second) must not make each redraw longer
/// than the last: past this many points, every second one is dropped (the newest
/// always stays), which keeps the curve's shape at about 480 pixels' width.
pub const MAX_CURVE_POINTS: usize = 1024;

/// Halves `points` once it holds more than [`MAX_CURVE_POINTS`], keeping the first and
/// the newest.
fn thin(points: &mut Vec<(usize, f64)>) {
    if points.len() <= MAX_CURVE_POINTS {
        return;
    }
    let newest = points.pop();
    let mut k = 0;
    points.retain(|_| {
        k += 1;
        k % 2 == 1
    });
    points.extend(newest);
}

/// A message waiting for the worker to be ready (messages posted while its wasm loads
/// would find no handler).
type Pending = Rc<RefCell<Option<(js_sys::Object, Array)>>>;

/// A running worker and the handlers that keep it talking to the page.
pub struct Client {
    worker: Worker,
    ready: Rc<Cell<bool>>,
    pending: Pending,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

/// The worker entry beside the page (`web/js/worker.js`, the npm package's too).
const WORKER_URL: &str = "./worker.js";

impl Client {
    /// Starts the worker; its replies update `run`. When it dies (`onerror`, a reported
    /// panic, or a lost GPU) `restart` is bumped so the page can start a fresh one.
    pub fn spawn(run: RwSignal<Run>, restart: RwSignal<u32>) -> Result<Client, String> {
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(WORKER_URL, &options)
            .map_err(|e| format!("the browser refused to start the training worker: {e:?}"))?;
        let ready = Rc::new(Cell::new(false));
        let pending: Pending = Rc::default();
        let on_message = {
            let (worker, ready, pending) = (worker.clone(), ready.clone(), pending.clone());
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let text = Reflect::get(&event.data(), &"json".into()).ok().and_then(|v| v.as_string());
                let reply = match text.map(|t| serde_json::from_str::<Reply>(&t)) {
                    Some(Ok(Reply::Report { report, .. })) => {
                        let model = Reflect::get(&event.data(), &"model".into())
                            .ok()
                            .filter(|b| b.is_instance_of::<js_sys::ArrayBuffer>())
                            .map(|b| Uint8Array::new(&b).to_vec());
                        let report = with_graph(report, &event.data());
                        Reply::Report { report, model, forecasts: None, table: MetricTable::default() }
                    }
                    Some(Ok(reply)) => reply,
                    _ => Reply::Failed {
                        code: "protocol".into(),
                        message: "the worker sent an unreadable message".into(),
                    },
                };
                if matches!(reply, Reply::Ready) {
                    ready.set(true);
                    if let Some((message, transfer)) = pending.take() {
                        let _ = worker.post_message_with_transfer(&message, &transfer);
                    }
                }
                if reply.ends_worker() {
                    restart.update(|n| *n += 1);
                }
                run.update(|r| r.apply(reply));
            })
        };
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
            let message = format!("the training worker stopped: {}", event.message());
            run.update(|r| r.status = Status::Failed(message));
            restart.update(|n| *n += 1);
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Client { worker, ready, pending, _on_message: on_message, _on_error: on_error })
    }

    /// Sends `request`, with a file's bytes (`bytes`) and a saved model's (`model`)
    /// transferred beside it.
    pub fn send(&self, request: &Request, bytes: Option<&[u8]>, model: Option<&[u8]>) -> Result<(), String> {
        let text = serde_json::to_string(request).map_err(|e| e.to_string())?;
        let message = js_sys::Object::new();
        let transfer = Array::new();
        let _ = Reflect::set(&message, &"json".into(), &text.into());
        for (field, data) in [("bytes", bytes), ("model", model)] {
            if let Some(data) = data {
                let buffer = Uint8Array::from(data).buffer();
                let _ = Reflect::set(&message, &field.into(), &buffer);
                transfer.push(&buffer);
            }
        }
        if !self.ready.get() {
            self.pending.replace(Some((message, transfer)));
            return Ok(());
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

/// `report` with its inferred graph's values put back from the typed arrays they travel
/// in ([`GRAPH_PROBABILITY`], [`GRAPH_TRUTH`]).
fn with_graph(mut report: Box<Report>, data: &JsValue) -> Box<Report> {
    let floats = |field: &str| {
        Reflect::get(data, &field.into())
            .ok()
            .filter(|b| b.is_instance_of::<js_sys::ArrayBuffer>())
            .map(|b| js_sys::Float32Array::new(&b).to_vec())
    };
    if let Some(graph) = report.graph.as_mut() {
        if let Some(probability) = floats(GRAPH_PROBABILITY) {
            graph.probability = probability;
        }
        if graph.truth.is_some() {
            graph.truth = floats(GRAPH_TRUTH);
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_fold_into_the_run() {
        let mut run = Run::default();
        run.apply(Reply::Ready);
        assert_eq!(run.status, Status::Idle);
        let mut run = run.starting(20);
        run.apply(Reply::Backend { name: "CPU".into(), reason: "no WebGPU".into() });
        run.apply(Reply::Event {
            event: TrainEvent::Progress { step: 5, epoch: 1, train_loss: 0.5, steps_per_second: 10.0 },
        });
        run.apply(Reply::Event { event: TrainEvent::Validation { step: 10, loss: 0.4, best: true } });
        run.apply(Reply::Event { event: TrainEvent::Finished { step: 10, reason: "cancelled".into() } });
        assert_eq!((run.step, run.total, run.status.clone()), (10, 20, Status::Running), "evaluating");
        assert_eq!(run.train_loss, vec![(5, 0.5)]);
        assert_eq!(run.validation_loss, vec![(10, 0.4)]);
        assert_eq!(run.finished.as_deref(), Some("cancelled"));
        run.apply(Reply::Failed { code: "device".into(), message: "lost".into() });
        assert_eq!(run.status, Status::Failed("lost".into()));
        assert_eq!(run.starting(5).backend, Some(("CPU".into(), "no WebGPU".into())), "the device is remembered");
    }

    /// A run of 100,000 reports keeps at most [`MAX_CURVE_POINTS`] points, spread over
    /// the whole run: the first, the newest, and steps in order.
    #[test]
    fn a_long_run_keeps_a_bounded_loss_curve() {
        let mut run = Run::default().starting(500_000);
        for k in 1..=100_000 {
            let event =
                TrainEvent::Progress { step: 5 * k, epoch: 1, train_loss: 1.0 / k as f64, steps_per_second: 1.0 };
            run.apply(Reply::Event { event });
            assert!(run.train_loss.len() <= MAX_CURVE_POINTS);
        }
        assert!(run.train_loss.len() > MAX_CURVE_POINTS / 2, "{}", run.train_loss.len());
        assert_eq!(run.train_loss.first(), Some(&(5, 1.0)));
        assert_eq!(run.train_loss.last().map(|p| p.0), Some(500_000));
        assert!(run.train_loss.windows(2).all(|w| w[0].0 < w[1].0));
    }
}
