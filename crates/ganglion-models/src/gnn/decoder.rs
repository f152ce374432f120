//! The message-passing decoder: messages along every edge type but type 0 ("no edge",
//! which sends nothing), weighted by the edge's probability and summed into receivers,
//! plus one global message (the mean over present neurons, a "virtual node"), then an
//! MLP predicts the change of each neuron's activity.
//!
//! Two forms of the message from sender `i` to receiver `j` ([`DecoderKind`]):
//! - **separable** (the default): `f(x_i) * g(x_j)`, a sender MLP times a receiver
//!   gate. The sum over senders is then `g(x_j) * sum_i w_ij f(x_i)`, one matrix
//!   product of the `[N, N]` edge weights with the `[N, M]` sender messages, so no
//!   tensor is per pair *and* per message channel: memory and time grow as `N^2`
//!   scalars plus `N * M`, which is what lets the model run at 302 neurons in a browser.
//! - **pairwise** (the decoder of every model saved before the separable one): an MLP of
//!   both states, `relu(W relu(s x_i + r x_j))`, materialised as `[rows, N, N, M]`
//!   (sliced under [`MESSAGE_BUDGET`] values at a time). It can express any interaction
//!   of the two states, at `M` times the memory of the separable form.
//!
//! The global message carries what drives many neurons at once (in worms, the
//! behavioural state driving the command neurons). Without it, forecasting pays the
//! encoder to invent edges among co-driven neurons; with it, the pairwise edges are
//! left to explain what is specific to a pair.

use burn::module::Param;
use burn::nn::{Linear, LinearConfig};
use burn::prelude::*;
use burn::tensor::activation::{relu, sigmoid};

use crate::layers::off_diagonal;

/// The most pairwise message values computed at once (64 MiB of f32): WebGPU's
/// default limit on one storage buffer is 128 MiB.
pub const MESSAGE_BUDGET: usize = 16 * 1024 * 1024;

/// How a message depends on its sender's and receiver's states (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum DecoderKind {
    /// `f(x_i) * g(x_j)`: aggregation is one matrix product, no per-pair vectors.
    #[default]
    Separable,
    /// An MLP of both states per pair, `[rows, N, N, M]` in memory.
    Pairwise,
}

/// Names as the CLI, the URL and the JS API write them.
pub const DECODER_NAMES: [(&str, DecoderKind); 2] =
    [("separable", DecoderKind::Separable), ("pairwise", DecoderKind::Pairwise)];

impl DecoderKind {
    /// The name [`DECODER_NAMES`] gives it.
    pub fn name(self) -> &'static str {
        DECODER_NAMES.iter().find(|(_, k)| *k == self).map_or("", |(n, _)| n)
    }

    /// The kind named `name`.
    pub fn named(name: &str) -> Option<DecoderKind> {
        DECODER_NAMES.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
    }
}

/// A `Linear` whose weights and bias start at zero (the highway decoder's output, so an
/// untrained GNN forecasts exactly as its linear AR does).
fn zero_linear(inputs: usize, outputs: usize, device: &Device) -> Linear {
    // `Param::from_tensor` makes a trainable parameter (a mapped one keeps the
    // fresh tensor's state, which trains nothing).
    Linear {
        weight: Param::from_tensor(Tensor::zeros([inputs, outputs], device)),
        bias: Some(Param::from_tensor(Tensor::zeros([outputs], device))),
    }
}

/// One edge type's separable message: `f(x) = out(relu(in(x)))` for the sender and
/// `g(x) = sigmoid(gate(x))` for the receiver.
#[derive(Module, Debug)]
pub struct SeparableMessage {
    sender_in: Linear,
    sender_out: Linear,
    gate: Linear,
}

impl SeparableMessage {
    fn new(message: usize, channels: usize, device: &Device) -> Self {
        let lin = |i, o| LinearConfig::new(i, o).init(device);
        SeparableMessage {
            sender_in: lin(channels, message),
            sender_out: lin(message, message),
            gate: lin(channels, message),
        }
    }

    /// `state` `[B, T, N, C]` (C channels per neuron), `weight` `[B, N(sender), N(receiver)]` -> the summed
    /// messages into each receiver, `[B, T, N, M]`.
    fn aggregate(&self, state: Tensor<4>, weight: Tensor<3>) -> Tensor<4> {
        let [b, t, n, _] = state.dims();
        let sent = self.sender_out.forward(relu(self.sender_in.forward(state.clone()))); // [B, T, N, M]
        let m = sent.dims()[3];
        // sum_i w_ij f_t(x_i) for every frame t at once: [B, N_r, N_s] x [B, N_s, T * M].
        let by_sender = sent.swap_dims(1, 2).reshape([b, n, t * m]);
        let received = weight.swap_dims(1, 2).matmul(by_sender).reshape([b, n, t, m]).swap_dims(1, 2);
        received * sigmoid(self.gate.forward(state))
    }
}

/// The message functions and the output MLP. The pairwise form's fields keep the names
/// they had before the separable form existed: they are the checkpoint keys of every
/// model saved then (`decoder.sender.0.weight`), so each form leaves the other's
/// fields empty instead of nesting its own.
#[derive(Module, Debug)]
pub struct Decoder {
    sender: Vec<Linear>,
    receiver: Vec<Linear>,
    message: Vec<Linear>,
    separable: Vec<SeparableMessage>,
    global_in: Linear,
    global_out: Linear,
    /// With the GNN's highway: each neuron's whole window embedded, a further input of
    /// the output MLP, so the correction reads the neuron's recent course as well as its
    /// last frame and its neighbours' (absent in every decoder saved before it).
    window: Option<Linear>,
    out_hidden: Linear,
    out: Linear,
}

impl Decoder {
    /// `message` wide, `edge_types` types (the first sends nothing), messages of `kind`;
    /// with `window` history frames, the output also reads each neuron's embedded window
    /// and starts at zero (the GNN's highway form: the decoder predicts a correction).
    pub fn new(message: usize, edge_types: usize, kind: DecoderKind, window: Option<usize>, device: &Device) -> Self {
        let lin = |i, o| LinearConfig::new(i, o).init(device);
        let typed = edge_types.saturating_sub(1);
        // The highway form reads each neuron's last frame and its last change.
        let channels = if window.is_some() { 2 } else { 1 };
        let pairwise = if kind == DecoderKind::Pairwise { typed } else { 0 };
        let separable = if kind == DecoderKind::Separable { typed } else { 0 };
        Decoder {
            sender: (0..pairwise).map(|_| lin(channels, message)).collect(),
            receiver: (0..pairwise)
                .map(|_| LinearConfig::new(channels, message).with_bias(false).init(device))
                .collect(),
            message: (0..pairwise).map(|_| lin(message, message)).collect(),
            separable: (0..separable).map(|_| SeparableMessage::new(message, channels, device)).collect(),
            global_in: lin(channels, message),
            global_out: lin(message, message),
            window: window.map(|h| lin(h, message)),
            out_hidden: lin(channels + (3 + usize::from(window.is_some())) * message, message),
            out: if window.is_some() { zero_linear(message, 1, device) } else { lin(message, 1) },
        }
    }

    /// The correction to the last frame of `windows` `[B, N, H]` (highway form): the
    /// decoder's predicted change, `[B, N]`, reading each neuron's last frame and last
    /// change (which the messages carry too: a sender's news is in how it just moved)
    /// and its embedded window.
    pub fn correction(&self, windows: Tensor<3>, probs: Tensor<4>, mask: Tensor<2>, identity: Tensor<3>) -> Tensor<2> {
        let [_, _, h] = windows.dims();
        let last = windows.clone().narrow(2, h - 1, 1);
        let change = if h > 1 { last.clone() - windows.clone().narrow(2, h - 2, 1) } else { last.zeros_like() };
        let embedded = self.window.as_ref().map(|w| relu(w.forward(windows)));
        let next = self.forward_with(last.clone(), Some(change), probs, mask, identity, embedded, MESSAGE_BUDGET);
        (next - last).squeeze_dim::<2>(2)
    }

    /// `x` `[B, N, T]` frames, `probs` `[B, N, N, K]` (row = sender), `mask` `[B, N]`,
    /// `identity` `[B, N, M]` (an embedding of each neuron's name: what is particular
    /// to that neuron, such as its resting level) -> `[B, N, T]` predictions of each
    /// next frame.
    pub fn forward(&self, x: Tensor<3>, probs: Tensor<4>, mask: Tensor<2>, identity: Tensor<3>) -> Tensor<3> {
        self.forward_sliced(x, probs, mask, identity, MESSAGE_BUDGET)
    }

    /// [`Decoder::forward`] computing at most `budget` pairwise message values at once
    /// (at least one window-frame row; the separable form has none).
    fn forward_sliced(
        &self,
        x: Tensor<3>,
        probs: Tensor<4>,
        mask: Tensor<2>,
        identity: Tensor<3>,
        budget: usize,
    ) -> Tensor<3> {
        self.forward_with(x, None, probs, mask, identity, None, budget)
    }

    /// The decoder's pass, with each frame's change `[B, N, T]` as a second channel of
    /// every neuron's state and each neuron's embedded window `[B, N, M]` as a further
    /// input, where the decoder reads them (the highway form).
    #[allow(clippy::too_many_arguments)]
    fn forward_with(
        &self,
        x: Tensor<3>,
        change: Option<Tensor<3>>,
        probs: Tensor<4>,
        mask: Tensor<2>,
        identity: Tensor<3>,
        window: Option<Tensor<3>>,
        budget: usize,
    ) -> Tensor<3> {
        let [b, n, t] = x.dims();
        let device = x.device();
        let width = self.global_out.weight.dims()[1];
        let channel = |v: Tensor<3>| v.swap_dims(1, 2).unsqueeze_dim::<4>(3); // [B, T, N, 1]
        let state = match change {
            Some(change) => Tensor::cat(vec![channel(x.clone()), channel(change)], 3), // [B, T, N, 2]
            None => channel(x.clone()),
        };
        let senders = mask.clone().unsqueeze_dim::<3>(2) * off_diagonal(n, &device); // [B, N, N]
        let edge_weight = |k: usize| probs.clone().narrow(3, k + 1, 1).squeeze_dim::<3>(3) * senders.clone();
        let mut aggregated = Tensor::<4>::zeros([b, t, n, width], &device);
        for (k, messages) in self.separable.iter().enumerate() {
            aggregated = aggregated + messages.aggregate(state.clone(), edge_weight(k));
        }
        for k in 0..self.sender.len() {
            aggregated = aggregated + self.pairwise_aggregate(k, state.clone(), edge_weight(k), budget);
        }
        // The virtual node: the mean of every present neuron's message, sent to all.
        let present = mask.reshape([b, 1, n, 1]); // [B, 1, N, 1]
        let each = relu(self.global_in.forward(state.clone())) * present.clone(); // [B, T, N, M]
        let global = each.sum_dim(2) / (present.sum_dim(2) + 1e-6); // [B, T, 1, M]
        let global = relu(self.global_out.forward(global)).expand([b, t, n, width]);
        let identity = identity.unsqueeze_dim::<4>(1).expand([b, t, n, width]);
        let mut features = vec![state, aggregated, global, identity];
        if let Some(window) = window {
            features.push(window.unsqueeze_dim::<4>(1).expand([b, t, n, width]));
        }
        let features = Tensor::cat(features, 3);
        let delta = self.out.forward(relu(self.out_hidden.forward(features))); // [B, T, N, 1]
        x + delta.squeeze_dim::<3>(3).swap_dims(1, 2)
    }

    /// Edge type `k + 1`'s pairwise messages summed into receivers, `[B, T, N, M]`:
    /// every (window, frame) row at once, cut into slices whose pairwise messages stay
    /// under `budget` values (the same sums, but no buffer larger than a WebGPU device
    /// allows, and less peak memory in flight on any device).
    fn pairwise_aggregate(&self, k: usize, state: Tensor<4>, weight: Tensor<3>, budget: usize) -> Tensor<4> {
        let [b, t, n, c] = state.dims();
        let (s, r, m) = (&self.sender[k], &self.receiver[k], &self.message[k]);
        let width = m.weight.dims()[1];
        let rows = b * t;
        let flat = state.reshape([rows, n, c]);
        let slice = (budget / (n * n * width).max(1)).clamp(1, rows.max(1));
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
        Tensor::cat(parts, 0).reshape([b, t, n, width])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::Distribution;

    struct Inputs {
        x: Tensor<3>,
        probs: Tensor<4>,
        mask: Tensor<2>,
        identity: Tensor<3>,
    }

    fn inputs(device: &Device, (b, n, t, m): (usize, usize, usize, usize)) -> Inputs {
        let normal = Distribution::Normal(0.0, 1.0);
        let probs = burn::tensor::activation::softmax(Tensor::<4>::random([b, n, n, 3], normal, device), 3);
        let mut mask = vec![1.0f32; b * n];
        mask[n - 1] = 0.0; // the last neuron of the first window is absent
        Inputs {
            x: Tensor::<3>::random([b, n, t], normal, device),
            probs,
            mask: Tensor::from_data(TensorData::new(mask, [b, n]), device),
            identity: Tensor::<3>::random([b, n, m], normal, device),
        }
    }

    fn values(t: Tensor<3>) -> Vec<f32> {
        t.into_data().iter().collect()
    }

    /// The sliced sums equal one unsliced pass: a decoder over 2 windows x 3 frames,
    /// sliced row by row (a budget of one row), matches the same decoder in one slice.
    #[test]
    fn slicing_the_pairwise_messages_changes_no_value() {
        let device = Device::flex();
        device.seed(3);
        let (b, n, t, m) = (2, 5, 3, 8);
        let decoder = Decoder::new(m, 3, DecoderKind::Pairwise, None, &device);
        let i = inputs(&device, (b, n, t, m));
        let whole =
            decoder.forward_sliced(i.x.clone(), i.probs.clone(), i.mask.clone(), i.identity.clone(), usize::MAX);
        let sliced = decoder.forward_sliced(i.x, i.probs, i.mask, i.identity, n * n * m);
        let (whole, sliced) = (values(whole), values(sliced));
        assert_eq!(whole.len(), b * n * t);
        for (a, c) in whole.iter().zip(&sliced) {
            assert!((a - c).abs() < 1e-5, "{a} vs {c}");
        }
    }

    /// The matrix-product aggregation is the sum it stands for: each receiver's
    /// separable message equals `g(x_j) * sum_i w_ij f(x_i)` summed by hand over the
    /// present senders other than itself, and an absent sender or a receiver's own
    /// state as sender adds nothing.
    #[test]
    fn separable_aggregation_is_the_weighted_sum_over_senders() {
        let device = Device::flex();
        device.seed(5);
        let (b, n, t, m) = (2, 4, 3, 6);
        let message = SeparableMessage::new(m, 1, &device);
        let i = inputs(&device, (b, n, t, m));
        let state = i.x.clone().swap_dims(1, 2).unsqueeze_dim::<4>(3);
        let weight = i.probs.narrow(3, 1, 1).squeeze_dim::<3>(3)
            * i.mask.clone().unsqueeze_dim::<3>(2)
            * off_diagonal(n, &device);
        let got: Vec<f32> = message.aggregate(state.clone(), weight.clone()).into_data().iter().collect();
        let f: Vec<f32> =
            message.sender_out.forward(relu(message.sender_in.forward(state.clone()))).into_data().iter().collect();
        let g: Vec<f32> = sigmoid(message.gate.forward(state)).into_data().iter().collect();
        let w: Vec<f32> = weight.into_data().iter().collect();
        let at = |bi: usize, ti: usize, ni: usize, mi: usize| ((bi * t + ti) * n + ni) * m + mi;
        for (bi, ti, j, mi) in (0..b)
            .flat_map(|bi| (0..t).flat_map(move |ti| (0..n).flat_map(move |j| (0..m).map(move |mi| (bi, ti, j, mi)))))
        {
            let sum: f32 = (0..n).map(|s| w[(bi * n + s) * n + j] * f[at(bi, ti, s, mi)]).sum();
            let expected = g[at(bi, ti, j, mi)] * sum;
            let value = got[at(bi, ti, j, mi)];
            assert!((value - expected).abs() < 1e-4, "window {bi} frame {ti} receiver {j}: {value} vs {expected}");
        }
        assert!(w[(n - 1) * n] == 0.0 && w[0] == 0.0, "absent senders and self-edges weigh nothing");
    }

    /// Both forms predict `[B, N, T]` and train the same shared parts; the separable
    /// form holds no pairwise weights and the pairwise form no separable ones (so a
    /// pairwise checkpoint saved before the separable form existed has exactly the keys
    /// a pairwise decoder asks for).
    #[test]
    fn each_form_has_only_its_own_parameters() {
        let device = Device::flex();
        let (b, n, t, m) = (2, 4, 3, 6);
        let separable = Decoder::new(m, 2, DecoderKind::Separable, None, &device);
        let pairwise = Decoder::new(m, 2, DecoderKind::Pairwise, None, &device);
        assert!(separable.sender.is_empty() && separable.message.is_empty() && separable.separable.len() == 1);
        assert!(pairwise.separable.is_empty() && pairwise.sender.len() == 1);
        for decoder in [separable, pairwise] {
            let i = inputs(&device, (b, n, t, m));
            assert_eq!(decoder.forward(i.x, i.probs.narrow(3, 0, 2), i.mask, i.identity).dims(), [b, n, t]);
        }
        assert_eq!(DecoderKind::named("pairwise"), Some(DecoderKind::Pairwise));
        assert_eq!(DecoderKind::Separable.name(), "separable");
        assert_eq!(DecoderKind::named("dense"), None);
    }
}
