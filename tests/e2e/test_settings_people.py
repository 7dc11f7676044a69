"""Settings for access levels, staff and the change history, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import SCREENSHOT_DIR, HavenServer
from tests.e2e.support_settings_people import (
    ADMIN_PASSWORD,
    AdminSession,
    admin_session,
    sign_in_admin,
)
from tests.e2e.test_app_shell import serious_violations

pytestmark = pytest.mark.django_db

__all__ = ["admin_session"]

LAST_ADMIN = "Haven needs at least one active school admin with key access."


@pytest.fixture
def admin_page(
    page: Page, context: BrowserContext, haven_server: HavenServer, admin_session: AdminSession
) -> Page:
    sign_in_admin(context, haven_server, admin_session)
    return page


def _open(page: Page, server: HavenServer, path: str, heading: str) -> None:
    page.goto(server.url("settingspeople", path))
    expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()


def _shot(page: Page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"settings-{name}.png"), full_page=True)


def test_admin_invites_a_member_of_staff(admin_page: Page, haven_server: HavenServer) -> None:
    page = admin_page
    _open(page, haven_server, "/settings/staff", "Staff")
    expect(page.get_by_text("Designated Safeguarding Lead", exact=True).first).to_be_visible()
    assert serious_violations(page) == []
    _shot(page, "staff-list")

    page.get_by_role("button", name="Invite Staff").click()
    expect(page.get_by_role("heading", level=1, name="Invite Staff")).to_be_visible()
    page.get_by_role("button", name="Send Invitation").click()
    expect(page.get_by_text("Enter their e-mail address.")).to_be_visible()
    page.get_by_label("First name").fill("Nia")
    page.get_by_label("Last name").fill("Newton")
    page.get_by_label("E-mail").fill("Nia.Newton@settingspeople.example")
    page.get_by_label("Job title").fill("Head of Year 7")
    page.get_by_label("Access level").select_option(label="Pastoral")
    page.get_by_label("Key access").check()
    page.get_by_role("group", name="Alert groups").get_by_label("Teachers").check()
    assert serious_violations(page) == []
    _shot(page, "staff-invite")
    page.get_by_role("button", name="Send Invitation").click()

    expect(page.get_by_role("status").filter(has_text="Nia Newton was invited")).to_be_visible()
    card = page.get_by_role("listitem").filter(has_text="nia.newton@settingspeople.example")
    expect(card.get_by_text("Invited")).to_be_visible()
    expect(card.get_by_text("Pastoral")).to_be_visible()

    card.get_by_role("button", name="Edit Nia Newton").click()
    expect(page.get_by_role("button", name="Resend Invitation")).to_be_visible()
    assert serious_violations(page) == []
    _shot(page, "staff-edit")


def test_admin_edits_an_access_level(admin_page: Page, haven_server: HavenServer) -> None:
    page = admin_page
    _open(page, haven_server, "/settings/access-levels", "Access levels")
    assert serious_violations(page) == []
    _shot(page, "access-levels")

    page.get_by_role("button", name="Edit Pastoral").click()
    expect(page.get_by_role("heading", level=1, name="Edit Pastoral")).to_be_visible()
    bullying = page.get_by_label("View incidents: Bullying")
    expect(bullying).to_be_checked()
    bullying.uncheck()
    page.get_by_label("Name", exact=True).fill("Pastoral team")
    assert serious_violations(page) == []
    _shot(page, "access-level-form")
    page.get_by_role("button", name="Save Access Level").click()

    expect(page.get_by_role("status").filter(has_text="Pastoral team was saved.")).to_be_visible()
    card = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name="Pastoral team")
    )
    expect(card).to_contain_text("Home Issues")
    expect(card).not_to_contain_text("Bullying")


def test_the_last_admin_refusal_shows_next_to_the_control(
    admin_page: Page, haven_server: HavenServer
) -> None:
    page = admin_page
    _open(page, haven_server, "/settings/staff", "Staff")
    page.get_by_label("Search staff").fill("Designated")
    page.get_by_role("button", name="Edit Designated Safeguarding Lead").click()
    page.get_by_label("School admin").uncheck()
    page.get_by_role("button", name="Save Changes").click()
    admin_box = page.locator(".sp-check").filter(has_text="School admin")
    expect(admin_box.locator(".field-error")).to_contain_text(LAST_ADMIN)
    expect(page.get_by_label("School admin")).not_to_be_checked()

    page.get_by_role("button", name="Deactivate Designated Safeguarding Lead").click()
    page.get_by_role("button", name="Yes, deactivate").click()
    expect(page.get_by_role("alert").filter(has_text=LAST_ADMIN)).to_be_visible()
    assert serious_violations(page) == []
    _shot(page, "last-admin")


def test_a_key_access_change_asks_for_the_password_first(
    page: Page, context: BrowserContext, haven_server: HavenServer, admin_session: AdminSession
) -> None:
    """Signed in with the second factor long ago: changing a colleague's e-mail address asks
    for the password again, then saves what was typed."""
    sign_in_admin(context, haven_server, admin_session, stale=True)
    _open(page, haven_server, "/settings/staff", "Staff")
    page.get_by_label("Search staff").fill("Designated")
    page.get_by_role("button", name="Edit Designated Safeguarding Lead").click()
    page.get_by_label("Job title").fill("DSL and Head of Pastoral")
    page.get_by_label("E-mail").fill("lead@settingspeople.example")
    page.get_by_role("button", name="Save Changes").click()

    dialog = page.get_by_role("dialog", name="Enter your password again")
    expect(dialog).to_be_visible()
    password = dialog.get_by_label("Your password")
    expect(password).to_be_focused()
    password.fill("not my password")
    dialog.get_by_role("button", name="Continue").click()
    expect(dialog.get_by_text("The password is incorrect.")).to_be_visible()
    assert serious_violations(page) == []
    _shot(page, "password-again")
    password.fill(ADMIN_PASSWORD)
    dialog.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("status").filter(has_text="was saved.")).to_be_visible()
    expect(dialog).to_be_hidden()
    expect(page.get_by_text("lead@settingspeople.example")).to_be_visible()


def test_change_history_lists_the_changes(admin_page: Page, haven_server: HavenServer) -> None:
    page = admin_page
    _open(page, haven_server, "/settings/history", "Change history")
    expect(page.get_by_role("listitem").first).to_be_visible()
    violations = serious_violations(page)
    assert violations == [], [node["html"] for v in violations for node in v["nodes"]]
    _shot(page, "history")


def test_settings_pages_fit_a_phone_screen(admin_page: Page, haven_server: HavenServer) -> None:
    page = admin_page
    page.set_viewport_size({"width": 360, "height": 740})
    for path, heading in [
        ("/settings/staff", "Staff"),
        ("/settings/access-levels", "Access levels"),
        ("/settings/history", "Change history"),
    ]:
        _open(page, haven_server, path, heading)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
    _open(page, haven_server, "/settings/access-levels", "Access levels")
    page.get_by_role("button", name="Edit DSL").click()
    expect(page.get_by_role("heading", level=1, name="Edit DSL")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    _shot(page, "access-level-form-phone")
