"""The interactive map: one self-contained HTML file that works from file:// with no network.

pyvis ships the vis-network library ecograph draws with; its own page template also links
Bootstrap from a CDN and switches tooltips to ``innerHTML``, so ecograph writes its own page:
vis-network's script and stylesheet inlined from the pyvis package, the graph as JSON data,
positions computed here (deterministic for a seed) with physics off, so the map is still the
moment it opens. Tooltips are plain strings, which vis-network shows as text: data never
becomes HTML.

    html = render_html(G, title="Alibaba's ecosystem")
    write_html(G, "ecosystem.html")
    ecograph.Map(G, title="Alibaba's ecosystem")   # in Jupyter: the map, inline
"""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ecograph.fileio import atomic_write_text, output_mark
from ecograph.progress import Progress
from ecograph.view.layout import GROUP_ABOVE
from ecograph.view.map_data import STAGE, STEPS, graph_data

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Map", "json_text", "page_script", "render_html", "write_html"]


def _vis_assets() -> tuple[str, str]:
    """vis-network's script and stylesheet, from the pyvis package (inlined: no CDN)."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    return (lib / "vis-network.min.js").read_text(encoding="utf-8"), (lib / "vis-network.css").read_text(encoding="utf-8")


# Characters JSON may carry raw that a file should not: lone surrogates (UTF-8 cannot encode
# them, so writing would fail), DEL and the C1 controls (an HTML parse error, and invisible), and
# U+FFFE/U+FFFF. json.dumps escapes the C0 controls itself.
_RAW_UNFIT = re.compile("[\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def json_text(data: Any, **options: Any) -> str:
    """``json.dumps(data, ensure_ascii=False, **options)``, but with the characters a file
    should not hold raw (lone surrogates, DEL, C1 controls, U+FFFE/U+FFFF) written as
    ``\\uXXXX``: the text stays readable, any graph can be written, and reads back the same."""
    text = json.dumps(data, ensure_ascii=False, **options)
    return _RAW_UNFIT.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _script_json(data: Any) -> str:
    """JSON safe inside a <script> element: no '</' can close it early. A big map's (its ties
    as columns) without the spaces after commas and colons: 10 MB of 82 at a million ties."""
    options = {"separators": (",", ":")} if "ties" in data else {}
    return json_text(data, **options).replace("</", "<\\/").replace("<!--", "<\\u0021--")


def render_html(
    G: nx.MultiDiGraph,
    *,
    title: str = "ecograph",
    lang: str = "both",
    size_by: str = "degree",
    color_by: str = "kind",
    seed: int = 42,
    group_above: int | None = GROUP_ABOVE,
    compact: bool | None = None,
    progress: Progress | None = None,
    view: str | None = None,
) -> str:
    """The page for graph ``G``: a single HTML document with everything inlined (grouped by
    camp above ``group_above`` entities, see :func:`graph_data`). ``view``, a view as the page
    keeps it in its link (:func:`ecograph.view.viewstate.check_view`), is where it opens."""
    from ecograph.view.viewstate import check_view

    fragment = check_view(view, G) if view else ""  # before the work: a slip costs nothing
    script, css = _vis_assets()
    folder = Path(__file__).parent / "templates"
    template = (folder / "map.html").read_text(encoding="utf-8")
    data = graph_data(G, lang=lang, size_by=size_by, color_by=color_by, seed=seed, group_above=group_above,
                      compact=compact, progress=progress)
    if fragment:
        data["view"] = fragment
    text = _script_json(data)
    del data  # hundreds of MB at a million ties: gone before the page's text is put together (#14)
    parts = {
        "TITLE": html.escape(title),
        "GENERATOR": output_mark(),  # lets a later render replace this page, and only such pages
        "VIS_CSS": css,
        "VIS_JS": script.replace("</script", "<\\/script"),
        "MAP_CSS": (folder / "map.css").read_text(encoding="utf-8").replace("</style", "<\\/style"),
        "MAP_JS": page_script().replace("</script", "<\\/script"),
        "DATA": text,
    }
    # One pass, so text inside one part (a name like "{{VIS_JS}}") is never replaced again.
    return re.sub(r"\{\{(TITLE|GENERATOR|VIS_CSS|VIS_JS|MAP_CSS|MAP_JS|DATA)\}\}", lambda m: parts[m.group(1)], template)


# The page's own script, in modules that each own one step, joined in this order into the one
# <script> of the page: data unpacks a big map's columns, search ranks names, view computes what
# shows from the state, legend draws the filter panel, ties draws a big map's ties, panel writes
# out the selected entity or tie with its sources, url keeps the view in the link's fragment;
# analysis works out Path, Control and What if on the page's data as ecograph.analysis does;
# analyses runs one registered analysis and marks its answer (camps and diff each register one)
# and writes any in the link; analysis-view shows Path, Control and What if in the panel and on
# the map (and registers how the link carries them); picture draws what is on screen as SVG or
# PNG, keep holds the pins and the camera a link keeps; page holds the state and the API
# (``window.ecograph``).
PAGE_MODULES = ("map-data.js", "map-search.js", "map-view.js", "map-legend.js", "map-ties.js", "map-panel.js",
                "map-url.js", "map-analysis.js", "map-analyses.js", "map-analysis-view.js", "map-camps.js",
                "map-diff.js", "map-picture.js", "map-keep.js", "map-page.js")


def page_script() -> str:
    """The page's JavaScript: the modules of ``templates/``, joined."""
    folder = Path(__file__).parent / "templates"
    return "\n".join((folder / name).read_text(encoding="utf-8") for name in PAGE_MODULES)


def write_html(
    G: nx.MultiDiGraph,
    path: str | os.PathLike[str],
    *,
    max_entities: int | None = None,
    progress: Progress | None = None,
    **options: Any,
) -> Path:
    """Write the page for ``G`` to ``path`` as UTF-8, atomically; returns the path.

    Raises :class:`~ecograph.view.select.SelectionTooLargeError` before any work when ``G`` holds
    more than ``max_entities`` entities. ``progress(stage, done, total)`` follows the steps;
    ``options`` are :func:`render_html`'s.
    """
    from ecograph.view.select import check_size

    check_size(G.number_of_nodes(), max_entities)
    page = render_html(G, progress=progress, **options)
    atomic_write_text(path, page)
    if progress is not None:
        progress(STAGE, STEPS, STEPS)
    return Path(path)


class Map:
    """The map of ``G`` as an object: in Jupyter it shows inline (``_repr_html_``: the page in an
    ``<iframe srcdoc>``, offline like the file), ``html()`` is the page, ``save(path)`` writes
    it. ``options`` are :func:`render_html`'s (``title``, ``lang``, ``view``, ...)::

        ecograph.Map(G, title="Alibaba and Tencent", view="analysis=camps,alibaba,tencent")
    """

    def __init__(self, G: nx.MultiDiGraph, *, height: int = 640, **options: Any) -> None:
        self.G, self.height, self.options = G, height, options
        self._html: str | None = None

    def html(self) -> str:
        """The page, as :func:`render_html` writes it (made once)."""
        if self._html is None:
            self._html = render_html(self.G, **self.options)
        return self._html

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the page to ``path`` (:func:`write_html`); returns the path."""
        atomic_write_text(path, self.html())
        return Path(path)

    def _repr_html_(self) -> str:
        # srcdoc, not a data: URL: the page keeps its scripts' origin and its size limit is the
        # notebook's; escaped whole, so nothing in the page can end the attribute.
        return (f'<iframe srcdoc="{html.escape(self.html(), quote=True)}" title="{html.escape(self.options.get("title", "ecograph"))}" '
                f'style="width: 100%; height: {int(self.height)}px; border: 1px solid #ddd" '
                'allow="clipboard-write" loading="eager"></iframe>')
