"""`make drill`: the restore drill of infra/BACKUP.md, run for real (pgBackRest, PostgreSQL)."""

from __future__ import annotations

import subprocess

from tests.infra.conftest import INFRA


def test_point_in_time_recovery_and_one_school_restore() -> None:
    result = subprocess.run(
        ["bash", str(INFRA / "backup" / "drill.sh")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "rows after the restore: before-backup,kept-1,kept-2\n" in result.stdout
    assert "drill: PASSED" in result.stdout
