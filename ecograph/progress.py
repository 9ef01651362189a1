"""Progress reports: the one callback shape long library steps take.

A step that may take seconds (reading a big data folder, building the store, drawing a map,
writing a synthetic data set) takes ``progress: Progress | None = None`` and calls
``progress(stage, done, total)``: ``stage`` names the step in words ("Building the store"),
``done`` counts what is finished, ``total`` is what there is to do, or None when unknown.
``done`` starts at 0 and ends at ``total``. The library never draws anything: the CLI turns
these calls into a bar on a terminal, and into nothing otherwise::

    def show(stage, done, total):
        print(f"{stage}: {done}/{total}")

    build_store(data, path, fingerprint, progress=show)
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["Progress", "no_progress", "EVERY"]

Progress = Callable[[str, int, "int | None"], None]

# A loop over ties reports after each this many: a few calls at a million ties, none for a small set.
# Read at call time (progress.EVERY), so a test can report often on small data.
EVERY = 50_000


def no_progress(stage: str, done: int, total: int | None) -> None:
    """A progress callback that does nothing, for code that reports unconditionally."""
