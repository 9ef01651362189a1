"""The compiled graph library (python-igraph), imported without its plotting.

On import, igraph's drawing package looks for matplotlib and, finding it, imports
``matplotlib.pyplot``: 1.2 s of a 1.5 s import on an idle machine (``python -X importtime -c
"import igraph"``), more than laying out a slide's view. ecograph never plots with igraph (the
pictures draw with matplotlib directly), so :func:`igraph` imports it with matplotlib hidden,
unless matplotlib is already loaded (then hiding it costs nothing to skip).
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["igraph"]


def igraph() -> Any:
    """The ``igraph`` module, imported without matplotlib when it is not loaded yet."""
    if "igraph" in sys.modules or "matplotlib" in sys.modules:
        import igraph as module

        return module
    sys.modules["matplotlib"] = None  # type: ignore[assignment]  # "import matplotlib" fails inside igraph only
    try:
        import igraph as module
    finally:
        if "matplotlib" in sys.modules and sys.modules["matplotlib"] is None:
            del sys.modules["matplotlib"]
    return module
