// Generated from the Rust wire types by ts-rs (web/src/wire_types.rs): do not edit.
// Regenerate with `cargo xtask types`; a test fails while this file is stale.

/**
 * The inferred interactions of the named neurons against the wiring diagram.
 */
export type AnatomyComparison = { 
/**
 * Named neurons of the held-out animal found in the wiring diagram.
 */
neurons: number, 
/**
 * Ordered pairs among them that are anatomically connected (chemical or gap junction).
 */
connected_pairs: number, 
/**
 * AUROC of inferred strength against "anatomically connected".
 */
auroc: number, 
/**
 * AUROC of the absolute correlation against the same.
 */
correlation_auroc: number, 
/**
 * AUROC of the absolute partial correlation against the same.
 */
partial_correlation_auroc: number | null, 
/**
 * AUROC of the absolute VAR(1) coefficients against the same.
 */
var_auroc: number | null, 
/**
 * The strongest inferred edges, with whether each is in the wiring diagram.
 */
top_edges: Array<TopEdge>, };

/**
 * The baselines every forecast stands beside, in the order tables list them: what a
 * neuroscientist tries before any trained model. Every report, the study, the CLI's
 * tables, the page, the trainer element and the notebook cell read this one list.
 */
export type BaselineKind = "persistence" | "linear-ar" | "var";

/**
 * One baseline's forecast scores beside the model's, on the same neurons and frames.
 */
export type BaselineScores = { 
/**
 * Which baseline.
 */
baseline: BaselineKind, 
/**
 * Its one-step scores.
 */
scores: ForecastScores, 
/**
 * The model's one-step MSE divided by this baseline's: below 1, the model is better.
 */
ratio: number, };

/**
 * Behaviour decoding scores.
 */
export type ClassificationScores = { 
/**
 * Fraction correct.
 */
accuracy: number, 
/**
 * Mean F1 over classes.
 */
macro_f1: number, 
/**
 * `counts[truth][predicted]`.
 */
confusion: ConfusionMatrix, };

/**
 * `counts[truth][predicted]`.
 */
export type ConfusionMatrix = { 
/**
 * Rows are the true class, columns the predicted class.
 */
counts: Array<Array<number>>, };

/**
 * How a message depends on its sender's and receiver's states (see the module docs).
 */
export type DecoderKind = "separable" | "pairwise";

/**
 * Edge recovery of the GNN beside the correlation baseline.
 */
export type EdgeComparison = { 
/**
 * The GNN's inferred edge probability.
 */
gnn: EdgeScores, 
/**
 * Absolute Pearson correlation on the same frames.
 */
correlation: EdgeScores, 
/**
 * Absolute partial correlation (given every other neuron) on the same frames.
 */
partial_correlation: EdgeScores | null, 
/**
 * Absolute VAR(1) coefficients on the same frames.
 */
var_coefficient: EdgeScores | null, };

/**
 * Edge recovery of one recording against its known graph.
 */
export type EdgeScores = { 
/**
 * AUROC of the inferred edge probability against "connected" (off-diagonal pairs).
 */
auroc: number, 
/**
 * Average precision of the same ranking.
 */
average_precision: number, };

/**
 * Settings of an experiment.
 */
export type Experiment = { 
/**
 * What to learn.
 */
task: Task, 
/**
 * Which model.
 */
model: ModelKind, 
/**
 * History frames per window (for the long-memory task: steps between the cue and
 * the answer); [`DEFAULT_HISTORY`] where the settings leave it out (the JS API).
 */
history: number, 
/**
 * The GNN's message form (the other models ignore it; absent in settings written
 * before there was a choice, which then get today's default).
 */
decoder: DecoderKind, 
/**
 * The training loop's settings ([`TrainConfig::default`] for what they leave out).
 */
train: TrainConfig, };

/**
 * One model on one held-out animal.
 */
export type FoldResult = { 
/**
 * The animal never seen in training.
 */
held_out: string, 
/**
 * The model.
 */
model: ModelKind, 
/**
 * Neurons it read (for MLP/GRU: the named neurons all animals share).
 */
neurons: number, 
/**
 * One-step forecast MSE and R^2, and persistence's on the same neurons and frames.
 */
forecast: Pair | null, 
/**
 * Forecast MSE and R^2 [`MULTI_STEP`] frames ahead (predictions fed back), and
 * persistence's.
 */
forecast_ahead: Pair | null, 
/**
 * For the GNN: its one-step MSE and R^2 on the named neurons every animal shares
 * (the neurons the MLP and GRU read), beside persistence's on them, so the models are
 * compared on the same neurons.
 */
forecast_shared: Pair | null, 
/**
 * The model's one-step MSE and R^2 beside the linear AR's (the floor columns) on
 * the same neurons and frames.
 */
linear_ar: Pair | null, 
/**
 * For the GNN: its one-step MSE and R^2 on the named neurons every animal shares
 * beside the linear AR's on them.
 */
linear_ar_shared: Pair | null, 
/**
 * For models that read the shared named neurons: their one-step MSE and R^2 beside
 * a VAR's over the same neurons.
 */
var: Pair | null, 
/**
 * Behaviour accuracy and macro-F1, and the majority class's.
 */
behaviour: Pair | null, 
/**
 * Continuous behaviour signals: mean R^2 over the signals, and the training mean's
 * (`second` repeats `first`).
 */
signals: Pair | null, 
/**
 * The GNN's edge recovery against the true graph (synthetic worms), and the
 * correlation baseline's on the same frames.
 */
edges: EdgeComparison | null, 
/**
 * The GNN's inferred interactions against the anatomical wiring (named neurons).
 */
anatomy: AnatomyComparison | null, };

/**
 * Predicted beside true traces of a few neurons on the held-out frames.
 */
export type ForecastPreview = { 
/**
 * The neurons shown (the most variable ones).
 */
names: Array<string>, 
/**
 * One predicted trace per neuron (normalised units).
 */
predicted: Array<Array<number>>, 
/**
 * One true trace per neuron (normalised units).
 */
truth: Array<Array<number>>, };

/**
 * Pooled and per-neuron forecast scores.
 */
export type ForecastScores = { 
/**
 * MSE over every neuron and frame (`null` in JSON where there was nothing to score).
 */
mse: number | null, 
/**
 * R^2 over every neuron and frame (`null` where the target does not vary).
 */
r2: number | null, 
/**
 * MSE per neuron.
 */
mse_per_neuron: Array<number | null>, 
/**
 * R^2 per neuron.
 */
r2_per_neuron: Array<number | null>, };

/**
 * How the test data was kept apart from the training data.
 */
export type HeldOut = "animal" | "time" | "saved" | "trials";

/**
 * The GNN's inferred interactions for the held-out animal.
 */
export type InferredGraph = { 
/**
 * Neuron names, in row order.
 */
names: Array<string>, 
/**
 * Probability of an edge, `[N * N]`, row = sender.
 */
probability: Array<number>, 
/**
 * The known weights in the same layout, when the recording has them.
 */
truth: Array<number> | null, };

/**
 * One metric of a report.
 */
export type MetricRow = { 
/**
 * How the table names it.
 */
label: string, 
/**
 * Its CSV name and test id.
 */
key: string, 
/**
 * The trained model's value.
 */
model: number, 
/**
 * The floor's value (persistence, majority class or chance), where there is one.
 */
floor: number | null, 
/**
 * The linear AR's value on the same neurons and frames (forecasting).
 */
linear: number | null, 
/**
 * The MLP baseline's value, when one was trained beside the model.
 */
mlp: number | null, };

/**
 * A report's results table ([`metric_rows`]): the notebook shows it, and the worker
 * sends it beside every report so the JS API's `<ganglion-trainer>` shows the same
 * table rather than a copy of its logic.
 */
export type MetricTable = { 
/**
 * How the floor column is named.
 */
floor: string, 
/**
 * How the linear baseline's column is named, when the report has one.
 */
linear: string | null, 
/**
 * One row per metric.
 */
rows: Array<MetricRow>, };

/**
 * The MLP baseline of a report.
 */
export type MlpBaseline = { 
/**
 * Neurons it read: with held-out animals, only the named ones every animal shares,
 * so its scores cover those neurons, not necessarily all of the model's.
 */
neurons: number, 
/**
 * Its scores (and the floor's on the same neurons).
 */
scores: Scores, };

/**
 * Which model.
 */
export type ModelKind = "gnn" | "mlp" | "gru" | "elm" | "branch-elm";

/**
 * A forecast several frames ahead, from the model's own predictions.
 */
export type MultiStep = { 
/**
 * Frames ahead.
 */
steps: number, 
/**
 * The model, rolled out.
 */
model: ForecastScores, 
/**
 * The last history frame, `steps` frames on.
 */
persistence: ForecastScores, };

/**
 * A model's two numbers beside its floor's (MSE and R^2, or accuracy and macro-F1).
 */
export type Pair = { 
/**
 * MSE or accuracy.
 */
first: number, 
/**
 * R^2 or macro-F1.
 */
second: number, 
/**
 * The floor's first number.
 */
floor_first: number, 
/**
 * The floor's second number.
 */
floor_second: number, };

/**
 * What one loaded recording holds.
 */
export type RecordingInfo = { 
/**
 * Animal or session id, when the file has one.
 */
animal: string | null, 
/**
 * Neuron names, in row order.
 */
names: Array<string>, 
/**
 * Frames.
 */
frames: number, 
/**
 * Frames per second.
 */
rate_hz: number, 
/**
 * Behaviour state names, when the recording has labels.
 */
states: Array<string> | null, 
/**
 * Whether the true graph came with it.
 */
connectivity: boolean, };

/**
 * The report of one experiment, ready to write as JSON.
 */
export type Report = { 
/**
 * The settings.
 */
experiment: Experiment, 
/**
 * How the test data was held out.
 */
held_out: HeldOut, 
/**
 * Animals trained on.
 */
train_animals: Array<string>, 
/**
 * The held-out animal.
 */
test_animal: string, 
/**
 * Neurons the model saw per window.
 */
neurons: number, 
/**
 * Scores on the held-out frames.
 */
scores: Scores, 
/**
 * Forecasting: every baseline of [`ganglion_models::BaselineKind`] the run could fit,
 * scored on the same neurons and frames as the model, with the model's MSE ratio to
 * each (persistence first, then the linear AR, then the VAR where there is one neuron
 * set). Empty for other tasks and in reports from before it existed.
 */
baselines: Array<BaselineScores>, 
/**
 * Edge recovery of the GNN's inferred graph, when the true graph is known.
 */
edges: EdgeScores | null, 
/**
 * The GNN's inferred graph.
 */
graph: InferredGraph | null, 
/**
 * An MLP trained on the same frames for the same steps, scored the same way: the
 * structure-agnostic baseline beside any other model (absent for the MLP itself,
 * the long-memory task, or animals that share no named neuron).
 */
mlp: MlpBaseline | null, 
/**
 * Forecasts of a few neurons beside the truth (forecasting only).
 */
preview: ForecastPreview | null, 
/**
 * Forecasts [`MULTI_STEP`] frames ahead, each prediction fed back as input, beside
 * persistence (forecasting only).
 */
multi_step: MultiStep | null, 
/**
 * Optimiser steps done.
 */
steps: number, };

/**
 * Scores of the model and its floor, tagged with the task's kind (`"kind": "forecast"`)
 * so JavaScript reads the variant instead of guessing it from the keys.
 */
export type Scores = { "kind": "forecast", 
/**
 * The trained model.
 */
model: ForecastScores, 
/**
 * next = last.
 */
persistence: ForecastScores, } | { "kind": "behaviour", 
/**
 * The trained model.
 */
model: ClassificationScores, 
/**
 * The most frequent training label.
 */
majority: ClassificationScores, } | { "kind": "signals", 
/**
 * The signals' names.
 */
names: Array<string>, 
/**
 * The trained model's R^2 per signal.
 */
model: Array<number>, 
/**
 * R^2 of always answering the training mean, per signal.
 */
mean: Array<number>, };

/**
 * What a study runs; what a config leaves out (the JS API sends only what its caller
 * set) is [`StudyConfig::default`]'s.
 */
export type StudyConfig = { 
/**
 * The models compared (the GNN first by convention).
 */
models: Array<ModelKind>, 
/**
 * History frames per window.
 */
history: number, 
/**
 * The GNN's message form (absent in a JS API's config: the default).
 */
decoder: DecoderKind, 
/**
 * The training loop of every run (its seed is the study's seed).
 */
train: TrainConfig, 
/**
 * Whether to decode behaviour too: states where every recording has them, and
 * continuous signals where every recording has the same ones.
 */
behaviour: boolean, };

/**
 * The study's report, ready to write as JSON, CSV or markdown.
 */
export type StudyReport = { 
/**
 * The settings (seed included), so the study can be run again.
 */
config: StudyConfig, 
/**
 * The animals, in the order given.
 */
animals: Array<string>, 
/**
 * Every model on every held-out animal.
 */
folds: Array<FoldResult>, 
/**
 * Mean and spread per model and metric.
 */
summary: Array<SummaryRow>, 
/**
 * Plain sentences: does the GNN beat the baselines here, and does it generalise?
 */
verdict: Array<string>, 
/**
 * True when the study was stopped before every fold ran.
 */
cancelled: boolean, };

/**
 * Mean and spread of one metric over folds.
 */
export type SummaryRow = { 
/**
 * The model.
 */
model: ModelKind, 
/**
 * `forecast MSE`, `forecast R^2`, `behaviour accuracy`, `behaviour macro-F1`,
 * `edge AUROC`, `anatomy AUROC`.
 */
metric: string, 
/**
 * Mean over folds.
 */
mean: number, 
/**
 * Sample standard deviation over folds (0 with one fold).
 */
sd: number, 
/**
 * The floor's (or for edges the correlation baseline's) mean.
 */
floor_mean: number, 
/**
 * ...and its spread.
 */
floor_sd: number, 
/**
 * Folds that gave this metric.
 */
folds: number, };

/**
 * What to learn.
 */
export type Task = "forecast" | "behaviour" | "signals" | "long-memory";

/**
 * One inferred edge.
 */
export type TopEdge = { 
/**
 * Sender.
 */
from: string, 
/**
 * Receiver.
 */
to: string, 
/**
 * Inferred edge probability.
 */
strength: number, 
/**
 * Whether the wiring diagram has a synapse or gap junction between them.
 */
anatomical: boolean, };

/**
 * Settings of a training run. Its [`Default`] is the one set of run defaults: the CLI's
 * `train` and `study`, the notebook's settings and the study all start from it, and the
 * JS API sends only what its caller set, so the worker fills the rest from it too.
 */
export type TrainConfig = { 
/**
 * Optimiser steps at most.
 */
max_steps: number, 
/**
 * Windows per batch.
 */
batch_size: number, 
/**
 * Adam learning rate at the start.
 */
learning_rate: number, 
/**
 * The rate is multiplied by `lr_decay` every `lr_decay_every` steps.
 */
lr_decay: number, 
/**
 * See `lr_decay`.
 */
lr_decay_every: number, 
/**
 * Read the loss back and report every this many steps.
 */
report_every: number, 
/**
 * Validate every this many steps (0: never).
 */
validate_every: number, 
/**
 * Stop after this many validations without improvement (0: never).
 */
patience: number, 
/**
 * Seed for batch order (experiments also seed the initial weights with it).
 */
seed: number, };

/**
 * What the loop reports.
 */
export type TrainEvent = { "kind": "progress", 
/**
 * Steps done.
 */
step: number, 
/**
 * Passes over the training windows so far.
 */
epoch: number, 
/**
 * Mean training loss since the last report.
 */
train_loss: number, 
/**
 * Steps per second since the last report.
 */
steps_per_second: number, } | { "kind": "validation", 
/**
 * Steps done.
 */
step: number, 
/**
 * Mean validation loss.
 */
loss: number, 
/**
 * Whether it is the best so far (that model is kept).
 */
best: boolean, } | { "kind": "stepped", 
/**
 * Steps done.
 */
step: number, } | { "kind": "stage", 
/**
 * This run's number.
 */
run: number, 
/**
 * Runs in the study.
 */
runs: number, 
/**
 * What it trains, for people: `GNN forecast without worm3`.
 */
label: string, } | { "kind": "finished", 
/**
 * Steps done.
 */
step: number, 
/**
 * Why it ended.
 */
reason: string, };
