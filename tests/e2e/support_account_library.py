"""A school of its own for the Library, Account Settings and API-client flows.

These flows write what cannot be rolled back (the audit log is append-only, and the server
process commits), and other modules assert on Alpha's audit log, API clients and sessions.
So they run at Hazel Academy, created for this module and dropped, schema and all, after it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from safeguarding.models import Attachment
from safeguarding.selectors.second_factors import RECOVERY_CODES_NAME
from safeguarding.services.defaults import school_defaults_install
from tenants.schemas import use_public_schema
from tenants.schools import school_create
from tests.e2e.conftest import SCREENSHOT_DIR, HavenServer

PASSWORD = "Kestrel-harbour-lantern-42"
SUBDOMAIN = "hazel"


@dataclass(frozen=True)
class Accounts:
    #: A school admin with key access and an authenticator app, as admins who change key
    #: access are; signs in with one of ``admin_codes`` (recovery codes, each good once).
    admin_email: str
    admin_codes: list[str]
    #: A school admin with no second factor yet: sign-in leads them to add one.
    enrolling_admin_email: str
    teacher_email: str
    #: A second teacher, for flows that must not depend on what the others changed.
    colleague_email: str
    password: str


@pytest.fixture(scope="module")
def accounts(django_db_setup: None, django_db_blocker: Any) -> Iterator[Accounts]:
    """Hazel Academy with two school admins (one with key access and a second factor, one
    yet to add a factor) and two teachers, all with a password."""
    from tests.safeguarding import factories as f

    with django_db_blocker.unblock():
        use_public_schema()
        school = school_create(
            defaults_install=school_defaults_install,
            name="Hazel Academy",
            subdomain=SUBDOMAIN,
            urn="100077",
            dsl_email=f"dsl@{SUBDOMAIN}.example",
        )
        with school:
            admin = f.staff("Sam", "Okafor", key_holder=True)
            admin.is_school_admin = True
            admin.job_title = "Business Manager"
            TOTPDevice.objects.create(user=admin, name="Phone", confirmed=True)
            recovery = StaticDevice.objects.create(
                user=admin, name=RECOVERY_CODES_NAME, confirmed=True
            )
            admin_codes = [StaticToken.random_token() for _ in range(5)]
            for code in admin_codes:
                StaticToken.objects.create(device=recovery, token=code)
            enrolling_admin = f.staff("Priya", "Shah")
            enrolling_admin.is_school_admin = True
            enrolling_admin.job_title = "Office Manager"
            teacher = f.staff("Wendy", "Abbott")
            teacher.job_title = "Teacher"
            colleague = f.staff("Asif", "Hussain")
            for member in (admin, enrolling_admin, teacher, colleague):
                member.set_password(PASSWORD)
                member.save()
    try:
        yield Accounts(
            admin_email=admin.email,
            admin_codes=admin_codes,
            enrolling_admin_email=enrolling_admin.email,
            teacher_email=teacher.email,
            colleague_email=colleague.email,
            password=PASSWORD,
        )
    finally:
        with django_db_blocker.unblock():
            with school:
                for attachment in Attachment.objects.all():
                    default_storage.delete(str(attachment.file.name))
            use_public_schema()
            school.delete(force_drop=True)


def log_in(
    page: Page,
    server: HavenServer,
    email: str,
    password: str,
    next_path: str = "/",
    *,
    code: str | None = None,
) -> None:
    """Through the Login page, as staff do: the session is a real one, with its browser.
    With ``code``, the second step asks for it (an app code or a recovery code)."""
    page.goto(server.url(SUBDOMAIN, f"/login?next={next_path}"))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Login").click()
    if code is not None:
        page.get_by_label("Code from your authenticator app").fill(code)
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()


def fits_a_phone(page: Page, screenshot_name: str) -> bool:
    """Whether the page fits 360 px without sideways scrolling; leaves a picture of it."""
    page.set_viewport_size({"width": 360, "height": 740})
    width = int(page.evaluate("document.documentElement.scrollWidth"))
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"{screenshot_name}-360px.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    return width <= 360
