"""Shared fixtures: a test database with two schools (so isolation is always in reach),
clients bound to each school's host, and a GraphQL helper.

Schools are created once per session and committed; each test runs inside a transaction
that is rolled back (pytest-django's ``db``), so tests never see each other's rows.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django_tenants.utils import schema_context

from safeguarding.services.defaults import school_defaults_install
from tenants.models import School
from tenants.schools import public_tenant_ensure, school_create, school_host


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """End-to-end tests go last: they commit what they create (a separate server process must
    see it), and the audit log's append-only rule means those rows cannot all be removed
    afterwards, so every other test runs first, on schools untouched by them."""
    items.sort(key=lambda item: "/tests/e2e/" in str(item.path).replace(os.sep, "/"))


@dataclass(frozen=True)
class SchoolSpec:
    name: str
    subdomain: str
    urn: str


ALPHA = SchoolSpec("Alpha Academy", "alpha", "100001")
BETA = SchoolSpec("Beta High School", "beta", "100002")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """Create the two test schools once, committed, on top of the migrated test database."""
    with django_db_blocker.unblock():
        public_tenant_ensure()
        for spec in (ALPHA, BETA):
            if not School.objects.filter(schema_name=spec.subdomain).exists():
                school_create(
                    defaults_install=school_defaults_install,
                    name=spec.name,
                    subdomain=spec.subdomain,
                    urn=spec.urn,
                    dsl_email=f"dsl@{spec.subdomain}.example",
                )


@pytest.fixture(autouse=True)
def _forget_resolved_schools() -> Iterator[None]:
    """Each test's rows are rolled back, which sends no signal: clear the host → school cache
    so a school changed (e.g. suspended) in one test is not remembered in the next."""
    from tenants.middleware import SchoolTenantMiddleware

    SchoolTenantMiddleware.forget()
    yield
    SchoolTenantMiddleware.forget()


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """Rate-limit counters live in Redis, outside the rolled-back transaction: start each test
    with none, so one test's requests never throttle the next (every test client shares the
    address 127.0.0.1). Only django-ratelimit's keys go; a broker on the same database keeps
    its own."""
    yield
    import redis as redis_client

    redis = redis_client.Redis.from_url(settings.REDIS_URL)
    prefix = getattr(settings, "RATELIMIT_CACHE_PREFIX", "rl:")
    keys = list(redis.scan_iter(match=f"*:{prefix}*", count=1000))
    if keys:
        redis.delete(*keys)
    redis.close()


@pytest.fixture
def school_a(db: None) -> Iterator[School]:
    school = School.objects.get(schema_name=ALPHA.subdomain)
    with school:
        yield school


@pytest.fixture
def school_b(db: None) -> School:
    school: School = School.objects.get(schema_name=BETA.subdomain)
    return school


def host_of(school: School) -> str:
    return school_host(school.schema_name)


class SchoolClient(Client):
    """A test client that talks to one school's host and can run GraphQL operations."""

    def __init__(self, school: School, **defaults: Any) -> None:
        super().__init__(HTTP_HOST=host_of(school), **defaults)
        self.school = school

    def graphql(
        self, query: str, variables: dict[str, Any] | None = None, **extra: Any
    ) -> dict[str, Any]:
        response = self.post(
            "/graphql",
            {"query": query, "variables": variables or {}},
            content_type="application/json",
            **extra,
        )
        assert response.status_code == 200, response.content
        result: dict[str, Any] = response.json()
        return result


@pytest.fixture
def client_a(school_a: School) -> SchoolClient:
    return SchoolClient(school_a)


@pytest.fixture
def client_b(school_b: School) -> SchoolClient:
    return SchoolClient(school_b)


@pytest.fixture
def in_public() -> Iterator[None]:
    with schema_context("public"):
        yield


@pytest.fixture
def committed_db(db: None) -> Iterator[None]:
    """Run the test on a fresh autocommit connection, so its writes are really committed and
    other processes (a worker, migration processes) see them. The test must clean up after
    itself; the rolled-back ``db`` transaction stays open, untouched, on the old connection.
    """
    from django.db import DEFAULT_DB_ALIAS, connections

    wrapped = connections[DEFAULT_DB_ALIAS]
    fresh = connections.create_connection(DEFAULT_DB_ALIAS)
    connections[DEFAULT_DB_ALIAS] = fresh
    try:
        yield
    finally:
        fresh.close()
        connections[DEFAULT_DB_ALIAS] = wrapped


# --- A real Celery worker -------------------------------------------------------------------


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup: None) -> Iterator[subprocess.Popen[bytes]]:
    """A real worker process on the real broker, using the test database."""
    from config.celery import app

    env = dict(os.environ)
    env["HAVEN_DATABASE_NAME"] = str(settings.DATABASES["default"]["NAME"])
    # This checkout's code, even when the virtualenv's editable install points elsewhere.
    env["PYTHONPATH"] = os.pathsep.join(
        [str(settings.BASE_DIR), str(settings.BASE_DIR / "platform")]
    )
    log_path = settings.BASE_DIR / ".haven" / "test-worker.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = log_path.open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-l",
            "info",
            "-c",
            "2",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"test-{os.getpid()}@%h",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while not app.control.ping(timeout=0.5):
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the Celery worker did not start; see {log_path}")
    yield process
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
