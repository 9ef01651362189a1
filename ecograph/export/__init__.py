"""Exports: one module per format, each with ``write_<fmt>(G, path)``.

Like networkx's ``readwrite``: :mod:`ecograph.export.cypher` writes a Cypher script
(``write_cypher``), :mod:`ecograph.export.neo4j_admin` the CSV files of ``neo4j-admin database
import`` (``write_neo4j_admin``). Each writes atomically, as UTF-8, from the same rows the stores
load (:mod:`ecograph.query.rows`). Import the module for the format you need; this package imports none.
"""
