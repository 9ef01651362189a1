"""ecograph: the e-commerce ecosystem graph of the report, as data, a graph and a CLI.

``import ecograph`` is cheap: the loader (and networkx with it) is imported only when one of
``load``, ``read_graphdata`` or ``build_graph`` is first used.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["__version__", "load", "read_graphdata", "build_graph", "Map"]

_LAZY = {
    "load": "ecograph.data.graphdata",
    "read_graphdata": "ecograph.data.graphdata",
    "build_graph": "ecograph.data.graphdata",
    "Map": "ecograph.view.map",
}


def __getattr__(name: str) -> Any:
    """Import the public functions on first use, so ``import ecograph`` stays fast."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'ecograph' has no attribute {name!r}")
