"""Exceptions raised by ecograph.

Everything ecograph raises derives from one root, so a caller (the CLI) can catch it all with a
single ``except EcographError`` and show ``str(e)`` to the user::

    EcographError              root of every ecograph exception
     ├── DataError             the graphdata/ files are invalid; .problems lists every Problem
     ├── EntityNotFoundError   no entity matches the name or id asked for
     ├── AmbiguousEntityError  several entities match; .candidates lists them
     ├── QueryError            a Cypher query failed on its backend
     │    ├── UnsupportedCypherError  the embedded engine has no equivalent for a construct
     │    ├── WriteRefusedError       the query writes, and writing was not allowed
     │    └── MissingParameterError   the query uses $parameters that were not given
     ├── SavedQueryError       a saved query (cypher/*.cypher) is missing or its header is bad
     │    └── SavedQueryNotFoundError  no saved query has the name asked for
     ├── StoreError            the embedded store cannot be built or opened (disk full, corrupt...)
     │    ├── StoreLocationError  the store's folder cannot be created or written there
     │    └── StoreLockedError    another process is writing the store; try again when it ends
     ├── OutputError           ecograph may not write there: it holds files ecograph did not write
     │    └── OutputExistsError    the output exists (ecograph wrote it), and replacing was not allowed
     └── Neo4jError            a Neo4j server cannot be reached or used

A :class:`Problem` is one thing wrong in one data file. It prints as ``path:line: message`` (or
``path: message`` when it concerns a whole file or folder), the form editors and terminals
recognise, so the user can jump straight to it.

Messages speak of the data and the request, never of how a caller spelled it (a CLI option, a
deck key): the caller adds that. Where an error is about one part of the request, ``field``
names it (``kinds``, ``relationships``) so the caller can say where it came from.
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
    "QueryError",
    "UnsupportedCypherError",
    "WriteRefusedError",
    "MissingParameterError",
    "SavedQueryError",
    "SavedQueryNotFoundError",
    "StoreError",
    "StoreLocationError",
    "StoreLockedError",
    "OutputError",
    "OutputExistsError",
    "Neo4jError",
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
    """Root of every exception ecograph raises; ``field`` names the part of the request it is
    about, where it is about one (None otherwise)."""

    field: str | None = None


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


class QueryError(EcographError):
    """A Cypher query failed on its backend; the message is one line, the cause is chained."""


class UnsupportedCypherError(QueryError):
    """The embedded engine has no equivalent for a Cypher construct; ``construct`` names it."""

    def __init__(self, construct: str) -> None:
        self.construct = construct
        super().__init__(
            f"{construct} is not supported by the embedded engine (LadybugDB); "
            "run this query on Neo4j"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.construct,))


class WriteRefusedError(QueryError):
    """The query would write (``clause`` names the first writing clause) and writing is off."""

    def __init__(self, clause: str) -> None:
        self.clause = clause
        super().__init__(
            f"the query writes ({clause}) and queries are read-only unless writing is allowed "
            "(graphdata/ itself is never changed)"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.clause,))


class MissingParameterError(QueryError):
    """The query uses parameters that were not given; ``names`` lists them."""

    def __init__(self, names: list[str]) -> None:
        self.names = list(names)
        shown = ", ".join(f"${n}" for n in self.names)
        super().__init__(f"the query uses {shown} but no value was given")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.names,))


class SavedQueryError(EcographError):
    """A saved query is missing, or its header does not parse."""


class SavedQueryNotFoundError(SavedQueryError):
    """No saved query has the name asked for; the message suggests a close one."""


class StoreError(EcographError):
    """The embedded store cannot be built or opened."""


class StoreLocationError(StoreError):
    """The store's folder cannot be created or written where it was asked for (read-only,
    permission denied, a path through a file); another folder will do."""


class StoreLockedError(StoreError):
    """Another process holds the store's write lock; the same request succeeds once it is done."""


class OutputError(EcographError):
    """ecograph may not write to a path: it is a file or folder ecograph did not write, or the
    wrong kind of thing (a folder where a file is asked for). ``path`` is the path."""

    def __init__(self, message: str, path: str = "") -> None:
        self.path = path
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (str(self), self.path))


class OutputExistsError(OutputError):
    """The output exists and ecograph wrote it, but the caller did not allow replacing it."""


class Neo4jError(EcographError):
    """A Neo4j server cannot be reached or used; the message says what happened and what to try."""
