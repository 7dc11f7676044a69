"""Helpers for the sign-in tests: staff with passwords, and the GraphQL operations."""

from __future__ import annotations

from typing import Any

from safeguarding.models import Staff
from tests.conftest import SchoolClient

PASSWORD = "a long and private passphrase"

LOGIN = """
mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) {
    me { email isKeyHolder secondFactorPassed mustEnrolSecondFactor }
    secondFactorRequired
    mustEnrolSecondFactor
    errors { field code message }
  }
}
"""
ME = "{ me { email isKeyHolder secondFactorPassed mustEnrolSecondFactor } }"
VERIFY = """
mutation Verify($code: String!) {
  verifySecondFactor(code: $code) { ok errors { field code message } }
}
"""
REAUTHENTICATE = """
mutation Reauth($password: String!) {
  reauthenticate(password: $password) { ok errors { field code } }
}
"""


def staff_create(
    email: str = "teacher@alpha.example", *, password: str | None = PASSWORD, **fields: Any
) -> Staff:
    fields.setdefault("first_name", "Chloe")
    fields.setdefault("last_name", "Kelan")
    return Staff.objects.create_user(email=email, password=password, **fields)


def login(client: SchoolClient, email: str, password: str = PASSWORD) -> dict[str, Any]:
    result = client.graphql(LOGIN, {"email": email, "password": password})
    assert "errors" not in result, result
    payload: dict[str, Any] = result["data"]["login"]
    return payload


def me(client: SchoolClient) -> dict[str, Any] | None:
    result = client.graphql(ME)
    assert "errors" not in result, result
    value: dict[str, Any] | None = result["data"]["me"]
    return value


def error_codes(payload: dict[str, Any]) -> list[str]:
    return [error["code"] for error in payload["errors"]]
