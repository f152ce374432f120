"""PyTorch (CPU) peers of ganglion's models, timed the way crates/ganglion-models/benches/training.rs
times ganglion's: one measured iteration is one optimiser step (forward, backward, Adam) on data
already in memory.

The architectures are written here line by line from the Rust modules (gnn/encoder.rs,
gnn/decoder.rs, gnn/mod.rs, baselines.rs, elm/mod.rs), and the script refuses to time a model
whose parameter count differs from the count the Rust benchmark wrote (`--params`), so the two
sides cannot drift apart silently.

    python benches/torch_models.py --rust DIR --out DIR/torch.json

where DIR holds the `sizes.json` and `params.json` that the Rust benchmark wrote (sizes, devices
and parameter counts), so both sides time the same sizes.

`cargo xtask bench` runs it with the Python from `GANGLION_PYTHON` (or the cached environment
of benches/requirements-torch.txt) and skips it, with a note, where torch cannot be imported.
"""

import argparse
import json
import math
import statistics
import sys
import time

import torch
from torch import nn
from torch.nn import functional as F

NAME_BUCKETS = 1024
KL_WEIGHT = 0.1


class EluMlp(nn.Module):
    def __init__(self, i, h, o):
        super().__init__()
        self.first, self.second = nn.Linear(i, h), nn.Linear(h, o)

    def forward(self, x):
        return F.elu(self.second(F.elu(self.first(x))))


def off_diagonal(n):
    return (1.0 - torch.eye(n)).unsqueeze(0)


class Encoder(nn.Module):
    """encoder.rs: neuron layers d wide, pair layers p wide."""

    def __init__(self, d, p, k):
        super().__init__()
        self.edge_in = EluMlp(3, p, p)
        self.node_mid = EluMlp(2 * p, d, d)
        self.edge2_sender = nn.Linear(d, p)
        self.edge2_receiver = nn.Linear(d, p, bias=False)
        self.edge2_skip = nn.Linear(p, p, bias=False)
        self.edge2_out = nn.Linear(p, p)
        self.logits = nn.Linear(p, k)
        self.anchor = nn.Parameter(torch.tensor([8.0]))

    def forward(self, stats, mask, offdiag):
        n = stats.shape[1]
        beta = stats[..., -1:]
        e1 = self.edge_in(stats)
        w = (mask.unsqueeze(2) * offdiag).unsqueeze(3)
        incoming = (e1 * w).sum(1) / (w.sum(1) + 1e-6)
        outgoing = (e1 * w).sum(2) / (w.sum(2) + 1e-6)
        nodes = self.node_mid(torch.cat([incoming, outgoing], 2))
        pair = self.edge2_sender(nodes).unsqueeze(2) + self.edge2_receiver(nodes).unsqueeze(1)
        e2 = F.elu(self.edge2_out(F.elu(pair + self.edge2_skip(e1))))
        logits = self.logits(e2)
        k = logits.shape[3]
        strength = beta.abs() * self.anchor.view(1, 1, 1, 1)
        anchored = torch.cat([torch.zeros_like(strength), strength.expand(1, n, n, k - 1)], 3)
        return logits + anchored


class SeparableMessage(nn.Module):
    """decoder.rs SeparableMessage: f(x_i) = out(relu(in(x_i))) times g(x_j) = sigmoid(gate(x_j))."""

    def __init__(self, m):
        super().__init__()
        self.sender_in, self.sender_out, self.gate = nn.Linear(1, m), nn.Linear(m, m), nn.Linear(1, m)

    def forward(self, state, weight):
        sent = self.sender_out(F.relu(self.sender_in(state)))  # [B, T, N, M]
        # sum_i w_ij f(x_i): [B, 1, N_r, N_s] @ [B, T, N_s, M]
        received = torch.matmul(weight.transpose(1, 2).unsqueeze(1), sent)
        return received * torch.sigmoid(self.gate(state))


class Decoder(nn.Module):
    """decoder.rs with the default, separable messages."""

    def __init__(self, m, k):
        super().__init__()
        self.separable = nn.ModuleList([SeparableMessage(m) for _ in range(k - 1)])
        self.global_in, self.global_out = nn.Linear(1, m), nn.Linear(m, m)
        self.out_hidden, self.out = nn.Linear(1 + 3 * m, m), nn.Linear(m, 1)

    def forward(self, x, probs, mask, identity, offdiag):
        b, n, t = x.shape
        width = self.global_out.weight.shape[0]
        state = x.transpose(1, 2).unsqueeze(3)
        senders = mask.unsqueeze(2) * offdiag
        aggregated = torch.zeros(b, t, n, width)
        for k, messages in enumerate(self.separable):
            aggregated = aggregated + messages(state, probs[..., k + 1] * senders)
        present = mask.reshape(b, 1, n, 1)
        each = F.relu(self.global_in(state)) * present
        glob = each.sum(2, keepdim=True) / (present.sum(2, keepdim=True) + 1e-6)
        glob = F.relu(self.global_out(glob)).expand(b, t, n, width)
        ident = identity.unsqueeze(1).expand(b, t, n, width)
        features = torch.cat([state, aggregated, glob, ident], 3)
        delta = self.out(F.relu(self.out_hidden(features)))
        return x + delta.squeeze(3).transpose(1, 2)


class RelationalGnn(nn.Module):
    def __init__(self, history, hidden=64, pair_hidden=16, message=32, edge_types=2, edge_prior=0.15, classes=3):
        super().__init__()
        d = hidden
        self.encoder, self.decoder = Encoder(d, pair_hidden, edge_types), Decoder(message, edge_types)
        self.window_nodes = EluMlp(history, d, d)
        self.identity = nn.Embedding(NAME_BUCKETS, d)
        self.decoder_identity = nn.Embedding(NAME_BUCKETS, message)
        self.readout_nodes = EluMlp(2 * d, d, d)
        self.readout_attention = nn.Linear(d, 1)
        self.readout_hidden = nn.Linear(2 * d, d)
        self.readout_out = nn.Linear(d, classes)
        prior = [math.log(edge_prior / max(edge_types - 1, 1))] * edge_types
        prior[0] = math.log(1.0 - edge_prior)
        self.register_buffer("log_prior", torch.tensor(prior).view(1, 1, 1, -1))

    def forecast_loss(self, stats, mask1, x, ids, target, mask, offdiag):
        log_probs = F.log_softmax(self.encoder(stats, mask1, offdiag), 3)
        b, n, _ = x.shape
        full = torch.cat([x, target.unsqueeze(2)], 2)
        t = full.shape[2]
        probs = log_probs.exp().expand(b, n, n, log_probs.shape[3])
        predicted = self.decoder(full[..., : t - 1], probs, mask, self.decoder_identity(ids), offdiag)
        m = mask.unsqueeze(2)
        mse = (((predicted - full[..., 1:]) ** 2) * m).sum() / (m.sum() * (t - 1) + 1e-6)
        kl = (log_probs.exp() * (log_probs - self.log_prior)).sum(3)
        pair = mask1.unsqueeze(2) * mask1.unsqueeze(1) * offdiag
        return mse + KL_WEIGHT * (kl * pair).sum() / (pair.sum() + 1e-6)


class WindowMlp(nn.Module):
    def __init__(self, neurons, history, outputs, hidden=128):
        super().__init__()
        self.hidden, self.out = nn.Linear(neurons * history, hidden), nn.Linear(hidden, outputs)

    def forecast(self, x):
        b, n, h = x.shape
        return x[:, :, h - 1] + self.out(F.elu(self.hidden(x.reshape(b, n * h))))


class WindowGru(nn.Module):
    def __init__(self, neurons, outputs, hidden=64):
        super().__init__()
        self.gru, self.out = nn.GRU(neurons, hidden, batch_first=True), nn.Linear(hidden, outputs)

    def forecast(self, x):
        states, _ = self.gru(x.transpose(1, 2))
        return x[:, :, -1] + self.out(states[:, -1])


def neuronio_wiring(inputs, branches, per_branch):
    """routing.rs: excitatory and inhibitory halves interleaved, overlapping windows."""
    stride, half = -(-inputs // branches), inputs // 2
    index, valid = [], []
    for k in range(branches):
        for j in range(per_branch):
            position = k * stride + j
            clamped = min(position, inputs - 1)
            index.append((clamped % 2) * half + clamped // 2)
            valid.append(position < inputs)
    return index, valid, branches


class Elm(nn.Module):
    """elm/mod.rs (shared/papers/elm.md): synapse traces, memory with frozen log-spaced taus."""

    def __init__(self, inputs, outputs, memory=15, wiring=None, tau_min=1.0, tau_max=150.0, lam=5.0):
        super().__init__()
        index, valid, branches = wiring or (list(range(inputs)), [True] * inputs, inputs)
        syn, hidden = len(index), 2 * memory
        self.branches, self.lam = branches, lam
        self.proto_w_s = nn.Parameter(torch.full((syn,), 0.5))
        self.register_buffer("tau_s", torch.full((syn,), 5.0))
        taus = torch.logspace(math.log10(tau_min + 1e-6), math.log10(tau_max - 1e-6), memory)
        self.register_buffer("tau_m", taus)
        self.register_buffer("index", torch.tensor(index))
        self.register_buffer("valid", torch.tensor(valid, dtype=torch.float32))
        self.mlp = nn.Sequential(nn.Linear(branches + memory, hidden), nn.ReLU(), nn.Linear(hidden, memory))
        self.w_y = nn.Linear(memory, outputs)

    def forward(self, x):
        b, t, _ = x.shape
        kappa_s = torch.exp(-1.0 / self.tau_s.clamp(min=1e-6))
        kappa_m = torch.exp(-1.0 / self.tau_m.clamp(min=1e-6))
        drive = x[:, :, self.index] * (F.relu(self.proto_w_s) * self.valid)
        s = torch.zeros(b, drive.shape[2])
        m = torch.zeros(b, kappa_m.shape[0])
        gain = self.lam * (1 - kappa_m)
        outputs = []
        for step in range(t):
            s = s * kappa_s + drive[:, step]
            branch = s.view(b, self.branches, -1).sum(2)
            decayed = m * kappa_m
            m = decayed + gain * (1.7159 * torch.tanh(self.mlp(torch.cat([branch, decayed], 1)) * (2.0 / 3.0)))
            outputs.append(self.w_y(m))
        return torch.stack(outputs, 1)


def trainable(model):
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def time_steps(model, loss_fn, warm_up_s=2.0, measure_s=5.0, samples=10):
    """Seconds per step: median, min and max over `samples` samples of equal step counts."""
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    def steps(count):
        start = time.perf_counter()
        for _ in range(count):
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model)
            loss.backward()
            optimizer.step()
        return time.perf_counter() - start

    done, spent = 0, 0.0
    while spent < warm_up_s or done == 0:
        spent += steps(1)
        done += 1
    per_sample = max(1, round(measure_s / samples / (spent / done)))
    per_step = [steps(per_sample) / per_sample for _ in range(samples)]
    return {"median_s": statistics.median(per_step), "min_s": min(per_step), "max_s": max(per_step),
            "steps_per_sample": per_sample}


def values(*shape, seed):
    generator = torch.Generator().manual_seed(seed)
    return torch.rand(*shape, generator=generator) * 2 - 1


def models(sizes):
    """(id, model, loss) for every benchmark, as in benches/training.rs."""
    history, batch = sizes["history"], sizes["batch"]
    elm_steps, elm_batch, elm_inputs = sizes["elm_steps"], sizes["elm_batch"], sizes["elm_inputs"]
    for n in sizes["neurons"]:
        stats, x, nxt = values(1, n, n, 3, seed=1), values(batch, n, history, seed=2), values(batch, n, seed=3)
        mask1, mask, offdiag = torch.ones(1, n), torch.ones(batch, n), off_diagonal(n)
        ids = (torch.arange(batch * n) % n + 1).view(batch, n)
        yield f"gnn-{n}", RelationalGnn(history), lambda m: m.forecast_loss(stats, mask1, x, ids, nxt, mask, offdiag)
        yield f"mlp-{n}", WindowMlp(n, history, n), lambda m: ((m.forecast(x) - nxt) ** 2).mean()
        yield f"gru-{n}", WindowGru(n, n), lambda m: ((m.forecast(x) - nxt) ** 2).mean()
    spikes = (values(elm_batch, elm_steps, elm_inputs, seed=4) > 0.9).float()
    target = values(elm_batch, elm_steps, 2, seed=5)
    branched = neuronio_wiring(elm_inputs, 45, 100)
    for name, wiring in [("elm", None), ("branch-elm", branched)]:
        yield f"{name}-{elm_inputs}", Elm(elm_inputs, 2, wiring=wiring), lambda m: ((m(spikes) - target) ** 2).mean()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rust", required=True, help="folder with the Rust benchmark's sizes.json and params.json")
    parser.add_argument("--out", required=True)
    parser.add_argument("--quick", action="store_true", help="one short sample per model (smoke run)")
    args = parser.parse_args()
    with open(f"{args.rust}/sizes.json") as f:
        sizes = json.load(f)
    with open(f"{args.rust}/params.json") as f:
        expected = json.load(f)
    results = {"torch": torch.__version__, "threads": torch.get_num_threads(), "models": {}, "sizes": sizes}
    timing = {"warm_up_s": 0.0, "measure_s": 0.0, "samples": 1} if args.quick else {}
    for model_id, model, loss in models(sizes):
        count = trainable(model)
        if expected.get(model_id) != count:
            sys.exit(f"{model_id}: PyTorch has {count} parameters, ganglion {expected[model_id]}: not the same model")
        result = time_steps(model, loss, **timing)
        results["models"][model_id] = {"params": count, **result}
        print(f"{model_id}: {1 / result['median_s']:.2f} steps/s ({count} parameters)", flush=True)
    with open(args.out, "w") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
