//! The NRI-style encoder over pairwise statistics: edge -> node -> edge message passing
//! over all ordered pairs, ending in edge-type logits.

use burn::nn::{Linear, LinearConfig};
use burn::prelude::*;
use burn::tensor::activation::elu;

use super::statistics::PAIR_FEATURES;
use crate::layers::{EluMlp, off_diagonal};

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
}

impl Encoder {
    /// `hidden` wide, `edge_types` logits out.
    pub fn new(hidden: usize, edge_types: usize, device: &Device) -> Self {
        let lin = |i, o| LinearConfig::new(i, o).init(device);
        let lin_nb = |i, o| LinearConfig::new(i, o).with_bias(false).init(device);
        Encoder {
            edge_in: EluMlp::new(PAIR_FEATURES, hidden, hidden, device),
            node_mid: EluMlp::new(2 * hidden, hidden, hidden, device),
            edge2_sender: lin(hidden, hidden),
            edge2_receiver: lin_nb(hidden, hidden),
            edge2_skip: lin_nb(hidden, hidden),
            edge2_out: lin(hidden, hidden),
            logits: lin(hidden, edge_types),
        }
    }

    /// `stats` `[1, N, N, F]`, `mask` `[1, N]` -> (`[1, N, N, K]` logits, `[1, N, D]` nodes).
    pub fn forward(&self, stats: Tensor<4>, mask: Tensor<2>) -> (Tensor<4>, Tensor<3>) {
        let [_, n, _, _] = stats.dims();
        let e1 = self.edge_in.forward(stats); // [1, N, N, D]
        // edge -> node: mean over present senders (incoming) and receivers (outgoing).
        let w = (mask.unsqueeze_dim::<3>(2) * off_diagonal(n, &e1.device())).unsqueeze_dim::<4>(3); // [1, N, N, 1]
        let incoming = ((e1.clone() * w.clone()).sum_dim(1) / (w.clone().sum_dim(1) + 1e-6)).squeeze_dim::<3>(1);
        let outgoing = ((e1.clone() * w.clone()).sum_dim(2) / (w.sum_dim(2) + 1e-6)).squeeze_dim::<3>(2);
        let nodes = self.node_mid.forward(Tensor::cat(vec![incoming, outgoing], 2)); // [1, N, D]
        // node -> edge, factorised, with a skip from the first edge features.
        let pair = self.edge2_sender.forward(nodes.clone()).unsqueeze_dim::<4>(2)
            + self.edge2_receiver.forward(nodes.clone()).unsqueeze_dim::<4>(1);
        let e2 = elu(self.edge2_out.forward(elu(pair + self.edge2_skip.forward(e1), 1.0)), 1.0);
        (self.logits.forward(e2), nodes)
    }
}
