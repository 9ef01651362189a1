"""Every saved query passes Neo4j's own parser (../shared/tools/neo4j-cypher-lint)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from ecograph.schema import KINDS, REL_TYPES

ROOT = Path(__file__).resolve().parents[1]
LINT = ROOT.parent / "shared" / "tools" / "neo4j-cypher-lint" / "neo4j-cypher-lint"
QUERIES = sorted((ROOT / "cypher").glob("*.cypher"))


@pytest.mark.skipif(not LINT.exists(), reason="neo4j-cypher-lint lives in ../shared/tools beside the repository")
@pytest.mark.skipif(shutil.which("node") is None, reason="neo4j-cypher-lint needs Node.js (.ci/run installs it)")
def test_saved_queries_pass_neo4j_lint():
    assert QUERIES, "cypher/ has no saved queries"
    result = subprocess.run(
        [str(LINT), "--strict", "--labels", ",".join(KINDS), "--types", ",".join(REL_TYPES), *map(str, QUERIES)],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"0 error(s), 0 warning(s) in {len(QUERIES)} file(s)" in result.stdout
