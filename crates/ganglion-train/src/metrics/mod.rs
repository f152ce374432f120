//! Evaluation metrics, as plain functions over slices (no tensors), so the same numbers
//! come out whichever device trained the model.
//!
//! - forecasting: [`mse`], [`r2`] (pooled and per neuron),
//! - classification: [`accuracy`], [`ConfusionMatrix`] with macro-F1,
//! - edge recovery: [`auroc`], [`average_precision`].

mod classification;
mod ranking;
mod regression;

pub use classification::{ConfusionMatrix, accuracy};
pub use ranking::{auroc, average_precision};
pub use regression::{ForecastScores, mse, r2};
