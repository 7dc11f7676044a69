"""A school of its own for the settings e2e tests, signed in as its first DSL (a school admin).

Settings changes write to the append-only audit log, which no test can roll back; so these
tests change a school made for them and dropped afterwards, never the shared test schools.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from playwright.sync_api import BrowserContext

from safeguarding.models import Staff
from safeguarding.services.defaults import school_defaults_install
from tenants.models import School
from tenants.schools import school_create, school_host
from tests.e2e.conftest import HavenServer, admin_session_key

SUBDOMAIN = "settingspeople"


#: The first DSL's password, for the screens that ask for it again.
ADMIN_PASSWORD = "a settings admin's long passphrase"


@dataclass(frozen=True)
class AdminSession:
    subdomain: str
    session_key: str
    #: The same admin, second factor passed, but the password entered long ago.
    stale_session_key: str


@pytest.fixture(scope="module")
def admin_session(django_db_setup: None, django_db_blocker: Any) -> Iterator[AdminSession]:
    with django_db_blocker.unblock():
        school = school_create(
            defaults_install=school_defaults_install,
            name="Settings People School",
            subdomain=SUBDOMAIN,
            urn="100077",
            dsl_email="dsl@settingspeople.example",
        )
        with school:
            admin = Staff.objects.get(email="dsl@settingspeople.example")
            admin.set_password(ADMIN_PASSWORD)
            admin.save(update_fields=["password"])
            host = school_host(school.schema_name)
            session_key = admin_session_key(admin, host=host)
            stale_session_key = admin_session_key(admin, host=host, reauthenticated=False)
    yield AdminSession(
        subdomain=SUBDOMAIN, session_key=session_key, stale_session_key=stale_session_key
    )
    with django_db_blocker.unblock():
        school = School.objects.get(schema_name=SUBDOMAIN)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        school.delete(force_drop=True)


def sign_in_admin(
    context: BrowserContext, server: HavenServer, session: AdminSession, *, stale: bool = False
) -> None:
    url = server.url(session.subdomain)
    if settings.SESSION_COOKIE_SECURE:
        url = url.replace("http://", "https://", 1)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.stale_session_key if stale else session.session_key,
                "url": url,
                "httpOnly": True,
                "secure": settings.SESSION_COOKIE_SECURE,
                "sameSite": "Lax",
            }
        ]
    )
