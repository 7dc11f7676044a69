"""Errors a client of ``/graphql`` can read: a JSON answer with a code for a body over the
limit (never Django's HTML page), a format for a bad date, and no cached answer."""

from __future__ import annotations

import json
from typing import Any

import pytest
from graphql import get_introspection_query, parse, validate
from pytest_django.fixtures import Settings as SettingsWrapper

from graphql_api.schema import _validation_rules, schema
from tests.conftest import SchoolClient

ADD = """mutation($input: AddIncidentInput!) { addIncident(input: $input) {
    errors { field code message } } }"""


@pytest.mark.parametrize("debug", [False, True])
def test_a_body_over_the_limit_gets_a_json_error_with_a_code(
    client_a: SchoolClient, settings: SettingsWrapper, debug: bool
) -> None:
    settings.DEBUG = debug
    text = "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client_a.post(
        "/graphql",
        json.dumps({"query": ADD, "variables": {"input": {"text": text}}}),
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "data": None,
        "errors": [
            {"message": "The request is too large.", "extensions": {"code": "request_too_large"}}
        ],
    }
    assert response["Cache-Control"] == "no-store"


def test_a_declared_length_over_the_limit_gets_the_same_error(
    client_a: SchoolClient, settings: SettingsWrapper
) -> None:
    settings.GRAPHQL_MAX_REQUEST_BYTES = 1024
    response = client_a.post(
        "/graphql",
        {"query": "{ school { name } }", "padding": "a" * 2048},
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"] == {"code": "request_too_large"}


def test_graphql_answers_are_never_cached(client_a: SchoolClient) -> None:
    response = client_a.post(
        "/graphql", {"query": "{ school { name } }"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def _messages(result: dict[str, Any]) -> str:
    return " ".join(error["message"] for error in result["errors"])


@pytest.mark.parametrize("value", ["yesterday", "2026-13-45T25:61:00", "2026-02-30T09:00:00Z"])
def test_a_bad_date_and_time_says_which_format_is_expected(
    client_a: SchoolClient, value: str
) -> None:
    as_variable = client_a.graphql(
        ADD,
        {"input": {"studentId": "1", "text": "x", "categoryIds": [], "occurredAt": value}},
    )
    inline = client_a.graphql(
        'mutation { addIncident(input: {studentId: "1", text: "x", categoryIds: [], '
        f'occurredAt: "{value}"}}) {{ errors {{ code }} }} }}'
    )
    for result in (as_variable, inline):
        messages = _messages(result)
        assert "Expected an ISO 8601 date and time such as 2026-12-03T09:30:00Z." in messages
        # Nothing of Python's own wording.
        for python_text in ("invalid literal", "must be in", "isoformat", "day is out of range"):
            assert python_text not in messages


def _nested_introspection(levels: int) -> str:
    """``__type { fields { type { fields { type ... } } } }``: each level multiplies the work."""
    inner = "name"
    for _ in range(levels):
        inner = f"fields {{ type {{ {inner} }} }}"
    return f'{{ __type(name: "Query") {{ {inner} }} }}'


def test_the_depth_limit_counts_introspection_when_it_is_on(settings: SettingsWrapper) -> None:
    settings.DEBUG = True  # HAVEN_DEBUG=1: introspection on, for GraphiQL
    rules = _validation_rules()
    deep = _nested_introspection(settings.GRAPHQL_MAX_DEPTH)
    errors = validate(schema._schema, parse(deep), rules)
    assert any("exceeds maximum operation depth" in error.message for error in errors), errors
    # GraphiQL's own introspection query still works.
    assert validate(schema._schema, parse(get_introspection_query(descriptions=True)), rules) == []
