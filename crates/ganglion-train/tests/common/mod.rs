//! A synthetic study shared by the learning tests: four worms on one graph, three to
//! train on, the fourth held out. Its first half is the context the GNN infers the
//! held-out animal's graph from; its second half is where forecasts and behaviour are
//! scored, so nothing scored was seen.
#![allow(dead_code)]

use burn::prelude::*;
use burn::tensor::loss::cross_entropy_with_logits;
use ganglion_data::Recording;
use ganglion_data::preprocess::{AlignMode, Alignment, Normalizer, WindowSpec};
use ganglion_data::synth::{SynthConfig, synth_worms};
use ganglion_models::RelationalGnn;
use ganglion_models::gnn::{Inferred, PairStatistics};
use ganglion_train::evaluate::{context_tensors, graph_contexts};
use ganglion_train::{BatchTensors, NeuronRows, TrainConfig, WindowSet};

/// Seed of the models' initial weights.
pub const SEED: u64 = 1;

pub struct Study {
    pub worms: Vec<Recording>,
    pub normalizer: Normalizer,
    pub contexts: Vec<PairStatistics>,
    pub test_context: PairStatistics,
    pub spec: WindowSpec,
    pub device: Device,
    /// Held while the study lives: the device's generator is shared by the tests running
    /// in parallel, and training draws from it (the encoder's sampling), so one study
    /// runs at a time and its scores are the same every run.
    _one_at_a_time: std::sync::MutexGuard<'static, ()>,
}

static ONE_RUN_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Held by every test that trains: the device's generator (initial weights, the encoder's
/// sampling) is shared by the tests of this binary running in parallel, so one run at a
/// time draws exactly its own seeded numbers and its scores are the same every run.
pub fn one_run_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    ONE_RUN_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Study {
    pub fn new(history: usize) -> Self {
        let one_at_a_time = one_run_at_a_time();
        let worms = synth_worms(&SynthConfig { n_neurons: 16, n_frames: 1500, n_animals: 4, ..Default::default() });
        let normalizer = Normalizer::fit(worms[..3].iter().map(|r| (r, 0..r.n_frames())));
        let contexts = graph_contexts(worms[..3].iter().map(|r| (r, 0..r.n_frames())), &normalizer);
        let half = worms[3].n_frames() / 2;
        let test_context = graph_contexts([(&worms[3], 0..half)], &normalizer).remove(0);
        Study {
            worms,
            normalizer,
            contexts,
            test_context,
            spec: WindowSpec { history, horizon: 1, stride: 2 },
            device: Device::flex(),
            _one_at_a_time: one_at_a_time,
        }
    }

    /// Builds a model on the training device from its seeded generator, so the initial
    /// weights are the same every run.
    pub fn init<M>(&self, build: impl FnOnce(&Device) -> M) -> M {
        let device = self.device.clone().autodiff();
        device.seed(SEED);
        build(&device)
    }

    /// The graph `model` infers for the training animal of batch `b` (own-neuron batches).
    pub fn batch_graph(&self, model: &RelationalGnn, b: &BatchTensors) -> Inferred {
        let context = &self.contexts[b.recording.expect("own-neuron batches")];
        let (stats, mask) = context_tensors(context, &b.inputs.device());
        model.infer(stats, mask)
    }

    /// The GNN's forecasting loss on batch `b`, on the graph of its animal.
    pub fn gnn_forecast_loss(&self, model: &RelationalGnn, b: &BatchTensors) -> Tensor<1> {
        let graph = self.batch_graph(model, b);
        let ids = b.ids.clone();
        model.forecast_loss(
            b.inputs.clone(),
            ids,
            b.next.clone(),
            b.mask.clone(),
            &graph,
            ganglion_models::gnn::KL_WEIGHT,
        )
    }

    /// The graph `model` infers for the held-out animal from the first half of its recording.
    pub fn test_graph(&self, model: &RelationalGnn) -> Inferred {
        let (stats, mask) = context_tensors(&self.test_context, &self.device);
        model.infer(stats, mask)
    }

    pub fn test_worm(&self) -> &Recording {
        &self.worms[3]
    }

    /// Training windows (each animal's own neurons) and held-out windows.
    pub fn own_sets(&self) -> (WindowSet<'_>, WindowSet<'_>) {
        let half = self.worms[3].n_frames() / 2;
        let train = WindowSet::new(self.worms[..3].iter().collect(), |r| 0..r.n_frames(), self.spec, NeuronRows::Own);
        let test = WindowSet::new(vec![&self.worms[3]], |r| half..r.n_frames(), self.spec, NeuronRows::Own);
        (train.expect("train windows"), test.expect("test windows"))
    }

    /// The same, over the named neurons every animal shares (for the baselines).
    pub fn aligned_sets(&self) -> (WindowSet<'_>, WindowSet<'_>, Alignment) {
        let all: Vec<&Recording> = self.worms.iter().collect();
        let align = Alignment::new(&all, AlignMode::Intersection);
        let part = |r: std::ops::Range<usize>| Alignment { names: align.names.clone(), rows: align.rows[r].to_vec() };
        let half = self.worms[3].n_frames() / 2;
        let train = WindowSet::new(
            self.worms[..3].iter().collect(),
            |r| 0..r.n_frames(),
            self.spec,
            NeuronRows::Aligned(part(0..3)),
        );
        let test =
            WindowSet::new(vec![&self.worms[3]], |r| half..r.n_frames(), self.spec, NeuronRows::Aligned(part(3..4)));
        (train.expect("train windows"), test.expect("test windows"), align)
    }

    pub fn config(&self, steps: usize) -> TrainConfig {
        // The rate halves twice, so the last steps refine rather than jump.
        TrainConfig { max_steps: steps, validate_every: 0, lr_decay_every: steps / 3 + 1, ..Default::default() }
    }
}

pub fn cross_entropy(logits: Tensor<2>, labels: &Tensor<1, Int>) -> Tensor<1> {
    let classes = logits.dims()[1];
    cross_entropy_with_logits(logits, labels.clone().one_hot(classes).float())
}
