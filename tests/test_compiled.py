"""igraph imported without its plotting (ecograph.compiled): a deck's layout no longer loads
matplotlib, and matplotlib still imports and draws afterwards in the same process."""

from __future__ import annotations

import subprocess
import sys

CODE = """
import sys
from ecograph.compiled import igraph
g = igraph().Graph.Ring(5)
assert g.vcount() == 5
assert "matplotlib" not in sys.modules, sorted(m for m in sys.modules if m.startswith("matplotlib"))
import matplotlib
matplotlib.use("Agg")
from matplotlib import pyplot as plt
fig = plt.figure()
fig.text(0.5, 0.5, "drawn")
fig.canvas.draw()
from ecograph.view.layout import layout
import networkx as nx
G = nx.MultiDiGraph()
G.add_edge("a", "b", type="OWNS")
assert set(layout(G, 42)) == {"a", "b"}
print("ok")
"""


def test_igraph_comes_without_matplotlib_and_matplotlib_still_works():
    result = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr


def test_a_deck_of_shapes_never_loads_matplotlib(tmp_path):
    code = (
        "import sys, ecograph\n"
        "from ecograph.export.pptx import write_pptx\n"
        "from ecograph.view.select import Selection, select\n"
        "G = ecograph.load()\n"
        f"write_pptx([('Alibaba', select(G, Selection(center='alibaba')))], {str(tmp_path / 'd.pptx')!r}, title='D')\n"
        "print('matplotlib' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0 and result.stdout.strip() == "False", result.stderr
