"""Bulk work over millions of records: reading, checking and loading big data sets."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for a block that makes millions of objects and no
    cycles (records, attribute dicts, columns): each generation-2 pass walks every object made
    so far, and on a 1M-relationship data set those passes cost more than the work itself.
    Restores the collector's previous state, and nests."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
