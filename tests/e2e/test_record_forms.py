"""Add Incident and Add Action in a real browser: keyboard only, errors, files, accessibility."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from graphql_api.ids import global_id
from safeguarding.models import Action, Alert, Incident
from tests.e2e.conftest import SCREENSHOT_DIR, HavenServer
from tests.e2e.support_record_forms import (
    SUBDOMAIN,
    RecordFormsData,
    drop_school,
    in_school_thread,
    seed,
    sign_in_at_gamma,
    slt_member_ids,
)
from tests.e2e.test_app_shell import serious_violations

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(512)
RED = "would not normally be able to view this incident"


@pytest.fixture(scope="module")
def data(django_db_setup: None, django_db_blocker: Any) -> Iterator[RecordFormsData]:
    with django_db_blocker.unblock():
        seeded = seed()
    yield seeded
    with django_db_blocker.unblock():
        drop_school()


@pytest.fixture
def form_page(
    page: Page, context: BrowserContext, haven_server: HavenServer, data: RecordFormsData
) -> Page:
    sign_in_at_gamma(context, haven_server, data.session_key)
    page.goto(haven_server.url(SUBDOMAIN, "/add-incident"))
    expect(page.get_by_role("heading", level=1, name="Add Incident")).to_be_visible()
    return page


def tab_to(page: Page, target: Locator, *, limit: int = 80) -> None:
    """Press Tab until the target has the focus, as a keyboard user would."""
    for _ in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {target}")


def shoot(page: Page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=True)


def test_add_incident_with_the_keyboard_only(
    form_page: Page, data: RecordFormsData, django_db_blocker: Any
) -> None:
    page = form_page
    keyboard = page.keyboard

    student = page.get_by_role("combobox", name="Student", exact=True)
    tab_to(page, student)
    keyboard.type("hann")
    option = page.get_by_role("option", name="Hannah Greenwood (1B)")
    expect(option).to_be_visible()
    expect(student).to_have_attribute("aria-expanded", "true")
    keyboard.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    keyboard.press("Enter")
    chosen = page.get_by_label("Student", exact=True)
    expect(chosen).to_have_value("Hannah Greenwood (1B)")
    expect(chosen).to_have_attribute("readonly", "")
    expect(page.get_by_role("button", name="Clear student")).to_be_visible()

    tab_to(page, page.get_by_label("Incident", exact=True))
    keyboard.type("Hannah was upset at the gate; Matthew saw their father.")

    for name in ["Child Protection", "Home Issues"]:
        tab_to(page, page.get_by_role("button", name=name, exact=True))
        keyboard.press("Space")
        expect(page.get_by_role("button", name=name, exact=True).first).to_have_attribute(
            "aria-pressed", "true"
        )
    caf = page.get_by_role("group", name="Child Protection Subcategories").get_by_role(
        "button", name="CAF"
    )
    tab_to(page, caf)
    keyboard.press("Space")
    expect(caf).to_have_attribute("aria-pressed", "true")

    tab_to(page, page.get_by_role("combobox", name="Linked student(s)"))
    keyboard.type("matth")
    expect(page.get_by_role("option", name="Matthew Greenwood (5B)")).to_be_visible()
    keyboard.press("ArrowDown")
    keyboard.press("Enter")
    linked = page.get_by_role("list", name="Linked students")
    expect(linked.get_by_text("Matthew Greenwood (5B)", exact=True)).to_be_visible()
    expect(
        linked.get_by_role("group", name="Categories for Matthew Greenwood (5B)").get_by_role(
            "button", name="Home Issues"
        )
    ).to_have_attribute("aria-pressed", "true")

    tab_to(page, page.get_by_role("button", name="Add marker to front"))
    keyboard.press("Enter")
    tab_to(page, page.get_by_label("Note for marker 1 (front)"))
    keyboard.type("Bruise on left arm")

    alert = page.get_by_role("combobox", name="Alert Staff Members")
    tab_to(page, alert)
    keyboard.type("wend")
    wendy = page.get_by_role("option", name=re.compile("Wendy Abbott"))
    expect(wendy).to_contain_text(RED)
    expect(wendy).to_have_css("color", "rgb(176, 0, 32)")
    keyboard.press("ArrowDown")
    keyboard.press("Enter")
    chips = page.get_by_role("list", name="Colleagues to alert")
    expect(chips).to_contain_text("Wendy Abbott")
    expect(chips).to_contain_text(RED)
    slt = page.get_by_role("button", name="SLT", exact=True)
    tab_to(page, slt)
    keyboard.press("Space")
    expect(slt).to_have_attribute("aria-pressed", "true")

    shoot(page, "record-forms-add-incident-filled")
    assert serious_violations(page) == []
    tab_to(page, page.get_by_role("button", name="Add Incident"))
    keyboard.press("Enter")
    # Without key access the author cannot read it back: the dashboard says it was added.
    expect(page.get_by_role("heading", level=1, name="Dashboard")).to_be_visible()
    expect(page.get_by_text("Your incident has been added")).to_be_visible()

    def saved() -> dict[str, Any]:
        incident = Incident.objects.get(pupil_id=data.hannah_id, author_id=data.author_id)
        return {
            "text": incident.text,
            "categories": {c.name for c in incident.categories.all()},
            "subcategories": {s.name for s in incident.subcategories.all()},
            "links": [
                (link.pupil_id, {c.name for c in link.categories.all()})
                for link in incident.links.all()
            ],
            "markers": [(m.side, m.number, m.note) for m in incident.body_map_markers.all()],
            "alerted": set(incident.alerts.values_list("recipient_id", flat=True)),
            "slt": slt_member_ids(),
        }

    record = in_school_thread(django_db_blocker, saved)
    assert record["text"] == "Hannah was upset at the gate; Matthew saw their father."
    assert record["categories"] == {"Child Protection", "Home Issues"}
    assert record["subcategories"] == {"CAF"}
    assert record["links"] == [(data.matthew_id, {"Child Protection", "Home Issues"})]
    assert record["markers"] == [("front", 1, "Bruise on left arm")]
    assert record["alerted"] == {data.wendy_id} | record["slt"]


def test_an_error_sits_next_to_its_field_and_nothing_typed_is_lost(form_page: Page) -> None:
    page = form_page
    page.get_by_role("combobox", name="Student", exact=True).fill("hannah")
    page.get_by_role("option", name="Hannah Greenwood (1B)").click()
    page.get_by_label("Incident", exact=True).fill("Seen crying in the corridor.")

    page.get_by_role("button", name="Add Incident").click()

    categories = page.locator("fieldset", has=page.get_by_text("Categories", exact=True))
    expect(categories).to_contain_text("Choose at least one category.")
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link", name="Choose at least one category.")).to_be_visible()
    expect(page.get_by_label("Incident", exact=True)).to_have_value("Seen crying in the corridor.")
    expect(page.get_by_label("Student", exact=True)).to_have_value("Hannah Greenwood (1B)")
    assert page.url.endswith("/add-incident")
    assert serious_violations(page) == []
    # The draft survives a reload (e.g. signing in again after the session ended).
    page.reload()
    expect(page.get_by_label("Incident", exact=True)).to_have_value("Seen crying in the corridor.")
    shoot(page, "record-forms-add-incident-error")


def test_files_upload_at_once_and_refused_types_say_why(form_page: Page) -> None:
    page = form_page
    chooser = page.get_by_label("Click to browse or drag a file to upload")
    chooser.set_input_files(
        {"name": "Social services letter.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    files = page.get_by_role("list", name="Files")
    letter = files.get_by_role("listitem").filter(has_text="Social services letter.pdf")
    expect(letter).to_contain_text("Uploaded")

    chooser.set_input_files(
        {"name": "invoice.pdf.exe", "mimeType": "application/octet-stream", "buffer": EXE}
    )
    refused = files.get_by_role("listitem").filter(has_text="invoice.pdf.exe")
    expect(refused).to_contain_text(
        "Not uploaded: Only PDF, image, Office and plain text files can be uploaded."
    )
    refused.get_by_role("button", name="Remove invoice.pdf.exe").click()
    expect(refused).to_have_count(0)
    expect(letter).to_be_visible()
    shoot(page, "record-forms-files")


def test_add_action_alerting_the_incidents_recipients(
    page: Page,
    context: BrowserContext,
    haven_server: HavenServer,
    data: RecordFormsData,
    django_db_blocker: Any,
) -> None:
    incident_gid = in_school_thread(
        django_db_blocker, lambda: str(global_id("Incident", data.alerted_incident_id))
    )
    sign_in_at_gamma(context, haven_server, data.session_key)
    path = f"/incidents/{incident_gid}/add-action"
    page.goto(haven_server.url(SUBDOMAIN, path))
    expect(page.get_by_role("heading", level=1, name="Add Action")).to_be_visible()
    header = page.get_by_role("region", name="Hannah Greenwood (1B)")
    expect(header).to_contain_text("Wendy Abbott")
    expect(header).to_contain_text("Mr Greenwood was spotted outside of the school gates")
    expect(header).to_contain_text("Home Issues")
    expect(
        page.get_by_text("These user(s) were alerted to the corresponding incident.")
    ).to_be_visible()
    recipients = page.get_by_role("list", name="Alerted to the incident")
    expect(recipients.get_by_role("listitem")).to_have_text(["Pat Jones", "Rachel Morgan"])

    page.get_by_label("Action Taken").fill("Spoke to Mum; school gates watched at home time.")
    page.get_by_role("checkbox", name="Police").check()
    page.get_by_role("checkbox", name="Add incident alert recipients").check()
    shoot(page, "record-forms-add-action")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Add Action").click()
    expect(page).to_have_url(re.compile(r"/incidents/[^/]+$"))

    def saved() -> dict[str, Any]:
        action = Action.objects.get(incident_id=data.alerted_incident_id)
        return {
            "text": action.text,
            "agencies": {a.name for a in action.agencies.all()},
            "alerted": set(
                Alert.objects.filter(action=action).values_list("recipient_id", flat=True)
            ),
        }

    record = in_school_thread(django_db_blocker, saved)
    assert record["text"] == "Spoke to Mum; school gates watched at home time."
    assert record["agencies"] == {"Police"}
    # Rachel and Pat were alerted to the incident; Rachel adds the action, so Pat is alerted.
    assert record["alerted"] == {data.pat_id}


def test_add_incident_has_no_serious_accessibility_problems(form_page: Page) -> None:
    page = form_page
    page.get_by_role("combobox", name="Student", exact=True).fill("hannah")
    page.get_by_role("option", name="Hannah Greenwood (1B)").click()
    page.get_by_role("button", name="Child Protection", exact=True).click()
    page.get_by_role("combobox", name="Alert Staff Members").fill("wend")
    expect(page.get_by_role("option", name=re.compile("Wendy Abbott"))).to_be_visible()
    assert serious_violations(page) == []
    shoot(page, "record-forms-add-incident")


def test_add_incident_fits_a_narrow_phone(form_page: Page) -> None:
    page = form_page
    page.set_viewport_size({"width": 360, "height": 780})
    page.get_by_role("combobox", name="Student", exact=True).fill("hannah")
    page.get_by_role("option", name="Hannah Greenwood (1B)").click()
    page.get_by_role("button", name="Child Protection", exact=True).click()
    expect(page.get_by_role("button", name="Clear student")).to_be_visible()
    too_wide = page.evaluate(
        """() => [...document.querySelectorAll('main *')]
            .filter(el => el.getBoundingClientRect().right > innerWidth + 0.5)
            .map(el => `${el.tagName}.${el.className} ${el.getBoundingClientRect().right}`)
            .slice(0, 10)"""
    )
    assert too_wide == []
    assert page.evaluate("() => document.documentElement.scrollWidth - innerWidth") <= 0
    shoot(page, "record-forms-add-incident-360")
