//! The typed messages between a page (the notebook, or the npm package's JS API and
//! widgets) and the training worker. Each travels as JSON text in the `json` field of a
//! posted object; a file's bytes travel beside it in `bytes` and a saved model's in
//! `model`, and the worker sends activity, forecasts and pixels back as typed arrays in
//! their own fields (transferred `ArrayBuffer`s), so no bulk data crosses through JSON:
//! a report's inferred graph too ([`GRAPH_PROBABILITY`], [`GRAPH_TRUTH`]).
//! A request may carry a numeric `ticket`; every reply to it carries the same one, so
//! several callers can share one worker.

use ganglion_data::layout::{Layout, NameTable};
use ganglion_train::TrainEvent;
use ganglion_train::bench::StepTimes;
use ganglion_train::experiment::{Experiment, Report};
use ganglion_train::saved::Setup;
use ganglion_train::study::{StudyConfig, StudyReport};
use serde::{Deserialize, Serialize};

use crate::export::MetricTable;

/// Where the recordings come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    /// The bundled synthetic worms (a family of animals on one known graph).
    Synth {
        /// Generator seed.
        seed: u64,
        /// Neurons per animal (the sample's default when absent).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        neurons: Option<usize>,
        /// Frames per animal.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        frames: Option<usize>,
        /// Animals.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        animals: Option<usize>,
    },
    /// A file the user picked; its bytes come in the message's `bytes` field.
    File {
        /// The file's name (for format detection and error messages).
        name: String,
        /// Where the file keeps its data, for files in a lab's own layout (the picker
        /// writes it); absent: the layouts ganglion recognises by itself.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        layout: Option<Box<Layout>>,
        /// Neuron names tables kept beside the data, paired with the file by stem or by
        /// the layout's pattern ([`ganglion_data::layout::tables_for`]).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        name_tables: Vec<NameTable>,
    },
    /// Several files loaded together (a study of several animals); their bytes travel
    /// concatenated in `bytes`, `sizes[i]` bytes for `names[i]`.
    Files {
        /// The files' names.
        names: Vec<String>,
        /// Their sizes in bytes.
        sizes: Vec<usize>,
        /// The layout every file is read with; absent: each file's built-in layout.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        layout: Option<Box<Layout>>,
        /// A neuron names table per file, paired as for [`Source::File`].
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        name_tables: Vec<NameTable>,
    },
    /// Recordings the worker holds from an earlier [`Request::Load`].
    Held {
        /// The id [`Reply::Loaded`] gave them.
        id: u32,
    },
}

impl Source {
    /// The bundled sample for `seed`, at its default size.
    pub fn sample(seed: u64) -> Source {
        Source::Synth { seed, neurons: None, frames: None, animals: None }
    }
}

/// Which compute device the worker should use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BackendChoice {
    /// WebGPU when the browser has an adapter, else the CPU.
    Auto,
    /// The CPU (burn's flex device compiled to wasm with SIMD).
    Cpu,
}

/// Page to worker.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Request {
    /// Train and evaluate one experiment.
    Train {
        /// The recordings.
        source: Source,
        /// What to train and how.
        experiment: Experiment,
        /// Which device.
        backend: BackendChoice,
    },
    /// Score a saved model (its bytes in the message's `model` field) on the last
    /// recording of `source`.
    Evaluate {
        /// The recordings.
        source: Source,
        /// Which device.
        backend: BackendChoice,
    },
    /// Stop the running training at its next report; the model so far is evaluated.
    Cancel,
    /// Pick (once per worker) and report the device, without running anything.
    Device {
        /// Which device.
        backend: BackendChoice,
    },
    /// Load recordings and keep them in the worker ([`Source::Held`]); the reply carries
    /// their description, the first recording's activity and its heatmap.
    Load {
        /// The recordings.
        source: Source,
        /// Widest heatmap wanted, in pixels (frames are averaged into columns).
        width: usize,
    },
    /// Forget held recordings.
    Release {
        /// Their id.
        id: u32,
    },
    /// Check a saved model (its bytes in the `model` field) and report its settings.
    ReadModel,
    /// Draw an `n x n` matrix (row = sender) as pixels: probabilities, or signed weights.
    Draw {
        /// Row-major values.
        values: Vec<f32>,
        /// Signed weights (blue-white-red) rather than probabilities (viridis).
        signed: bool,
    },
    /// Time `steps` training steps of a benchmark workload
    /// ([`ganglion_models::workload`]) on the chosen device (the browser rows of
    /// `cargo xtask bench`).
    Bench {
        /// The workload's name (`gnn`, `mlp`, `gru`, `elm`, `branch-elm`).
        workload: String,
        /// Neurons, or time steps per sequence for the ELMs.
        size: usize,
        /// Steps to time one by one (the cold start).
        steps: usize,
        /// Warm samples after those, each of enough steps to last at least
        /// [`ganglion_train::bench::MIN_SAMPLE_SECONDS`].
        #[serde(default)]
        samples: usize,
        /// Which device.
        backend: BackendChoice,
    },
    /// Run the leave-one-animal-out study ([`ganglion_train::study`]) on the recordings.
    Study {
        /// The recordings (at least two animals).
        source: Source,
        /// Models, history and training settings.
        config: StudyConfig,
        /// Which device.
        backend: BackendChoice,
    },
}

/// What one loaded recording holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
pub struct RecordingInfo {
    /// Animal or session id, when the file has one.
    pub animal: Option<String>,
    /// Neuron names, in row order.
    pub names: Vec<String>,
    /// Frames.
    pub frames: usize,
    /// Frames per second.
    pub rate_hz: f64,
    /// Behaviour state names, when the recording has labels.
    pub states: Option<Vec<String>>,
    /// Whether the true graph came with it.
    pub connectivity: bool,
}

/// Worker to page.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Reply {
    /// The worker's wasm is running and listens.
    Ready,
    /// The device chosen for this run.
    Backend {
        /// "WebGPU" or "CPU".
        name: String,
        /// Why (the adapter, or why WebGPU was not used).
        reason: String,
    },
    /// A training event (progress, validation, finished).
    Event {
        /// The event.
        event: TrainEvent,
    },
    /// The run's report (scores, graph, preview).
    Report {
        /// The report.
        report: Box<Report>,
        /// The trained model's checkpoint bytes (after training, not after evaluating a
        /// saved model); they travel in the message's `model` field, not in the JSON.
        #[serde(skip)]
        model: Option<Vec<u8>>,
        /// A forecasting model's predicted and true next frames on every scored window
        /// (row-major, `report.neurons` per row, normalised units); they travel in the
        /// `predicted` and `truth` fields.
        #[serde(skip)]
        forecasts: Option<(Vec<f32>, Vec<f32>)>,
        /// The report's results table ([`metric_rows`](crate::export::metric_rows)), for
        /// the JS API's table; the notebook makes it from the report, so it is not read back.
        #[serde(skip_deserializing)]
        table: MetricTable,
    },
    /// Recordings are held under `id`. The first recording's activity (neuron-major,
    /// `f32`) travels in the `activity` field, its behaviour labels (`u32`) in `labels`,
    /// and its heatmap's RGBA bytes in `pixels`.
    Loaded {
        /// Their id, for [`Source::Held`].
        id: u32,
        /// One entry per recording.
        recordings: Vec<RecordingInfo>,
        /// Heatmap size in pixels.
        width: usize,
        /// See `width`.
        height: usize,
    },
    /// A saved model's settings (task, model, normaliser, classes, neurons, steps).
    Model {
        /// The settings stored with the weights.
        setup: Box<Setup>,
    },
    /// A drawn matrix; its RGBA bytes travel in the `pixels` field.
    Drawn {
        /// Pixels per row.
        width: usize,
        /// Rows.
        height: usize,
    },
    /// A benchmark's step times.
    Benched {
        /// Seconds per step, and to build the workload.
        times: StepTimes,
        /// Seconds to choose and set up the device (the first request on WebGPU pays
        /// for the adapter and runtime).
        device_seconds: f64,
        /// Bytes of the worker's wasm memory afterwards (it only grows: the peak).
        heap_bytes: f64,
    },
    /// The study's report.
    Studied {
        /// Every fold, the summary and the verdict.
        report: Box<StudyReport>,
    },
    /// The run failed; the worker stays usable.
    Failed {
        /// Stable code (the data crate's, or `device`).
        code: String,
        /// The error in words.
        message: String,
    },
}

/// The field of a report message that carries its inferred graph's edge probabilities
/// (`Float32Array`, `N * N`, row = sender); the JSON's `report.graph.probability` is empty.
pub const GRAPH_PROBABILITY: &str = "graph_probability";
/// Likewise the known graph's weights, when there is one (`report.graph.truth` is then an
/// empty list in the JSON).
pub const GRAPH_TRUTH: &str = "graph_truth";

/// The failure code of a panic in the worker.
pub const PANIC: &str = "panic";
/// The failure code of a GPU lost (or out of memory) mid-run.
pub const GPU_LOST: &str = "gpu_lost";

impl Reply {
    /// Whether the worker that sent this is unusable afterwards (a panic, or a lost
    /// GPU runtime), so the page must start a fresh one.
    pub fn ends_worker(&self) -> bool {
        matches!(self, Reply::Failed { code, .. } if code == PANIC || code == GPU_LOST)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ganglion_train::TrainConfig;
    use ganglion_train::experiment::{ModelKind, Task};

    #[test]
    fn messages_survive_json() {
        let request = Request::Train {
            source: Source::File { name: "worm.npz".into(), layout: None, name_tables: Vec::new() },
            experiment: Experiment {
                task: Task::Forecast,
                model: ModelKind::Gnn,
                history: 10,
                decoder: Default::default(),
                train: TrainConfig::default(),
            },
            backend: BackendChoice::Auto,
        };
        let text = serde_json::to_string(&request).expect("serialises");
        assert!(text.contains(r#""type":"train""#) && text.contains(r#""kind":"file""#), "{text}");
        let back: Request = serde_json::from_str(&text).expect("parses");
        assert!(matches!(back, Request::Train { source: Source::File { .. }, backend: BackendChoice::Auto, .. }));
        let event = Reply::Event { event: TrainEvent::Validation { step: 5, loss: 0.5, best: true } };
        let text = serde_json::to_string(&event).expect("serialises");
        let back: Reply = serde_json::from_str(&text).expect("parses");
        assert!(matches!(back, Reply::Event { event: TrainEvent::Validation { step: 5, .. } }));
    }

    #[test]
    fn only_a_panic_or_a_lost_gpu_ends_the_worker() {
        let failed = |code: &str| Reply::Failed { code: code.into(), message: String::new() };
        assert!(failed(PANIC).ends_worker() && failed(GPU_LOST).ends_worker());
        assert!(!failed("device").ends_worker() && !failed("malformed").ends_worker() && !Reply::Ready.ends_worker());
    }

    /// `train(recording, { model: 'mlp', steps: 600 })` in ganglion.js sends only what its
    /// caller set (its `experiment()`); the worker's defaults make it the CLI's
    /// `ganglion train --model mlp --steps 600`, whose rate never halves in 600 steps (the
    /// JS API's own defaults once halved it at step 400).
    #[test]
    fn a_js_run_of_600_steps_gets_the_cli_schedule() {
        let sent = r#"{"type":"train","source":{"kind":"held","id":1},
            "experiment":{"task":"forecast","model":"mlp","train":{"max_steps":600}},"backend":"auto"}"#;
        let Ok(Request::Train { experiment, .. }) = serde_json::from_str::<Request>(sent) else {
            panic!("the JS API's train message decodes")
        };
        let cli = TrainConfig { max_steps: 600, ..TrainConfig::default() };
        assert_eq!(experiment.train, cli);
        assert_eq!(experiment.history, ganglion_train::experiment::DEFAULT_HISTORY);
        let rates: Vec<f64> = (0..600).map(|step| experiment.train.learning_rate_at(step)).collect();
        assert!(rates.iter().all(|&r| r == cli.learning_rate), "the rate stays at its start for 600 steps");
    }
}
