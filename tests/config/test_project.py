"""The project's own shape: the stdlib is not shadowed, the exported schema is current, and
production settings pass Django's deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

from django.conf import settings

from graphql_api.management.commands.export_graphql_schema import (
    PLATFORM_SCHEMA_FILE,
    SCHEMA_FILE,
    platform_schema_sdl,
    schema_sdl,
)


def test_import_platform_is_the_standard_library() -> None:
    import platform

    stdlib = Path(sysconfig.get_paths()["stdlib"]).resolve()
    assert Path(platform.__file__).resolve().parent == stdlib
    assert callable(platform.python_version)
    assert not (settings.BASE_DIR / "platform" / "__init__.py").exists()


def test_exported_graphql_schema_is_current() -> None:
    assert SCHEMA_FILE.read_text() == schema_sdl(), (
        "graphql_api/schema.graphql is stale: run `make schema`"
    )
    assert PLATFORM_SCHEMA_FILE.read_text() == platform_schema_sdl(), (
        "graphql_api/platform.graphql is stale: run `make schema`"
    )


def test_production_settings_pass_check_deploy() -> None:
    env = {
        **os.environ,
        "HAVEN_DEBUG": "0",
        "HAVEN_SECRET_KEY": "a-long-random-production-secret-" + "k" * 40,
        "HAVEN_BASE_DOMAIN": "haven.example",
    }
    env.pop("HAVEN_SSL_REDIRECT", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
