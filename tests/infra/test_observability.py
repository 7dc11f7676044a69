"""Error reports carry the school's schema and nothing a pupil could be recognised by; the
outbox backlog is summed over schools."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import sentry_sdk
from django.contrib.auth.models import Group
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import override_settings
from django.urls import path
from django_tenants.utils import schema_context
from sentry_sdk.envelope import Envelope
from sentry_sdk.transport import Transport

from config.observability import sentry_init
from tenants.metrics import OutboxBacklogCollector
from tenants.models import School
from tests.conftest import SchoolClient

PUPIL = "Jessica Featherstonehaugh"
logger = logging.getLogger("haven.test")


def failing_view(request: HttpRequest) -> HttpResponse:
    """Fails the way real code could: the pupil's name in a log argument and in PostgreSQL's
    error detail (a unique violation quotes the row)."""
    name = json.loads(request.body)["pupil"]
    logger.error("could not save the concern about %s", name)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE concern_probe (pupil text UNIQUE)")
        cursor.execute("INSERT INTO concern_probe VALUES (%s), (%s)", [name, name])
    return HttpResponse("unreachable")


urlpatterns = [path("concerns", failing_view)]


class RecordingTransport(Transport):
    def __init__(self, options: dict[str, Any] | None = None) -> None:
        super().__init__(options)
        self.envelopes: list[Envelope] = []

    def capture_envelope(self, envelope: Envelope) -> None:
        self.envelopes.append(envelope)

    def events(self) -> list[dict[str, Any]]:
        return [
            item.payload.json
            for envelope in self.envelopes
            for item in envelope.items
            if item.type == "event" and item.payload.json is not None
        ]


@pytest.fixture
def sentry() -> Iterator[RecordingTransport]:
    transport = RecordingTransport()
    sentry_init(
        dsn="https://public@sentry.example/1",
        environment="test",
        traces_sample_rate=0.0,
        transport=transport,
    )
    yield transport
    sentry_sdk.init()


@override_settings(ROOT_URLCONF=__name__)
def test_error_reports_hold_no_pupil_data_cookies_or_headers(
    sentry: RecordingTransport, school_a: School
) -> None:
    client = SchoolClient(school_a, raise_request_exception=False)
    client.cookies["__Host-sessionid"] = "session-secret-value"
    response = client.post(
        "/concerns?pupil=Jessica",
        {"pupil": PUPIL, "text": "disclosed at break time"},
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer token-secret-value",
    )
    assert response.status_code == 500
    sentry_sdk.flush()

    events = sentry.events()
    # The log line and the unhandled database error were both reported ...
    assert len(events) == 2
    kinds = {
        value["type"] for event in events for value in event.get("exception", {}).get("values", [])
    }
    assert "UniqueViolation" in kinds or "IntegrityError" in kinds
    for event in events:
        # ... tagged with the school, with the failing page but not its query string ...
        assert event["tags"]["school"] == "alpha"
        assert event["tags"]["request_id"] == response["X-Request-ID"]
        assert set(event.get("request", {})) <= {"method", "url"}
        assert event.get("request", {}).get("url", "/concerns").endswith("/concerns")
    # ... and nothing anywhere in what would have been sent names the pupil or the secrets.
    sent = json.dumps(events)
    for secret in (
        PUPIL,
        "Featherstonehaugh",
        "disclosed",
        "session-secret-value",
        "token-secret-value",
        "pupil=Jessica",
    ):
        assert secret not in sent


def test_outbox_backlog_is_summed_over_every_school(school_a: School, school_b: School) -> None:
    # Any tenant table serves to show the summing; the chart points the setting at the outbox.
    Group.objects.create(name="waiting-1")
    Group.objects.create(name="waiting-2")
    Group.objects.create(name="sent-1")
    with schema_context(school_b.schema_name):
        Group.objects.create(name="waiting-3")
    collector = OutboxBacklogCollector(models={"auth.Group": {"name__startswith": "waiting-"}})
    [family] = list(collector.collect())
    assert family.name == "haven_outbox_backlog"
    assert [(s.labels, s.value) for s in family.samples] == [({"outbox": "auth.Group"}, 3.0)]
