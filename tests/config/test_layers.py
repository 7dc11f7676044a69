"""The packages read top-down: config > graphql_api > operators > safeguarding > notifications >
tenants, and no package's modules import each other in a circle.

The contracts are in pyproject.toml ([tool.importlinter]); import-linter builds the graph from
the source (imports inside functions count too), so a new upward import or cycle fails here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_no_package_imports_one_above_it_and_no_cycles() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"],
        cwd=REPO,
        # The platform/ source root holds config and operators.
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "platform")])},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
