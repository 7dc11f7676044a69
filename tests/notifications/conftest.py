"""Fixtures for e-mail delivery with real parts.

A worker process can only deliver rows it can see, so the delivery tests commit their rows
instead of running inside pytest-django's rolled-back transaction (``db``). pytest-django's
own ``transactional_db`` would flush every table afterwards, the public ones included, and
with them the two schools the whole session relies on. So in this directory
``transactional_db`` is overridden: it keeps the name (which is what tells pytest-django to
create the test database, even when no other test in the run asks for ``db``) but opens the
database with ``django_db_blocker.unblock()`` and afterwards deletes, in each school, exactly
what these tests create: outbox rows, preferences, and staff, groups and pupils carrying the
test marker. Tests ask for it as ``committed``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from notifications.models import EmailDelivery, NotificationPreference
from safeguarding.models import AlertGroup, Pupil, Staff
from tenants.models import School
from tests.notifications.harness import PrivateRedis, SmtpSink, Worker, broker_repointed

MARKER = "mailtest"


def committed_cleanup() -> None:
    for school in School.objects.exclude(schema_name="public"):
        with school:
            EmailDelivery.objects.all().delete()
            NotificationPreference.objects.filter(
                staff__email__endswith=f".{MARKER}.example"
            ).delete()
            AlertGroup.objects.filter(name__startswith=MARKER).delete()
            Pupil.objects.filter(mis_id__startswith=MARKER).delete()
            Staff.objects.filter(email__endswith=f".{MARKER}.example").delete()


@pytest.fixture
def transactional_db(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        committed_cleanup()
        try:
            yield
        finally:
            committed_cleanup()


@pytest.fixture
def committed(transactional_db: None) -> None:
    """Rows written by the test are committed and visible to worker processes."""


def staff_create(school: School, label: str, count: int) -> list[Staff]:
    """``count`` members of staff at ``school`` (call inside the school's context)."""
    return [
        Staff.objects.create_user(
            email=f"{label}{index}@{school.schema_name}.{MARKER}.example",
            first_name=f"{label.title()}{index}",
            last_name="Tester",
        )
        for index in range(count)
    ]


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    redis_server = PrivateRedis()
    redis_server.start()
    with broker_repointed(redis_server.url):
        yield redis_server
    redis_server.close()


@pytest.fixture
def worker_factory(
    private_redis: PrivateRedis, smtp_sink: SmtpSink
) -> Iterator[Callable[..., Worker]]:
    workers: list[Worker] = []

    def make(**options: Any) -> Worker:
        worker = Worker(broker_url=private_redis.url, smtp_port=smtp_sink.port, **options)
        workers.append(worker)
        return worker

    yield make
    for worker in workers:
        worker.stop()
