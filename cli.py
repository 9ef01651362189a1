"""The ecograph command line: parse options, call one library function, print the result.

Installed as the ``ecograph`` console script; ``python cli.py`` behaves the same.
"""

from __future__ import annotations

import contextlib
import functools
import json
from pathlib import Path

import click

import ecograph
from ecograph.console import RecoveringCommand, RecoveringGroup
from ecograph.errors import DataError, EcographError, OutputExistsError, StoreLocationError
# The export formats, the options each honours and the suffixes that name them: a table without
# the writers, which load on use.
from ecograph.export.dispatch import FOLDER_FORMATS, FORMATS, OPTION_FORMATS, SUFFIXES


def _option(ctx: click.Context, name: str) -> str | None:
    """How the command spells its parameter ``name`` (``--kinds``), or None when it has none."""
    for param in ctx.command.params:
        if param.name == name and isinstance(param, click.Option):
            return max(param.opts, key=len)
    return None


def _error_message(e: EcographError, ctx: click.Context) -> str:
    """The one line (the data's problems, one a line) for a library error, with the option of
    ``ctx``'s command it came from or that helps where there is one."""
    from ecograph.errors import (
        EntityNotFoundError,
        MissingParameterError,
        Neo4jError,
        SavedQueryNotFoundError,
        UnsupportedCypherError,
        WriteRefusedError,
    )
    from ecograph.view.deck import DeckViewError
    from ecograph.view.select import SelectionTooLargeError

    if isinstance(e, DeckViewError) and isinstance(e.__cause__, EcographError):
        return f"{e.where}: {_error_message(e.__cause__, ctx)}"  # the view's own error, with its options
    if isinstance(e, DataError):
        n = len(e.problems)
        return f"{n} problem{'s' if n != 1 else ''} in the data; nothing was loaded.\n{e}"
    if isinstance(e, SelectionTooLargeError) and _option(ctx, "max_entities"):
        if _option(ctx, "center"):
            return _too_many(e.count, e.limit)
        narrower = ("narrow the view (center and hops, kinds, rels, since/until)" if ctx.command.name == "deck"
                    else "ask for a shorter range of years")  # timeline
        return _too_many(e.count, e.limit, narrower=narrower)
    if isinstance(e, StoreLocationError) and _option(ctx, "db_path"):
        return f"{e} with --db DIR (or ECOGRAPH_DB)"  # "…; choose another folder" with --db DIR
    if isinstance(e, UnsupportedCypherError) and _option(ctx, "backend"):
        return f"{e} with --backend neo4j"  # "…; run this query on Neo4j" with --backend neo4j
    hint = None
    if isinstance(e, OutputExistsError) and _option(ctx, "force"):
        hint = "add --force to replace it"
    elif isinstance(e, WriteRefusedError) and _option(ctx, "write"):
        hint = "add --write to allow it"
    elif isinstance(e, MissingParameterError) and _option(ctx, "params"):
        hint = "pass " + " ".join(f"--param {n}=…" for n in e.names)
    elif isinstance(e, SavedQueryNotFoundError):
        hint = "`ecograph queries` lists them"
    elif isinstance(e, EntityNotFoundError):
        hint = "try `ecograph search`"
    elif isinstance(e, Neo4jError) and e.field == "credentials" and _option(ctx, "user"):
        hint = "set them with --user (or NEO4J_USERNAME) and NEO4J_PASSWORD"
    message = str(e)
    field = getattr(e, "field", None)
    if field and _option(ctx, field):
        message = f"{_option(ctx, field)}: {message}"
    return f"{message}; {hint}" if hint else message


_OUTPUTS = ("output", "export_path")  # the parameters that name what a command writes


def _os_error_message(e: OSError, ctx: click.Context) -> str:
    """``cannot write OUTPUT: reason`` when the error concerns what the command writes (the
    file, its temporary copy beside it, a file in its folder), else ``cannot read PATH: reason``."""
    import os

    reason = e.strerror or str(e)
    name = os.fsdecode(e.filename) if e.filename is not None else None
    real = Path(os.path.realpath(name)) if name is not None else None  # writers resolve their target
    for key in _OUTPUTS:
        out = ctx.params.get(key)
        if out is None:
            continue
        target = Path(os.path.realpath(out))
        if real is None or real in (target, target.parent) or real.parent == target.parent or target in real.parents:
            return f"cannot write {out}: {reason}"
    return f"cannot read {name}: {reason}" if name is not None else reason


class EcographCommand(RecoveringCommand):
    """A command whose library errors (:class:`~ecograph.errors.EcographError`) and OS errors
    print as one ``Error: …`` line with exit code 1: the one place the CLI maps them."""

    def invoke(self, ctx: click.Context):
        import errno

        try:
            return super().invoke(ctx)
        except EcographError as e:
            raise click.ClickException(_error_message(e, ctx)) from e
        except OSError as e:
            if e.errno == errno.EPIPE:  # a closed pipe (| head): click ends quietly
                raise
            raise click.ClickException(_os_error_message(e, ctx)) from e


class EcographGroup(RecoveringGroup):
    """The ``ecograph`` group: every command and subgroup in it is an :class:`EcographCommand`."""

    command_class = EcographCommand
    group_class = type


class _NameList(click.ParamType):
    """A comma-separated list of kinds or relationship types (``Company,Platform``), each checked
    against the vocabulary of the command's data (the shipped one, or with the --data folders'
    schema.toml merged in): a tuple of names."""

    def __init__(self, what: str) -> None:
        self.what = what  # "kind" or "relationship type"
        self.name = f"{what} list"

    def get_metavar(self, param, *args, **kwargs) -> str:  # click 8.2+ passes ctx= by name
        return "KIND,…" if self.what == "kind" else "TYPE,…"

    def convert(self, value, param, ctx):
        from ecograph.view.select import SelectionError, check_names, parse_names

        if isinstance(value, tuple):
            return value
        names = parse_names(value)
        model = _data_model(ctx)
        if model is None:
            return names  # the data's own vocabulary cannot be read: loading the data reports why
        try:
            check_names(names, model.kinds if self.what == "kind" else model.rel_types, self.what)
        except SelectionError as e:
            self.fail(str(e), param, ctx)
        return names


def _data_model(ctx: click.Context | None):
    """The vocabulary of the data a command reads: the --data folders (eager options, so they are
    known before any list is checked) merged with the shipped one; None when it cannot be read."""
    from ecograph.data import schema
    from ecograph.data.graphdata import data_dirs, read_model

    if ctx is None or "data_dirs" not in ctx.params:
        return schema.SHIPPED
    if "data_model" not in ctx.meta:
        try:
            dirs = data_dirs(ctx.params["data_dirs"] or (), include_shipped=not ctx.params.get("no_shipped_data"))
            ctx.meta["data_model"] = read_model(dirs)
        except EcographError:
            ctx.meta["data_model"] = None
    return ctx.meta["data_model"]


class _Assignment(click.ParamType):
    """A query parameter ``KEY=VALUE``: ``(key, value)``, the value read as JSON where it parses."""

    name = "KEY=VALUE"

    def convert(self, value, param, ctx):
        from ecograph.query.saved import parse_param_option

        if isinstance(value, tuple):
            return value
        try:
            return parse_param_option(value)
        except EcographError as e:
            self.fail(str(e), param, ctx)


def _claim_output(path: Path, force: bool, *, folder: bool = False) -> None:
    """Refuse, before any work, an output ecograph may not write: an existing one without
    ``--force``, and anything ecograph did not write even with it."""
    from ecograph.fileio import check_output

    check_output(path, replace=force, folder=folder)


def _too_many(count: int, limit: int, *, what: str = "the selection",
              narrower: str = "narrow it with --center ENTITY --hops 1, --kinds, --rels or --since/--until") -> str:
    """The one line for a render or export refused for its size, naming the flags that help."""
    return (f"{what} holds {count:,} entities, more than --max-entities {limit:,}; "
            f"{narrower}, or raise --max-entities")


def _max_entities_option(command):
    """Add --max-entities: the most entities a render or export may draw or write."""
    from ecograph.view.select import DEFAULT_MAX_ENTITIES

    return click.option(
        "--max-entities", type=click.IntRange(1), default=DEFAULT_MAX_ENTITIES, show_default=True,
        help="Refuse to draw or write more entities than this (checked before the work starts).",
    )(command)


class _ProgressBars:
    """A library progress callback drawn as bars on stderr, one per stage (see ecograph.progress)."""

    def __init__(self) -> None:
        self._bar = None
        self._stage = None
        self._done = 0

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        import sys

        if stage != self._stage:
            self.finish()
            self._stage, self._done = stage, 0
            if total is not None:
                self._bar = click.progressbar(length=total, label=stage, file=sys.stderr)
                self._bar.__enter__()
        if self._bar is not None:
            self._bar.update(done - self._done)
        else:
            click.echo(f"\r{stage}: {done:,}", err=True, nl=False)
        self._done = done

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
        elif self._stage is not None:
            click.echo(err=True)
        self._bar = self._stage = None


@contextlib.contextmanager
def _progress():
    """A progress callback for the library: bars when stderr is a terminal, else None (quiet)."""
    import sys

    if not sys.stderr.isatty():
        yield None
        return
    bars = _ProgressBars()
    try:
        yield bars
    finally:
        bars.finish()


def _data_source_options(command):
    """Add --data/--no-shipped-data to a command and hand it the data directories as ``dirs``."""

    @click.option(
        "--data",
        "data_dirs",
        multiple=True,
        type=click.Path(file_okay=False, path_type=str),
        envvar="ECOGRAPH_DATA",
        is_eager=True,  # read before --kinds, --rels or --via, which are checked against its vocabulary
        help="Your own graphdata folder; adds to the shipped data (repeatable). Env: ECOGRAPH_DATA.",
    )
    @click.option(
        "--no-shipped-data",
        is_flag=True,
        is_eager=True,
        help="Use only the --data folders, not the shipped seed data.",
    )
    @functools.wraps(command)
    def wrapper(data_dirs, no_shipped_data, **kwargs):
        from ecograph.data.graphdata import data_dirs as resolve

        try:
            dirs = resolve(data_dirs, include_shipped=not no_shipped_data)
        except DataError as e:  # a --data path that cannot be followed: one line naming it
            raise click.ClickException(str(e)) from e
        return command(dirs, **kwargs)

    return wrapper


def data_options(command):
    """Add --data/--no-shipped-data to a command and hand it the loaded graph as ``G``."""

    @_data_source_options
    @functools.wraps(command)
    def wrapper(dirs, **kwargs):
        from ecograph.data.graphdata import build_graph, read_graphdata

        with _progress() as progress:
            G = build_graph(read_graphdata(dirs, progress=progress), progress=progress)
        return command(G, **kwargs)

    return wrapper


def _dir_label(path: str) -> str:
    from ecograph.data.graphdata import shipped_data_dir

    return "graphdata (shipped)" if Path(path) == shipped_data_dir() else path


def _echo_json(value) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def _resolve(G, text: str) -> str:
    from ecograph.data.search import resolve_entity

    return resolve_entity(G, text)


@click.group(cls=EcographGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(ecograph.__version__, prog_name="ecograph")
def main():
    """ecograph — explore the alliance network of China's e-commerce ecosystem.

    Who invests in whom, who partners, delivers and pays for whom: a sourced graph built
    from the 2015 TIER report, which you can extend with your own data (--data DIR).
    """
    _stop_cleanly_on_sigterm()


def _stop_cleanly_on_sigterm() -> None:
    """Let ``kill`` (SIGTERM) stop a command the way Ctrl-C does: unwinding, so a write in
    progress removes its temporary file and leaves the target as it was."""
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, signal.default_int_handler)


@main.command()
@_data_source_options
def validate(dirs):
    """Check the data files; print a summary, or every problem found (exit 1)."""
    from ecograph.data.graphdata import read_graphdata

    with _progress() as progress:
        data = read_graphdata(dirs, progress=progress)  # no graph: checking a million ties should not wait for one
    shown = ", ".join(_dir_label(str(d)) for d in dirs)
    click.echo(
        f"OK: {len(data.entities)} entities, {data.relationship_count} relationships, "
        f"{len(data.observations)} observations in {shown}"
    )


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON (shape documented in the README).")
@data_options
def info(G, as_json):
    """Counts by label and relationship type, and the sources cited."""
    from ecograph.data.summary import dataset_info

    summary = dataset_info(G)
    if as_json:
        _echo_json(summary)
        return
    click.echo(
        f"{summary['entities']} entities, {summary['relationships']} relationships, "
        f"{summary['observations']} observations"
    )
    click.echo(f"Data: {', '.join(_dir_label(d) for d in summary['data_dirs'])}")
    for about in summary["datasets"].values():
        source = about["source"]
        work = ", ".join(str(source[k]) for k in ("title", "authors", "publisher", "year") if source.get(k))
        click.echo(f"  {about['path']}: {about['title'] or '(untitled)'}" + (f", from {work}" if work else ""))
    for title, key in (
        ("Entities by label", "labels"),
        ("Relationships by type", "relationship_types"),
        ("Relationships by source section", "sections"),
    ):
        click.echo(f"\n{title}")
        for name, n in summary[key].items():
            click.echo(f"  {name:<24}{n:>5}")
    click.echo("\nStudies and organisations cited")
    for c in summary["cited"]:
        click.echo(
            f"  {c['id']:<32}{_name(c)}: "
            f"{c['relationships']} relationships, {c['observations']} figures"
        )


def _tie_line(G, t: dict, outgoing: bool) -> str:
    from ecograph.words import entity_name, property_value

    shown = {k: v for k, v in t["properties"].items() if k not in ("year", "currency")}
    props = ", ".join(f"{k}: {property_value(k, v, t['properties'])}" for k, v in shown.items())
    rel = f"[{t['type']}{' {' + props + '}' if props else ''}]"
    other = f"{_name(t['other'])} ({t['other']['id']})"
    arrow = f"-{rel}-> {other}" if outgoing else f"<-{rel}- {other}"
    cited = f"; cites {entity_name(G, t['cited'])}" if t["cited"] else ""
    return f"  {arrow}\n      {t['description']}  [source: {t['source']}{cited}]"


def _figure_line(G, o: dict, *, about: bool = False) -> str:
    """A figure on one line: its period, metric, value in words, basis and source; ``about``
    names its subject instead of the study it cites (for a study's own page)."""
    from ecograph.words import entity_name, measured

    value = o.get("text") or measured(o["value"], o["unit"])
    table = f"{o['table']} " if o.get("table") else ""
    cited = f"; cites {entity_name(G, o['cited'])}" if o.get("cited") and not about else ""
    subject = f"{entity_name(G, o['subject'])}: " if about else ""
    return f"  {subject}{o['period']:<11}{o['metric']} = {value} ({o['basis']})  [{table}{o['source']}{cited}]"


@main.command()
@click.argument("entity")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (shape documented in the README).")
@data_options
def show(G, entity, as_json):
    """An entity's properties and every relationship in and out, with sources.

    ENTITY is an id, an English or Chinese name, or an alias.
    """
    from ecograph.data.summary import entity_details

    details = entity_details(G, _resolve(G, entity))
    if as_json:
        _echo_json(details)
        return
    e = details["entity"]
    click.echo(f"{_name(e)}  [{e['kind']}]  id: {e['id']}")
    if e["aliases"]:
        click.echo(f"Aliases: {', '.join(e['aliases'])}")
    click.echo(f"Country/region: {e['country']}")
    click.echo(e["description"])
    for title, ties, outgoing in (("Outgoing", details["outgoing"], True), ("Incoming", details["incoming"], False)):
        if ties:
            click.echo(f"\n{title} ({len(ties)})")
            for t in ties:
                click.echo(_tie_line(G, t, outgoing))
    if details["observations"]:
        click.echo(f"\nFigures ({len(details['observations'])})")
        for o in details["observations"]:
            click.echo(_figure_line(G, o))
    cited_ties, cited_figures = details["cited_by"]["relationships"], details["cited_by"]["observations"]
    if cited_ties or cited_figures:
        from ecograph.words import tie_sentence

        click.echo(f"\nCited for ({len(cited_ties)} relationship{'s' if len(cited_ties) != 1 else ''}, "
                   f"{len(cited_figures)} figure{'s' if len(cited_figures) != 1 else ''})")
        for t in cited_ties:
            tie = {**t, "from": t["from"]["id"], "to": t["to"]["id"], "cited": None}
            click.echo(f"  {tie_sentence(G, tie)}")
        for o in cited_figures:
            click.echo(_figure_line(G, o, about=True))


@main.command()
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (shape documented in the README).")
@data_options
def search(G, text, as_json):
    """Find entities by id, name or alias (any case, width, Simplified or Traditional)."""
    from ecograph.data.search import search_entities

    hits = search_entities(G, text)
    if as_json:
        _echo_json([h.as_dict() for h in hits])
        return
    if not hits:
        click.echo(f"No entity matches {text!r}.")
        return
    for h in hits:
        click.echo(f"{h.id:<36}{h.kind:<18}{h.name_en}{' / ' + h.name_zh if h.name_zh else ''}  ({h.how}: {h.matched})")


@main.command()
@_data_source_options
def schema(dirs):
    """Print the data model (labels, relationship types, properties, units) as Markdown.

    With --data, the model those folders declare in their schema.toml, merged with the shipped one.
    """
    from ecograph.data.graphdata import read_model
    from ecograph.data.schema import data_model_markdown

    click.echo(data_model_markdown(read_model(dirs)), nl=False)


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--from-shipped", is_flag=True,
              help="Extend the shipped vocabulary (kinds, types) instead of starting from one of your own.")
def init(directory, from_shipped):
    """Write a ready-to-edit data folder: a commented schema.toml, dataset.toml, example CSVs.

    \b
    ecograph init my-ecosystem
    ecograph validate --data my-ecosystem --no-shipped-data
    ecograph render --data my-ecosystem --no-shipped-data -o my-ecosystem.html
    """
    from ecograph.data.starter import write_starter

    written = write_starter(directory, from_shipped=from_shipped)
    for path in written:
        click.echo(f"Wrote {path}")
    extra = "" if from_shipped else " --no-shipped-data"
    click.echo(f"Next: edit {directory / 'schema.toml'}, then: ecograph render --data {directory}{extra} "
               f"-o {directory.name or 'map'}.html")


# --- Cypher ---------------------------------------------------------------------------------------


def _default_store_path(dirs) -> Path:
    """Where the embedded store for ``dirs`` lives unless --db says: the user's cache folder."""
    import hashlib
    import os

    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    key = hashlib.sha256("\n".join(str(Path(d).resolve()) for d in dirs).encode()).hexdigest()[:16]
    return cache / "ecograph" / "stores" / key


def _store_path_of(G) -> Path:
    """The embedded store of the data ``G`` was loaded from."""
    return _default_store_path([Path(d) for d in G.graph["data_dirs"]])


def _neo4j_options(command):
    """Add the connection options Neo4j's own tools read from the environment."""

    @click.option("--uri", envvar="NEO4J_URI", help="Neo4j URI (bolt, bolt+s, bolt+ssc, neo4j, neo4j+s, neo4j+ssc). Env: NEO4J_URI.")
    @click.option("--user", envvar="NEO4J_USERNAME", default="neo4j", show_default=True, help="Neo4j user. Env: NEO4J_USERNAME.")
    @click.option("--database", envvar="NEO4J_DATABASE", help="Neo4j database (default: the server's). Env: NEO4J_DATABASE.")
    @functools.wraps(command)
    def wrapper(uri, user, database, **kwargs):
        return command(neo4j=(uri, user, database), **kwargs)

    return wrapper


def _neo4j_driver(uri, user, database):
    """Connect with the password from NEO4J_PASSWORD or a hidden prompt (never an option)."""
    import os
    import sys

    from ecograph.query.neo4j_backend import Neo4jSettings, connect

    if not uri:
        raise click.ClickException("no Neo4j URI: pass --uri or set NEO4J_URI (e.g. neo4j://localhost:7687)")
    password = os.environ.get("NEO4J_PASSWORD")
    if password is None:
        if not sys.stdin.isatty():
            raise click.ClickException("no Neo4j password: set NEO4J_PASSWORD (it is never taken as an option)")
        password = click.prompt(f"Neo4j password for {user}", hide_input=True, err=True)
    return connect(Neo4jSettings(uri, user, database), password)


@main.command()
@click.argument("text", required=False)
@click.option("--file", "file", type=click.File(encoding="utf-8"), help="Read the query from a file.")
@click.option("--saved", help="Run a saved query from cypher/ by name (`ecograph queries` lists them).")
@click.option("--param", "params", type=_Assignment(), multiple=True,
              help="A query parameter ($KEY); VALUE is read as JSON where it parses, else as a string.")
@click.option("--params-file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Parameters from a JSON object file; --param overrides.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--backend", type=click.Choice(["embedded", "neo4j"]), default="embedded", show_default=True,
              envvar="ECOGRAPH_BACKEND", help="Embedded LadybugDB, or a Neo4j server. Env: ECOGRAPH_BACKEND.")
@click.option("--write", is_flag=True, help="Allow a query that writes (to the store or server, never to graphdata/).")
@click.option("--db", "db_path", type=click.Path(file_okay=False, path_type=Path), envvar="ECOGRAPH_DB",
              help="Embedded store folder (default: your cache folder). Env: ECOGRAPH_DB.")
@click.option("--rebuild", is_flag=True, help="Rebuild the embedded store even if the data has not changed.")
@click.option("--export", "export_path", type=click.Path(path_type=Path),
              help="Also write the subgraph the result holds; the format follows the suffix "
                   "(.png .svg .pptx .graphml .gexf .json .html .cypher).")
@click.option("--force", is_flag=True, help="Let --export replace an existing file.")
@_max_entities_option
@_neo4j_options
@_data_source_options
def query(dirs, text, file, saved, params, params_file, fmt, backend, write, db_path, rebuild, export_path, force,
          max_entities, neo4j):
    """Ask the network a question in Cypher (Neo4j's dialect, on either backend).

    \b
    ecograph query "MATCH (c:Company)-[r:INVESTED_IN]->(t) RETURN c, r.stake, t"
    ecograph query --saved alibaba_stakes --param company=tencent
    ecograph query --file q.cypher --format json --backend neo4j
    """
    import time

    from ecograph.query.saved import read_params_file, read_saved_query

    if sum(x is not None for x in (text, file, saved)) != 1:
        raise click.UsageError("give the query as an argument, or with --file F, or --saved NAME (one of them)")
    export_fmt = _export_format(export_path, force) if export_path is not None else None
    given = {**(read_params_file(params_file) if params_file is not None else {}), **dict(params)}
    if saved is not None:
        q = read_saved_query(saved)
        cypher, bound = q.text, q.bind(given)
    else:
        cypher, bound = (file.read() if file is not None else text), given
    if backend == "neo4j":
        from ecograph.query.neo4j_backend import stream_query

        driver = _neo4j_driver(*neo4j)
        try:
            with stream_query(driver, cypher, bound, database=neo4j[2], write=write) as rows:
                sub = _print_rows(rows, fmt, max_entities if export_fmt else None)
        finally:
            driver.close()
    else:
        from ecograph.query.store import open_store

        path = db_path or _default_store_path(dirs)
        started = time.perf_counter()
        with _progress() as progress:
            store = open_store(dirs, path, rebuild=rebuild, progress=progress)
        if store.built:
            c = store.manifest.counts
            click.echo(
                f"Built the embedded store at {path} ({c['entities']} entities, {c['relationships']} "
                f"relationships, {c['observations']} observations) in {time.perf_counter() - started:.1f} s",
                err=True,
            )
        with store, store.stream(cypher, bound, write=write) as rows:
            _echo_warnings(rows.warnings)
            sub = _print_rows(rows, fmt, max_entities if export_fmt else None, store.model)
        if write:
            click.echo(f"Note: writes go to the store at {path}; graphdata/ is unchanged. "
                       "--rebuild discards them.", err=True)
    if export_fmt is not None:
        _export_result(sub, export_fmt, export_path, max_entities)


def _echo_warnings(warnings) -> None:
    """What the store said about the query, on stderr, before its rows."""
    for warning in warnings:
        _echo_warning(warning)


def _echo_warning(warning: str) -> None:
    click.echo(f"Warning: {warning}", err=True)


def _print_rows(rows, fmt: str, max_entities: int | None, model=None):
    """Print a result stream as its rows come, in ``fmt`` (a table's numbers by ``model``'s
    property types); with ``max_entities`` (an export follows) also gather the subgraph the rows
    hold, up to that many entities.

    Returns the :class:`~ecograph.query.result.SubgraphBuilder`, or None when nothing is gathered.
    """
    from ecograph.query.result import SubgraphBuilder, iter_csv, iter_json, iter_table

    writer = {"table": functools.partial(iter_table, model=model), "json": iter_json, "csv": iter_csv}[fmt]
    builder = SubgraphBuilder(max_entities) if max_entities is not None else None

    def counted():
        for row in rows:
            if builder is not None:
                builder.add_row(row, rows.nodes)
            yield row

    pending: list[str] = []
    size = 0
    for chunk in writer(rows.columns, counted()):
        pending.append(chunk)
        size += len(chunk)
        if size >= 1 << 16:  # one write per 64 KB, not one per row
            click.echo("".join(pending), nl=False)
            pending, size = [], 0
    text = "".join(pending)
    if fmt == "json":
        text += "\n"
    if text:
        click.echo(text, nl=False)
    return builder


def _export_format(path: Path, force: bool) -> str:
    """The export format ``path``'s suffix names, checked before the query runs."""
    export_fmt = SUFFIXES.get(path.suffix.lower())
    if export_fmt is None:
        raise click.ClickException(
            f"--export {path}: cannot tell the format from {path.suffix or 'no suffix'!r}; "
            f"use one of {', '.join(sorted(SUFFIXES))}"
        )
    _claim_output(path, force)
    return export_fmt


def _export_result(builder, export_fmt: str, path: Path, max_entities: int) -> None:
    """Write the subgraph the printed result held (stdout keeps the result, the line goes to stderr)."""
    if builder.too_many:
        raise click.ClickException(_too_many(builder.count, max_entities, what="the result",
                                             narrower="return fewer rows (LIMIT, WHERE)"))
    sub = builder.graph
    if sub.number_of_nodes() == 0:
        raise click.ClickException(
            "the query returned no nodes, relationships or paths to export; return them (RETURN a, r, b or RETURN p)"
        )
    import sys

    stdout = sys.stdout
    sys.stdout = sys.stderr  # the export's one line goes to stderr; stdout keeps the result
    try:
        _write_export(sub, export_fmt, path, max_entities=max_entities)
    finally:
        sys.stdout = stdout


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def queries(as_json):
    """List the saved queries (cypher/*.cypher) with their parameters."""
    from ecograph.query.saved import list_saved_queries

    saved = list_saved_queries()
    if as_json:
        _echo_json([
            {"name": q.name, "description": q.description,
             "parameters": [{"name": p.name, "default": p.default, "description": p.description} for p in q.parameters]}
            for q in saved
        ])
        return
    for q in saved:
        click.echo(f"{q.name}\n  {q.description}")
        for p in q.parameters:
            click.echo(f"  --param {p.name}={json.dumps(p.default, ensure_ascii=False)}  {p.description}".rstrip())


def selector_options(command):
    """The selectors render and export share; hands the command a ``select_view(G)`` function."""

    @click.option("--center", help="Entity (id, name or alias) whose neighbourhood to take.")
    @click.option("--hops", type=click.IntRange(0), default=1, show_default=True, help="Ties from --center.")
    @click.option("--kinds", type=_NameList("kind"), default="",
                  help="Only these entity kinds, comma-separated (Company,Platform).")
    @click.option("--rels", type=_NameList("relationship type"), default="",
                  help="Only these relationship types, comma-separated (OWNS,INVESTED_IN).")
    @click.option("--since", type=int, help="Drop ties dated before this year (undated ties stay).")
    @click.option("--until", type=int, help="Drop ties dated after this year (undated ties stay).")
    @click.option("--exclude", multiple=True, help="Leave this entity out (repeatable).")
    @click.option("--query", "cypher", help="Start from the subgraph a Cypher query returns (embedded store).")
    @click.option("--saved", help="Start from the subgraph a saved query returns (`ecograph queries`).")
    @click.option("--param", "params", type=_Assignment(), multiple=True, help="A parameter of --query/--saved.")
    @functools.wraps(command)
    def wrapper(center, hops, kinds, rels, since, until, exclude, cypher, saved, params, **kwargs):
        from ecograph.view.build import ViewRequest

        if cypher is not None and saved is not None:
            raise click.UsageError("give --query or --saved, not both")
        request = ViewRequest(center=center, hops=hops, kinds=kinds, rels=rels, since=since, until=until,
                              exclude=exclude, query=cypher, saved=saved, params=dict(params))

        def select_view(G, max_entities=None):
            from ecograph.view.build import build_view

            with _progress() as progress:
                return build_view(G, request, store_path=_store_path_of(G), max_entities=max_entities,
                                  progress=progress, warn=_echo_warning)

        select_view.rels = rels  # the types asked for: rank measures on those
        select_view.request = request  # for a title that says what is drawn
        return command(select_view=select_view, **kwargs)

    return wrapper


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("ecosystem.html"),
              show_default=True, help="The HTML file to write.")
@click.option("--lang", type=click.Choice(["en", "zh", "both"]), default="both", show_default=True, help="Label language.")
@click.option("--size-by", default="degree", show_default=True,
              help="Node size: degree, betweenness, pagerank, eigenvector, or a numeric property.")
@click.option("--color-by", type=click.Choice(["kind", "community"]), default="kind", show_default=True,
              help="Node colour: entity kind, or the Louvain camp (see `ecograph communities`).")
@click.option("--title", help="The page's title (default: the data set's own, and the entity at the centre).")
@click.option("--seed", type=int, default=42, show_default=True, help="Layout seed: the same seed gives the same map.")
@click.option("--open", "open_page", is_flag=True, help="Open the page in your browser.")
@click.option("--group-above", type=click.IntRange(1), default=5000, show_default=True,
              help="Above this many entities the map opens on camps (see `ecograph communities`), "
                   "each opened by a click or a search.")
@click.option("--no-groups", is_flag=True, help="Never group the map by camp.")
@click.option("--view", metavar="FRAGMENT",
              help="Open at this view: the part after '#' of a link the page made (or the whole link), "
                   "e.g. 'focus=alibaba&analysis=camps,alibaba,tencent'.")
@_max_entities_option
@selector_options
@data_options
def render(G, select_view, output, lang, size_by, color_by, title, seed, open_page, group_above, no_groups,
           view, max_entities):
    """Draw the network as one offline HTML page (default: the whole seed ecosystem)."""
    from ecograph.view.build import view_title
    from ecograph.view.map import write_html

    _claim_output(output, force=True)  # a page ecograph drew is redrawn; any other file is kept
    sub = select_view(G, max_entities)
    if sub.number_of_nodes() == 0:
        raise click.ClickException("the selection is empty: no entity matches these selectors")
    title = title or view_title(G, select_view.request)
    with _progress() as progress:
        path = write_html(sub, output, title=title, lang=lang, size_by=size_by, color_by=color_by, seed=seed,
                          group_above=None if no_groups else group_above, max_entities=max_entities,
                          progress=progress, view=view)
    click.echo(f"{path} ({sub.number_of_nodes()} entities, {sub.number_of_edges()} relationships)")
    if open_page:
        click.launch(str(path.resolve()))


# --- analytics ------------------------------------------------------------------------------------


def _name(e: dict) -> str:
    return f"{e['name_en']} / {e['name_zh']}" if e.get("name_zh") else e["name_en"]


def _fmt_stake(value) -> str:
    from ecograph.words import percent

    return "unknown" if value is None else percent(value)


@main.command()
@click.option("--by", type=click.Choice(["degree", "betweenness", "pagerank", "eigenvector"]), default="degree",
              show_default=True, help="The measure: hubs (degree, pagerank, eigenvector) or brokers (betweenness).")
@click.option("--kind", help="Only rank entities of this kind (Company, Platform, …).")
@click.option("--all-kinds", is_flag=True, help="Rank every entity, places, markets and policies too.")
@click.option("--context", is_flag=True, help="Measure on every tie, context ties too (markets, places, policies).")
@click.option("--top", type=click.IntRange(1), default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@selector_options
@data_options
def rank(G, select_view, by, kind, all_kinds, context, top, as_json):
    """Hubs and brokers: organisations by a centrality measure on their alliances, with score and rank.

    By default the scores count alliances (ownership, investment and deals) and the list holds
    organisations (companies, platforms, payment and financial services, research institutes);
    --kind, --all-kinds, --rels and --context change that.
    """
    from ecograph.analysis import BETWEENNESS_SAMPLE, betweenness_is_sampled
    from ecograph.analysis import rank as rank_entities

    view = select_view(G)
    rows = rank_entities(view, by, kind=kind, top=top, rels=select_view.rels, context=context,
                     all_kinds=all_kinds)
    if by == "betweenness" and betweenness_is_sampled(view):
        click.echo(f"Note: betweenness estimated from {BETWEENNESS_SAMPLE} sampled sources "
                   f"({view.number_of_nodes():,} entities).", err=True)
    if as_json:
        _echo_json(rows)
        return
    for r in rows:
        score = str(r["score"]) if by == "degree" else f"{r['score']:.4f}"
        click.echo(f"{r['rank']:>3}. {score:>8}  {_name(r)}  [{r['kind']}]  ({r['id']})")


@main.command()
@click.argument("source")
@click.argument("target")
@click.option("--max-hops", type=click.IntRange(1), default=6, show_default=True)
@click.option("--rels", type=_NameList("relationship type"), default="",
              help="Follow only these relationship types, comma-separated (default: equity and deals).")
@click.option("--context", is_flag=True, help="Follow every type, context ties too (markets, places, policies).")
@click.option("--kinds", type=_NameList("kind"), default="",
              help="Pass only through entities of these kinds, comma-separated (the ends may be any).")
@click.option("--exclude", multiple=True, help="Do not pass through this entity (repeatable).")
@click.option("--directed", is_flag=True, help="Follow ties only in the direction the data states them.")
@click.option("--all", "all_paths", is_flag=True, help="Every simple chain within --max-hops, not only the shortest.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@data_options
def path(G, source, target, max_hops, rels, context, kinds, exclude, directed, all_paths, as_json):
    """The alliance chains between two entities, each tie told as a sentence with its source.

    A chain follows alliances (ownership, investment and deals) unless --rels or --context say
    otherwise: two firms active in the same market are not allied through it.
    """
    from ecograph.analysis import paths
    from ecograph.words import entity_name, tie_sentence

    a, b = _resolve(G, source), _resolve(G, target)
    found = paths(G, a, b, max_hops=max_hops, rels=rels, context=context,
                      kinds=kinds, exclude=[_resolve(G, e) for e in exclude], directed=directed,
                      all_paths=all_paths)
    if as_json:
        _echo_json(found)
        return
    if not found:
        followed = "the given types" if rels else "any tie" if context else "alliances (equity and deals)"
        click.echo(f"No chain between {entity_name(G, a)} and {entity_name(G, b)} within {max_hops} hops "
                   f"following {followed}." + ("" if rels or context else " Add --context to follow every tie."))
        return
    for i, chain in enumerate(found, 1):
        names = [chain[0]["from"]] + [h["to"] for h in chain]
        click.echo(f"{i}. {' — '.join(entity_name(G, n) for n in names)}"
                   f"  ({len(chain)} hop{'s' if len(chain) != 1 else ''})")
        for hop in chain:
            for t in hop["ties"]:
                click.echo(f"   {tie_sentence(G, t)}")


@main.command()
@click.argument("entity")
@click.option("--via", type=_NameList("relationship type"),
              help="Relationship types to follow, comma-separated (default: the equity types; "
                   "OWNS,INVESTED_IN in the shipped data).")
@click.option("--hops", type=click.IntRange(1), default=4, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@data_options
def reach(G, entity, via, hops, as_json):
    """What an entity controls or touches, with the effective indirect stake, and its ultimate parents."""
    from ecograph.analysis import equity_types
    from ecograph.analysis import reach as reach_of
    from ecograph.data.schema import model_of
    from ecograph.words import tie_sentence

    equity_ties = equity_types(model_of(G))
    result = reach_of(G, _resolve(G, entity), via=via, hops=hops)
    if as_json:
        _echo_json(result)
        return
    click.echo(f"{_name(result['entity'])} reaches {len(result['reached'])} entities via {', '.join(result['via'])}:")
    for e in result["reached"]:
        stake = _fmt_stake(e["effective_stake"])
        if e["effective_stake"] is None and e["known_stake"] is not None:
            stake += f" (at least {_fmt_stake(e['known_stake'])})"
        click.echo(f"  {stake:>10}  {_name(e)}  [{e['kind']}]  {e['hops']} hop{'s' if e['hops'] != 1 else ''}")
        for chain in e.get("chains", []):
            for t in chain["ties"]:
                stateless = t["type"] in equity_ties and t["properties"].get("stake") is None
                click.echo(f"              {tie_sentence(G, t)}" + (" The source states no stake." if stateless else ""))
    if result["aggregated"]:
        click.echo("(Too many chains to list one by one: stakes are summed level by level; "
                   "ask for fewer --hops to see each chain with its sources.)")
    parents = result["ultimate_parents"]
    click.echo("Ultimate parent: " + (", ".join(_name(p) for p in parents) if parents else "none (nothing owns it)"))


@main.command("what-if")
@click.argument("entity")
@click.option("--remove", "remove", multiple=True, help="Take this entity away, with its ties (repeatable).")
@click.option("--remove-tie", "remove_ties", nargs=3, multiple=True, metavar="FROM TO TYPE",
              help="Take away the TYPE ties from FROM to TO (repeatable).")
@click.option("--rels", type=_NameList("relationship type"), default="",
              help="Follow only these relationship types, comma-separated (default: equity and deals).")
@click.option("--context", is_flag=True, help="Follow every type, context ties too (markets, places, policies).")
@click.option("--directed", is_flag=True, help="Follow ties only in the direction the data states them.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@data_options
def what_if(G, entity, remove, remove_ties, rels, context, directed, as_json):
    """What if an entity or a tie disappeared: who loses every chain to ENTITY, and which pairs
    are left with a longer chain."""
    from ecograph.analysis import MAX_PAIR_ENTITIES
    from ecograph.analysis import what_if as what_if_of

    anchor = _resolve(G, entity)
    if not remove and not remove_ties:
        raise click.UsageError("name what to take away: --remove ENTITY or --remove-tie FROM TO TYPE")
    ties = [(_resolve(G, u), _resolve(G, v), t) for u, v, t in remove_ties]
    result = what_if_of(G, anchor, remove=[_resolve(G, r) for r in remove], ties=ties, rels=rels,
                        context=context, directed=directed)
    if as_json:
        _echo_json(result)
        return
    gone = [_name(e) for e in result["removed"]] + [f"{t['from']} {t['type']} {t['to']}" for t in result["removed_ties"]]
    click.echo(f"Without {', '.join(gone)}:")
    click.echo(f"\n{len(result['cut_off'])} entities lose every chain to {_name(result['entity'])}")
    for e in result["cut_off"]:
        click.echo(f"  {_name(e)}  [{e['kind']}]  was {e['hops_before']} hop{'s' if e['hops_before'] != 1 else ''} away")
    if result["longer"] is None:
        click.echo(f"\n(Pairs not compared: {result['compared']:,} entities could route through what was removed; "
                   f"the limit is {MAX_PAIR_ENTITIES:,}.)")
        return
    click.echo(f"\n{len(result['longer'])} pairs are left with a longer chain")
    for p in result["longer"]:
        click.echo(f"  {p['before']} -> {p['after']} hops  {p['a']} — {p['b']}")


@main.command()
@click.argument("a")
@click.argument("b")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@data_options
def compare(G, a, b, as_json):
    """Two ecosystems side by side: shared partners, partners of one only, and the ties between them."""
    from ecograph.analysis import compare as compare_camps
    from ecograph.words import tie_sentence

    result = compare_camps(G, _resolve(G, a), _resolve(G, b))
    if as_json:
        _echo_json(result)
        return
    ea, eb = result["a"], result["b"]
    click.echo(f"{_name(ea)} (camp of {len(ea['camp'])}) vs {_name(eb)} (camp of {len(eb['camp'])})")
    click.echo(f"\nShared partners ({len(result['shared'])})")
    for s in result["shared"]:
        click.echo(f"  {_name(s)}  [{s['kind']}]")
        for t in s["ties_a"] + s["ties_b"]:
            click.echo(f"      {tie_sentence(G, t)}")
    for title, key in ((f"Only {ea['name_en']}", "only_a"), (f"Only {eb['name_en']}", "only_b")):
        click.echo(f"\n{title} ({len(result[key])})")
        for e in result[key]:
            click.echo(f"  {_name(e)}  [{e['kind']}]")
    click.echo(f"\nTies between the camps ({len(result['bridges'])})")
    for t in result["bridges"]:
        click.echo(f"  {tie_sentence(G, t)}")


@main.command()
@click.option("--resolution", type=float, default=1.0, show_default=True, help="Higher gives more, smaller camps.")
@click.option("--seed", type=int, default=42, show_default=True, help="The same seed gives the same camps.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@selector_options
@data_options
def communities(G, select_view, resolution, seed, as_json):
    """Ecosystem camps (Louvain): members, the most central entity, and the ties that bind each."""
    from ecograph.analysis import communities as find_camps

    camps = find_camps(select_view(G), resolution=resolution, seed=seed)
    if as_json:
        _echo_json(camps)
        return
    for camp in camps:
        if len(camp["members"]) < 2:
            continue
        click.echo(f"Camp {camp['id']}: {len(camp['members'])} entities, {len(camp['ties'])} ties; "
                   f"centre {_name(camp['centre'])}")
        click.echo("  " + ", ".join(m["name_en"] for m in camp["members"]))
    alone = sum(1 for camp in camps if len(camp["members"]) < 2)
    if alone:
        click.echo(f"({alone} entities belong to no camp: no ties in this selection)")


@main.command()
@click.option("--at", type=int, help="The network as of this year (ties dated up to it, and undated ones).")
@click.option("--diff", nargs=2, type=int, metavar="YEAR1 YEAR2", help="The ties that appeared after YEAR1, up to YEAR2.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Also draw it as an HTML map.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_max_entities_option
@data_options
def timeline(G, at, diff, output, as_json, max_entities):
    """The network as of a year, or what appeared between two years (dated ties)."""
    from ecograph.analysis import timeline as timeline_of
    from ecograph.analysis import timeline_graph

    if output is not None:
        _claim_output(output, force=True)  # as render: redraw ecograph's page, keep any other file
    result = timeline_of(G, at=at, diff=tuple(diff) if diff else None)
    if output is not None:
        from ecograph.view.build import view_title
        from ecograph.view.map import write_html

        sub = timeline_graph(G, at=at, diff=tuple(diff) if diff else None, max_entities=max_entities)
        if sub.number_of_nodes():
            label = f"as of {at}" if at is not None else f"{diff[0]}–{diff[1]}"
            with _progress() as progress:
                write_html(sub, output, title=f"{view_title(G)}, {label}", progress=progress)
    if as_json:
        _echo_json(result)
    elif at is not None:
        click.echo(f"As of {at}: {result['relationships']} relationships ({result['dated']} dated, "
                   f"{result['undated']} undated) among {result['entities']} entities")
    else:
        click.echo(f"{len(result['appeared'])} ties appeared after {diff[0]}, up to {diff[1]}:")
        from ecograph.words import tie_sentence

        for t in result["appeared"]:
            click.echo(f"  {t['properties'].get('date', ''):<8} {tie_sentence(G, t)}")
    if output is not None:
        click.echo(f"{output}" if Path(output).exists() else "(nothing to draw)", err=True)


@main.group()
def neo4j():
    """Work with a Neo4j server (connection from --uri/--user/--database or NEO4J_* variables)."""


@neo4j.command()
@click.option("--wipe", is_flag=True, help="First delete ecograph's own data (nodes labelled Ecograph), nothing else.")
@click.option("--batch-size", type=click.IntRange(1), default=10_000, show_default=True, help="Rows per write transaction.")
@_neo4j_options
@data_options
def push(G, wipe, batch_size, neo4j):
    """Push the graph to Neo4j: id constraint first, then batched MERGEs (pushing twice changes nothing)."""
    import sys

    from ecograph.console import unfiltered
    from ecograph.query.neo4j_backend import plan_push, push as push_graph

    total = sum(len(rows) for _, rows in plan_push(G, batch_size))
    driver = _neo4j_driver(*neo4j)
    try:
        # click draws no bar off a terminal but still prints its label there: no bar at all then.
        on_terminal = sys.stderr.isatty()
        bar = click.progressbar(length=total, label="Pushing rows", file=unfiltered(sys.stderr)) if on_terminal else None
        with bar if bar is not None else contextlib.nullcontext():
            summary = push_graph(G, driver, database=neo4j[2], wipe=wipe, batch_size=batch_size,
                                 progress=bar.update if bar is not None else None)
    finally:
        driver.close()
    click.echo(
        f"Pushed {summary.entities} entities, {summary.relationships} relationships and "
        f"{summary.observations} observations to {neo4j[0]}."
    )
    click.echo(
        f"Created {summary.nodes_created} nodes and {summary.relationships_created} relationships, "
        f"set {summary.properties_set} properties; {summary.constraints} constraints and "
        f"{summary.indexes} indexes added" + (f"; wiped {summary.nodes_deleted} nodes first." if wipe else ".")
    )


def _refuse_options_for(fmt: str, ctx: click.Context) -> None:
    """Refuse, in one line, an option given on the command line that ``fmt`` cannot honour."""
    from click.core import ParameterSource

    for name, formats in OPTION_FORMATS.items():
        if fmt not in formats and ctx.get_parameter_source(name) not in (None, ParameterSource.DEFAULT):
            raise click.ClickException(f"{_option(ctx, name)} does not apply to {fmt}; it applies to "
                                       f"{', '.join(formats)}")


@main.command()
@click.argument("fmt", metavar="FORMAT", type=click.Choice(FORMATS))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="File to write (a folder for csv and neo4j-admin).")
@click.option("--force", is_flag=True, help="Replace the output if it exists.")
@click.option("--seed", type=int, default=42, show_default=True, help="Layout seed: positions match the HTML map's.")
@click.option("--title", help="Title of a picture or deck (default: the data set's own, and the entity at the centre).")
@click.option("--width", type=click.IntRange(200), default=None,
              help="Picture width in pixels  [default: 1600, more for a view of over 32 entities, up to 24 inches].")
@click.option("--height", type=click.IntRange(200), default=None,
              help="Picture height in pixels  [default: 1000, or 5/8 of the width given].")
@click.option("--dpi", type=click.IntRange(50, 1200), default=150, show_default=True, help="Picture resolution.")
@click.option("--lang", type=click.Choice(["en", "zh", "both"]), default="both", show_default=True, help="Label language.")
@click.option("--as-picture", is_flag=True, help="pptx: draw the view as a picture, not as shapes you can edit.")
@click.option("--slide-entities", type=click.IntRange(2), default=40, show_default=True,
              help="pptx: at most this many entities on a slide (fewer if they don't fit); the rest go to an appendix.")
@_max_entities_option
@selector_options
@data_options
def export(G, select_view, fmt, output, force, seed, title, width, height, dpi, lang, as_picture, slide_entities,
           max_entities):
    """Write the network (or a selection of it) for other tools.

    \b
    png, svg     a picture for slides: the map's positions, a legend, Chinese labels
    pptx         PowerPoint: the view as shapes you can edit, key ties, sources (`ecograph deck` for several)
    graphml      for Gephi, yEd, igraph: names, kinds, types, properties, colours, positions
    gexf         for Gephi, with its viz colours, positions and sizes
    json         node-link JSON with a format version
    csv          a folder with nodes.csv and edges.csv (UTF-8 with BOM for Excel)
    html         the interactive map (as `ecograph render`)
    cypher       a Cypher script (constraints + data) for cypher-shell -f or Neo4j Browser
    neo4j-admin  header-format CSVs for `neo4j-admin database import full` (prints the command)
    """
    from ecograph.export.dispatch import ExportOptions
    from ecograph.view.build import view_title

    _refuse_options_for(fmt, click.get_current_context())
    _claim_output(output, force, folder=fmt in FOLDER_FORMATS)
    view = select_view(G, max_entities)
    if view.number_of_nodes() == 0:
        raise click.ClickException("the selection is empty: no entity matches these selectors")
    options = ExportOptions(seed=seed, title=title or view_title(G, select_view.request), width=width, height=height,
                            dpi=dpi, lang=lang, as_picture=as_picture, slide_entities=slide_entities)
    _write_export(view, fmt, output, options, names=G, max_entities=max_entities)


def _write_export(view, fmt, output, options=None, *, names=None, max_entities=None) -> None:
    """Write ``view`` in ``fmt`` to ``output`` (:func:`~ecograph.export.dispatch.write_export`) and
    say what was written, in one line."""
    from ecograph.export.dispatch import ExportOptions, write_export
    from ecograph.export.image import NO_CJK_FONT

    with _progress() as progress:
        written = write_export(view, fmt, output, options or ExportOptions(), names=names, max_entities=max_entities,
                               progress=progress)
    counts = f"{written.entities} entities, {written.relationships} relationships"
    shown = f"{output}/" if fmt in FOLDER_FORMATS else f"{output}"
    if fmt == "cypher":
        line = f"Wrote {shown} ({counts}); run it with: cypher-shell -f {output}"
    elif fmt == "neo4j-admin":
        line = f"Wrote {shown} ({counts}); with Neo4j stopped, run in that folder:\n{written.command}"
    elif fmt == "pptx":
        line = f"Wrote {shown} ({counts}; {written.slides} slides)"
    elif written.font:
        line = f"Wrote {shown} ({counts}); font: {written.font}"
    else:
        line = f"Wrote {shown} ({counts})"
    click.echo(line + (f"; {NO_CJK_FONT}" if written.lacks_cjk_font else ""))


@main.command()
@click.argument("spec", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("deck.pptx"),
              show_default=True)
@click.option("--force", is_flag=True, help="Replace the output if it exists.")
@click.option("--seed", type=int, default=42, show_default=True, help="Layout seed.")
@click.option("--lang", type=click.Choice(["en", "zh", "both"]), default="both", show_default=True, help="Label language.")
@click.option("--as-picture", is_flag=True, help="Draw each view as a picture, not as shapes you can edit.")
@click.option("--slide-entities", type=click.IntRange(2), default=40, show_default=True,
              help="At most this many entities on a view's slide (fewer if they don't fit); the rest go to an appendix.")
@_max_entities_option
@data_options
def deck(G, spec, output, force, seed, lang, as_picture, slide_entities, max_entities):
    """Several views in one PowerPoint deck, from a YAML or JSON SPEC (see the README)."""
    from ecograph.view.deck import deck_views, read_deck_spec
    from ecograph.export.image import NO_CJK_FONT
    from ecograph.export.pptx import write_pptx

    _claim_output(output, force)
    plan = read_deck_spec(spec)
    with _progress() as progress:
        views = deck_views(G, plan, store_path=_store_path_of(G), max_entities=max_entities, progress=progress,
                           warn=_echo_warning)
    written = write_pptx(views, output, title=plan.title, seed=seed, lang=lang, as_picture=as_picture,
                         max_entities=slide_entities, names=G)
    no_font = as_picture and not written.font
    click.echo(f"Wrote {output} ({written.slides} slides)" + (f"; {NO_CJK_FONT}" if no_font else ""))


@main.command()
@click.option("--nodes", type=click.IntRange(17), required=True, help="How many entities.")
@click.option("--relationships", type=click.IntRange(0), required=True, help="How many relationships.")
@click.option("--seed", type=int, default=1, show_default=True, help="The same seed writes the same files.")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="The data folder to write (use it with --data).")
@click.option("--force", is_flag=True, help="Replace the folder if it exists.")
def synth(nodes, relationships, seed, output, force):
    """Write a synthetic ecosystem in graphdata's format (passes `ecograph validate`)."""
    import time

    from ecograph.data.synth import write_synthetic

    _claim_output(output, force, folder=True)
    started = time.perf_counter()
    with _progress() as progress:
        n, m = write_synthetic(output, nodes, relationships, seed, progress=progress)
    click.echo(f"Wrote {output}/ ({n:,} entities, {m:,} relationships) in {time.perf_counter() - started:.1f} s; "
               f"use it with --data {output} --no-shipped-data")


if __name__ == "__main__":
    from ecograph.console import install_safe_streams

    install_safe_streams()
    main(prog_name="ecograph")
