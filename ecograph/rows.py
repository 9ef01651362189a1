"""The graph as rows for a graph database: what the embedded store and Neo4j both load.

One function per record type turns the loaded graph ``G`` into plain rows whose keys are the
store properties of :mod:`ecograph.schema` (every key present; unset values are ``None``). The
embedded store copies them in bulk, ``neo4j push`` sends them in batches, and the Cypher and
neo4j-admin exports write them out, so all four hold exactly the same graph.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from ecograph import schema

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["entity_rows", "relationship_rows", "observation_rows", "observation_links", "relationship_key"]


def entity_rows(G: nx.MultiDiGraph) -> dict[str, list[dict[str, Any]]]:
    """Entity rows by label, in the graph's node order."""
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for node_id, attrs in G.nodes(data=True):
        row = {p.name: attrs.get(p.name) for p in schema.NODE_PROPERTIES}
        row["id"] = node_id
        row["name"] = attrs.get("name_en")
        row["aliases"] = list(attrs.get("aliases") or [])
        rows[attrs["kind"]].append(row)
    return dict(rows)


def relationship_key(from_id: str, rel_type: str, to_id: str, date: str | None) -> str:
    """What identifies a tie (the validator allows one per ends, type and date): Neo4j MERGEs on it."""
    return f"{from_id}|{rel_type}|{to_id}|{date or ''}"


def relationship_rows(G: nx.MultiDiGraph) -> dict[tuple[str, str, str], list[dict[str, Any]]]:
    """Tie rows grouped by (type, source label, target label), each with ``from``, ``to`` and ``key``."""
    rows: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    kinds = G.nodes
    for u, v, attrs in G.edges(data=True):
        row: dict[str, Any] = {"from": u, "to": v, "key": relationship_key(u, attrs["type"], v, attrs.get("date"))}
        row.update({p.name: attrs.get(p.name) for p in schema.RELATIONSHIP_PROPERTIES})
        rows[(attrs["type"], kinds[u]["kind"], kinds[v]["kind"])].append(row)
    return dict(rows)


def observation_rows(G: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Observation rows in file order; ids are ``subject/metric/period`` (``/2`` … on repeats)."""
    rows = []
    seen: dict[str, int] = defaultdict(int)
    for obs in G.graph.get("observations", ()):
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
    links: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for obs in observations:
        links[G.nodes[obs["subject"]]["kind"]].append({"from": obs["subject"], "to": obs["id"]})
    return dict(links)
