"""The environment variables Haven reads, found in its own source, so deployment files can be
checked against them (a misspelt name in a chart would otherwise be silently ignored)."""

from __future__ import annotations

import re

from tests.infra.conftest import INFRA, REPOSITORY

SOURCES = [
    REPOSITORY / "platform" / "config" / "settings.py",
    REPOSITORY / "platform" / "config" / "gunicorn.py",
    REPOSITORY / "platform" / "config" / "embedded.py",
    REPOSITORY / "tenants" / "management" / "commands" / "serve_metrics.py",
    INFRA / "docker-entrypoint.sh",
]
# Read by the tools themselves rather than by Haven's code.
TOOL_VARIABLES = {
    "DJANGO_SETTINGS_MODULE",
    "PROMETHEUS_MULTIPROC_DIR",
    "WEB_CONCURRENCY",
    "GUNICORN_CMD_ARGS",
    "PYTHONPATH",
}
REQUIRED = {"HAVEN_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "S3_ENDPOINT_URL"}

_PATTERNS = [
    re.compile(r"""os\.environ(?:\.get)?\s*[\[(]\s*["']([A-Z0-9_]+)["']"""),
    re.compile(r"""_env_(?:bool|int)\(\s*["']([A-Z0-9_]+)["']"""),
    re.compile(r"""\$\{([A-Z0-9_]+)(?::-|:\?|\})"""),
]


def variables_read() -> set[str]:
    names: set[str] = set(TOOL_VARIABLES)
    for source in SOURCES:
        text = source.read_text()
        for pattern in _PATTERNS:
            names.update(pattern.findall(text))
    return names
