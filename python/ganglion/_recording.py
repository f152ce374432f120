"""A notebook's recording as the bytes of a file ganglion's data crate reads.

A numpy array becomes an NPZ with the keys the data crate's own writer uses
(`activity`, `sampling_rate_hz`, `neuron_names`, `behaviour`, `behaviour_names`,
`connectivity`), so
the browser parses it with the same code as any file; a path or a file's bytes travel
as they are, named so the crate can tell the format from the extension.
"""

from __future__ import annotations

import io
import os
from typing import Any, Sequence

import numpy as np

from ._errors import GanglionError


def recording_file(
    data: Any,
    *,
    name: str | None = None,
    rate_hz: float | None = None,
    names: Sequence[str] | None = None,
    labels: Any = None,
    states: Sequence[str] | None = None,
    connectivity: Any = None,
) -> tuple[bytes, str]:
    """`(bytes, file name)` for `data`: a neurons x frames array, a path, or file bytes."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        if not name:
            raise GanglionError("bad_request", "a file's bytes need name= (such as 'worm.npz') to tell their format")
        return bytes(data), name
    if isinstance(data, (str, os.PathLike)):
        path = os.fspath(data)
        try:
            with open(path, "rb") as file:
                return file.read(), name or os.path.basename(path)
        except OSError as error:
            raise GanglionError("io", f"{path}: {error.strerror or error}") from None
    fields = dict(rate_hz=rate_hz, names=names, labels=labels, states=states, connectivity=connectivity)
    return _npz(data, **fields), name or "recording.npz"


def _npz(activity: Any, *, rate_hz, names, labels, states, connectivity) -> bytes:
    array = np.asarray(activity)
    if array.ndim != 2:
        raise GanglionError("shape", f"activity: expected a neurons x frames matrix, got {array.ndim} dimension(s) {array.shape}")
    if not np.issubdtype(array.dtype, np.number) or np.issubdtype(array.dtype, np.complexfloating):
        raise GanglionError("shape", f"activity: expected real numbers, got dtype {array.dtype}")
    neurons, frames = array.shape
    if rate_hz is None or not np.isfinite(rate_hz) or rate_hz <= 0:
        raise GanglionError("bad_request", f"rate_hz: expected the sampling rate in Hz (a positive number), got {rate_hz!r}")
    fields = {"activity": array.astype(np.float32), "sampling_rate_hz": np.float32(rate_hz)}
    if names is not None:
        if len(names) != neurons:
            raise GanglionError("shape", f"names: {len(names)} names for {neurons} neurons (rows of activity)")
        fields["neuron_names"] = np.array([str(n) for n in names])
    if labels is not None:
        codes = np.asarray(labels)
        if codes.shape != (frames,) or not np.issubdtype(codes.dtype, np.integer):
            raise GanglionError("shape", f"labels: expected {frames} integer codes (one per frame), got {codes.dtype} {codes.shape}")
        fields["behaviour"] = codes.astype(np.int64)
        if states is not None:
            fields["behaviour_names"] = np.array([str(s) for s in states])
    if connectivity is not None:
        weights = np.asarray(connectivity, dtype=np.float32)
        if weights.shape != (neurons, neurons):
            raise GanglionError("shape", f"connectivity: expected {neurons} x {neurons} weights (row = sender), got {weights.shape}")
        fields["connectivity"] = weights
    buffer = io.BytesIO()
    np.savez(buffer, **fields)
    return buffer.getvalue()
