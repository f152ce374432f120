//! The one training loop, as a stepper that emits [`TrainEvent`]s.
//!
//! It is async because reading values back is (WebGPU in a browser cannot block); it
//! reads back only when it reports. Natively any executor drives it
//! (`futures::executor::block_on`); in a Web Worker the [`Observer`] yields to the
//! event loop between reports so a cancel message gets through.

use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::prelude::*;
use ganglion_data::DataError;
use ganglion_data::preprocess::Normalizer;
use serde::{Deserialize, Serialize};

use crate::batches::{BatchSource, WindowBatches, in_batches};
use crate::readback;
use crate::tensors::BatchTensors;
use crate::windows::WindowSet;

/// Settings of a training run. Its [`Default`] is the one set of run defaults: the CLI's
/// `train` and `study`, the notebook's settings and the study all start from it, and the
/// JS API sends only what its caller set, so the worker fills the rest from it too.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct TrainConfig {
    /// Optimiser steps at most.
    pub max_steps: usize,
    /// Windows per batch.
    pub batch_size: usize,
    /// Adam learning rate at the start.
    pub learning_rate: f64,
    /// The rate is multiplied by `lr_decay` every `lr_decay_every` steps.
    pub lr_decay: f64,
    /// See `lr_decay`.
    pub lr_decay_every: usize,
    /// Read the loss back and report every this many steps.
    pub report_every: usize,
    /// Validate every this many steps (0: never).
    pub validate_every: usize,
    /// Stop after this many validations without improvement (0: never).
    pub patience: usize,
    /// Seed for batch order (experiments also seed the initial weights with it).
    pub seed: u64,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            max_steps: 300,
            batch_size: 16,
            learning_rate: 2e-3,
            lr_decay: 0.5,
            // Past any run's length by default: the rate stays where it starts.
            lr_decay_every: 10_000,
            report_every: 10,
            validate_every: 50,
            patience: 4,
            seed: 1,
        }
    }
}

impl TrainConfig {
    /// The learning rate of step `step` (counted from 0).
    pub fn learning_rate_at(&self, step: usize) -> f64 {
        let decays = (step / self.lr_decay_every.max(1)) as i32;
        self.learning_rate * self.lr_decay.powi(decays)
    }
}

/// What the loop reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum TrainEvent {
    /// Training loss, read back every `report_every` steps.
    Progress {
        /// Steps done.
        step: usize,
        /// Passes over the training windows so far.
        epoch: usize,
        /// Mean training loss since the last report.
        train_loss: f64,
        /// Steps per second since the last report.
        steps_per_second: f64,
    },
    /// A validation pass.
    Validation {
        /// Steps done.
        step: usize,
        /// Mean validation loss.
        loss: f64,
        /// Whether it is the best so far (that model is kept).
        best: bool,
    },
    /// A step with nothing to report.
    Stepped {
        /// Steps done.
        step: usize,
    },
    /// A study starts its `run`-th training run of `runs` (1-based).
    Stage {
        /// This run's number.
        run: usize,
        /// Runs in the study.
        runs: usize,
        /// What it trains, for people: `GNN forecast without worm3`.
        label: String,
    },
    /// Training ended (steps used up, early stop or cancel).
    Finished {
        /// Steps done.
        step: usize,
        /// Why it ended.
        reason: String,
    },
}

/// Whoever consumes the event stream (a progress bar, a worker posting to its page).
pub trait Observer {
    /// Sees one event; resolving to `false` cancels the run before the next step. It is
    /// async so a browser can hand control back to its event loop here.
    fn observe(&mut self, event: &TrainEvent) -> impl Future<Output = bool>;
}

/// Passes events on to an observer and remembers how many steps the run took.
pub(crate) struct Counting<'o, O> {
    /// The observer events go on to (its answer decides whether the run goes on).
    pub(crate) inner: &'o mut O,
    /// Steps done, from the run's `Finished` event.
    pub(crate) steps: usize,
}

impl<O: Observer> Observer for Counting<'_, O> {
    async fn observe(&mut self, event: &TrainEvent) -> bool {
        if let TrainEvent::Finished { step, .. } = event {
            self.steps = *step;
        }
        self.inner.observe(event).await
    }
}

/// Any closure observes without ever cancelling.
impl<F: FnMut(&TrainEvent)> Observer for F {
    fn observe(&mut self, event: &TrainEvent) -> impl Future<Output = bool> {
        self(event);
        std::future::ready(true)
    }
}

/// The training loop. `loss` maps a model and a batch to a scalar loss; the batches come
/// from any [`BatchSource`].
pub struct Trainer<M, L, S>
where
    M: Module + Clone,
    L: Fn(&M, &BatchTensors) -> Tensor<1>,
    S: BatchSource,
{
    model: M,
    loss: L,
    optimizer: ModuleOptimizer,
    config: TrainConfig,
    source: S,
    device: Device,
    step: usize,
    epoch: usize,
    pending: Vec<Tensor<1>>,
    since: Option<web_time::Instant>,
    best: Option<(f64, M)>,
    stale: usize,
    done: bool,
    cancelled: bool,
}

impl<'a, M, L> Trainer<M, L, WindowBatches<'a>>
where
    M: Module + Clone,
    L: Fn(&M, &BatchTensors) -> Tensor<1>,
{
    /// A trainer for `model` (which must live on `device.autodiff()`) over the windows of
    /// `train`, validated on `validation`'s.
    pub fn new(
        model: M,
        loss: L,
        config: TrainConfig,
        train: &'a WindowSet<'a>,
        validation: Option<&'a WindowSet<'a>>,
        normalizer: &'a Normalizer,
        device: Device,
    ) -> Result<Self, DataError> {
        Ok(Trainer::over(model, loss, config, WindowBatches::new(train, validation, normalizer)?, device))
    }
}

impl<M, L, S> Trainer<M, L, S>
where
    M: Module + Clone,
    L: Fn(&M, &BatchTensors) -> Tensor<1>,
    S: BatchSource,
{
    /// A trainer for `model` (which must live on `device.autodiff()`) over `source`'s batches.
    pub fn over(model: M, loss: L, config: TrainConfig, source: S, device: Device) -> Self {
        Trainer {
            model,
            loss,
            optimizer: AdamConfig::new().init(),
            config,
            source,
            device,
            step: 0,
            epoch: 0,
            pending: Vec::new(),
            since: None,
            best: None,
            stale: 0,
            done: false,
            cancelled: false,
        }
    }

    /// Runs one optimiser step (and a validation when due).
    pub async fn step(&mut self) -> Result<TrainEvent, DataError> {
        if self.done || self.step >= self.config.max_steps {
            return Ok(self.finish("all steps done"));
        }
        let since = *self.since.get_or_insert_with(web_time::Instant::now);
        let (batch, epoch) = self.source.next_batch(
            self.config.batch_size,
            self.config.seed,
            self.step,
            &self.device.clone().autodiff(),
        )?;
        self.epoch = epoch;
        let loss = (self.loss)(&self.model, &batch);
        self.pending.push(loss.clone().detach());
        let grads = GradientsParams::from_grads(loss.backward(), &self.model);
        let lr = self.config.learning_rate_at(self.step);
        self.model = self.optimizer.step(lr, self.model.clone(), grads);
        self.step += 1;

        let validate_now = self.config.validate_every > 0 && self.step.is_multiple_of(self.config.validate_every);
        if let Some(event) = if validate_now { self.validate().await? } else { None } {
            return Ok(event);
        }
        if self.step.is_multiple_of(self.config.report_every.max(1)) || self.step == self.config.max_steps {
            let losses = std::mem::take(&mut self.pending);
            let n = losses.len();
            let total = readback::sum(Tensor::cat(losses, 0)).await?;
            let elapsed = since.elapsed().as_secs_f64();
            self.since = Some(web_time::Instant::now());
            return Ok(TrainEvent::Progress {
                step: self.step,
                epoch: self.epoch,
                train_loss: total / n as f64,
                steps_per_second: n as f64 / elapsed.max(1e-9),
            });
        }
        Ok(TrainEvent::Stepped { step: self.step })
    }

    async fn validate(&mut self) -> Result<Option<TrainEvent>, DataError> {
        let Some(batches) = self.source.validation(&self.device) else { return Ok(None) };
        let loss = weighted_mean_loss(&self.model.valid(), &self.loss, batches?).await?;
        let best = self.best.as_ref().is_none_or(|(b, _)| loss < *b);
        if best {
            self.best = Some((loss, self.model.clone()));
            self.stale = 0;
        } else {
            self.stale += 1;
            if self.config.patience > 0 && self.stale >= self.config.patience {
                self.done = true;
            }
        }
        Ok(Some(TrainEvent::Validation { step: self.step, loss, best }))
    }

    fn finish(&mut self, reason: &str) -> TrainEvent {
        let reason = if self.cancelled {
            "cancelled"
        } else if self.done && self.step < self.config.max_steps {
            "early stop"
        } else {
            reason
        };
        self.done = true;
        TrainEvent::Finished { step: self.step, reason: reason.to_owned() }
    }

    /// Stops at the next step (cancellation).
    pub fn cancel(&mut self) {
        self.done = true;
        self.cancelled = true;
    }

    /// True once finished.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Runs to the end, passing every event to `observer` (which may cancel).
    pub async fn run(mut self, observer: &mut impl Observer) -> Result<M, DataError> {
        loop {
            let event = self.step().await?;
            let go_on = observer.observe(&event).await;
            if matches!(event, TrainEvent::Finished { .. }) {
                return Ok(self.into_model());
            }
            if !go_on {
                self.cancel();
            }
        }
    }

    /// The best validated model, or the last one without validation.
    pub fn into_model(self) -> M {
        match self.best {
            Some((_, m)) => m,
            None => self.model,
        }
    }
}

/// Mean loss of `model` (a validation snapshot, on the plain `device`) over every
/// window of `set`. Read back once, at the end.
pub async fn mean_loss<M, L>(
    model: &M,
    loss: &L,
    set: &WindowSet<'_>,
    normalizer: &Normalizer,
    device: &Device,
) -> Result<f64, DataError>
where
    M: Module,
    L: Fn(&M, &BatchTensors) -> Tensor<1>,
{
    weighted_mean_loss(model, loss, in_batches(set, normalizer, device)?).await
}

/// Mean loss over `batches`, each weighted by its windows, read back once.
async fn weighted_mean_loss<M, L>(model: &M, loss: &L, batches: Vec<(BatchTensors, usize)>) -> Result<f64, DataError>
where
    M: Module,
    L: Fn(&M, &BatchTensors) -> Tensor<1>,
{
    if batches.is_empty() {
        return Ok(f64::NAN);
    }
    let windows: usize = batches.iter().map(|(_, n)| n).sum();
    let parts = batches.iter().map(|(batch, n)| loss(model, batch) * *n as f64).collect();
    let total = readback::sum(Tensor::cat(parts, 0)).await?;
    Ok(total / windows as f64)
}
