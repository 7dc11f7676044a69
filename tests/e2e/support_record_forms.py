"""Committed records for the record-form tests: pupils, colleagues, a signed-in teacher and
an incident she was alerted to, in a school of their own (Gamma) that is dropped afterwards,
so nothing they add is seen by the tests that share Alpha and Beta."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.test import Client
from django_tenants.utils import schema_context
from playwright.sync_api import BrowserContext

from safeguarding.models import AlertGroup, Category
from safeguarding.permissions import Actor
from safeguarding.services.defaults import school_defaults_install
from safeguarding.services.incidents import IncidentSpec, incident_create
from tenants.models import School
from tenants.schools import school_create
from tests.e2e.conftest import HavenServer, in_school_thread_of
from tests.safeguarding import factories as f

SUBDOMAIN = "gamma"

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
    school = school_create(
        defaults_install=school_defaults_install,
        name="Gamma Academy",
        subdomain=SUBDOMAIN,
        urn="100003",
        dsl_email="dsl@gamma.example",
    )
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
    return in_school_thread_of(django_db_blocker, read, subdomain=SUBDOMAIN)


def slt_member_ids() -> set[int]:
    return set(AlertGroup.objects.get(name="SLT").members.values_list("pk", flat=True))


def drop_school() -> None:
    """Drop Gamma with its schema: its audit log is append-only, so rows cannot be deleted."""
    with schema_context("public"):
        School.objects.get(schema_name=SUBDOMAIN).delete(force_drop=True)


def sign_in_at_gamma(context: BrowserContext, server: HavenServer, session_key: str) -> None:
    """Gives the browser the session cookie Haven would set at login (as conftest.sign_in)."""
    url = server.url(SUBDOMAIN)
    if settings.SESSION_COOKIE_SECURE:
        url = url.replace("http://", "https://", 1)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session_key,
                "url": url,
                "httpOnly": True,
                "secure": settings.SESSION_COOKIE_SECURE,
                "sameSite": "Lax",
            }
        ]
    )
