"""Asking the graph: the embedded store (LadybugDB), the Neo4j dialect it needs, Neo4j itself,
results in one shape whichever answered, and the saved queries of ``cypher/``.
"""
