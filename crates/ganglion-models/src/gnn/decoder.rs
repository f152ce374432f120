//! The message-passing decoder: one message MLP per edge type (type 0, "no edge",
//! sends nothing), messages weighted by edge probabilities and summed into receivers,
//! plus one global message (the mean over present neurons, a "virtual node"), then an
//! MLP predicts the change of each neuron's activity.
//!
//! The global message carries what drives many neurons at once (in worms, the
//! behavioural state driving the command neurons). Without it, forecasting pays the
//! encoder to invent edges among co-driven neurons; with it, the pairwise edges are
//! left to explain what is specific to a pair.

use burn::nn::{Linear, LinearConfig};
use burn::prelude::*;
use burn::tensor::activation::relu;

use crate::layers::off_diagonal;

/// The most pairwise message values computed at once (64 MiB of f32): WebGPU's
/// default limit on one storage buffer is 128 MiB.
pub const MESSAGE_BUDGET: usize = 16 * 1024 * 1024;

/// Message MLPs for the edge types that carry messages, and the output MLP.
#[derive(Module, Debug)]
pub struct Decoder {
    sender: Vec<Linear>,
    receiver: Vec<Linear>,
    message: Vec<Linear>,
    global_in: Linear,
    global_out: Linear,
    out_hidden: Linear,
    out: Linear,
}

impl Decoder {
    /// `message` wide, `edge_types` types (the first sends nothing).
    pub fn new(message: usize, edge_types: usize, device: &Device) -> Self {
        let lin = |i, o| LinearConfig::new(i, o).init(device);
        let typed = edge_types.saturating_sub(1);
        Decoder {
            sender: (0..typed).map(|_| lin(1, message)).collect(),
            receiver: (0..typed).map(|_| LinearConfig::new(1, message).with_bias(false).init(device)).collect(),
            message: (0..typed).map(|_| lin(message, message)).collect(),
            global_in: lin(1, message),
            global_out: lin(message, message),
            out_hidden: lin(1 + 3 * message, message),
            out: lin(message, 1),
        }
    }

    /// `x` `[B, N, T]` frames, `probs` `[B, N, N, K]` (row = sender), `mask` `[B, N]`,
    /// `identity` `[B, N, M]` (an embedding of each neuron's name: what is particular
    /// to that neuron, such as its resting level) -> `[B, N, T]` predictions of each
    /// next frame.
    pub fn forward(&self, x: Tensor<3>, probs: Tensor<4>, mask: Tensor<2>, identity: Tensor<3>) -> Tensor<3> {
        self.forward_sliced(x, probs, mask, identity, MESSAGE_BUDGET)
    }

    /// [`Decoder::forward`] computing at most `budget` pairwise message values at once
    /// (at least one window-frame row).
    fn forward_sliced(
        &self,
        x: Tensor<3>,
        probs: Tensor<4>,
        mask: Tensor<2>,
        identity: Tensor<3>,
        budget: usize,
    ) -> Tensor<3> {
        let [b, n, t] = x.dims();
        let device = x.device();
        let state = x.clone().swap_dims(1, 2).unsqueeze_dim::<4>(3); // [B, T, N, 1]
        let senders = mask.clone().unsqueeze_dim::<3>(2) * off_diagonal(n, &device); // [B, N, N]
        // Every (window, frame) row at once, cut into slices whose pairwise messages
        // stay under `budget` values: the same sums, but no buffer larger than a
        // WebGPU device allows (and less peak memory in flight on any device).
        let rows = b * t;
        let flat = state.clone().reshape([rows, n, 1]);
        let width = self.global_out.weight.dims()[1];
        let per_row = (n * n * width).max(1);
        let slice = (budget / per_row).clamp(1, rows.max(1));
        let mut aggregated: Option<Tensor<3>> = None; // [B * T, N, M]
        for (k, ((s, r), m)) in self.sender.iter().zip(&self.receiver).zip(&self.message).enumerate() {
            let weight = probs.clone().narrow(3, k + 1, 1).squeeze_dim::<3>(3) * senders.clone(); // [B, N, N]
            let weight = weight.unsqueeze_dim::<4>(1).expand([b, t, n, n]).reshape([rows, n, n]);
            let parts: Vec<Tensor<3>> = (0..rows)
                .step_by(slice)
                .map(|start| {
                    let len = slice.min(rows - start);
                    let state = flat.clone().narrow(0, start, len);
                    let pre = s.forward(state.clone()).unsqueeze_dim::<4>(2) + r.forward(state).unsqueeze_dim::<4>(1);
                    let msg = relu(m.forward(relu(pre))); // [rows, N(sender), N(receiver), M]
                    let weighted = msg * weight.clone().narrow(0, start, len).unsqueeze_dim::<4>(3);
                    weighted.sum_dim(1).squeeze_dim::<3>(1) // [rows, N, M]
                })
                .collect();
            let summed = Tensor::cat(parts, 0);
            aggregated = Some(match aggregated {
                Some(a) => a + summed,
                None => summed,
            });
        }
        let aggregated =
            aggregated.map_or_else(|| Tensor::zeros([b, t, n, width], &device), |a| a.reshape([b, t, n, width]));
        // The virtual node: the mean of every present neuron's message, sent to all.
        let present = mask.reshape([b, 1, n, 1]); // [B, 1, N, 1]
        let each = relu(self.global_in.forward(state.clone())) * present.clone(); // [B, T, N, M]
        let global = each.sum_dim(2) / (present.sum_dim(2) + 1e-6); // [B, T, 1, M]
        let global = relu(self.global_out.forward(global)).expand([b, t, n, width]);
        let identity = identity.unsqueeze_dim::<4>(1).expand([b, t, n, width]);
        let features = Tensor::cat(vec![state, aggregated, global, identity], 3);
        let delta = self.out.forward(relu(self.out_hidden.forward(features))); // [B, T, N, 1]
        x + delta.squeeze_dim::<3>(3).swap_dims(1, 2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sliced sums equal one unsliced pass: a decoder over 2 windows x 3 frames,
    /// sliced row by row (a budget of one row), matches the same decoder in one slice.
    #[test]
    fn slicing_the_pairwise_messages_changes_no_value() {
        let device = Device::flex();
        device.seed(3);
        let (b, n, t, m) = (2, 5, 3, 8);
        let decoder = Decoder::new(m, 3, &device);
        let x = Tensor::<3>::random([b, n, t], burn::tensor::Distribution::Normal(0.0, 1.0), &device);
        let probs = burn::tensor::activation::softmax(
            Tensor::<4>::random([b, n, n, 3], burn::tensor::Distribution::Normal(0.0, 1.0), &device),
            3,
        );
        let mask = Tensor::<2>::ones([b, n], &device);
        let identity = Tensor::<3>::random([b, n, m], burn::tensor::Distribution::Normal(0.0, 1.0), &device);
        let whole = decoder.forward_sliced(x.clone(), probs.clone(), mask.clone(), identity.clone(), usize::MAX);
        let sliced = decoder.forward_sliced(x, probs, mask, identity, n * n * m);
        let (whole, sliced): (Vec<f32>, Vec<f32>) =
            (whole.into_data().iter().collect(), sliced.into_data().iter().collect());
        assert_eq!(whole.len(), b * n * t);
        for (a, c) in whole.iter().zip(&sliced) {
            assert!((a - c).abs() < 1e-5, "{a} vs {c}");
        }
    }
}
