"""The browser runtime the wheel carries, sent to the page once per page.

anywidget imports a widget's `_esm` from a blob URL, so files beside it cannot be fetched
by relative URL. Instead the first widget on a page asks its kernel for these files in one
custom message with binary buffers; every later widget on the page reuses the worker they
started (one wasm instance, one GPU device). The wasm travels gzipped (5 MB, not 26) and
the browser inflates it with `DecompressionStream`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ._errors import GanglionError

STATIC = Path(__file__).parent / "static"

# In the order widget.js reads the buffers.
FILES = ("api.js", "drawing.js", "ganglion-worker.js", "ganglion-worker_bg.wasm.gz")


@lru_cache(maxsize=1)
def runtime_buffers() -> tuple[bytes, ...]:
    """The runtime's files as bytes, read once per kernel."""
    missing = [name for name in FILES if not (STATIC / name).is_file()]
    if missing:
        raise GanglionError(
            "install",
            f"this ganglion install lacks {', '.join(missing)} in {STATIC}: install the wheel `cargo xtask wheel` builds",
        )
    return tuple((STATIC / name).read_bytes() for name in FILES)
