"""The record-reading screens in a real browser: the dashboard's alerts, Viewing Incident
with Hide Names and "mark as read", and a key holder's Students search and pupil chronology."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import SCREENSHOT_DIR, HavenServer, sign_in
from tests.e2e.support_record_views import (
    ACTION_TEXT,
    INCIDENT_TEXT,
    RecordViewsData,
    record_views_data,  # noqa: F401 - a fixture
)

pytestmark = pytest.mark.django_db

NOT_FOUND = "This incident was not found, or you no longer have access to it."
WARNING_START = "Please note as you do not have key access, once you have marked the incident"


def serious_violations(page: Page) -> list[dict[str, Any]]:
    results = Axe().run(page)
    violations: list[dict[str, Any]] = results.response["violations"]
    return [v for v in violations if v.get("impact") in {"serious", "critical"}]


def check_screen(page: Page, name: str) -> None:
    """No serious or critical accessibility problem, and a picture for the record."""
    assert serious_violations(page) == []
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"record-views-{name}.png"), full_page=True)


def fits_narrow_screen(page: Page) -> bool:
    return bool(page.evaluate("() => document.documentElement.scrollWidth <= innerWidth"))


def incident_url(server: HavenServer, data: RecordViewsData) -> str:
    return server.url("alpha", f"/incidents/{quote(data.incident_id, safe='')}")


def test_teacher_reads_an_alerted_incident_then_marks_it_read(
    page: Page,
    context: BrowserContext,
    haven_server: HavenServer,
    record_views_data: RecordViewsData,  # noqa: F811 - the fixture imported above
) -> None:
    data = record_views_data
    sign_in(context, haven_server, data.teacher_session)
    page.goto(haven_server.url("alpha"))
    expect(page.get_by_role("heading", level=1, name="Dashboard")).to_be_visible()

    # Found by its author, so it is the same row with names hidden.
    row = page.get_by_role("row").filter(has_text=f"{data.author_name} added an incident for")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(f"{data.author_name} added an incident for Hannah Greenwood")
    expect(row.get_by_text("Child Protection", exact=True)).to_be_visible()
    expect(row.get_by_text("Home Issues", exact=True)).to_be_visible()
    expect(row).to_contain_text(f"just now by {data.author_name}")
    # Staff without key access have no pupil search.
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Students")).to_have_count(0)
    check_screen(page, "dashboard")

    page.get_by_role("button", name="Hide Names").click()
    expect(row).to_contain_text("added an incident for ****** *********")
    expect(page.get_by_role("main")).not_to_contain_text("Hannah")
    page.get_by_role("button", name="Show Names").click()

    row.get_by_role("link", name="incident", exact=True).click()
    expect(
        page.get_by_role("heading", level=1, name="Viewing Incident - Hannah Greenwood (1B)")
    ).to_be_visible()
    expect(page.locator(".incident-text")).to_have_text(INCIDENT_TEXT)
    expect(page.get_by_text(f"{data.author_name} alerted you to this incident.")).to_be_visible()
    expect(page.get_by_text(ACTION_TEXT)).to_be_visible()
    expect(page.get_by_role("link", name="Add Action")).to_be_visible()
    expect(page.get_by_role("img", name="Front: marker 1")).to_be_visible()
    expect(page.get_by_text("Front: Bruise on the left arm")).to_be_visible()
    check_screen(page, "incident")

    page.get_by_role("button", name="Hide Names").click()
    expect(page.locator(".incident-text")).to_contain_text(
        "the end of the school day. ****** ********* did not see him."
    )
    expect(page.get_by_role("main")).not_to_contain_text("Hannah")
    page.get_by_role("button", name="Show Names").click()

    page.set_viewport_size({"width": 360, "height": 740})
    assert fits_narrow_screen(page)

    page.get_by_role("button", name="mark as read").click()
    warning = page.get_by_role("alertdialog", name="Mark as read?")
    expect(warning).to_contain_text(WARNING_START)
    expect(warning).to_be_focused()
    check_screen(page, "mark-as-read-warning")
    warning.get_by_role("button", name="Yes, mark as read").click()

    expect(page.get_by_role("heading", level=1, name="Dashboard")).to_be_visible()
    expect(page.get_by_text("The incident was marked as read.")).to_be_visible()
    expect(page.get_by_text("added an incident for Hannah Greenwood")).to_have_count(0)
    assert fits_narrow_screen(page)

    page.goto(incident_url(haven_server, data))
    expect(page.get_by_text(NOT_FOUND)).to_be_visible()
    expect(page.get_by_text(INCIDENT_TEXT)).to_have_count(0)
    page.reload()
    expect(page.get_by_text("added an incident for Hannah Greenwood")).to_have_count(0)


def test_key_holder_finds_the_pupil_and_reads_the_chronology(
    page: Page,
    context: BrowserContext,
    haven_server: HavenServer,
    record_views_data: RecordViewsData,  # noqa: F811 - the fixture imported above
) -> None:
    data = record_views_data
    sign_in(context, haven_server, data.key_holder_session)
    page.goto(haven_server.url("alpha"))
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Students").click()
    expect(page.get_by_role("heading", level=1, name="Students")).to_be_visible()

    page.get_by_label("Search for a student").fill("Greenwood")
    page.get_by_role("button", name="Search").click()
    result = page.get_by_role("link", name="Hannah Greenwood").first
    expect(result).to_be_visible()
    check_screen(page, "students")

    result.click()
    expect(page.get_by_role("heading", level=1, name="Hannah Greenwood (1B)")).to_be_visible()
    chronology = page.get_by_role("region", name="Chronology")
    entries = chronology.get_by_role("listitem").filter(has=page.get_by_role("article"))
    # Most recent first: the action was added after the incident.
    expect(entries.first).to_contain_text(ACTION_TEXT)
    expect(chronology).to_contain_text(INCIDENT_TEXT)
    expect(chronology.get_by_text("Child Protection", exact=True)).to_be_visible()
    check_screen(page, "pupil")

    page.get_by_role("button", name="Hide Names").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("****** ********* (1B)")
    expect(chronology).to_contain_text("Phoned \N{TELEPHONE RECEIVER} ****** *********'s mother")
    expect(page.get_by_role("main")).not_to_contain_text("Hannah")
    page.get_by_role("button", name="Show Names").click()

    page.set_viewport_size({"width": 360, "height": 740})
    assert fits_narrow_screen(page)

    chronology.get_by_role("link", name="View incident").last.click()
    expect(
        page.get_by_role("heading", level=1, name="Viewing Incident - Hannah Greenwood (1B)")
    ).to_be_visible()
    assert page.url == incident_url(haven_server, data)
