"""Committed accounts for the Library, Account Settings and API-client flows at Alpha."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from safeguarding.models import ApiClient, LibraryDocument, LibraryFolder, Staff
from tenants.models import School
from tests.conftest import ALPHA
from tests.e2e.conftest import SCREENSHOT_DIR, HavenServer

PASSWORD = "Kestrel-harbour-lantern-42"


@dataclass(frozen=True)
class Accounts:
    admin_email: str
    teacher_email: str
    #: A second teacher, for flows that must not depend on what the others changed.
    colleague_email: str
    password: str


@pytest.fixture(scope="module")
def accounts(django_db_setup: None, django_db_blocker: Any) -> Iterator[Accounts]:
    """A school admin (no key access, so a password signs them in) and a teacher, both with
    a password. Afterwards the library is emptied and both accounts are disabled (their audit
    trail keeps them as rows), so other modules see Alpha as they expect."""
    from safeguarding.services.staff_sessions import staff_sessions_end_all
    from tests.safeguarding import factories as f

    with django_db_blocker.unblock():
        school = School.objects.get(schema_name=ALPHA.subdomain)
        with school:
            admin = f.staff("Sam", "Okafor")
            admin.is_school_admin = True
            admin.job_title = "Business Manager"
            admin.set_password(PASSWORD)
            admin.save()
            teacher = f.staff("Wendy", "Abbott")
            teacher.job_title = "Teacher"
            teacher.set_password(PASSWORD)
            teacher.save()
            colleague = f.staff("Asif", "Hussain")
            colleague.set_password(PASSWORD)
            colleague.save()
    yield Accounts(
        admin_email=admin.email,
        teacher_email=teacher.email,
        colleague_email=colleague.email,
        password=PASSWORD,
    )
    with django_db_blocker.unblock(), school:
        for document in LibraryDocument.objects.select_related("attachment"):
            attachment = document.attachment
            document.delete()
            attachment.delete()
        LibraryFolder.objects.all().delete()
        ApiClient.objects.filter(created_by=admin, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        for member in (admin, teacher, colleague):
            staff_sessions_end_all(staff=member, reason="test_finished")
        Staff.objects.filter(pk__in=[admin.pk, teacher.pk, colleague.pk]).update(is_active=False)


def log_in(
    page: Page, server: HavenServer, email: str, password: str, next_path: str = "/"
) -> None:
    """Through the Login page, as staff do: the session is a real one, with its browser."""
    page.goto(server.url(ALPHA.subdomain, f"/login?next={next_path}"))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Login").click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()


def fits_a_phone(page: Page, screenshot_name: str) -> bool:
    """Whether the page fits 360 px without sideways scrolling; leaves a picture of it."""
    page.set_viewport_size({"width": 360, "height": 740})
    width = int(page.evaluate("document.documentElement.scrollWidth"))
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"{screenshot_name}-360px.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    return width <= 360
