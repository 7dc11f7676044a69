"""End-to-end fixtures for the settings screens: a signed-in school admin at Alpha."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from safeguarding.models import Staff
from tenants.models import School
from tests.conftest import ALPHA


@pytest.fixture(scope="module")
def admin_session(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """A committed session of Alpha's first DSL, a school admin; returns the session key."""
    with django_db_blocker.unblock():
        school = School.objects.get(schema_name=ALPHA.subdomain)
        with school:
            admin = Staff.objects.get(email=f"dsl@{ALPHA.subdomain}.example")
            client = Client()
            client.force_login(admin)
            session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    yield session_key
    with django_db_blocker.unblock(), school:
        from django.contrib.sessions.models import Session

        Session.objects.filter(session_key=session_key).delete()
