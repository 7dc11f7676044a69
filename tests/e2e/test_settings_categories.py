"""Settings in a real browser: an admin adds a subcategory and a teacher is offered it; each
settings screen passes an accessibility check and works at 360 px."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect

from safeguarding.models import Incident, Pupil, Subcategory
from tenants.models import School
from tests.conftest import ALPHA
from tests.e2e import support_settings
from tests.e2e.conftest import SCREENSHOT_DIR, HavenServer, in_school_thread_of, sign_in

# The server process reads the test database, so pytest-django must create it for this module.
pytestmark = pytest.mark.django_db
admin_session = support_settings.admin_session  # the fixture, by the name the tests ask for

NEW_SUBCATEGORY = "Online grooming"
INCIDENT_TEXT = "Priya Shah showed me messages from an adult she met in a game."
SCREENS = [
    ("categories", "Categories"),
    ("alert-groups", "Alert groups"),
    ("agencies", "Agencies"),
]


@pytest.fixture(scope="module")
def pupil(django_db_setup: None, django_db_blocker: Any) -> None:
    """A pupil at Alpha for the teacher's incident (committed: the server must see it)."""
    with django_db_blocker.unblock(), School.objects.get(schema_name=ALPHA.subdomain):
        Pupil.objects.get_or_create(
            mis_id="SETTINGS-E2E-1",
            defaults={"legal_first_name": "Priya", "legal_last_name": "Shah"},
        )


@pytest.fixture
def cleanup(django_db_blocker: Any) -> Iterator[None]:
    """The server commits what the browser does: the new subcategory is deactivated afterwards,
    so other tests see Alpha's usual form (the teacher's incident keeps it, as records do)."""
    yield
    with django_db_blocker.unblock(), School.objects.get(schema_name=ALPHA.subdomain):
        Subcategory.objects.filter(name=NEW_SUBCATEGORY).update(is_active=False)


def serious_violations(page: Page) -> list[tuple[str, list[Any]]]:
    """Serious and critical axe violations, each with the elements at fault."""
    results = Axe().run(page)
    violations: list[dict[str, Any]] = results.response["violations"]
    return [
        (v["id"], [node["target"] for node in v["nodes"]])
        for v in violations
        if v.get("impact") in {"serious", "critical"}
    ]


def shot(page: Page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"settings-{name}.png"), full_page=True)


def test_an_admin_adds_a_subcategory_and_a_teacher_is_offered_it(
    cleanup: None,  # first, so it runs after the browser has gone (see conftest's `browser`)
    pupil: None,
    django_db_blocker: Any,
    page: Page,
    context: BrowserContext,
    browser: Browser,
    haven_server: HavenServer,
    admin_session: str,
    chloe_session: str,
) -> None:
    sign_in(context, haven_server, admin_session)
    page.goto(haven_server.url("alpha"))
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Settings", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1, name="Categories")).to_be_visible()
    expect(page).to_have_url(haven_server.url("alpha", "/settings/categories"))

    bullying = page.get_by_role("listitem", name="Bullying", exact=True)
    bullying.get_by_label("New subcategory of Bullying").fill(NEW_SUBCATEGORY)
    bullying.get_by_role("button", name="Add subcategory").click()
    expect(bullying.get_by_text(NEW_SUBCATEGORY, exact=True)).to_be_visible()
    expect(bullying.get_by_label("New subcategory of Bullying")).to_have_value("")
    # Adding it again is refused next to the field, and what was typed stays.
    bullying.get_by_label("New subcategory of Bullying").fill(NEW_SUBCATEGORY.upper())
    bullying.get_by_role("button", name="Add subcategory").click()
    expect(bullying.get_by_text("There is already a subcategory called")).to_be_visible()
    expect(bullying.get_by_label("New subcategory of Bullying")).to_have_value(
        NEW_SUBCATEGORY.upper()
    )
    shot(page, "categories-subcategory-added")

    teacher_context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    try:
        sign_in(teacher_context, haven_server, chloe_session)
        teacher = teacher_context.new_page()
        teacher.goto(haven_server.url("alpha", "/add-incident"))
        expect(teacher.get_by_role("heading", level=1, name="Add Incident")).to_be_visible()
        # Not an admin: no Settings link.
        expect(
            teacher.get_by_role("navigation", name="Main").get_by_role(
                "link", name="Settings", exact=True
            )
        ).to_have_count(0)
        # The teacher files an incident under the new subcategory on the form.
        teacher.get_by_role("combobox", name="Student", exact=True).fill("Priya Sha")
        teacher.get_by_role("option", name=re.compile("Priya Shah")).click()
        teacher.get_by_label("Incident", exact=True).fill(INCIDENT_TEXT)
        teacher.get_by_role("group", name="Categories").get_by_role(
            "button", name="Bullying", exact=True
        ).click()
        new_one = teacher.get_by_role("button", name=NEW_SUBCATEGORY, exact=True)
        new_one.click()
        expect(new_one).to_have_attribute("aria-pressed", "true")
        teacher.get_by_role("button", name="Add Incident", exact=True).click()
        expect(teacher.get_by_text("Your incident has been added")).to_be_visible()

        def filed_under() -> list[str]:
            incident = Incident.objects.get(text=INCIDENT_TEXT)
            return [s.name for s in incident.subcategories.all()]

        assert in_school_thread_of(django_db_blocker, filed_under) == [NEW_SUBCATEGORY]
        teacher.goto(haven_server.url("alpha", "/settings/categories"))
        expect(
            teacher.get_by_text("Only school admins can change the school's settings.")
        ).to_be_visible()
    finally:
        teacher_context.close()


@pytest.mark.parametrize("width", [1280, 360])
def test_each_settings_screen_is_accessible(
    page: Page, context: BrowserContext, haven_server: HavenServer, admin_session: str, width: int
) -> None:
    sign_in(context, haven_server, admin_session)
    page.set_viewport_size({"width": width, "height": 800})
    for path, heading in SCREENS:
        page.goto(haven_server.url("alpha", f"/settings/{path}"))
        expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
        expect(page.get_by_role("list").first).to_be_visible()
        assert serious_violations(page) == [], path
        # Nothing is wider than the window: no sideways scrolling at 360 px.
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), path
        shot(page, f"{path}-{width}")

    # The colour check as the admin types, with its message next to the field.
    page.goto(haven_server.url("alpha", "/settings/categories"))
    add = page.get_by_role("region", name="Add a category")
    add.get_by_label("Name").fill("Online Safety")
    add.get_by_label("Colour", exact=True).fill("#f6ad55")
    expect(add.get_by_text("it needs at least 4.5:1 to be readable")).to_be_visible()
    assert serious_violations(page) == []
    shot(page, f"categories-contrast-error-{width}")

    # Editing opens in place, keyboard first: the move buttons and the form are reachable.
    page.get_by_role("button", name="Edit Bullying").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Save")).to_be_visible()
    assert serious_violations(page) == []

    # Alert group members: the type-ahead offers colleagues as buttons.
    page.goto(haven_server.url("alpha", "/settings/alert-groups"))
    page.get_by_label("Add a member to Teachers").fill("Kel")
    expect(page.get_by_role("button", name="Add Chloe Kelan to Teachers")).to_be_visible()
    assert serious_violations(page) == []
    shot(page, f"alert-groups-type-ahead-{width}")
