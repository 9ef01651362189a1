"""Showing the graph: selecting a subgraph, the interactive HTML map, and deck specs for slides.

The file formats (pictures, slides, GraphML, …) are in :mod:`ecograph.export`.
"""
