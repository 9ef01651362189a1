"""Writing a view in a format named at run time: which formats there are, which options each
honours, and the one function that hands a view to the format's writer.

The command line's ``export`` and ``query --export`` both write through :func:`write_export`;
each format's own module (``write_<fmt>(G, path)``) stays usable on its own.

    written = write_export(view, "png", "map.png", title="Alibaba", width=1200)
    written.font  # the CJK font the picture used, or None
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

    from ecograph.progress import Progress

__all__ = ["FORMATS", "FOLDER_FORMATS", "OPTION_FORMATS", "SUFFIXES", "ExportOptions", "Written", "write_export"]

FORMATS = ("png", "svg", "pptx", "graphml", "gexf", "json", "csv", "html", "cypher", "neo4j-admin")
FOLDER_FORMATS = ("csv", "neo4j-admin")  # written as a folder of files
_PICTURES = ("png", "svg")
# The formats each option of ExportOptions applies to; a caller refuses it for the others.
OPTION_FORMATS: dict[str, tuple[str, ...]] = {
    "seed": ("png", "svg", "pptx", "html", "graphml", "gexf", "json", "csv"),
    "title": ("png", "svg", "pptx", "html"),
    "width": _PICTURES,
    "height": _PICTURES,
    "dpi": _PICTURES,
    "lang": ("png", "svg", "pptx", "html"),
    "as_picture": ("pptx",),
    "slide_entities": ("pptx",),
}
# The formats a file's suffix names (a folder format has no suffix).
SUFFIXES = {".png": "png", ".svg": "svg", ".pptx": "pptx", ".graphml": "graphml", ".gexf": "gexf",
            ".json": "json", ".html": "html", ".cypher": "cypher", ".cql": "cypher"}
# The formats written by a ``write_<fmt>(G, path, seed=)`` of their module.
_PLAIN = {"graphml": ("graphml", "write_graphml"), "gexf": ("gexf", "write_gexf"),
          "json": ("json_graph", "write_json"), "csv": ("csv_tables", "write_csv")}


@dataclass(frozen=True)
class ExportOptions:
    """How to draw or lay out a view; each applies to the formats :data:`OPTION_FORMATS` lists.
    ``title`` None is the view's data set's own title."""

    seed: int = 42
    title: str | None = None
    width: int | None = None  # None: the picture's own size for the view (image.picture_size)
    height: int | None = None
    dpi: int = 150
    lang: str = "both"
    as_picture: bool = False
    slide_entities: int | None = None  # None: write_pptx's own


@dataclass(frozen=True)
class Written:
    """What :func:`write_export` wrote: the view's size, and what the format tells besides."""

    path: Path
    fmt: str
    entities: int
    relationships: int
    font: str | None = None  # png, svg and pptx drawn as pictures: the CJK font used
    slides: int | None = None  # pptx
    command: str | None = None  # neo4j-admin: the import command to run in the folder
    lacks_cjk_font: bool = False  # labels were drawn in English only, for want of a CJK font


def write_export(
    view: nx.MultiDiGraph,
    fmt: str,
    path: str | os.PathLike[str],
    options: ExportOptions = ExportOptions(),
    *,
    names: nx.MultiDiGraph | None = None,
    max_entities: int | None = None,
    progress: Progress | None = None,
) -> Written:
    """Write ``view`` in ``fmt`` (one of :data:`FORMATS`) to ``path``, atomically.

    Refused before any work (:class:`~ecograph.view.select.SelectionTooLargeError`) when it holds
    more than ``max_entities`` entities. ``names`` is the graph the view comes from, to name the
    studies its ties cite on slides. ``progress`` follows the map's steps (html).
    """
    from ecograph.view.build import view_title
    from ecograph.view.select import check_size

    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    check_size(view.number_of_nodes(), max_entities)
    title = options.title or view_title(view)
    written = Written(Path(path), fmt, view.number_of_nodes(), view.number_of_edges())
    if fmt in _PICTURES:
        from ecograph.export.image import write_png, write_svg

        writer = write_png if fmt == "png" else write_svg
        font = writer(view, path, title=title, width=options.width, height=options.height, dpi=options.dpi,
                      lang=options.lang, seed=options.seed)
        return _with(written, font=font, lacks_cjk_font=font is None)
    if fmt == "pptx":
        from ecograph.export.pptx import write_pptx

        per_slide = {} if options.slide_entities is None else {"max_entities": options.slide_entities}
        deck = write_pptx([(title, view)], path, title=title, seed=options.seed, lang=options.lang,
                          as_picture=options.as_picture, names=names, **per_slide)
        return _with(written, font=deck.font, slides=deck.slides,
                     lacks_cjk_font=options.as_picture and not deck.font)
    return _write_data(view, fmt, path, title, options, written, progress)


def _write_data(view: nx.MultiDiGraph, fmt: str, path: str | os.PathLike[str], title: str, options: ExportOptions,
                written: Written, progress: Progress | None) -> Written:
    """The formats that are not drawn: the map, the Cypher script, the tables and graph files."""
    if fmt == "cypher":
        from ecograph.export.cypher import write_cypher

        write_cypher(view, path)
    elif fmt == "neo4j-admin":
        from ecograph.export.neo4j_admin import write_neo4j_admin

        return _with(written, command=write_neo4j_admin(view, path))
    elif fmt == "html":
        from ecograph.view.map import write_html

        write_html(view, path, seed=options.seed, title=title, lang=options.lang, progress=progress)
    else:
        import importlib

        module, function = _PLAIN[fmt]
        getattr(importlib.import_module(f"ecograph.export.{module}"), function)(view, path, seed=options.seed)
    return written


def _with(written: Written, **changes: Any) -> Written:
    from dataclasses import replace

    return replace(written, **changes)
