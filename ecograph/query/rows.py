"""The graph as rows for a graph database: what the embedded store and Neo4j both load.

One function per record type turns the loaded graph ``G`` into plain rows whose keys are the
store properties of :mod:`ecograph.data.schema` (every key present; unset values are ``None``). The
embedded store copies them in bulk, ``neo4j push`` sends them in batches, and the Cypher and
neo4j-admin exports write them out, so all four hold exactly the same graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ecograph.data import schema

if TYPE_CHECKING:
    import networkx as nx

    from ecograph.data.graphdata import Dataset

__all__ = [
    "entity_columns",
    "relationship_columns",
    "entity_rows",
    "relationship_rows",
    "observation_rows",
    "observation_links",
    "relationship_key",
    "dataset_tables",
    "StoreTables",
    "arrow_type",
]


Columns = dict[str, list[Any]]


def entity_columns(G: nx.MultiDiGraph) -> dict[str, Columns]:
    """Entity properties by label, as columns (one list per store property, in graph order)."""
    return _entity_columns(G.nodes(data=True), schema.model_of(G))


def _entity_columns(entities: Iterable[tuple[str, Mapping[str, Any]]], model: schema.Model) -> dict[str, Columns]:
    by_kind: dict[str, tuple[list[str], list[Mapping[str, Any]]]] = defaultdict(lambda: ([], []))
    for node_id, attrs in entities:
        ids, attr_list = by_kind[attrs["kind"]]
        ids.append(node_id)
        attr_list.append(attrs)
    out: dict[str, Columns] = {}
    for kind, (ids, attr_list) in by_kind.items():
        columns: Columns = {"id": ids, "name": [a.get("name_en") for a in attr_list]}
        for p in model.node_properties:
            if p.name not in columns:
                columns[p.name] = _column(attr_list, p.name)
        columns["aliases"] = [list(a) if a else [] for a in columns["aliases"]]
        out[kind] = columns
    return out


def relationship_columns(G: nx.MultiDiGraph) -> dict[tuple[str, str, str], Columns]:
    """Tie properties grouped by (type, source label, target label), as columns with ``from``
    and ``to``. The embedded store copies these straight into LadybugDB.

    One pass over the adjacency, reading each edge's attributes while they are in cache: on a
    1M-edge graph this is twice as fast as a pass per column.
    """
    kinds = dict(G.nodes(data="kind"))
    names = [p.name for p in schema.model_of(G).relationship_properties]
    groups: dict[tuple[str, str, str], list[list[Any]]] = {}
    for u, neighbours in G.adj.items():
        u_kind = kinds[u]
        for v, keyed in neighbours.items():
            v_kind = kinds[v]
            for attrs in keyed.values():
                group = (attrs["type"], u_kind, v_kind)
                columns = groups.get(group)
                if columns is None:
                    columns = groups[group] = [[] for _ in range(len(names) + 2)]
                columns[0].append(u)
                columns[1].append(v)
                get = attrs.get
                for column, name in zip(columns[2:], names):
                    column.append(get(name))
    return {group: dict(zip(["from", "to", *names], columns)) for group, columns in groups.items()}


def _column(attr_list: list[dict[str, Any]], name: str) -> list[Any]:
    return [a.get(name) for a in attr_list]


def _as_rows(columns: Columns) -> list[dict[str, Any]]:
    names = list(columns)
    return [dict(zip(names, values)) for values in zip(*columns.values())]


def entity_rows(G: nx.MultiDiGraph) -> dict[str, list[dict[str, Any]]]:
    """Entity rows by label, in the graph's node order (what Neo4j pushes and exports write)."""
    return {kind: _as_rows(columns) for kind, columns in entity_columns(G).items()}


def relationship_key(from_id: str, rel_type: str, to_id: str, date: str | None) -> str:
    """What identifies a tie (the validator allows one per ends, type and date): Neo4j MERGEs on it."""
    return f"{from_id}|{rel_type}|{to_id}|{date or ''}"


def relationship_rows(G: nx.MultiDiGraph) -> dict[tuple[str, str, str], list[dict[str, Any]]]:
    """Tie rows grouped by (type, source label, target label), each with ``from``, ``to`` and
    ``key`` (the identity Neo4j MERGEs on)."""
    out = {}
    for (rel_type, source, target), columns in relationship_columns(G).items():
        rows = _as_rows(columns)
        for row in rows:
            row["key"] = relationship_key(row["from"], rel_type, row["to"], row["date"])
        out[(rel_type, source, target)] = rows
    return out


def observation_rows(G: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Observation rows in file order; ids are ``subject/metric/period`` (``/2`` … on repeats)."""
    return _observation_rows(G.graph.get("observations", ()))


def _observation_rows(observations: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    seen: dict[str, int] = defaultdict(int)
    for obs in observations:
        base = f"{obs['subject']}/{obs['metric']}/{obs['period']}"
        seen[base] += 1
        row = {p.name: obs.get(p.name) for p in schema.OBSERVATION_PROPERTIES}
        row["id"] = base if seen[base] == 1 else f"{base}/{seen[base]}"
        row["name"] = f"{obs['metric']} {obs['period']}"
        row["year"] = int(obs["period"][:4])
        rows.append(row)
    return rows


def observation_links(G: nx.MultiDiGraph, observations: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """``HAS_OBSERVATION`` rows (``from`` subject, ``to`` observation id) by the subject's label."""
    return _observation_links(G.nodes, observations)


def _observation_links(
    entities: Mapping[str, Mapping[str, Any]], observations: list[dict[str, Any]]
) -> dict[str, list[dict[str, Any]]]:
    links: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for obs in observations:
        links[entities[obs["subject"]]["kind"]].append({"from": obs["subject"], "to": obs["id"]})
    return dict(links)


# --- the same rows from a checked data set, for the store: no graph needed -------------------------


def dataset_tables(dataset: Dataset) -> StoreTables:
    """What the embedded store copies, straight from a checked data set (no graph is built):
    at a million relationships the columns come from Arrow without a Python object per cell."""
    observations = _observation_rows(dataset.observations)
    return StoreTables(
        entities=_entity_columns(dataset.entities.items(), dataset.model),
        observations=observations,
        links=_observation_links(dataset.entities, observations),
        relationships=_relationship_groups(_relationship_table(dataset), dataset.model),
    )


@dataclass
class StoreTables:
    """The store's input: entity columns and observation rows by label, and an Arrow table per
    (type, source label, target label) with ``from``, ``to`` and the relationship properties."""

    entities: dict[str, Columns]
    observations: list[dict[str, Any]]
    links: dict[str, list[dict[str, Any]]]
    relationships: Iterator[tuple[tuple[str, str, str], Any]]


def _relationship_table(dataset: Dataset) -> Any:
    """The data set's relationships as an Arrow table (made from the records when the row reader
    checked them)."""
    import pyarrow as pa

    if dataset.relationship_table is not None:
        return dataset.relationship_table
    records = dataset.relationships
    kinds = {entity_id: e["kind"] for entity_id, e in dataset.entities.items()}
    columns: Columns = {name: [r.get(name) for r in records] for name in ("from", "to", "type")}
    columns["from_kind"] = [kinds[r["from"]] for r in records]
    columns["to_kind"] = [kinds[r["to"]] for r in records]
    from ecograph.data.graphdata import DERIVED

    properties = dataset.model.relationship_properties
    for p in properties:
        value = DERIVED.get(p.name, lambda r, name=p.name: r.get(name))  # year comes from date
        columns[p.name] = [value(r) for r in records]
    types = {p.name: p.ladybug for p in properties}
    return pa.table({name: pa.array(values, arrow_type(types.get(name, "STRING"))) for name, values in columns.items()})


def _relationship_groups(table: Any, model: schema.Model) -> Iterator[tuple[tuple[str, str, str], Any]]:
    """The table's rows grouped by (type, source label, target label), each group a table of
    ``from``, ``to`` and the relationship properties: one sort, then zero-copy slices."""
    import pyarrow.compute as pc

    if not table.num_rows:
        return
    key = pc.binary_join_element_wise(table["type"], table["from_kind"], table["to_kind"], "\x1f")
    order = pc.sort_indices(key)
    runs = pc.run_end_encode(key.take(order).combine_chunks())
    names = ["from", "to", *(p.name for p in model.relationship_properties)]
    ordered = table.select(names).take(order)
    start = 0
    for group, end in zip(runs.values.to_pylist(), runs.run_ends.to_pylist()):
        rel_type, source, target = group.split("\x1f")
        yield (rel_type, source, target), ordered.slice(start, end - start)
        start = end


def arrow_type(ladybug: str) -> Any:
    """The Arrow type of a LadybugDB column type (what COPY reads it from)."""
    import pyarrow as pa

    return {"STRING": pa.string(), "DOUBLE": pa.float64(), "INT64": pa.int64(), "STRING[]": pa.list_(pa.string())}[ladybug]
