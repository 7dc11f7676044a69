"""End-to-end fixtures for the settings screens: a signed-in school admin at Alpha."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from safeguarding.models import Staff
from tenants.models import School
from tests.conftest import ALPHA
from tests.e2e.conftest import admin_session_key


@pytest.fixture(scope="module")
def admin_session(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """A committed session of Alpha's first DSL, a school admin with the second factor passed;
    returns the session key."""
    with django_db_blocker.unblock():
        school = School.objects.get(schema_name=ALPHA.subdomain)
        with school:
            admin = Staff.objects.get(email=f"dsl@{ALPHA.subdomain}.example")
            session_key = admin_session_key(admin)
    yield session_key
    with django_db_blocker.unblock(), school:
        from django.contrib.sessions.models import Session

        Session.objects.filter(session_key=session_key).delete()
