//! The relational GNN (Wang et al. 2020, in the Neural Relational Inference family of
//! Kipf et al. 2018).
//!
//! **Edges**: an animal's wiring does not change within a recording, so the encoder
//! infers one graph per animal from a context segment of its activity, summarised as
//! [`PairStatistics`] (correlations and a ridge regression of each neuron's next change
//! on every neuron), refined by NRI-style edge -> node -> edge message passing. For
//! every ordered pair (sender `i`, receiver `j`), `i != j`, it gives `K` edge-type
//! probabilities; type 0 is "no edge" and carries no message, so
//! `1 - p[i, j, 0]` is the inferred probability that `i` acts on `j` (row = sender, as
//! in `Connectivity`). A KL term to a sparse prior (`edge_prior`) keeps the graph sparse.
//! The edge types' logits are anchored on the magnitude of the ridge coefficient (a
//! learned, positive-initialised scale times `|beta|`), so an untrained encoder already
//! ranks pairs by that statistic and training refines it rather than finding it.
//! Probabilities are a plain softmax (no Gumbel noise), so training and evaluation see
//! the same graph.
//!
//! **Memory**: the encoder's pairwise tensors are `[1, N, N, P]` (`P` = `pair_hidden`,
//! narrower than the neuron width), so memory grows as `N^2`. The first layer of every
//! pair MLP is factorised (`W [h_i; h_j] = W_s h_i + W_r h_j`), so no `[B, N, N, 2D]`
//! concatenation is built. The default, separable
//! decoder ([`DecoderKind`]) holds no per-pair vectors at all (`[B, N, N]` edge weights
//! times `[B, T, N, M]` messages); the pairwise one builds `[B * T, N, N, M]`, which at
//! 302 neurons is most of the memory and time of a step.

mod decoder;
mod encoder;
mod statistics;

use burn::module::Param;
use burn::nn::{Embedding, EmbeddingConfig, Linear, LinearConfig};
use burn::prelude::*;
use burn::tensor::activation::{elu, log_softmax, softmax};

pub use decoder::{DECODER_NAMES, Decoder, DecoderKind};
pub use encoder::Encoder;
pub use statistics::{PAIR_FEATURES, PairStatistics};

use crate::layers::{EluMlp, off_diagonal};
use crate::linear::LinearAr;

/// Weight of the KL term of [`RelationalGnn::forecast_loss`] that the experiments use.
/// Weaker (0.01) let forecasting alone shape the graph, and it learned predictive but
/// non-causal edges (edge AUROC 0.72 on synthetic worms, against 0.85-0.93 at 0.1).
pub const KL_WEIGHT: f64 = 0.1;

/// The KL weight of a GNN with the linear highway ([`RelationalGnn::kl_weight`]). At
/// [`KL_WEIGHT`] the prior held the decoder's correction back: on the realistic
/// synthetic worms the GNN stayed at 0.974x the linear AR's MSE on unseen animals; at
/// 0.01 it reached 0.919x, and its graph still ranks anatomical pairs above
/// |correlation| (`reports/science.md`).
pub const HIGHWAY_KL_WEIGHT: f64 = 0.01;

/// Width of the encoder's per-pair layers in new GNNs. At 64 (the neuron width, as it
/// was) the `[1, N, N, 64]` pair layers were most of a 302-neuron step's memory and time;
/// at 16 they hold a quarter of the memory and need a sixteenth of the multiplications,
/// and the study on synthetic connectome worms scores no worse (`reports/gnn-scale.md`).
pub const PAIR_WIDTH: usize = 16;

/// Buckets of the neuron-name embedding (bucket 0 = unnamed).
pub const NAME_BUCKETS: usize = 1024;

/// The embedding bucket of a neuron name in canonical form (FNV-1a hash), or 0 for an
/// unnamed neuron. Identified neurons keep their bucket across animals, which lets the
/// read-out learn what, say, AVA's activity means.
pub fn name_bucket(canonical_name: Option<&str>) -> i64 {
    let Some(name) = canonical_name else { return 0 };
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in name.bytes() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    1 + (hash % (NAME_BUCKETS as u64 - 1)) as i64
}

/// Hyperparameters of [`RelationalGnn`].
#[derive(Config, Debug)]
pub struct RelationalGnnConfig {
    /// History frames of a window.
    pub history: usize,
    /// Width of the per-neuron layers (encoder nodes, read-out).
    #[config(default = 64)]
    pub hidden: usize,
    /// Width of the encoder's per-pair layers ([`PAIR_WIDTH`]); `None` is `hidden`, which
    /// every GNN saved before this option existed was built with (a stored config
    /// without the field reads as `None`).
    #[config(default = "Some(PAIR_WIDTH)")]
    pub pair_hidden: Option<usize>,
    /// Message width of the decoder.
    #[config(default = 32)]
    pub message: usize,
    /// Edge types, including "no edge".
    #[config(default = 2)]
    pub edge_types: usize,
    /// Prior probability of an edge (the KL term pulls towards it).
    #[config(default = 0.15)]
    pub edge_prior: f64,
    /// Behaviour classes of the read-out head.
    #[config(default = 3)]
    pub classes: usize,
    /// How a message depends on the states of its sender and receiver.
    #[config(default = "DecoderKind::Separable")]
    pub decoder: DecoderKind,
    /// Whether the forecast is a linear AR over the window plus the message-passing
    /// decoder's correction (see [`RelationalGnn::forecast`]); `None` is no highway, as
    /// in every GNN saved before it existed (a stored config without the field).
    #[config(default = "Some(true)")]
    pub highway: Option<bool>,
}

/// Encoder, decoder and read-out head.
#[derive(Module, Debug)]
pub struct RelationalGnn {
    encoder: Encoder,
    decoder: Decoder,
    window_nodes: EluMlp,
    identity: Embedding,
    decoder_identity: Embedding,
    readout_nodes: EluMlp,
    readout_attention: Linear,
    readout_hidden: Linear,
    readout_out: Linear,
    /// The linear AR(H) over each neuron's window, shared by every neuron (its weights
    /// start as the closed-form fit on the training windows, [`RelationalGnn::with_highway`]).
    highway: Option<Linear>,
    edge_types: usize,
    edge_prior: f64,
}

/// The graph the encoder inferred for one animal.
#[derive(Debug, Clone)]
pub struct Inferred {
    /// `[1, N, N, K]` edge-type log-probabilities (row = sender).
    pub log_probs: Tensor<4>,
}

impl RelationalGnnConfig {
    /// Builds the model on `device`.
    pub fn init(&self, device: &Device) -> RelationalGnn {
        let d = self.hidden;
        RelationalGnn {
            encoder: Encoder::new(d, self.pair_hidden.unwrap_or(d), self.edge_types, device),
            decoder: Decoder::new(
                self.message,
                self.edge_types,
                self.decoder,
                (self.highway == Some(true)).then_some(self.history),
                device,
            ),
            window_nodes: EluMlp::new(self.history, d, d, device),
            identity: EmbeddingConfig::new(NAME_BUCKETS, d).init(device),
            decoder_identity: EmbeddingConfig::new(NAME_BUCKETS, self.message).init(device),
            readout_nodes: EluMlp::new(2 * d, d, d, device),
            readout_attention: LinearConfig::new(d, 1).init(device),
            readout_hidden: LinearConfig::new(2 * d, d).init(device),
            readout_out: LinearConfig::new(d, self.classes).init(device),
            highway: (self.highway == Some(true)).then(|| LinearConfig::new(self.history, 1).init(device)),
            edge_types: self.edge_types,
            edge_prior: self.edge_prior,
        }
    }
}

impl RelationalGnn {
    /// Infers the graph from pair statistics `[1, N, N, F]`; `mask` `[1, N]` (1 = present).
    pub fn infer(&self, stats: Tensor<4>, mask: Tensor<2>) -> Inferred {
        let (logits, _) = self.encoder.forward(stats, mask);
        Inferred { log_probs: log_softmax(logits, 3) }
    }

    /// `[1, N, N]` probability that sender `i` acts on receiver `j` (0 on the diagonal).
    pub fn edge_probability(&self, inferred: &Inferred) -> Tensor<3> {
        let [_, n, _, _] = inferred.log_probs.dims();
        let p_none = inferred.log_probs.clone().narrow(3, 0, 1).exp().squeeze_dim::<3>(3);
        let device = p_none.device();
        (p_none.neg() + 1.0) * off_diagonal(n, &device)
    }

    fn probs_for(&self, inferred: &Inferred, batch: usize) -> Tensor<4> {
        let [_, n, _, k] = inferred.log_probs.dims();
        inferred.log_probs.clone().exp().expand([batch, n, n, k])
    }

    /// The highway's weights set to a linear AR fitted elsewhere (in closed form on the
    /// training windows), so training starts from the linear model and the decoder
    /// learns what it misses. A GNN without a highway, or an AR of another history
    /// length, is returned unchanged.
    pub fn with_highway(mut self, ar: &LinearAr) -> Self {
        let Some(highway) = self.highway.take() else { return self };
        let fits = highway.weight.dims() == [ar.history(), 1];
        let device = highway.weight.device();
        let highway = if fits {
            let weight = Tensor::<2>::from_data(TensorData::new(ar.coefficients.clone(), [ar.history(), 1]), &device);
            let bias = Tensor::<1>::from_data(TensorData::new(vec![ar.intercept], [1]), &device);
            // Trainable parameters (a mapped one keeps the fresh tensor's state, which trains nothing).
            Linear { weight: Param::from_tensor(weight), bias: Some(Param::from_tensor(bias)) }
        } else {
            highway
        };
        self.highway = Some(highway);
        self
    }

    /// Forecast of the frame after the window: `x` `[B, N, H]`, `ids` `[B, N]` (name
    /// buckets, [`name_bucket`]) -> `[B, N]`. With the highway, the linear AR of each
    /// neuron's window plus the decoder's correction (read from the last frame, the
    /// neighbours' messages and the neuron's embedded window; zero before training), as
    /// LSTNet adds a linear autoregressive path to a network's forecast: the network
    /// predicts what the linear model misses. Without it, the decoder's prediction from
    /// the last frame.
    pub fn forecast(&self, x: Tensor<3>, ids: Tensor<2, Int>, mask: Tensor<2>, inferred: &Inferred) -> Tensor<2> {
        let [b, _, h] = x.dims();
        let identity = self.decoder_identity.forward(ids);
        let probs = self.probs_for(inferred, b);
        match &self.highway {
            Some(highway) => {
                let correction = self.decoder.correction(x.clone(), probs, mask, identity);
                highway.forward(x).squeeze_dim::<2>(2) + correction
            }
            None => self.decoder.forward(x.narrow(2, h - 1, 1), probs, mask, identity).squeeze_dim::<2>(2),
        }
    }

    /// Training loss for forecasting, masked, plus `kl_weight` times the KL to the prior:
    /// with the highway, the one-step MSE of [`RelationalGnn::forecast`] against the
    /// next frame (`target` `[B, N]`: the highway needs a whole window of history, which
    /// only the last frame has); without it, the decoder's one-step MSE over every frame
    /// of the window and the next frame.
    pub fn forecast_loss(
        &self,
        x: Tensor<3>,
        ids: Tensor<2, Int>,
        target: Tensor<2>,
        mask: Tensor<2>,
        inferred: &Inferred,
        kl_weight: f64,
    ) -> Tensor<1> {
        if self.highway.is_some() {
            let kl = self.kl_to_prior(inferred, mask.clone().narrow(0, 0, 1)) * kl_weight;
            let predicted = self.forecast(x, ids, mask.clone(), inferred);
            let mse = ((predicted - target).powi_scalar(2) * mask.clone()).sum() / (mask.sum() + 1e-6);
            return mse + kl;
        }
        let [b, _, _] = x.dims();
        let full = Tensor::cat(vec![x, target.unsqueeze_dim::<3>(2)], 2);
        let [_, _, t] = full.dims();
        let identity = self.decoder_identity.forward(ids);
        let predicted =
            self.decoder.forward(full.clone().narrow(2, 0, t - 1), self.probs_for(inferred, b), mask.clone(), identity);
        let truth = full.narrow(2, 1, t - 1);
        let m = mask.clone().unsqueeze_dim::<3>(2);
        let mse = ((predicted - truth).powi_scalar(2) * m.clone()).sum() / (m.sum() * (t - 1) as f64 + 1e-6);
        mse + self.kl_to_prior(inferred, mask.narrow(0, 0, 1)) * kl_weight
    }

    /// Mean KL divergence from the inferred edge types to the prior, over present pairs.
    pub fn kl_to_prior(&self, inferred: &Inferred, mask: Tensor<2>) -> Tensor<1> {
        let device = inferred.log_probs.device();
        let [_, n, _, k] = inferred.log_probs.dims();
        let mut prior = vec![(self.edge_prior / (k - 1).max(1) as f64).ln() as f32; k];
        prior[0] = (1.0 - self.edge_prior).ln() as f32;
        let log_prior = Tensor::<1>::from_data(TensorData::new(prior, [k]), &device).reshape([1, 1, 1, k]);
        let q = inferred.log_probs.clone().exp();
        let kl = (q * (inferred.log_probs.clone() - log_prior)).sum_dim(3).squeeze_dim::<3>(3);
        let pair = mask.clone().unsqueeze_dim::<3>(2) * mask.unsqueeze_dim::<3>(1) * off_diagonal(n, &device);
        (kl * pair.clone()).sum() / (pair.sum() + 1e-6)
    }

    /// Behaviour logits: window node embeddings plus a learned embedding of each neuron's
    /// name ([`name_bucket`]; unnamed neurons share bucket 0), one round of message
    /// passing along the inferred edges, masked attention and max pooling:
    /// `x` `[B, N, H]`, `ids` `[B, N]` -> `[B, K]`.
    pub fn classify(&self, x: Tensor<3>, ids: Tensor<2, Int>, mask: Tensor<2>, inferred: &Inferred) -> Tensor<2> {
        let [b, n, _] = x.dims();
        let nodes = self.window_nodes.forward(x) + self.identity.forward(ids); // [B, N, D]
        let p = self.edge_probability(inferred).expand([b, n, n]) * mask.clone().unsqueeze_dim::<3>(2);
        let weights = p.clone().swap_dims(1, 2); // [B, receiver, sender]
        let incoming = weights.matmul(nodes.clone()) / (p.sum_dim(1).swap_dims(1, 2) + 1e-6); // [B, N, D]
        let nodes = self.readout_nodes.forward(Tensor::cat(vec![nodes, incoming], 2));
        let m = mask.unsqueeze_dim::<3>(2);
        // Attention pooling (which neurons matter is learned from their embeddings) and max.
        let scores = self.readout_attention.forward(nodes.clone()) + (m.clone() - 1.0) * 1e4; // [B, N, 1]
        let attended = (softmax(scores, 1) * nodes.clone()).sum_dim(1);
        let max = (nodes + (m - 1.0) * 1e4).max_dim(1);
        let pooled = Tensor::cat(vec![attended, max], 2).squeeze_dim::<2>(1);
        self.readout_out.forward(elu(self.readout_hidden.forward(pooled), 1.0))
    }

    /// The weight of the KL term in this GNN's forecasting loss: [`HIGHWAY_KL_WEIGHT`]
    /// with the highway, [`KL_WEIGHT`] without.
    pub fn kl_weight(&self) -> f64 {
        if self.highway.is_some() { HIGHWAY_KL_WEIGHT } else { KL_WEIGHT }
    }

    /// Number of edge types.
    pub fn edge_types(&self) -> usize {
        self.edge_types
    }
}
