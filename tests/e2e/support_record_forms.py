"""Committed records for the record-form tests: pupils, colleagues, a signed-in teacher and
an incident she was alerted to. Left in the test database, which the run drops at its end."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.test import Client

from safeguarding.models import AlertGroup, Category
from safeguarding.permissions import Actor
from safeguarding.services.incidents import IncidentSpec, incident_create
from tenants.models import School
from tests.conftest import ALPHA
from tests.safeguarding import factories as f

INCIDENT_TEXT = "Mr Greenwood was spotted outside of the school gates at the end of the school day."


@dataclass(frozen=True)
class RecordFormsData:
    session_key: str
    author_id: int
    hannah_id: int
    matthew_id: int
    wendy_id: int
    pat_id: int
    alerted_incident_id: int


def seed() -> RecordFormsData:
    """Call with the database unblocked, outside any test transaction."""
    school = School.objects.get(schema_name=ALPHA.subdomain)
    with school:
        hannah = f.pupil("Hannah", "Greenwood", "1B", year="Year 1")
        matthew = f.pupil("Matthew", "Greenwood", "5B", year="Year 5")
        author = f.staff("Rachel", "Morgan")
        wendy = f.staff("Wendy", "Abbott", level=None)
        pat = f.staff("Pat", "Jones", groups=("Teachers",))
        client = Client()
        client.force_login(author)
        session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
        # Wendy logs an incident and alerts Rachel (who adds the action) and Pat.
        incident = incident_create(
            actor=Actor(wendy, key_access=False),
            spec=IncidentSpec(
                pupil_id=hannah.pk,
                text=INCIDENT_TEXT,
                category_ids=[Category.objects.get(name="Home Issues").pk],
                alert_staff_ids=[author.pk, pat.pk],
            ),
        )
        return RecordFormsData(
            session_key=session_key,
            author_id=author.pk,
            hannah_id=hannah.pk,
            matthew_id=matthew.pk,
            wendy_id=wendy.pk,
            pat_id=pat.pk,
            alerted_incident_id=incident.pk,
        )


def in_school_thread[T](django_db_blocker: Any, read: Callable[[], T]) -> T:
    """Run a database read in the school's schema on a thread of its own.

    While Playwright runs, this thread has an event loop and Django refuses database calls
    here; a plain thread has none, and its own connection sees what the server committed.
    """
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            with django_db_blocker.unblock():
                school = School.objects.get(schema_name=ALPHA.subdomain)
                with school:
                    box["value"] = read()
        except BaseException as error:  # re-raised on the test's thread
            box["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]


def slt_member_ids() -> set[int]:
    return set(AlertGroup.objects.get(name="SLT").members.values_list("pk", flat=True))
