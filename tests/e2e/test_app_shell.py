"""The web app's shell in a real browser: header, Hide Names, Blank Screen, accessibility,
caching."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page, Response, expect

from tests.e2e.conftest import HavenServer, sign_in

# The server process reads the test database, so pytest-django must create it for this module.
pytestmark = pytest.mark.django_db

NOTICE = "It is your responsibility to log out and protect the security of student information."
FORGOTTEN = "Forgotten your password or using Haven for the first time?"


@pytest.fixture
def signed_in_page(
    page: Page, context: BrowserContext, haven_server: HavenServer, chloe_session: str
) -> Page:
    sign_in(context, haven_server, chloe_session)
    page.goto(haven_server.url("alpha"))
    expect(page.get_by_role("heading", level=1, name="Dashboard")).to_be_visible()
    return page


def serious_violations(page: Page) -> list[dict[str, Any]]:
    results = Axe().run(page)
    violations: list[dict[str, Any]] = results.response["violations"]
    return [v for v in violations if v.get("impact") in {"serious", "critical"}]


def covered_everywhere(page: Page) -> bool:
    return bool(
        page.evaluate(
            """() => {
                const cover = document.querySelector('[data-testid="blank-screen"]');
                const points = [[5, 5], [innerWidth / 2, innerHeight / 2],
                                [innerWidth - 5, innerHeight - 5]];
                return points.every(([x, y]) => document.elementFromPoint(x, y) === cover);
            }"""
        )
    )


def test_shell_shows_the_school_the_notice_and_the_navigation(signed_in_page: Page) -> None:
    page = signed_in_page
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_text("Alpha Academy")).to_be_visible()
    expect(page.get_by_text(NOTICE)).to_be_visible()
    expect(page.get_by_text("Signed in as Chloe Kelan, Teacher.")).to_be_visible()
    for label in ["Dashboard", "Add Incident", "Library", "Account Settings"]:
        expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()
    expect(nav.get_by_role("button", name="Logout")).to_be_visible()
    expect(page).to_have_title("Dashboard - Alpha Academy - Haven")

    nav.get_by_role("link", name="Library").click()
    expect(page).to_have_url(page.url.rsplit("/", 1)[0] + "/library")
    expect(page.get_by_role("heading", level=1, name="Library")).to_be_focused()


def test_a_reload_on_a_client_route_keeps_the_page(signed_in_page: Page) -> None:
    page = signed_in_page
    page.get_by_role("link", name="Add Incident").click()
    page.reload()
    expect(page.get_by_role("heading", level=1, name="Add Incident")).to_be_visible()


def test_hide_names_toggles_and_holds_across_pages(signed_in_page: Page) -> None:
    page = signed_in_page
    page.get_by_role("button", name="Hide Names").click()
    expect(page.get_by_role("button", name="Show Names")).to_be_visible()
    expect(page.get_by_role("button", name="Hide Names")).to_have_count(0)

    page.get_by_role("link", name="Library").click()
    expect(page.get_by_role("button", name="Show Names")).to_be_visible()
    page.reload()
    expect(page.get_by_role("button", name="Show Names")).to_be_visible()

    page.get_by_role("button", name="Show Names").click()
    expect(page.get_by_role("button", name="Hide Names")).to_be_visible()


def test_blank_screen_covers_and_uncovers_without_losing_typed_text(signed_in_page: Page) -> None:
    page = signed_in_page
    # Any text field will do: the cover must leave the page under it exactly as it was.
    page.evaluate(
        """() => {
            const input = document.createElement('textarea');
            input.setAttribute('aria-label', 'Notes');
            document.querySelector('main').append(input);
        }"""
    )
    notes = page.get_by_label("Notes")
    notes.fill("Hannah seemed upset at the gate")

    page.get_by_role("button", name="Blank Screen").click()
    cover = page.get_by_test_id("blank-screen")
    expect(cover).to_be_visible()
    # The cover hides everything: what is on top at any point is the cover, and nothing of
    # the page can be reached by keyboard or assistive technology.
    assert covered_everywhere(page)
    expect(page.get_by_role("button", name="Hide Names")).to_have_count(0)
    expect(page.get_by_role("main")).to_have_count(0)

    page.keyboard.press("Enter")
    expect(cover).to_have_count(0)
    expect(notes).to_have_value("Hannah seemed upset at the gate")
    expect(page.get_by_text("Signed in as Chloe Kelan")).to_be_visible()

    page.get_by_role("button", name="Blank Screen").click()
    expect(cover).to_be_visible()
    cover.click()
    expect(cover).to_have_count(0)
    expect(notes).to_have_value("Hannah seemed upset at the gate")


def test_blank_screen_comes_on_after_fifteen_minutes_idle(
    page: Page, context: BrowserContext, haven_server: HavenServer, chloe_session: str
) -> None:
    sign_in(context, haven_server, chloe_session)
    page.clock.install()
    page.goto(haven_server.url("alpha"))
    expect(page.get_by_role("heading", level=1, name="Dashboard")).to_be_visible()

    page.clock.fast_forward("14:00")
    expect(page.get_by_test_id("blank-screen")).to_have_count(0)
    page.mouse.move(200, 200)
    page.clock.fast_forward("14:00")
    expect(page.get_by_test_id("blank-screen")).to_have_count(0)
    page.clock.fast_forward("01:01")
    expect(page.get_by_test_id("blank-screen")).to_be_visible()
    assert covered_everywhere(page)

    page.keyboard.press("Space")
    expect(page.get_by_test_id("blank-screen")).to_have_count(0)
    expect(page.get_by_role("heading", level=1, name="Dashboard")).to_be_visible()


def test_signed_out_visitors_get_login_and_the_first_time_link(
    page: Page, haven_server: HavenServer
) -> None:
    page.goto(haven_server.url("alpha", "/library"))
    expect(page.get_by_role("heading", level=1, name="Login")).to_be_visible()
    assert "/login?next=%2Flibrary" in page.url
    expect(page.get_by_text(NOTICE)).to_be_visible()
    expect(page.get_by_label("Email address")).to_be_visible()
    expect(page.get_by_label("Password")).to_be_visible()
    expect(page.get_by_role("button", name="Login")).to_be_visible()

    page.get_by_role("link", name=FORGOTTEN).click()
    expect(page.get_by_role("heading", level=1, name="Reset Password")).to_be_focused()
    expect(page.get_by_role("button", name="Reset Password")).to_be_visible()


def test_no_serious_accessibility_violations_on_the_shell(signed_in_page: Page) -> None:
    assert serious_violations(signed_in_page) == []
    signed_in_page.get_by_role("button", name="Hide Names").click()
    assert serious_violations(signed_in_page) == []


def test_no_serious_accessibility_violations_on_login_and_password_pages(
    page: Page, haven_server: HavenServer
) -> None:
    for path, heading in [
        ("/login", "Login"),
        ("/forgotten-password", "Reset Password"),
        ("/set-password/MQ/abc-123", "Set your password"),
    ]:
        page.goto(haven_server.url("alpha", path))
        expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
        assert serious_violations(page) == [], path


def test_fits_a_phone_screen(
    page: Page, context: BrowserContext, haven_server: HavenServer, chloe_session: str
) -> None:
    sign_in(context, haven_server, chloe_session)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(haven_server.url("alpha"))
    expect(page.get_by_role("heading", level=1, name="Dashboard")).to_be_visible()
    expect(page.get_by_role("button", name="Logout")).to_be_visible()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 360


def test_shell_is_never_cached_and_assets_are_immutable(
    page: Page, haven_server: HavenServer
) -> None:
    scripts: list[Response] = []
    page.on(
        "response",
        lambda response: scripts.append(response) if response.url.endswith(".js") else None,
    )
    shell = page.goto(haven_server.url("alpha", "/login"))
    assert shell is not None
    assert shell.headers["cache-control"] == "no-store"
    expect(page.get_by_role("heading", level=1, name="Login")).to_be_visible()

    assert scripts, "the shell loaded no script"
    compressed_bytes = 0
    for response in scripts:
        assert "/static/app/assets/" in response.url
        headers = response.all_headers()
        assert headers["cache-control"] == "public, max-age=31536000, immutable"
        assert headers.get("content-encoding") in {"br", "gzip"}
        compressed_bytes += int(headers["content-length"])
    # The budget for a school host's first load.
    assert compressed_bytes <= 300 * 1024
