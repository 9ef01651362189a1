"""The console the command line talks to: arguments it reads, text it writes.

Two things go wrong on consoles that are not UTF-8, and on any console with hostile data:

1. Arguments. Python decodes ``sys.argv`` and the environment with the locale's encoding and
   ``surrogateescape``; under ``LANG=C`` (with UTF-8 mode off) ``腾讯`` arrives as six lone
   surrogates, which match no name and break any library that encodes them. The commands of a
   :class:`RecoveringGroup` take such text back as UTF-8 (:func:`recover_text`); paths and
   files keep the locale's form, the one ``open()`` turns back into the same bytes.
2. Output. Text printed to a cp1252 or ASCII console can hold characters it cannot encode
   (a ``UnicodeEncodeError``), and data can hold escape sequences and other control
   characters a terminal obeys. :func:`install_safe_streams` puts a :class:`SafeTextWriter` on
   ``sys.stdout`` and ``sys.stderr`` at start-up, so every write goes through one filter.

Every character the filter changes prints as a JSON-style escape, ``\\u001b`` for ESC (a
surrogate pair beyond U+FFFF): control characters other than newline and tab (C0, DEL and the
C1 range, whose U+009B is a CSI), lone surrogates, and characters the stream's encoding cannot
hold. ``json.dumps`` leaves DEL, C1 and non-ASCII text unescaped, so the same escape keeps
``--json`` output valid JSON that reads back the very same text on any console.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import sys

import click

__all__ = [
    "RecoveringCommand",
    "RecoveringGroup",
    "SafeTextWriter",
    "install_safe_streams",
    "printable",
    "recover_text",
    "unfiltered",
]

# Newline and tab lay text out; every other C0 control, DEL, C1 and lone surrogates do not.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_ESCAPE_ERRORS = "ecograph.escape"
# surrogateescape stands for an undecodable byte 0xXX by the lone surrogate U+DCXX.
_ESCAPED_BYTE = re.compile(r"[\udc80-\udcff]")


def _escape(char: str) -> str:
    code = ord(char)
    if code > 0xFFFF:  # as JSON writes it: a UTF-16 surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with control characters (but newline and tab) and lone surrogates escaped.

    >>> printable("a\\x1b[2Jb\\tc\\u009b")
    'a\\\\u001b[2Jb\\tc\\\\u009b'
    """
    return _UNSAFE.sub(lambda m: _escape(m.group()), text)


def _escape_unencodable(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return "".join(_escape(c) for c in error.object[error.start:error.end]), error.end


codecs.register_error(_ESCAPE_ERRORS, _escape_unencodable)


class SafeTextWriter(io.TextIOBase):
    """A text stream that writes :func:`printable` text to ``stream``, escaping what it cannot encode.

    It has no ``buffer``: click writes to it as to any text stream instead of reaching past it
    to the bytes underneath (which it does when a stream's encoding is ASCII), and no output
    can skip the filter by writing bytes. Print data as text (``click.echo``).
    """

    def __init__(self, stream):
        self.unfiltered = stream
        encoding = getattr(stream, "encoding", None) or "utf-8"
        try:
            self._round_trip = not codecs.lookup(encoding).name.startswith("utf-")
        except LookupError:
            self._round_trip = False
        self._encoding = encoding

    @property
    def encoding(self) -> str:
        return self._encoding

    @property
    def errors(self) -> str:
        return _ESCAPE_ERRORS

    @property
    def name(self):
        return getattr(self.unfiltered, "name", "<safe text>")

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        safe = printable(text)
        if self._round_trip:  # the UTF encodings hold every character printable() leaves
            safe = safe.encode(self._encoding, _ESCAPE_ERRORS).decode(self._encoding)
        self.unfiltered.write(safe)
        return len(text)

    def flush(self) -> None:
        self.unfiltered.flush()

    def isatty(self) -> bool:
        return self.unfiltered.isatty()

    def fileno(self) -> int:
        return self.unfiltered.fileno()


def install_safe_streams() -> None:
    """Put a :class:`SafeTextWriter` on ``sys.stdout`` and ``sys.stderr`` (once; absent streams stay absent)."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is not None and not isinstance(stream, SafeTextWriter):
            setattr(sys, name, SafeTextWriter(stream))


def unfiltered(stream):
    """The stream under a :class:`SafeTextWriter`, for output that is meant to move the cursor.

    A progress bar redraws itself with carriage returns and escape sequences of its own; they
    would print as escapes through the filter.
    """
    return getattr(stream, "unfiltered", stream)


def recover_text(text: str) -> str:
    """``text`` as UTF-8 where the locale's decoding left lone surrogates in it.

    The surrogates stand for the bytes the locale's encoding could not decode; those bytes are
    read as UTF-8, and bytes that are not UTF-8 either become U+FFFD.
    """
    if not _ESCAPED_BYTE.search(text):
        return text
    try:
        raw = os.fsencode(text)  # the bytes the locale's decoding came from
    except UnicodeEncodeError:  # text mixed from elsewhere: the surrogates are still bytes
        raw = text.encode("utf-8", "surrogateescape")
    return raw.decode("utf-8", "replace")


def _recover(value):
    if isinstance(value, str):
        return recover_text(value)
    if isinstance(value, (tuple, list)):
        return type(value)(_recover(v) for v in value)
    return value


class _RecoveringMixin:
    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        rest = super().parse_args(ctx, args)
        for param in self.get_params(ctx):
            # A path keeps the locale's form: it is the one open() turns back into the same bytes.
            if param.name in ctx.params and not isinstance(param.type, (click.Path, click.File)):
                ctx.params[param.name] = _recover(ctx.params[param.name])
        return rest


class RecoveringCommand(_RecoveringMixin, click.Command):
    """A click command whose text parameters are :func:`recover_text`-ed (paths and files are not)."""


class RecoveringGroup(_RecoveringMixin, click.Group):
    """A click group whose commands and subgroups are all recovering ones."""

    command_class = RecoveringCommand
    group_class = type
