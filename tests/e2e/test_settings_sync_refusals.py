"""A staff sync's refused change is listed, with its reason, in Settings → Change history."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from safeguarding.models import Staff
from safeguarding.services.api_clients import api_client_create
from safeguarding.services.mis_sync import StaffRecord, staff_sync
from tenants.models import School
from tests.e2e.conftest import SCREENSHOT_DIR, HavenServer
from tests.e2e.support_settings_people import AdminSession, admin_session, sign_in_admin
from tests.e2e.test_app_shell import serious_violations
from tests.safeguarding.factories import admin_request

pytestmark = pytest.mark.django_db

__all__ = ["admin_session"]

REDIRECT = "someone.with.a.rather.long.address@elsewhere.example"


@pytest.fixture(scope="module")
def refused_sync(admin_session: AdminSession, django_db_blocker: Any) -> AdminSession:
    """Committed, so the server sees it: the DSL adopted by a sync, then a sync pointing
    their MIS record at another address, which is refused."""
    with django_db_blocker.unblock(), School.objects.get(schema_name=admin_session.subdomain):
        dsl = Staff.objects.get(email="dsl@settingspeople.example")
        client = api_client_create(
            actor=dsl, name="Arbor sync", scopes=["staff:write"], request=admin_request(dsl)
        ).api_client
        for email in (dsl.email, REDIRECT):
            staff_sync(
                actor=client,
                records=[StaffRecord("S1", email, "Dee", "Lead")],
            )
    return admin_session


def test_a_refused_sync_change_is_listed_with_its_reason(
    page: Page, context: BrowserContext, haven_server: HavenServer, refused_sync: AdminSession
) -> None:
    sign_in_admin(context, haven_server, refused_sync)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(haven_server.url(refused_sync.subdomain, "/settings/history"))
    entry = page.get_by_role("listitem").filter(has_text="was refused a change (MIS sync) to")
    expect(entry).to_contain_text("Arbor sync was refused a change (MIS sync) to staff Dee Lead")
    expect(entry).to_contain_text("MIS record S1: This record would change the e-mail address")
    expect(entry).to_contain_text(REDIRECT)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    violations = serious_violations(page)
    assert violations == [], [node["html"] for v in violations for node in v["nodes"]]
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "settings-history-sync-refused.png"), full_page=True)
