"""ganglion in notebooks: neural-population models trained in the notebook's browser tab.

`Trainer` is an anywidget (Jupyter, JupyterLab, JupyterLite, VS Code, Colab; marimo through
`mo.ui.anywidget`): a numpy recording or a file goes in as bytes, the page's Web Worker
trains on WebGPU or the wasm CPU path, and the report, forecasts, inferred graph and model
come back as Python objects. Nothing is fetched from the network: the wheel carries the wasm.
"""

from ._errors import GanglionError, StillRunning
from ._trainer import Trainer

__all__ = ["GanglionError", "StillRunning", "Trainer"]
__version__ = "0.1.0"
