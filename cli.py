"""The ecograph command line: parse options, call one library function, print the result.

Installed as the ``ecograph`` console script; ``python cli.py`` behaves the same.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import click

import ecograph
from ecograph.errors import DataError, EcographError


def _fail(e: EcographError) -> click.ClickException:
    if isinstance(e, DataError):
        n = len(e.problems)
        return click.ClickException(f"{n} problem{'s' if n != 1 else ''} in the data; nothing was loaded.\n{e}")
    return click.ClickException(str(e))


def data_options(command):
    """Add --data/--no-shipped-data to a command and hand it the loaded graph as ``G``."""

    @click.option(
        "--data",
        "data_dirs",
        multiple=True,
        type=click.Path(file_okay=False, path_type=str),
        envvar="ECOGRAPH_DATA",
        help="Your own graphdata folder; adds to the shipped data (repeatable). Env: ECOGRAPH_DATA.",
    )
    @click.option(
        "--no-shipped-data",
        is_flag=True,
        help="Use only the --data folders, not the shipped seed data.",
    )
    @functools.wraps(command)
    def wrapper(data_dirs, no_shipped_data, **kwargs):
        from ecograph.graphdata import load

        try:
            G = load(data_dirs, include_shipped=not no_shipped_data)
        except EcographError as e:
            raise _fail(e) from e
        return command(G, **kwargs)

    return wrapper


def _dir_label(path: str) -> str:
    from ecograph.graphdata import shipped_data_dir

    return "graphdata (shipped)" if Path(path) == shipped_data_dir() else path


def _echo_json(value) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def _resolve(G, text: str) -> str:
    from ecograph.search import resolve_entity

    try:
        return resolve_entity(G, text)
    except EcographError as e:
        raise _fail(e) from e


def _fmt_value(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(ecograph.__version__, prog_name="ecograph")
def main():
    """ecograph — explore the alliance network of China's e-commerce ecosystem.

    Who invests in whom, who partners, delivers and pays for whom: a sourced graph built
    from the 2015 TIER report, which you can extend with your own data (--data DIR).
    """


@main.command()
@data_options
def validate(G):
    """Check the data files; print a summary, or every problem found (exit 1)."""
    dirs = ", ".join(_dir_label(d) for d in G.graph["data_dirs"])
    click.echo(
        f"OK: {G.number_of_nodes()} entities, {G.number_of_edges()} relationships, "
        f"{len(G.graph['observations'])} observations in {dirs}"
    )


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON (shape documented in the README).")
@data_options
def info(G, as_json):
    """Counts by label and relationship type, and the sources cited."""
    from ecograph.summary import dataset_info

    summary = dataset_info(G)
    if as_json:
        _echo_json(summary)
        return
    click.echo(
        f"{summary['entities']} entities, {summary['relationships']} relationships, "
        f"{summary['observations']} observations"
    )
    click.echo(f"Data: {', '.join(_dir_label(d) for d in summary['data_dirs'])}")
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
            f"  {c['id']:<32}{c['name_en']} / {c['name_zh']}: "
            f"{c['relationships']} relationships, {c['observations']} figures"
        )


def _tie_line(t: dict, outgoing: bool) -> str:
    props = ", ".join(f"{k}: {_fmt_value(v)}" for k, v in t["properties"].items() if k != "year")
    rel = f"[{t['type']}{' {' + props + '}' if props else ''}]"
    other = f"{t['other']['name_en']} / {t['other']['name_zh']} ({t['other']['id']})"
    arrow = f"-{rel}-> {other}" if outgoing else f"<-{rel}- {other}"
    cited = f"; cites {t['cited']}" if t["cited"] else ""
    return f"  {arrow}\n      {t['description']}  [source: {t['source']}{cited}]"


@main.command()
@click.argument("entity")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (shape documented in the README).")
@data_options
def show(G, entity, as_json):
    """An entity's properties and every relationship in and out, with sources.

    ENTITY is an id, an English or Chinese name, or an alias.
    """
    from ecograph.summary import entity_details

    details = entity_details(G, _resolve(G, entity))
    if as_json:
        _echo_json(details)
        return
    e = details["entity"]
    click.echo(f"{e['name_en']} / {e['name_zh']}  [{e['kind']}]  id: {e['id']}")
    if e["aliases"]:
        click.echo(f"Aliases: {', '.join(e['aliases'])}")
    click.echo(f"Country/region: {e['country']}")
    click.echo(e["description"])
    for title, ties, outgoing in (("Outgoing", details["outgoing"], True), ("Incoming", details["incoming"], False)):
        if ties:
            click.echo(f"\n{title} ({len(ties)})")
            for t in ties:
                click.echo(_tie_line(t, outgoing))
    if details["observations"]:
        click.echo(f"\nFigures ({len(details['observations'])})")
        for o in details["observations"]:
            value = o.get("text") or f"{_fmt_value(o['value'])} {o['unit']}"
            table = f"{o['table']} " if o.get("table") else ""
            cited = f"; cites {o['cited']}" if o.get("cited") else ""
            click.echo(f"  {o['period']:<11}{o['metric']} = {value} ({o['basis']})  [{table}{o['source']}{cited}]")


@main.command()
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (shape documented in the README).")
@data_options
def search(G, text, as_json):
    """Find entities by id, name or alias (any case, width, Simplified or Traditional)."""
    from ecograph.search import search_entities

    hits = search_entities(G, text)
    if as_json:
        _echo_json([h.as_dict() for h in hits])
        return
    if not hits:
        click.echo(f"No entity matches {text!r}.")
        return
    for h in hits:
        click.echo(f"{h.id:<36}{h.kind:<18}{h.name_en} / {h.name_zh}  ({h.how}: {h.matched})")


@main.command()
def schema():
    """Print the data model (labels, relationship types, properties, units) as Markdown."""
    from ecograph.schema import data_model_markdown

    click.echo(data_model_markdown(), nl=False)


if __name__ == "__main__":
    main(prog_name="ecograph")
