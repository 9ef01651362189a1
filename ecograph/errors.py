"""Exceptions raised by ecograph.

Everything ecograph raises derives from one root, so a caller (the CLI) can catch it all with a
single ``except EcographError`` and show ``str(e)`` to the user::

    EcographError              root of every ecograph exception
     ├── DataError             the graphdata/ files are invalid; .problems lists every Problem
     ├── EntityNotFoundError   no entity matches the name or id asked for
     └── AmbiguousEntityError  several entities match; .candidates lists them

A :class:`Problem` is one thing wrong in one data file. It prints as ``path:line: message`` (or
``path: message`` when it concerns a whole file or folder), the form editors and terminals
recognise, so the user can jump straight to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "EcographError",
    "DataError",
    "EntityNotFoundError",
    "AmbiguousEntityError",
    "Problem",
]


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a data file: where it is, which field, and what is wrong."""

    path: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"


class EcographError(Exception):
    """Root of every exception ecograph raises."""


class DataError(EcographError):
    """The data files are invalid; ``problems`` holds every problem found, in file order.

    ``str()`` gives all problems, one per line.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.problems,))


class EntityNotFoundError(EcographError):
    """No entity matches the name or id asked for."""


class AmbiguousEntityError(EcographError):
    """Several entities match the name asked for; ``candidates`` lists them."""

    def __init__(self, message: str, candidates: Iterable[Any] = ()) -> None:
        self.candidates: list[Any] = list(candidates)
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (str(self), self.candidates))
