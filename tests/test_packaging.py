"""The installed package: console script, shipped data inside it, lazy heavy imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path(sys.executable).parent / "ecograph"
HEAVY = ("networkx", "pyvis", "neo4j", "ladybug", "opencc", "pandas", "pyarrow", "igraph", "matplotlib", "pptx", "yaml")


def _run(args, cwd):
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, encoding="utf-8", check=False)


@pytest.fixture(scope="module")
def script():
    if not SCRIPT.exists():
        pytest.fail(f"console script {SCRIPT} not found: install the package with pip install '.[test]'")
    return str(SCRIPT)


def test_console_script_works_from_any_directory(script, tmp_path):
    result = _run([script, "show", "alibaba", "--json"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["entity"]["name_zh"] == "阿里巴巴"
    info = json.loads(_run([script, "info", "--json"], cwd=tmp_path).stdout)
    package = Path(_run([sys.executable, "-c", "import ecograph; print(ecograph.__file__)"], cwd=tmp_path).stdout.strip())
    if package.parent == ROOT / "ecograph":  # an editable install reads the checkout's data
        assert info["data_dirs"] == [str(ROOT / "graphdata")]
    else:  # a real install reads the copy inside the package, not the checkout's
        assert info["data_dirs"] == [str(package.parent / "_data" / "graphdata")]


def test_console_script_behaves_like_cli_py(script, tmp_path):
    for args in (["--version"], ["--help"], ["search", "腾讯"], ["show", "nosuch-co"]):
        installed = _run([script, *args], cwd=tmp_path)
        checkout = _run([sys.executable, str(ROOT / "cli.py"), *args], cwd=tmp_path)
        assert (installed.returncode, installed.stdout, installed.stderr) == (
            checkout.returncode, checkout.stdout, checkout.stderr,
        ), args
        # python -m ecograph runs the console script's own function (ecograph.__main__.main): one
        # command that reads the data and one that fails show it is the same program.
        if args[0] in ("search", "show"):
            as_module = _run([sys.executable, "-m", "ecograph", *args], cwd=ROOT)
            assert (installed.returncode, installed.stdout, installed.stderr) == (
                as_module.returncode, as_module.stdout, as_module.stderr), args


def test_saved_queries_are_installed(tmp_path):
    code = "import ecograph.data.graphdata as g; print(sorted(p.name for p in (g.shipped_data_dir().parent / 'cypher').glob('*.cypher')))"
    installed = _run([sys.executable, "-c", code], cwd=tmp_path)
    assert installed.stdout.strip() == str(sorted(p.name for p in (ROOT / "cypher").glob("*.cypher")))


def test_help_imports_no_heavy_library():
    code = (
        "import sys, cli\n"
        "try:\n    cli.main(['--help'])\nexcept SystemExit:\n    pass\n"
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    result = _run([sys.executable, "-c", code], cwd=ROOT)
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_the_map_page_is_whole_from_an_installed_package(script, tmp_path):
    """The map's script and style ship as files in the package (templates/), inlined at render:
    an install that left one out would draw a page without it. CI installs the wheel, so there
    this reads the installed copy."""
    result = _run([script, "render", "--center", "alibaba", "-o", "map.html"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "map.html").read_text(encoding="utf-8")
    code = "import ecograph.view.map as r, pathlib; print(pathlib.Path(r.__file__).parent / 'templates')"
    folder = Path(_run([sys.executable, "-c", code], cwd=tmp_path).stdout.strip())
    names = ["map.css", "map-search.js", "map-view.js", "map-legend.js", "map-page.js"]
    for name in names:
        assert (folder / name).read_text(encoding="utf-8").strip() in page, name
    assert "{{" not in page.split('id="ecograph-data"')[0]  # every placeholder filled
