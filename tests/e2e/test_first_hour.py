"""A new user's first hour in a real browser: the footer, the header's help links, "Back",
and a cookie policy that matches the cookies the browser really holds after signing in."""

from __future__ import annotations

import contextlib
import datetime
import importlib.metadata
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db.models import ProtectedError
from playwright.sync_api import BrowserContext, Page, expect

from safeguarding.models import Staff
from tenants.models import School
from tests.conftest import ALPHA
from tests.e2e.conftest import HavenServer
from tests.e2e.test_app_shell import serious_violations

pytestmark = pytest.mark.django_db

EMAIL = "first.hour@alpha.example"
PASSWORD = "a-first-hour-password-3917"


@pytest.fixture(scope="module")
def person(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    with django_db_blocker.unblock(), School.objects.get(schema_name=ALPHA.subdomain):
        staff = Staff.objects.create_user(
            email=EMAIL, first_name="Fiona", last_name="Hour", job_title="Teacher"
        )
        staff.set_password(PASSWORD)
        staff.save()
    yield EMAIL
    # Signing in writes audit rows, which keep their actor.
    with (
        django_db_blocker.unblock(),
        School.objects.get(schema_name=ALPHA.subdomain),
        contextlib.suppress(ProtectedError),
    ):
        staff.delete()


@pytest.fixture
def signed_in(page: Page, haven_server: HavenServer, person: str) -> Page:
    page.goto(haven_server.url(ALPHA.subdomain, "/login"))
    page.get_by_label("Email address").fill(person)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Login").click()
    expect(page.get_by_role("heading", level=1, name="Dashboard")).to_be_visible()
    return page


def test_the_cookie_policy_lists_exactly_the_cookies_the_browser_holds(
    signed_in: Page, context: BrowserContext
) -> None:
    page = signed_in
    nav = page.get_by_role("navigation", name="Main")
    for screen in ("Add Incident", "Library", "Account Settings", "Dashboard"):
        nav.get_by_role("link", name=screen).click()
        expect(page.get_by_role("heading", level=1, name=screen)).to_be_visible()
    page.get_by_role("contentinfo").get_by_role("link", name="Cookie policy").click()
    expect(page.get_by_role("heading", level=1, name="Cookie policy")).to_be_visible()
    listed = set(page.locator("code[data-cookie]").all_inner_texts())
    held = {cookie["name"] for cookie in context.cookies()}
    assert listed == held
    assert held == {"__Host-sessionid", "__Host-csrftoken"}


def test_every_page_has_the_footer_and_the_help_links_work(signed_in: Page) -> None:
    page = signed_in
    version = importlib.metadata.version("haven")
    expect(page.get_by_role("contentinfo")).to_have_text(
        f"© {datetime.date.today().year} Alpha Academy · Haven {version} · "
        "Cookie policy · Privacy notice"
    )
    links = page.get_by_role("navigation", name="Haven links")
    expect(links.get_by_role("link", name="Contact Support")).to_have_attribute(
        "href", "mailto:support@localhost"
    )
    links.get_by_role("link", name="Haven User Guide").click()
    expect(page.get_by_role("heading", level=1, name="Haven User Guide")).to_be_visible()
    images = page.locator("figure img")
    expect(images.first).to_be_visible()
    for index in range(images.count()):
        assert images.nth(index).evaluate("image => image.naturalWidth") > 0
    assert serious_violations(page) == []
    expect(page.get_by_role("contentinfo")).to_contain_text("© ")
    page.go_back()
    page.get_by_role("navigation", name="Haven links").get_by_role("link", name="Haven FAQ").click()
    expect(page.get_by_role("heading", level=1, name="Haven FAQ")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("contentinfo").get_by_role("link", name="Privacy notice").click()
    expect(page.get_by_role("heading", level=1, name="Privacy notice")).to_be_visible()


def test_back_on_add_incident_returns_to_the_dashboard_with_names_still_hidden(
    signed_in: Page,
) -> None:
    page = signed_in
    page.get_by_role("button", name="Hide Names").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Add Incident").click()
    expect(page.get_by_role("heading", level=1, name="Add Incident")).to_be_visible()
    page.get_by_role("link", name="Back", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Dashboard")).to_be_visible()
    expect(page.get_by_role("button", name="Show Names")).to_be_visible()
    assert re.search(r"/$", page.url)
