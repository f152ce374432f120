//! The NRI-style encoder over pairwise statistics: edge -> node -> edge message passing
//! over all ordered pairs, ending in edge-type logits.
//!
//! Its per-pair layers are `pair` wide and its per-neuron layers `hidden` wide. The pair
//! layers hold `N^2` vectors (91,204 at 302 neurons), so their width sets the memory and
//! most of the time of a GNN step; the neuron layers hold `N`, so they can stay wide.

use burn::module::Param;
use burn::nn::{Linear, LinearConfig};
use burn::prelude::*;
use burn::tensor::activation::elu;

use super::statistics::PAIR_FEATURES;
use crate::layers::{EluMlp, off_diagonal};

/// Initial weight of the anchor: `|beta|` of 1 (a strong coefficient on standardised
/// activity) adds 4 to the edge types' logits.
const ANCHOR_INIT: f32 = 8.0;

/// Infers edge-type logits (and node embeddings) from [`PairStatistics`](super::PairStatistics).
#[derive(Module, Debug)]
pub struct Encoder {
    edge_in: EluMlp,
    node_mid: EluMlp,
    edge2_sender: Linear,
    edge2_receiver: Linear,
    edge2_skip: Linear,
    edge2_out: Linear,
    logits: Linear,
    /// How strongly the regression coefficient's magnitude favours the edge types.
    anchor: Param<Tensor<1>>,
}

impl Encoder {
    /// Neuron layers `hidden` wide, pair layers `pair` wide, `edge_types` logits out.
    pub fn new(hidden: usize, pair: usize, edge_types: usize, device: &Device) -> Self {
        let lin = |i, o| LinearConfig::new(i, o).init(device);
        let lin_nb = |i, o| LinearConfig::new(i, o).with_bias(false).init(device);
        Encoder {
            edge_in: EluMlp::new(PAIR_FEATURES, pair, pair, device),
            node_mid: EluMlp::new(2 * pair, hidden, hidden, device),
            edge2_sender: lin(hidden, pair),
            edge2_receiver: lin_nb(hidden, pair),
            edge2_skip: lin_nb(pair, pair),
            edge2_out: lin(pair, pair),
            logits: lin(pair, edge_types),
            anchor: Param::from_tensor(Tensor::from_floats([ANCHOR_INIT], device)),
        }
    }

    /// `stats` `[1, N, N, F]`, `mask` `[1, N]` -> (`[1, N, N, K]` logits, `[1, N, D]` nodes).
    pub fn forward(&self, stats: Tensor<4>, mask: Tensor<2>) -> (Tensor<4>, Tensor<3>) {
        let [_, n, _, f] = stats.dims();
        let stats_beta = stats.clone().narrow(3, f - 1, 1);
        let e1 = self.edge_in.forward(stats); // [1, N, N, P]
        // edge -> node: mean over present senders (incoming) and receivers (outgoing).
        let w = (mask.unsqueeze_dim::<3>(2) * off_diagonal(n, &e1.device())).unsqueeze_dim::<4>(3); // [1, N, N, 1]
        let incoming = ((e1.clone() * w.clone()).sum_dim(1) / (w.clone().sum_dim(1) + 1e-6)).squeeze_dim::<3>(1);
        let outgoing = ((e1.clone() * w.clone()).sum_dim(2) / (w.sum_dim(2) + 1e-6)).squeeze_dim::<3>(2);
        let nodes = self.node_mid.forward(Tensor::cat(vec![incoming, outgoing], 2)); // [1, N, D]
        // node -> edge, factorised, with a skip from the first edge features.
        let pair = self.edge2_sender.forward(nodes.clone()).unsqueeze_dim::<4>(2)
            + self.edge2_receiver.forward(nodes.clone()).unsqueeze_dim::<4>(1);
        let e2 = elu(self.edge2_out.forward(elu(pair + self.edge2_skip.forward(e1), 1.0)), 1.0);
        let logits = self.logits.forward(e2);
        let [_, _, _, k] = logits.dims();
        let strength = stats_beta.abs() * self.anchor.val().reshape([1, 1, 1, 1]); // [1, N, N, 1]
        let anchored = Tensor::cat(vec![strength.clone().zeros_like(), strength.expand([1, n, n, k - 1])], 3);
        (logits + anchored, nodes)
    }
}
