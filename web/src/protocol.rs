//! The typed messages between the notebook page and its training worker. Each travels
//! as JSON text in the `json` field of a posted object; a file's bytes travel beside it
//! in `bytes` and a saved model's in `model` (transferred `ArrayBuffer`s), so nothing
//! is copied through JSON.

use ganglion_train::TrainEvent;
use ganglion_train::experiment::{Experiment, Report};
use serde::{Deserialize, Serialize};

/// Where the recordings come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    /// The bundled synthetic worms (a family of animals on one known graph).
    Synth {
        /// Generator seed.
        seed: u64,
    },
    /// A file the user picked; its bytes come in the message's `bytes` field.
    File {
        /// The file's name (for format detection and error messages).
        name: String,
    },
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
    },
    /// The run failed; the worker stays usable.
    Failed {
        /// Stable code (the data crate's, or `device`).
        code: String,
        /// The error in words.
        message: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use ganglion_train::TrainConfig;
    use ganglion_train::experiment::{ModelKind, Task};

    #[test]
    fn messages_survive_json() {
        let request = Request::Train {
            source: Source::File { name: "worm.npz".into() },
            experiment: Experiment {
                task: Task::Forecast,
                model: ModelKind::Gnn,
                history: 10,
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
}
