"""Fixtures for API-client calls: a token maker and the Authorization header."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from safeguarding.models import Staff
from safeguarding.services.api_clients import api_client_create
from tenants.models import School
from tests.safeguarding.factories import admin_request

MakeToken = Callable[..., str]
ALL_SYNC_SCOPES = ("pupils:write", "staff:write", "groups:write")


def school_dsl() -> Staff:
    return Staff.objects.get(email__startswith="dsl@")


@pytest.fixture
def make_token(school_a: School) -> MakeToken:
    """A new API client at school A; returns its token."""

    def make(*scopes: str, name: str = "Arbor sync") -> str:
        admin = school_dsl()
        return api_client_create(
            actor=admin,
            name=name,
            scopes=scopes or ALL_SYNC_SCOPES,
            request=admin_request(admin),
        ).token

    return make


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}
