"""The data: the model (schema), reading and checking ``graphdata/`` folders, searching, synthesis.

``graphdata/*.csv`` → :mod:`~ecograph.data.graphdata` (row by row) or
:mod:`~ecograph.data.columnar` (whole columns, for big folders) → a networkx graph ``G``.
"""

from __future__ import annotations

from pathlib import Path

# The ecograph package folder. An installed wheel carries the shipped data in ``_data/`` inside
# it; a checkout keeps ``graphdata/`` and ``cypher/`` beside the package.
PACKAGE = Path(__file__).resolve().parent.parent


def shipped_folder(name: str) -> Path:
    """The shipped folder ``name`` (``graphdata`` or ``cypher``): the installed copy, else the checkout's."""
    installed = PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    return PACKAGE.parent / name
