"""Write the school API's SDL to graphql_api/schema.graphql (the front end's types come
from it; a test fails when the file is stale)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"


def schema_sdl() -> str:
    from graphql_api.schema import schema

    return schema.as_str().rstrip() + "\n"


class Command(BaseCommand):
    help = "Export the GraphQL schema to graphql_api/schema.graphql."

    def handle(self, *args: Any, **options: Any) -> None:
        SCHEMA_FILE.write_text(schema_sdl())
        self.stdout.write(f"Wrote {SCHEMA_FILE}")
