"""Helpers for the settings tests: an admin's and a teacher's GraphQL calls."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import SchoolClient


def call(client: SchoolClient, query: str, variables: dict[str, Any] | None = None) -> Any:
    """The first field of the answer's data; fails on any GraphQL error."""
    result = client.graphql(query, variables)
    assert "errors" not in result, result
    return next(iter(result["data"].values()))


def codes(payload: dict[str, Any]) -> list[tuple[str | None, str]]:
    return [(e["field"], e["code"]) for e in payload["errors"]]


def data_query_count(captured: CaptureQueriesContext) -> int:
    # django-tenants re-sends SET search_path before each query: not the API's cost.
    return sum(1 for q in captured.captured_queries if not q["sql"].startswith("SET search_path"))


def counted(client: SchoolClient, query: str) -> tuple[Any, int]:
    client.graphql("{ me { email } }")  # warm the host-to-school and session caches
    with CaptureQueriesContext(connection) as captured:
        data = call(client, query)
    return data, data_query_count(captured)
