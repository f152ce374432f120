"""The one exception ganglion raises, carrying the data crate's stable code."""

from __future__ import annotations


class GanglionError(Exception):
    """A recording, a setting or a run that failed: `code` is ganglion's stable code
    (`parse`, `shape`, `format`, `gpu_lost`, ... as the browser and the CLI name them),
    `str(error)` the message that names the file, field and what was expected."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code

    def __repr__(self) -> str:
        return f"GanglionError({self.code!r}, {str(self)!r})"


class StillRunning(GanglionError):
    """Asked for results before the browser finished: run the cell again once the widget says done."""

    def __init__(self, status: str):
        super().__init__("running", f"the run is {status} in the browser; ask again once the widget says done")
