"""Strategic analytics on the alliance graph: hubs, chains, reach and ecosystem comparison.

Every function takes a graph shaped like ``ecograph.load()``'s (or a selection of it) and
returns plain data (lists and dicts), ready for JSON or a table. networkx is the model
implementation here; igraph computes what must be fast at a million ties.

Ties are read in both directions for centrality, chains and comparison (an alliance is a tie
whichever way the report states it) unless ``directed`` is asked for; reach follows the
direction of ownership and investment.

One module per question, all re-exported here (``from ecograph.analysis import rank``):

- :mod:`~ecograph.analysis.centrality`: ``scores``, ``rank`` (hubs and brokers)
- :mod:`~ecograph.analysis.chains`: ``paths`` (alliance chains between two entities)
- :mod:`~ecograph.analysis.ownership`: ``reach``, ``ultimate_parents`` (stakes along equity ties)
- :mod:`~ecograph.analysis.camps`: ``compare``, ``communities``, ``community_of``, ``camp_membership``
- :mod:`~ecograph.analysis.history`: ``timeline``, ``timeline_graph``
- :mod:`~ecograph.analysis.whatif`: ``what_if`` (what removing entities or ties cuts off or lengthens)
- :mod:`~ecograph.analysis.common`: what they share (``AnalysisError``, the entity and tie
  records they return, the checks of kinds and types)

A new analysis is a new module here, re-exported below, with its command in ``cli.py``.
"""

from __future__ import annotations

from ecograph.analysis.camps import camp_membership, communities, community_of, compare
from ecograph.analysis.centrality import (
    BETWEENNESS_SAMPLE,
    EXACT_BETWEENNESS_LIMIT,
    METRICS,
    betweenness_is_sampled,
    rank,
    scores,
)
from ecograph.analysis.chains import MAX_CHAINS_LISTED, paths
from ecograph.analysis.common import EQUITY_TYPES, AnalysisError, chain_types, equity_types
from ecograph.analysis.history import timeline, timeline_graph
from ecograph.analysis.ownership import MAX_CHAINS, reach, ultimate_parents
from ecograph.analysis.whatif import MAX_PAIR_ENTITIES, what_if

__all__ = [
    "METRICS",
    "EQUITY_TYPES",
    "equity_types",
    "AnalysisError",
    "scores",
    "rank",
    "betweenness_is_sampled",
    "chain_types",
    "paths",
    "reach",
    "ultimate_parents",
    "compare",
    "camp_membership",
    "communities",
    "timeline",
    "timeline_graph",
    "community_of",
    "BETWEENNESS_SAMPLE",
    "EXACT_BETWEENNESS_LIMIT",
    "MAX_CHAINS",
    "MAX_CHAINS_LISTED",
    "what_if",
    "MAX_PAIR_ENTITIES",
]
