"""What the notebook tests assert on the Python side, shared by the JupyterLab notebook
(worm.ipynb) and the marimo app (worm_marimo.py). Each returns one line the browser test
reads: "waiting: ..." until the page has finished, then "CHECKS PASSED ..." or
"CHECKS FAILED ..."."""

import tempfile
from pathlib import Path

from ganglion import GanglionError

RUNNING = ("waiting", "loading", "training")


def check_trained(trainer):
    """The run's MSE beats persistence, the graph is N x N, forecasts and model came back."""
    if trainer.status in RUNNING:
        return f"waiting: {trainer.status}"
    report = trainer.result()
    scores = report["scores"]
    model, persistence = scores["model"]["mse"], scores["persistence"]["mse"]
    n = report["neurons"]
    problems = []
    if not model < persistence:
        problems.append(f"MSE {model} does not beat persistence {persistence}")
    # Every forecast stands beside the baselines: persistence first, then the linear AR,
    # each with the model's MSE ratio to it.
    baselines = {b["baseline"]: b for b in report.get("baselines", [])}
    if "linear-ar" not in baselines or "persistence" not in baselines:
        problems.append(f"the report lacks the linear AR or persistence baseline: {sorted(baselines)}")
    elif abs(baselines["linear-ar"]["ratio"] - model / baselines["linear-ar"]["scores"]["mse"]) > 1e-6:
        problems.append(f"the linear AR ratio {baselines['linear-ar']['ratio']} is not the model's MSE over its MSE")
    if trainer.graph.shape != (n, n):
        problems.append(f"graph is {trainer.graph.shape}, not {n} x {n}")
    if trainer.known_graph.shape != (n, n):
        problems.append(f"known graph is {trainer.known_graph.shape}, not {n} x {n}")
    if trainer.predictions.shape != trainer.targets.shape or trainer.predictions.shape[1] != n:
        problems.append(f"predictions {trainer.predictions.shape} vs targets {trainer.targets.shape}")
    with tempfile.TemporaryDirectory() as folder:
        saved = trainer.save(Path(folder) / "worm.ganglion").read_bytes()
    if not saved or saved != trainer.model_bytes:
        problems.append("the saved model is not the model the page sent")
    if problems:
        return "CHECKS FAILED: " + "; ".join(problems)
    auroc = report["edges"]["auroc"] if report.get("edges") else float("nan")
    linear = baselines["linear-ar"]["ratio"]
    return (f"CHECKS PASSED: {report['experiment']['model']} MSE {model:.4f} below persistence {persistence:.4f}, "
            f"{linear:.3f}x the linear AR's, "
            f"graph {n}x{n}, edge AUROC {auroc:.3f}, {len(saved)} model bytes, on {trainer.device}")


def check_bad_file(trainer):
    """A file that is not a recording makes `result()` raise with the data crate's code."""
    if trainer.status in RUNNING:
        return f"waiting: {trainer.status}"
    try:
        trainer.result()
    except GanglionError as error:
        return f"CHECKS PASSED: raised {error.code}: {error}"
    return "CHECKS FAILED: a bad file gave no error"


def check_progress(trainer):
    """While a run trains, its progress trait has reached Python."""
    step = trainer.progress.get("step", 0)
    if trainer.status != "training" or not step:
        return f"waiting: {trainer.status}, no progress heard yet"
    return f"CHECKS PASSED: Python hears step {step} of {trainer.progress.get('steps')}"


def check_cancelled(trainer):
    """A cancelled run stops early and still hands back the model trained so far."""
    if trainer.status in RUNNING:
        return f"waiting: {trainer.status}"
    if trainer.status != "cancelled":
        return f"CHECKS FAILED: status {trainer.status}, not cancelled"
    steps = trainer.result()["steps"]
    if not 0 < steps < trainer.options["steps"] or not trainer.model_bytes:
        return f"CHECKS FAILED: {steps} steps of {trainer.options['steps']} and {len(trainer.model_bytes)} model bytes"
    return f"CHECKS PASSED: cancelled after {steps} of {trainer.options['steps']} steps, model kept"
