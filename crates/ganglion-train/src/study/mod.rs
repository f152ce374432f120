//! The study: leave-one-animal-out over several recordings, the GNN beside the
//! structure-agnostic MLP and GRU and the persistence / majority floors, with mean and
//! spread over folds, and the inferred interactions compared with the anatomical wiring
//! diagram. This is the claim of Wang et al. 2020 (GNNs beat structure-agnostic models
//! and generalise to unseen worms) made rerunnable; the report says whether it holds on
//! the data at hand, not whether we hoped it would.
//!
//! Each fold is an ordinary [`experiment::run`](crate::experiment::run) with one animal
//! held out, so the study scores exactly what a single run scores. Where the true graph
//! is known (synthetic worms) the GNN's edge recovery is set beside a correlation
//! baseline (absolute Pearson correlation between neurons' activity on the same frames
//! the GNN infers its graph from).

use burn::prelude::Device;
use ganglion_data::connectome;
use ganglion_data::names::canonical_name;
use ganglion_data::{DataError, Recording};
use serde::{Deserialize, Serialize};

use ganglion_models::BaselineKind;

use crate::evaluate::{EdgeScores, score_edges};
use crate::experiment::run_without_baseline;
use crate::objectives::signal_names;
use crate::report::{MULTI_STEP, Report, Scores};
use crate::settings::{DEFAULT_HISTORY, DecoderKind, Experiment, ModelKind, Task};
use crate::{Observer, TrainConfig, TrainEvent};

/// What a study runs; what a config leaves out (the JS API sends only what its caller
/// set) is [`StudyConfig::default`]'s.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct StudyConfig {
    /// The models compared (the GNN first by convention).
    pub models: Vec<ModelKind>,
    /// History frames per window.
    pub history: usize,
    /// The GNN's message form (absent in a JS API's config: the default).
    #[serde(default)]
    pub decoder: DecoderKind,
    /// The training loop of every run (its seed is the study's seed).
    pub train: TrainConfig,
    /// Whether to decode behaviour too: states where every recording has them, and
    /// continuous signals where every recording has the same ones.
    pub behaviour: bool,
}

/// The models a study compares by default, in the order its tables list them: the GNN
/// beside the structure-agnostic baselines (the notebook offers these as checkboxes).
pub const STUDY_MODELS: [ModelKind; 3] = [ModelKind::Gnn, ModelKind::Mlp, ModelKind::Gru];

impl Default for StudyConfig {
    fn default() -> Self {
        StudyConfig {
            models: STUDY_MODELS.to_vec(),
            history: DEFAULT_HISTORY,
            decoder: DecoderKind::default(),
            train: TrainConfig::default(),
            behaviour: true,
        }
    }
}

/// One model on one held-out animal.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FoldResult {
    /// The animal never seen in training.
    pub held_out: String,
    /// The model.
    pub model: ModelKind,
    /// Neurons it read (for MLP/GRU: the named neurons all animals share).
    pub neurons: usize,
    /// One-step forecast MSE and R^2, and persistence's on the same neurons and frames.
    pub forecast: Option<Pair>,
    /// Forecast MSE and R^2 [`MULTI_STEP`] frames ahead (predictions fed back), and
    /// persistence's.
    #[serde(default)]
    pub forecast_ahead: Option<Pair>,
    /// For the GNN: its one-step MSE and R^2 on the named neurons every animal shares
    /// (the neurons the MLP and GRU read), beside persistence's on them, so the models are
    /// compared on the same neurons.
    pub forecast_shared: Option<Pair>,
    /// The model's one-step MSE and R^2 beside the linear AR's (the floor columns) on
    /// the same neurons and frames.
    #[serde(default)]
    pub linear_ar: Option<Pair>,
    /// For the GNN: its one-step MSE and R^2 on the named neurons every animal shares
    /// beside the linear AR's on them.
    #[serde(default)]
    pub linear_ar_shared: Option<Pair>,
    /// For models that read the shared named neurons: their one-step MSE and R^2 beside
    /// a VAR's over the same neurons.
    #[serde(default)]
    pub var: Option<Pair>,
    /// Behaviour accuracy and macro-F1, and the majority class's.
    pub behaviour: Option<Pair>,
    /// Continuous behaviour signals: mean R^2 over the signals, and the training mean's
    /// (`second` repeats `first`).
    #[serde(default)]
    pub signals: Option<Pair>,
    /// The GNN's edge recovery against the true graph (synthetic worms), and the
    /// correlation baseline's on the same frames.
    pub edges: Option<EdgeComparison>,
    /// The GNN's inferred interactions against the anatomical wiring (named neurons).
    pub anatomy: Option<AnatomyComparison>,
}

/// A model's two numbers beside its floor's (MSE and R^2, or accuracy and macro-F1).
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Pair {
    /// MSE or accuracy.
    pub first: f64,
    /// R^2 or macro-F1.
    pub second: f64,
    /// The floor's first number.
    pub floor_first: f64,
    /// The floor's second number.
    pub floor_second: f64,
}

impl Pair {
    /// A forecast's MSE and R^2 beside its floor's.
    fn of_forecasts(model: &crate::metrics::ForecastScores, floor: &crate::metrics::ForecastScores) -> Pair {
        Pair { first: model.mse, second: model.r2, floor_first: floor.mse, floor_second: floor.r2 }
    }
}

/// Edge recovery of the GNN beside the correlation baseline.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EdgeComparison {
    /// The GNN's inferred edge probability.
    pub gnn: EdgeScores,
    /// Absolute Pearson correlation on the same frames.
    pub correlation: EdgeScores,
    /// Absolute partial correlation (given every other neuron) on the same frames.
    #[serde(default)]
    pub partial_correlation: Option<EdgeScores>,
    /// Absolute VAR(1) coefficients on the same frames.
    #[serde(default)]
    pub var_coefficient: Option<EdgeScores>,
}

/// The inferred interactions of the named neurons against the wiring diagram.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AnatomyComparison {
    /// Named neurons of the held-out animal found in the wiring diagram.
    pub neurons: usize,
    /// Ordered pairs among them that are anatomically connected (chemical or gap junction).
    pub connected_pairs: usize,
    /// AUROC of inferred strength against "anatomically connected".
    pub auroc: f64,
    /// AUROC of the absolute correlation against the same.
    pub correlation_auroc: f64,
    /// AUROC of the absolute partial correlation against the same.
    #[serde(default)]
    pub partial_correlation_auroc: Option<f64>,
    /// AUROC of the absolute VAR(1) coefficients against the same.
    #[serde(default)]
    pub var_auroc: Option<f64>,
    /// The strongest inferred edges, with whether each is in the wiring diagram.
    pub top_edges: Vec<TopEdge>,
}

/// One inferred edge.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TopEdge {
    /// Sender.
    pub from: String,
    /// Receiver.
    pub to: String,
    /// Inferred edge probability.
    pub strength: f32,
    /// Whether the wiring diagram has a synapse or gap junction between them.
    pub anatomical: bool,
}

/// Mean and spread of one metric over folds.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SummaryRow {
    /// The model.
    pub model: ModelKind,
    /// `forecast MSE`, `forecast R^2`, `behaviour accuracy`, `behaviour macro-F1`,
    /// `edge AUROC`, `anatomy AUROC`.
    pub metric: String,
    /// Mean over folds.
    pub mean: f64,
    /// Sample standard deviation over folds (0 with one fold).
    pub sd: f64,
    /// The floor's (or for edges the correlation baseline's) mean.
    pub floor_mean: f64,
    /// ...and its spread.
    pub floor_sd: f64,
    /// Folds that gave this metric.
    pub folds: usize,
}

/// The study's report, ready to write as JSON, CSV or markdown.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StudyReport {
    /// The settings (seed included), so the study can be run again.
    pub config: StudyConfig,
    /// The animals, in the order given.
    pub animals: Vec<String>,
    /// Every model on every held-out animal.
    pub folds: Vec<FoldResult>,
    /// Mean and spread per model and metric.
    pub summary: Vec<SummaryRow>,
    /// Plain sentences: does the GNN beat the baselines here, and does it generalise?
    pub verdict: Vec<String>,
    /// True when the study was stopped before every fold ran.
    pub cancelled: bool,
}

/// Passes events on, remembering a cancel.
struct Watch<'o, O> {
    inner: &'o mut O,
    cancelled: bool,
}

impl<O: Observer> Observer for Watch<'_, O> {
    async fn observe(&mut self, event: &TrainEvent) -> bool {
        let go = self.inner.observe(event).await;
        if let TrainEvent::Finished { reason, .. } = event {
            self.cancelled |= reason == "cancelled";
        }
        self.cancelled |= !go;
        go
    }
}

/// Runs the leave-one-animal-out study on `recordings` (at least two animals).
pub async fn run_study(
    recordings: &[Recording],
    config: &StudyConfig,
    device: &Device,
    observer: &mut impl Observer,
) -> Result<StudyReport, DataError> {
    if recordings.len() < 2 {
        return Err(DataError::bad_request(
            "a study holds out one animal at a time, so it needs recordings of at least two animals",
        ));
    }
    if config.models.is_empty() {
        return Err(DataError::bad_request("a study needs at least one model"));
    }
    let animals: Vec<String> = recordings
        .iter()
        .enumerate()
        .map(|(i, r)| r.animal_id().map_or_else(|| format!("recording {}", i + 1), str::to_owned))
        .collect();
    let behaviour = config.behaviour && recordings.iter().all(|r| r.behaviour().is_some());
    // The signals task runs where the experiment accepts it: the same signals in every animal.
    let signals = config.behaviour && signal_names(recordings, Task::Signals).is_ok();
    let mut tasks = vec![Task::Forecast];
    if behaviour {
        tasks.push(Task::Behaviour);
    }
    if signals {
        tasks.push(Task::Signals);
    }
    let runs = recordings.len() * config.models.len() * tasks.len();
    let mut watch = Watch { inner: observer, cancelled: false };
    let mut folds = Vec::new();
    let mut done = 0;
    'folds: for held in 0..recordings.len() {
        let mut order: Vec<Recording> =
            recordings.iter().enumerate().filter(|(i, _)| *i != held).map(|(_, r)| r.clone()).collect();
        order.push(recordings[held].clone());
        for &model in &config.models {
            let mut fold = FoldResult {
                held_out: animals[held].clone(),
                model,
                neurons: 0,
                forecast: None,
                forecast_ahead: None,
                forecast_shared: None,
                linear_ar: None,
                linear_ar_shared: None,
                var: None,
                behaviour: None,
                signals: None,
                edges: None,
                anatomy: None,
            };
            for &task in &tasks {
                done += 1;
                let label = format!("{} {} without {}", model.short_label(), task.short_label(), animals[held]);
                if !watch.inner.observe(&TrainEvent::Stage { run: done, runs, label }).await {
                    watch.cancelled = true;
                }
                if watch.cancelled {
                    break 'folds;
                }
                let experiment = Experiment {
                    task,
                    model,
                    history: config.history,
                    decoder: config.decoder,
                    train: config.train.clone(),
                };
                let report = match run_without_baseline(&order, &experiment, device, &mut watch).await {
                    Ok(outcome) => outcome.report,
                    // MLP/GRU need named neurons every animal shares; say so in the report.
                    Err(e) if model != ModelKind::Gnn && e.code() == "bad_request" => continue,
                    Err(e) => return Err(e),
                };
                fold.neurons = report.neurons;
                match &report.scores {
                    Scores::Forecast { model: m, persistence: p } => {
                        fold.forecast = Some(Pair::of_forecasts(m, p));
                        fold.forecast_ahead =
                            report.multi_step.as_ref().map(|a| Pair::of_forecasts(&a.model, &a.persistence));
                        let baseline = |kind| report.baselines.iter().find(|b| b.baseline == kind).map(|b| &b.scores);
                        fold.linear_ar = baseline(BaselineKind::LinearAr).map(|ar| Pair::of_forecasts(m, ar));
                        fold.var = baseline(BaselineKind::Var).map(|var| Pair::of_forecasts(m, var));
                        if model == ModelKind::Gnn {
                            let test = &recordings[held];
                            fold.forecast_shared = on_shared_neurons(m, p, &report, recordings);
                            fold.linear_ar_shared = baseline(BaselineKind::LinearAr)
                                .and_then(|ar| on_shared_neurons(m, ar, &report, recordings));
                            fold.edges = edge_comparison(&report, test)?;
                            fold.anatomy = anatomy_comparison(&report, test)?;
                        }
                    }
                    Scores::Signals { .. } => {
                        fold.signals = report.scores.signal_r2().map(|(m, f)| Pair {
                            first: m,
                            second: m,
                            floor_first: f,
                            floor_second: f,
                        });
                    }
                    Scores::Behaviour { model: m, majority } => {
                        fold.behaviour = Some(Pair {
                            first: m.accuracy,
                            second: m.macro_f1,
                            floor_first: majority.accuracy,
                            floor_second: majority.macro_f1,
                        });
                    }
                }
            }
            folds.push(fold);
        }
    }
    let summary = summarise(&folds, &config.models);
    let verdict = verdict(&summary, &folds);
    Ok(StudyReport { config: config.clone(), animals, folds, summary, verdict, cancelled: watch.cancelled })
}

/// The frames the GNN inferred the held-out animal's graph from (the first half).
fn context_frames(test: &Recording) -> std::ops::Range<usize> {
    0..test.n_frames() / 2
}

/// Pooled scores over the neurons every animal shares, from per-neuron scores (each
/// neuron has the same frames, so the pooled MSE is the mean of the neurons' MSEs).
fn on_shared_neurons(
    model: &crate::metrics::ForecastScores,
    floor: &crate::metrics::ForecastScores,
    report: &Report,
    recordings: &[Recording],
) -> Option<Pair> {
    use ganglion_data::preprocess::{AlignMode, Alignment};
    let graph = report.graph.as_ref()?;
    let all: Vec<&Recording> = recordings.iter().collect();
    let shared = Alignment::new(&all, AlignMode::Intersection).names;
    let rows: Vec<usize> =
        shared.iter().filter_map(|n| graph.names.iter().position(|g| canonical_name(g) == *n)).collect();
    if rows.is_empty() || rows.iter().any(|&r| r >= model.mse_per_neuron.len()) {
        return None;
    }
    let mean = |v: &[f64]| rows.iter().map(|&r| v[r]).sum::<f64>() / rows.len() as f64;
    Some(Pair {
        first: mean(&model.mse_per_neuron),
        second: mean(&model.r2_per_neuron),
        floor_first: mean(&floor.mse_per_neuron),
        floor_second: mean(&floor.r2_per_neuron),
    })
}

mod graphs;
mod summary;

pub use graphs::abs_correlation;
use graphs::{anatomy_comparison, edge_comparison};
pub use summary::METRICS;
use summary::{summarise, verdict};
