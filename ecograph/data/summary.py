"""Plain-data summaries of the graph for ``ecograph info`` and ``ecograph show``.

Both functions return JSON-ready dicts; their shapes are the documented ``--json`` output
(README, "JSON output"), so keep them stable.
"""

from __future__ import annotations

from collections import Counter

import networkx as nx

from ecograph.data.schema import model_of

__all__ = ["dataset_info", "entity_details", "EDGE_META"]

# Edge attributes that are bookkeeping, not properties of the tie.
EDGE_META = ("type", "description", "source", "cited", "origin")


def dataset_info(G: nx.MultiDiGraph) -> dict:
    """Counts by label and relationship type, and the sources the data cites.

    Shape::

        {"entities": int, "relationships": int, "observations": int,
         "labels": {label: count}, "relationship_types": {type: count},
         "sections": {seed_section: relationships citing it},
         "cited": [{"id", "name_en", "name_zh", "relationships", "observations"}],
         "data_dirs": [str], "datasets": {folder: description}}

    where a description is what the folder's ``dataset.toml`` says of the data set
    (:mod:`ecograph.data.dataset`): ``{"path", "title", "title_zh", "source": {…}, "sections": {…}}``.
    """
    observations = G.graph.get("observations", [])
    labels = Counter(kind for _, kind in G.nodes(data="kind"))
    types = Counter(t for _, _, t in G.edges(data="type"))
    sections = Counter(s for _, _, s in G.edges(data="source"))
    cited_rels = Counter(c for _, _, c in G.edges(data="cited") if c)
    cited_obs = Counter(o["cited"] for o in observations if o.get("cited"))
    cited = [
        {
            "id": cid,
            "name_en": G.nodes[cid]["name_en"],
            "name_zh": G.nodes[cid].get("name_zh", ""),
            "relationships": cited_rels[cid],
            "observations": cited_obs[cid],
        }
        for cid in sorted(set(cited_rels) | set(cited_obs))
    ]
    return {
        "entities": G.number_of_nodes(),
        "relationships": G.number_of_edges(),
        "observations": len(observations),
        "labels": dict(sorted(labels.items())),
        "relationship_types": dict(sorted(types.items())),
        "sections": dict(sorted(sections.items())),
        "cited": cited,
        "data_dirs": list(G.graph.get("data_dirs", [])),
        "datasets": dict(G.graph.get("datasets") or {}),
    }


def _endpoint(G: nx.MultiDiGraph, node_id: str) -> dict:
    attrs = G.nodes[node_id]
    return {"id": node_id, "kind": attrs["kind"], "name_en": attrs["name_en"], "name_zh": attrs.get("name_zh", "")}


def _tie(G: nx.MultiDiGraph, other: str, data: dict) -> dict:
    return {
        "type": data["type"],
        "other": _endpoint(G, other),
        "properties": {k: v for k, v in data.items() if k not in EDGE_META},
        "description": data["description"],
        "source": data["source"],
        "cited": data.get("cited"),
    }


def entity_details(G: nx.MultiDiGraph, node_id: str) -> dict:
    """Everything about one entity: properties, ties out and in, its figures, and the ties and
    figures that cite it (for a study or a research institute).

    Shape::

        {"entity": {id, kind, name_en, name_zh, aliases, country, description},
         "outgoing": [tie], "incoming": [tie], "observations": [observation],
         "cited_by": {"relationships": [citing tie], "observations": [observation]}}

    where a tie is ``{"type", "other": {id, kind, name_en, name_zh}, "properties",
    "description", "source", "cited"}``, sorted by type, then the other end's id; a citing tie
    is ``{"type", "from": endpoint, "to": endpoint, "properties", "description", "source"}``.
    """
    attrs = G.nodes[node_id]
    entity = {"id": node_id, **{f.name: attrs.get(f.name) for f in model_of(G).entity_fields if f.name != "id"}}
    outgoing = [_tie(G, v, d) for _, v, d in G.out_edges(node_id, data=True)]
    incoming = [_tie(G, u, d) for u, _, d in G.in_edges(node_id, data=True)]
    order = lambda t: (t["type"], t["other"]["id"], t["properties"].get("date") or "")  # noqa: E731
    observations = [o for o in G.graph.get("observations", []) if o["subject"] == node_id]
    citing = [
        {"type": d["type"], "from": _endpoint(G, u), "to": _endpoint(G, v),
         "properties": {k: val for k, val in d.items() if k not in EDGE_META},
         "description": d["description"], "source": d["source"]}
        for u, v, d in G.edges(data=True) if d.get("cited") == node_id
    ]
    citing.sort(key=lambda t: (t["source"], t["type"], t["from"]["id"], t["to"]["id"]))
    return {
        "entity": entity,
        "outgoing": sorted(outgoing, key=order),
        "incoming": sorted(incoming, key=order),
        "observations": observations,
        "cited_by": {
            "relationships": citing,
            "observations": [o for o in G.graph.get("observations", []) if o.get("cited") == node_id],
        },
    }
