"""Benchmark: what resolving the school from the Host costs on every request.

Prints the ratio of a school-host request to the same view served without tenant resolution
(the connection already set to the school). Goal: <= 1.10x. Prints; asserts no time.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.test import Client, override_settings

from tenants.models import School
from tests.conftest import host_of

ROUNDS = 15
REQUESTS_PER_ROUND = 40


def _per_request(fetch: Callable[[], object]) -> float:
    started = time.perf_counter()
    for _ in range(REQUESTS_PER_ROUND):
        fetch()
    return (time.perf_counter() - started) / REQUESTS_PER_ROUND


def test_school_host_request_vs_no_tenant_resolution(school_a: School) -> None:
    with_resolution = Client(HTTP_HOST=host_of(school_a))
    without_resolution = Client(HTTP_HOST=host_of(school_a))
    plain_middleware = [m for m in settings.MIDDLEWARE if not m.endswith("SchoolTenantMiddleware")]

    def resolved() -> object:
        response = with_resolution.get("/")
        assert response.status_code == 200
        return response

    def unresolved() -> object:
        response = without_resolution.get("/")
        assert response.status_code == 200
        return response

    def unresolved_round() -> float:
        with override_settings(MIDDLEWARE=plain_middleware):
            connection.set_tenant(school_a)  # type: ignore[attr-defined]
            return _per_request(unresolved)

    resolved()
    unresolved_round()  # warm caches and templates
    ratios = []
    for _ in range(ROUNDS):
        ratios.append(_per_request(resolved) / unresolved_round())
    ratio = statistics.median(ratios)
    print(
        "\nschool-host request vs same view without tenant resolution: "
        f"{ratio:.2f}x (goal <= 1.10x)"
    )
    assert ratios  # the measurement ran
