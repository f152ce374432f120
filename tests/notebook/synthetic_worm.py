"""A synthetic worm in numpy for the notebook tests: leaky tanh rate dynamics on a sparse
signed graph with noise (the dynamics ganglion's own synthetic worms follow), so the true
interactions are known and a relational model has something to find."""

import numpy as np


def worm(seed=3, neurons=20, frames=1200, density=0.2, noise=0.05):
    """`(activity, names, weights)`: neurons x frames float32 activity, neuron names, and
    the true weights, neurons x neurons with row = sender."""
    rng = np.random.default_rng(seed)
    weights = rng.normal(0.0, 1.5 / np.sqrt(neurons * density), (neurons, neurons))
    weights *= rng.random((neurons, neurons)) < density
    np.fill_diagonal(weights, 0.0)
    bias = rng.normal(0.0, 0.3, neurons)
    x = rng.uniform(-0.1, 0.1, neurons)
    activity = np.empty((neurons, frames), dtype=np.float32)
    for t in range(frames + 50):
        x = x + 0.3 * (-x + np.tanh(weights.T @ x + bias)) + rng.normal(0.0, noise, neurons)
        if t >= 50:
            activity[:, t - 50] = x
    names = [f"N{i:02d}" for i in range(neurons)]
    return activity, names, weights.astype(np.float32)
