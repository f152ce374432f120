"""`Trainer`: a notebook cell that trains a ganglion model in the browser.

The kernel holds only bytes and results: the recording goes to the page as a binary
trait, the page's worker (the same release wasm as the demo site and the npm package)
loads, trains and scores it, and the results come back as one custom message whose
buffers are the model, the forecasts and the inferred graph. Kernels process widget
messages between cells, so results are read in a later cell (or, in marimo, in a cell
that depends on the widget's value).
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any, Sequence

import anywidget
import numpy as np
import traitlets

from ._errors import GanglionError, StillRunning
from ._recording import recording_file
from ._runtime import runtime_buffers

# Python keyword -> the JS API's option name (web/js/api.js `experiment`).
OPTION_NAMES = {
    "task": "task",
    "model": "model",
    "steps": "steps",
    "history": "history",
    "batch_size": "batchSize",
    "learning_rate": "learningRate",
    "seed": "seed",
    "report_every": "reportEvery",
    "validate_every": "validateEvery",
    "patience": "patience",
    "decoder": "decoder",
    "backend": "backend",
}

FINISHED = ("done", "failed", "cancelled")


class Trainer(anywidget.AnyWidget):
    """Trains a model on a recording in this notebook's browser tab and shows it in the cell.

    `data` is a neurons x frames array (with `rate_hz`, and optionally `names`, per-frame
    integer `labels` and their `states` names, and the known `connectivity`, neurons x
    neurons with row = sender, for edge recovery), a path to a recording file, or a file's
    bytes with `name=` giving its format. Keywords set the run: `task` ("forecast",
    "behaviour"), `model` ("gnn", "mlp", "gru"), `steps`, `history`, `batch_size`,
    `learning_rate`, `seed`, `report_every`, `validate_every` (0: never, so no early stop),
    `patience`, `decoder`, `backend` ("auto", "webgpu", "cpu").
    Training starts when the page first shows the widget.
    """

    _esm = Path(__file__).parent / "widget.js"

    recording = traitlets.Bytes(b"").tag(sync=True)
    recording_name = traitlets.Unicode("recording.npz").tag(sync=True)
    options = traitlets.Dict().tag(sync=True)
    #: "waiting", "loading", "training", "done", "failed" or "cancelled" (set by the page).
    status = traitlets.Unicode("waiting").tag(sync=True)
    #: The latest progress: step, steps, train_loss, steps_per_second (set by the page).
    progress = traitlets.Dict().tag(sync=True)
    #: `{code, message}` when the run failed (set by the page).
    error = traitlets.Dict().tag(sync=True)
    #: The device the page trained on: "WebGPU" or "CPU".
    device = traitlets.Unicode("").tag(sync=True)
    #: Names this run for the page (its views share what it draws).
    run_id = traitlets.Unicode("").tag(sync=True)

    def __init__(
        self,
        data: Any,
        *,
        rate_hz: float | None = None,
        names: Sequence[str] | None = None,
        labels: Any = None,
        states: Sequence[str] | None = None,
        connectivity: Any = None,
        name: str | None = None,
        **run: Any,
    ):
        unknown = sorted(set(run) - set(OPTION_NAMES))
        if unknown:
            raise GanglionError("bad_request", f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(OPTION_NAMES)}")
        run.setdefault("steps", 200)
        recording = dict(rate_hz=rate_hz, names=names, labels=labels, states=states, connectivity=connectivity)
        payload, file_name = recording_file(data, name=name, **recording)
        options = {OPTION_NAMES[k]: v for k, v in run.items() if v is not None}
        super().__init__(recording=payload, recording_name=file_name, options=options, run_id=uuid.uuid4().hex)
        self._report: dict | None = None
        self._arrays: dict[str, np.ndarray] = {}
        self._model: bytes | None = None
        self._graph_names: list[str] | None = None
        self.on_msg(self._on_page_message)

    def _on_page_message(self, _widget: Any, content: dict, buffers: list) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "runtime?":
            try:
                self.send({"type": "runtime"}, buffers=list(runtime_buffers()))
            except GanglionError as error:
                self.send({"type": "runtime", "code": error.code, "message": str(error)})
        elif kind == "result":
            self._take_result(content, [bytes(b) for b in buffers])

    def _take_result(self, content: dict, buffers: list[bytes]) -> None:
        fields = dict(zip(content.get("buffers", []), buffers))
        self._report = content.get("report")
        self._model = fields.get("model")
        neurons = int(content.get("neurons") or 0)
        for key in ("predictions", "targets"):
            if key in fields and neurons:
                self._arrays[key] = np.frombuffer(fields[key], dtype=np.float32).reshape(-1, neurons)
        graph_neurons = len(content.get("graph_names") or [])
        for key in ("graph", "graph_truth"):
            if key in fields and graph_neurons:
                self._arrays[key] = np.frombuffer(fields[key], dtype=np.float32).reshape(graph_neurons, graph_neurons)
        self._graph_names = content.get("graph_names")

    def result(self) -> dict:
        """The run's report as a dict; raises `GanglionError` with the page's code if the run
        failed, and `StillRunning` while the browser has not finished. A forecast's
        `report["baselines"]` lists persistence and the linear AR (and a VAR where the run
        has one neuron set), each scored on the same neurons and frames, with the model's
        MSE `ratio` to it: below 1, the model is better."""
        if self.status == "failed":
            raise GanglionError(self.error.get("code", "error"), self.error.get("message", "the run failed"))
        if self.status not in FINISHED or self._report is None:
            raise StillRunning(self.status)
        return self._report

    @property
    def predictions(self) -> np.ndarray:
        """Next-frame forecasts, windows x neurons (normalised units), on the scored half of the recording."""
        return self._array("predictions")

    @property
    def targets(self) -> np.ndarray:
        """The frames `predictions` forecast, windows x neurons, in the same units."""
        return self._array("targets")

    @property
    def graph(self) -> np.ndarray:
        """The GNN's inferred interactions, neurons x neurons, row = sender (edge probabilities)."""
        return self._array("graph")

    @property
    def known_graph(self) -> np.ndarray:
        """The recording's known connectivity among `graph_names`, neurons x neurons, row = sender."""
        return self._array("graph_truth")

    @property
    def graph_names(self) -> list[str]:
        """The neurons of `graph`, in its row order."""
        self._array("graph")
        return list(self._graph_names or [])

    def _array(self, key: str) -> np.ndarray:
        self.result()
        if key not in self._arrays:
            raise GanglionError("bad_request", f"this run has no {key} (only forecasting runs have forecasts, only the GNN a graph, only a recording with known connectivity its truth)")
        return self._arrays[key]

    @property
    def model_bytes(self) -> bytes:
        """The trained model's checkpoint (the format the CLI, the demo and the npm package read)."""
        self.result()
        if self._model is None:
            raise GanglionError("bad_request", "the page sent no model for this run")
        return self._model

    def save(self, path: str | os.PathLike) -> Path:
        """Writes the trained model's checkpoint to `path` and returns the path."""
        target = Path(path)
        target.write_bytes(self.model_bytes)
        return target

    def cancel(self) -> None:
        """Stops the run at its next report; the page keeps the model trained so far."""
        self.send({"type": "cancel"})
