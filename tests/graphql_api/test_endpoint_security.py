"""The GraphQL endpoint's guards: CSRF for cookie sessions, query limits, no introspection."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from safeguarding.models import Staff
from tenants.models import School
from tests.conftest import SchoolClient


def _post(client: SchoolClient, query: str, **extra: Any) -> Any:
    return client.post("/graphql", {"query": query}, content_type="application/json", **extra)


def test_cookie_session_without_csrf_token_is_refused(school_a: School) -> None:
    client = SchoolClient(school_a, enforce_csrf_checks=True)
    client.force_login(Staff.objects.get(email="dsl@alpha.example"))
    response = _post(client, "{ me { email } }")
    assert response.status_code == 403


def test_cookie_session_with_csrf_token_is_served(school_a: School) -> None:
    client = SchoolClient(school_a, enforce_csrf_checks=True)
    client.force_login(Staff.objects.get(email="dsl@alpha.example"))
    client.get("/")  # the page shell sets the CSRF cookie
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = _post(client, "{ me { email } }", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200
    assert response.json()["data"]["me"]["email"] == "dsl@alpha.example"


def test_request_without_cookies_needs_no_csrf_token(school_a: School) -> None:
    client = SchoolClient(school_a, enforce_csrf_checks=True)
    response = _post(client, "{ school { name } }")
    assert response.json() == {"data": {"school": {"name": "Alpha Academy"}}}


def test_queries_over_the_alias_limit_are_refused(client_a: SchoolClient) -> None:
    aliases = " ".join(f"a{n}: school {{ name }}" for n in range(settings.GRAPHQL_MAX_ALIASES + 1))
    result = client_a.graphql("{ " + aliases + " }")
    assert "data" not in result or result["data"] is None
    assert "aliases" in result["errors"][0]["message"]


def test_queries_over_the_depth_limit_are_refused(client_a: SchoolClient) -> None:
    # Fragments that spread each other are the classic way to build a deep document.
    depth = settings.GRAPHQL_MAX_DEPTH + 2
    query = "{ " + "school { " * depth + "name" + " }" * depth + " }"
    result = client_a.graphql(query)
    assert result.get("data") is None
    assert result["errors"]


def test_queries_over_the_token_limit_are_refused(client_a: SchoolClient) -> None:
    query = "{ " + " ".join(["school { name }"] * (settings.GRAPHQL_MAX_TOKENS // 4 + 1)) + " }"
    result = client_a.graphql(query)
    assert result.get("data") is None
    assert "token" in result["errors"][0]["message"].lower()


def test_introspection_is_off_in_production(client_a: SchoolClient) -> None:
    assert not settings.DEBUG
    result = client_a.graphql("{ __schema { types { name } } }")
    assert result.get("data") is None
    assert "introspection" in result["errors"][0]["message"].lower()


def test_queries_over_get_are_refused(client_a: SchoolClient) -> None:
    response = client_a.get("/graphql", {"query": "{ school { name } }"})
    assert response.status_code in {400, 405}


def test_production_errors_suggest_no_names(client_a: SchoolClient) -> None:
    """Introspection is off in production, so a typo must not be answered with the names it
    was close to: that would map the schema one guess at a time."""
    assert not settings.DEBUG
    misspelt = {
        "field": "{ school { nam } }",
        "argument": '{ students(serch: "a") { edges { cursor } } }',
        "type": "query($first: Itn) { students(first: $first) { edges { cursor } } }",
        "variable input field": (
            "mutation($records: [GroupRecordInput!]!) { syncGroups(records: $records) { created } }"
        ),
    }
    for kind, query in misspelt.items():
        variables = {"records": [{"kind": "YEAR", "misId": "Y7", "nme": "Year 7", "order": 7}]}
        response = client_a.post(
            "/graphql",
            {"query": query, "variables": variables if "records" in query else {}},
            content_type="application/json",
        )
        errors = response.json()["errors"]
        assert errors, kind
        for error in errors:
            assert "did you mean" not in error["message"].lower(), (kind, error["message"])
