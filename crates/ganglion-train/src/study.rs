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

use crate::evaluate::{EdgeScores, score_edges};
use crate::experiment::{
    DEFAULT_HISTORY, DecoderKind, Experiment, MULTI_STEP, ModelKind, Report, Scores, Task, run_without_baseline,
    signal_names,
};
use crate::{Observer, TrainConfig, TrainEvent};

/// What a study runs; what a config leaves out (the JS API sends only what its caller
/// set) is [`StudyConfig::default`]'s.
#[derive(Debug, Clone, Serialize, Deserialize)]
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

impl Default for StudyConfig {
    fn default() -> Self {
        StudyConfig {
            models: vec![ModelKind::Gnn, ModelKind::Mlp, ModelKind::Gru],
            history: DEFAULT_HISTORY,
            decoder: DecoderKind::default(),
            train: TrainConfig::default(),
            behaviour: true,
        }
    }
}

/// One model on one held-out animal.
#[derive(Debug, Clone, Serialize, Deserialize)]
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
pub struct EdgeComparison {
    /// The GNN's inferred edge probability.
    pub gnn: EdgeScores,
    /// Absolute Pearson correlation on the same frames.
    pub correlation: EdgeScores,
}

/// The inferred interactions of the named neurons against the wiring diagram.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AnatomyComparison {
    /// Named neurons of the held-out animal found in the wiring diagram.
    pub neurons: usize,
    /// Ordered pairs among them that are anatomically connected (chemical or gap junction).
    pub connected_pairs: usize,
    /// AUROC of inferred strength against "anatomically connected".
    pub auroc: f64,
    /// AUROC of the absolute correlation against the same.
    pub correlation_auroc: f64,
    /// The strongest inferred edges, with whether each is in the wiring diagram.
    pub top_edges: Vec<TopEdge>,
}

/// One inferred edge.
#[derive(Debug, Clone, Serialize, Deserialize)]
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
                behaviour: None,
                signals: None,
                edges: None,
                anatomy: None,
            };
            for &task in &tasks {
                done += 1;
                let label = format!("{} {} without {}", label_of(model), task_of(task), animals[held]);
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
                        if model == ModelKind::Gnn {
                            let test = &recordings[held];
                            fold.forecast_shared = on_shared_neurons(m, p, &report, recordings);
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

fn label_of(model: ModelKind) -> &'static str {
    match model {
        ModelKind::Gnn => "GNN",
        ModelKind::Mlp => "MLP",
        ModelKind::Gru => "GRU",
        ModelKind::Elm => "ELM",
        ModelKind::BranchElm => "Branch-ELM",
    }
}

fn task_of(task: Task) -> &'static str {
    match task {
        Task::Forecast => "forecast",
        Task::Behaviour => "behaviour",
        Task::Signals => "signals",
        Task::LongMemory => "long memory",
    }
}

/// The frames the GNN inferred the held-out animal's graph from (the first half).
fn context_frames(test: &Recording) -> std::ops::Range<usize> {
    0..test.n_frames() / 2
}

/// `|Pearson r|` between every pair of neurons over `frames`, `[N * N]`.
pub fn abs_correlation(recording: &Recording, frames: std::ops::Range<usize>) -> Vec<f32> {
    let n = recording.n_neurons();
    let centred: Vec<Vec<f64>> = (0..n)
        .map(|i| {
            let t = &recording.trace(i)[frames.clone()];
            let mean = t.iter().map(|&v| f64::from(v)).sum::<f64>() / t.len().max(1) as f64;
            let c: Vec<f64> = t.iter().map(|&v| f64::from(v) - mean).collect();
            let norm = c.iter().map(|v| v * v).sum::<f64>().sqrt().max(1e-12);
            c.into_iter().map(|v| v / norm).collect()
        })
        .collect();
    let mut out = vec![0f32; n * n];
    for i in 0..n {
        for j in 0..n {
            if i != j {
                out[i * n + j] = centred[i].iter().zip(&centred[j]).map(|(a, b)| a * b).sum::<f64>().abs() as f32;
            }
        }
    }
    out
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

fn edge_comparison(report: &Report, test: &Recording) -> Result<Option<EdgeComparison>, DataError> {
    let (Some(graph), Some(truth)) = (&report.graph, test.connectivity()) else { return Ok(None) };
    let gnn = score_edges(&graph.probability, truth.weights())?;
    let correlation = score_edges(&abs_correlation(test, context_frames(test)), truth.weights())?;
    Ok(Some(EdgeComparison { gnn, correlation }))
}

fn anatomy_comparison(report: &Report, test: &Recording) -> Result<Option<AnatomyComparison>, DataError> {
    const TOP: usize = 10;
    let Some(graph) = &report.graph else { return Ok(None) };
    let known: std::collections::HashSet<String> =
        connectome::neuron_names().iter().map(|n| canonical_name(n)).collect();
    let keep: Vec<usize> = test
        .neurons()
        .iter()
        .enumerate()
        .filter(|(_, n)| n.identified && known.contains(&canonical_name(&n.name)))
        .map(|(i, _)| i)
        .collect();
    if keep.len() < 3 {
        return Ok(None);
    }
    let n = test.n_neurons();
    let names: Vec<String> = keep.iter().map(|&i| test.neurons()[i].name.clone()).collect();
    let wiring = connectome::weights_among(&names);
    let k = keep.len();
    // Connected either way: a chemical synapse in either direction or a gap junction.
    let connected: Vec<f32> =
        (0..k * k).map(|p| f32::from(u8::from(wiring[p] != 0.0 || wiring[(p % k) * k + p / k] != 0.0))).collect();
    let pairs = connected.iter().enumerate().filter(|(p, c)| p / k != p % k && **c != 0.0).count();
    if pairs == 0 || pairs == k * (k - 1) {
        return Ok(None);
    }
    let sub = |full: &[f32]| -> Vec<f32> { (0..k * k).map(|p| full[keep[p / k] * n + keep[p % k]]).collect() };
    let inferred = sub(&graph.probability);
    let correlation = sub(&abs_correlation(test, context_frames(test)));
    let auroc = score_edges(&inferred, &connected)?.auroc;
    let correlation_auroc = score_edges(&correlation, &connected)?.auroc;
    let mut order: Vec<usize> = (0..k * k).filter(|p| p / k != p % k).collect();
    order.sort_by(|&a, &b| inferred[b].total_cmp(&inferred[a]));
    let top_edges = order
        .into_iter()
        .take(TOP)
        .map(|p| TopEdge {
            from: names[p / k].clone(),
            to: names[p % k].clone(),
            strength: inferred[p],
            anatomical: connected[p] != 0.0,
        })
        .collect();
    Ok(Some(AnatomyComparison { neurons: k, connected_pairs: pairs, auroc, correlation_auroc, top_edges }))
}

fn mean_sd(values: &[f64]) -> (f64, f64) {
    let n = values.len();
    if n == 0 {
        return (f64::NAN, f64::NAN);
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    let sd = if n > 1 { (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt() } else { 0.0 };
    (mean, sd)
}

// The metric names below say how far ahead the multi-step forecast looks.
const _: () = assert!(MULTI_STEP == 5, "rename the \"5 frames ahead\" metrics");

/// Metric names in the order the report lists them.
pub const METRICS: [&str; 10] = [
    "forecast MSE",
    "forecast R^2",
    "forecast MSE, 5 frames ahead",
    "forecast R^2, 5 frames ahead",
    "forecast MSE, shared neurons",
    "behaviour accuracy",
    "behaviour macro-F1",
    "signal R^2",
    "edge AUROC",
    "anatomy AUROC",
];

impl FoldResult {
    /// One of [`METRICS`]: the model's value and its floor's (or the baseline's), when
    /// this fold scored it.
    pub fn metric(&self, metric: &str) -> Option<(f64, f64)> {
        match metric {
            "forecast MSE" => self.forecast.map(|p| (p.first, p.floor_first)),
            "forecast R^2" => self.forecast.map(|p| (p.second, p.floor_second)),
            "forecast MSE, 5 frames ahead" => self.forecast_ahead.map(|p| (p.first, p.floor_first)),
            "forecast R^2, 5 frames ahead" => self.forecast_ahead.map(|p| (p.second, p.floor_second)),
            "forecast MSE, shared neurons" => self.forecast_shared.map(|p| (p.first, p.floor_first)),
            "behaviour accuracy" => self.behaviour.map(|p| (p.first, p.floor_first)),
            "behaviour macro-F1" => self.behaviour.map(|p| (p.second, p.floor_second)),
            "signal R^2" => self.signals.map(|p| (p.first, p.floor_first)),
            "edge AUROC" => self.edges.as_ref().map(|e| (e.gnn.auroc, e.correlation.auroc)),
            "anatomy AUROC" => self.anatomy.as_ref().map(|a| (a.auroc, a.correlation_auroc)),
            _ => None,
        }
    }
}

fn summarise(folds: &[FoldResult], models: &[ModelKind]) -> Vec<SummaryRow> {
    let mut rows = Vec::new();
    for &model in models {
        let of_model: Vec<&FoldResult> = folds.iter().filter(|f| f.model == model).collect();
        for metric in METRICS {
            let pairs: Vec<(f64, f64)> = of_model
                .iter()
                .filter_map(|f| f.metric(metric))
                .filter(|(a, b)| a.is_finite() && b.is_finite())
                .collect();
            if pairs.is_empty() {
                continue;
            }
            let (mean, sd) = mean_sd(&pairs.iter().map(|p| p.0).collect::<Vec<_>>());
            let (floor_mean, floor_sd) = mean_sd(&pairs.iter().map(|p| p.1).collect::<Vec<_>>());
            rows.push(SummaryRow {
                model,
                metric: metric.to_owned(),
                mean,
                sd,
                floor_mean,
                floor_sd,
                folds: pairs.len(),
            });
        }
    }
    rows
}

fn verdict(summary: &[SummaryRow], folds: &[FoldResult]) -> Vec<String> {
    let row = |model: ModelKind, metric: &str| summary.iter().find(|r| r.model == model && r.metric == metric);
    let mut out = Vec::new();
    if let Some(gnn) = row(ModelKind::Gnn, "forecast MSE") {
        let beats_floor = folds
            .iter()
            .filter(|f| f.model == ModelKind::Gnn)
            .filter_map(|f| f.forecast)
            .filter(|p| p.first < p.floor_first)
            .count();
        out.push(format!(
            "Unseen animals: the GNN's one-step forecast MSE is {:.4} ± {:.4} against persistence's {:.4} ± {:.4}; it beats persistence on {beats_floor} of {} held-out animals.",
            gnn.mean, gnn.sd, gnn.floor_mean, gnn.floor_sd, gnn.folds
        ));
        if let Some(a) = row(ModelKind::Gnn, "forecast MSE, 5 frames ahead") {
            out.push(format!(
                "Five frames ahead (the GNN's own predictions fed back): MSE {:.4} ± {:.4} against persistence's {:.4} ± {:.4}.",
                a.mean, a.sd, a.floor_mean, a.floor_sd
            ));
        }
        let shared = row(ModelKind::Gnn, "forecast MSE, shared neurons");
        for other in [ModelKind::Mlp, ModelKind::Gru] {
            let Some(b) = row(other, "forecast MSE") else { continue };
            // Same neurons and frames: the GNN's MSE on the neurons the baseline reads.
            let Some(g) = shared else { continue };
            let wins = folds
                .iter()
                .filter(|f| f.model == ModelKind::Gnn)
                .filter_map(|gf| {
                    let o = folds.iter().find(|f| f.model == other && f.held_out == gf.held_out)?;
                    Some(gf.forecast_shared?.first < o.forecast?.first)
                })
                .filter(|&w| w)
                .count();
            let holds = if g.mean < b.mean { "holds" } else { "does not hold" };
            let neurons = folds.iter().find(|f| f.model == other).map_or(0, |f| f.neurons);
            out.push(format!(
                "GNN vs {name}, on the {neurons} named neurons every animal shares (what the {name} reads): forecast MSE {:.4} vs {:.4}, lower is better, the GNN lower in {wins} of {} folds: the claim that the GNN beats the structure-agnostic {name} {holds} on this data.",
                g.mean,
                b.mean,
                g.folds,
                name = label_of(other),
            ));
        }
    }
    if let Some(e) = row(ModelKind::Gnn, "edge AUROC") {
        out.push(format!(
            "Known graph: the GNN's edge AUROC is {:.3} ± {:.3} against {:.3} ± {:.3} for the absolute correlation between neurons.",
            e.mean, e.sd, e.floor_mean, e.floor_sd
        ));
    }
    if let Some(a) = row(ModelKind::Gnn, "anatomy AUROC") {
        out.push(format!(
            "Anatomy: inferred strengths among named neurons rank anatomically connected pairs with AUROC {:.3} ± {:.3} (absolute correlation: {:.3}); 0.5 is chance.",
            a.mean, a.sd, a.floor_mean
        ));
    }
    out
}

impl StudyReport {
    /// The summary as CSV: `model,metric,mean,sd,floor_mean,floor_sd,folds`.
    pub fn summary_csv(&self) -> String {
        let mut out = String::from("model,metric,mean,sd,floor_mean,floor_sd,folds\n");
        for r in &self.summary {
            out.push_str(&format!(
                "{},{},{},{},{},{},{}\n",
                label_of(r.model),
                r.metric,
                r.mean,
                r.sd,
                r.floor_mean,
                r.floor_sd,
                r.folds
            ));
        }
        out
    }

    /// Every fold as CSV: `held_out,model,neurons,metric,value,floor`.
    pub fn folds_csv(&self) -> String {
        let mut out = String::from("held_out,model,neurons,metric,value,floor\n");
        for f in &self.folds {
            for metric in METRICS {
                if let Some((value, floor)) = f.metric(metric) {
                    out.push_str(&format!(
                        "{},{},{},{metric},{value},{floor}\n",
                        f.held_out,
                        label_of(f.model),
                        f.neurons
                    ));
                }
            }
        }
        out
    }

    /// The whole report as markdown: settings, summary table, verdict, top edges.
    pub fn markdown(&self) -> String {
        let c = &self.config;
        let models: Vec<&str> = c.models.iter().map(|&m| label_of(m)).collect();
        let mut out = format!(
            "# ganglion study: leave one animal out\n\nAnimals: {}. Models: {}. History {} frames; {} steps per run, batch {}, learning rate {}, seed {}.{}\n\n",
            self.animals.join(", "),
            models.join(", "),
            c.history,
            c.train.max_steps,
            c.train.batch_size,
            c.train.learning_rate,
            c.train.seed,
            if self.cancelled { " **Stopped before every fold ran.**" } else { "" }
        );
        out.push_str("| model | metric | mean | sd | floor / baseline | sd | folds |\n|---|---|---|---|---|---|---|\n");
        for r in &self.summary {
            out.push_str(&format!(
                "| {} | {} | {:.4} | {:.4} | {:.4} | {:.4} | {} |\n",
                label_of(r.model),
                r.metric,
                r.mean,
                r.sd,
                r.floor_mean,
                r.floor_sd,
                r.folds
            ));
        }
        out.push_str(
            "\nFloors: persistence (next frame = last) for forecasts, the majority class for behaviour, \
             the training mean for continuous signals, the absolute correlation between neurons for \
             edges and anatomy.\n\n",
        );
        for line in &self.verdict {
            out.push_str(&format!("- {line}\n"));
        }
        for f in self.folds.iter().filter(|f| f.anatomy.is_some()) {
            let Some(a) = &f.anatomy else { continue };
            out.push_str(&format!(
                "\n## Strongest inferred interactions, {} held out ({} named neurons, {} connected pairs)\n\n| from | to | strength | in the wiring diagram |\n|---|---|---|---|\n",
                f.held_out, a.neurons, a.connected_pairs
            ));
            for e in &a.top_edges {
                out.push_str(&format!(
                    "| {} | {} | {:.3} | {} |\n",
                    e.from,
                    e.to,
                    e.strength,
                    if e.anatomical { "yes" } else { "no" }
                ));
            }
        }
        out
    }
}
