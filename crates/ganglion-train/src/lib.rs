//! ganglion-train: turns recordings into training data, trains any ganglion model with
//! one loop, and scores the result.
//!
//! - [`WindowSet`]: windows over several recordings, batched per recording (GNN: any
//!   neuron set) or through an [`Alignment`](ganglion_data::preprocess::Alignment)
//!   (baselines: one fixed neuron set).
//! - [`Trainer`]: the training loop as an async stepper. Each call to [`Trainer::step`]
//!   runs one optimiser step and returns a [`TrainEvent`], so a CLI drives it in a plain
//!   loop and the browser yields to the page between steps. Values are read back from
//!   the device only every `report_every` steps, never blocking ([`readback`]).
//! - [`linear_baselines`]: the linear AR and VAR fitted on a run's training windows and
//!   scored beside its model.
//! - [`metrics`]: MSE, R^2, accuracy, macro-F1, confusion matrix, AUROC, average precision.
//! - [`evaluate`]: forecasting, behaviour decoding and edge recovery on held-out data.
//! - [`study`]: leave-one-animal-out over several animals, GNN beside MLP, GRU and the
//!   floors, and the inferred graph beside the wiring diagram.
#![deny(missing_docs)]

mod batches;
pub mod bench;
pub mod evaluate;
pub mod experiment;
pub mod linear_baselines;
pub mod long_memory;
pub mod metrics;
mod objectives;
pub mod readback;
pub mod report;
pub mod saved;
mod scoring;
pub mod settings;
pub mod setup;
pub mod study;
mod tensors;
mod trainer;
mod window_models;
mod windows;

pub use batches::{BatchSource, WindowBatches};
pub use tensors::BatchTensors;
pub use trainer::{Observer, TrainConfig, TrainEvent, Trainer, mean_loss};
pub use windows::{NeuronRows, WindowSet};
