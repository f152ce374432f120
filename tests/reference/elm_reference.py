"""PyTorch reference forward of the published Branch-ELM (tests/fixtures/elm-branch-m15).

Written from shared/papers/elm.md (version 1 of the model), independently of the Rust
code, and run once to write `elm_branch_m15_forward.json`, which
crates/ganglion-models/tests/reference.rs compares ganglion's forward pass against.

    python tests/reference/elm_reference.py   # needs torch (PyPI) and numpy

The input is a deterministic spike pattern (see `spikes`), so the Rust test rebuilds it
exactly without reading an input file.
"""

import json
import math
from pathlib import Path

import torch

HERE = Path(__file__).resolve().parent
FIXTURE = HERE.parent / "fixtures" / "elm-branch-m15"
BATCH, STEPS = 2, 300


def spikes(batch, steps, channels):
    """x[b, t, c] = 1 where (b * 7919 + t * 104729 + c * 1299709) % 97 < 3, else 0."""
    b = torch.arange(batch).view(-1, 1, 1)
    t = torch.arange(steps).view(1, -1, 1)
    c = torch.arange(channels).view(1, 1, -1)
    return (((b * 7919 + t * 104729 + c * 1299709) % 97) < 3).to(torch.float32)


def stanh(x):
    return 1.7159 * torch.tanh(2.0 * x / 3.0)


def forward(state, config, x, dt=1.0, lam=5.0):
    lo, hi = config["memory_tau_min"], config["memory_tau_max"]
    tau_m = (hi - lo) * torch.sigmoid(state["_proto_tau_m"]) + lo
    kappa_m = torch.exp(-dt / torch.clamp(tau_m, min=1e-6))
    kappa_s = torch.exp(-dt / torch.clamp(state["tau_s"], min=1e-6))
    w_s = torch.relu(state["_proto_w_s"])
    idx, valid = state["input_to_synapse_indices"], state["valid_indices_mask"]
    branches, per_branch = config["num_branch"], config["num_synapse_per_branch"]
    batch, steps, _ = x.shape
    s = torch.zeros(batch, idx.numel())
    m = torch.zeros(batch, tau_m.numel())
    out = []
    for t in range(steps):
        drive = torch.where(valid, x[:, t, idx.clamp(max=x.shape[2] - 1)], torch.zeros(()))
        s = kappa_s * s + w_s * drive
        b = s.view(batch, branches, per_branch).sum(dim=2)
        decayed = kappa_m * m
        h = torch.cat([b, decayed], dim=1)
        h = torch.relu(h @ state["mlp.network.0.weight"].T + state["mlp.network.0.bias"])
        h = h @ state["mlp.network.2.weight"].T + state["mlp.network.2.bias"]
        m = decayed + lam * (1 - kappa_m) * stanh(h)
        out.append(m @ state["w_y.weight"].T + state["w_y.bias"])
    return torch.stack(out, dim=1)


def main():
    state = torch.load(FIXTURE / "neuronio_best_model_state.pt", map_location="cpu", weights_only=True)
    config = json.loads((FIXTURE / "model_config.json").read_text())
    x = spikes(BATCH, STEPS, config["num_input"])
    with torch.no_grad():
        y = forward(state, config, x)
    result = {
        "source": "tests/reference/elm_reference.py with torch " + torch.__version__,
        "batch": BATCH,
        "steps": STEPS,
        "inputs": config["num_input"],
        "spike_rule": "x[b,t,c] = 1 if (b*7919 + t*104729 + c*1299709) % 97 < 3 else 0",
        "input_spikes": int(x.sum().item()),
        "output_shape": list(y.shape),
        "output": [round(v, 7) for v in y.flatten().tolist()],
    }
    assert all(math.isfinite(v) for v in result["output"])
    (HERE / "elm_branch_m15_forward.json").write_text(json.dumps(result) + "\n")
    print(f"wrote {BATCH}x{STEPS}x{y.shape[2]} outputs; spikes in: {result['input_spikes']}")


if __name__ == "__main__":
    main()
