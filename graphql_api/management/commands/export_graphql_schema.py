"""Write the APIs' SDL: the school API to graphql_api/schema.graphql (the front end's types
come from it) and the operator API to graphql_api/platform.graphql. A test fails when either
file is stale."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"
PLATFORM_SCHEMA_FILE = Path(__file__).resolve().parents[2] / "platform.graphql"


def schema_sdl() -> str:
    from graphql_api.schema import schema

    return schema.as_str().rstrip() + "\n"


def platform_schema_sdl() -> str:
    from graphql_api.platform import platform_schema

    return platform_schema.as_str().rstrip() + "\n"


class Command(BaseCommand):
    help = "Export the GraphQL schemas to graphql_api/schema.graphql and platform.graphql."

    def handle(self, *args: Any, **options: Any) -> None:
        SCHEMA_FILE.write_text(schema_sdl())
        PLATFORM_SCHEMA_FILE.write_text(platform_schema_sdl())
        self.stdout.write(f"Wrote {SCHEMA_FILE} and {PLATFORM_SCHEMA_FILE}")
