"""The user guide's whole story in a real browser, with a real worker and SMTP server.

Chloe Kelan adds an incident for Hannah Greenwood (Child Protection, Home Issues), links
Matthew Greenwood, places two body-map markers, attaches a PDF and alerts Wendy Abbott and the
SLT group. Wendy gets the content-free e-mail, follows its link, logs in, sees the alert, reads
the incident, adds an action alerting the incident's recipients, marks it read and can no longer
open it. The DSL (a key holder, signing in with a code from her authenticator app) still can.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context
from playwright.sync_api import Browser, BrowserContext, Page, expect

from safeguarding.models import (
    AccessLevel,
    Action,
    Alert,
    AlertGroup,
    AuditEvent,
    Incident,
    Pupil,
    Staff,
    TutorGroup,
    YearGroup,
)
from safeguarding.services.defaults import school_defaults_install
from tenants.help_pages import HELP_SCREENSHOT_DIR
from tenants.models import School
from tenants.schools import school_create
from tests.e2e.conftest import SCREENSHOT_DIR, HavenServer, running_haven_server
from tests.notifications.harness import (
    PrivateRedis,
    SmtpSink,
    Worker,
    broker_repointed,
    wait_until,
)

pytestmark = pytest.mark.django_db

SCHOOL = "oakfield"
PASSWORD = "a-long-scenario-password-4821"
TEXT = (
    "Mr Greenwood was spotted outside of the school gates at the end of the school day. "
    "Mrs Simpson had seen him when she was coming to pick Leah up. She also managed to "
    "prevent both Hannah Greenwood and Matthew Greenwood from seeing their father."
)
ACTION_TEXT = "Spoke to Hannah Greenwood at break; she is fine. Phoned home."
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass(frozen=True)
class Cast:
    chloe: str
    wendy: str
    dsl: str
    dsl_totp_key: bytes
    hannah_id: int


def _tutor_group(name: str, year: int) -> TutorGroup:
    year_group, _ = YearGroup.objects.get_or_create(name=f"Year {year}", defaults={"order": year})
    tutor_group, _ = TutorGroup.objects.get_or_create(
        name=name, defaults={"year_group": year_group}
    )
    return tutor_group


@pytest.fixture(scope="module")
def cast(django_db_setup: None, django_db_blocker: Any) -> Iterator[Cast]:
    """The guide's people, committed (the browser's server must see them) in a school of their
    own, dropped afterwards: the audit log is append-only, so its rows could not be removed
    from a school other tests share."""
    with django_db_blocker.unblock(), schema_context("public"):
        school = school_create(
            defaults_install=school_defaults_install,
            name="The Oakfield Academy",
            subdomain=SCHOOL,
            urn="100009",
            dsl_email=f"dsl@{SCHOOL}.example",
        )
    try:
        yield _cast_in(school, django_db_blocker)
    finally:
        with django_db_blocker.unblock(), schema_context("public"):
            School.objects.get(schema_name=SCHOOL).delete(force_drop=True)


def _cast_in(school: School, django_db_blocker: Any) -> Cast:
    with django_db_blocker.unblock(), school:

        def person(email: str, first: str, last: str, title: str, **extra: Any) -> Staff:
            staff = Staff.objects.create_user(
                email=email, first_name=first, last_name=last, job_title=title, **extra
            )
            staff.set_password(PASSWORD)
            staff.save()
            return staff

        chloe = person("chloe.kelan@scenario.example", "Chloe", "Kelan", "Teacher")
        wendy = person("wendy.abbott@scenario.example", "Wendy", "Abbott", "Teaching Assistant")
        dsl = person(
            "sarah.newton@scenario.example",
            "Sarah",
            "Newton",
            "Designated Safeguarding Lead",
            is_key_holder=True,
            access_level=AccessLevel.objects.get(name="DSL"),
        )
        device = TOTPDevice.objects.create(user=dsl, name="Phone", confirmed=True)
        AlertGroup.objects.get(name="SLT").members.add(dsl)
        one_b, five_b = _tutor_group("1B", 1), _tutor_group("5B", 5)
        hannah = Pupil.objects.create(
            mis_id="SCENARIO-1",
            legal_first_name="Hannah",
            legal_last_name="Greenwood",
            tutor_group=one_b,
            year_group=one_b.year_group,
        )
        Pupil.objects.create(
            mis_id="SCENARIO-2",
            legal_first_name="Matthew",
            legal_last_name="Greenwood",
            tutor_group=five_b,
            year_group=five_b.year_group,
        )
        return Cast(chloe.email, wendy.email, dsl.email, device.bin_key, hannah.pk)


@dataclass
class Stack:
    server: HavenServer
    mail: SmtpSink


@pytest.fixture(scope="module")
def stack(django_db_setup: None, django_db_blocker: Any, built_frontend: Any) -> Iterator[Stack]:
    """A server and a Celery worker on a private broker, delivering to a real SMTP server."""
    broker = PrivateRedis()
    broker.start()
    mail = SmtpSink()
    mail.start()
    worker = Worker(
        broker_url=broker.url,
        smtp_port=mail.port,
        extra_env={"HAVEN_SITE_PORT": "0"},
        log_name="scenario-worker",
    )
    try:
        with running_haven_server(
            django_db_blocker,
            extra_env={"CELERY_BROKER_URL": broker.url, "CELERY_RESULT_BACKEND": broker.url},
            log_name="scenario-server",
        ) as server:
            # The e-mail's link names the school's host and this server's port.
            worker.env["HAVEN_SITE_PORT"] = str(server.port)
            # The worker answers its start-up ping on its own broker.
            with broker_repointed(broker.url):
                worker.start()
            yield Stack(server=server, mail=mail)
    finally:
        worker.stop()
        mail.stop()
        broker.close()


def shot(page: Page, name: str, guide: str | None = None) -> None:
    """A picture of the screen; with ``guide``, also the user guide's picture of it (a
    committed file, so every run keeps the guide's screenshots up to date)."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"scenario-{name}.png"), full_page=True)
    if guide is not None:
        page.screenshot(path=str(HELP_SCREENSHOT_DIR / f"{guide}.png"), full_page=True)


def new_page(browser: Browser) -> tuple[BrowserContext, Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(20_000)
    return context, context.new_page()


def log_in(page: Page, email: str) -> None:
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Login").click()


def choose_student(page: Page, label: str, typed: str, option: str) -> None:
    page.get_by_role("combobox", name=label, exact=True).fill(typed)
    page.get_by_role("option", name=re.compile(option)).first.click()


def test_the_guide_from_incident_to_mark_as_read(
    browser: Browser, stack: Stack, cast: Cast, tmp_path: Any
) -> None:
    server = stack.server
    pdf = tmp_path / "social-services-letter.pdf"
    pdf.write_bytes(PDF)

    # --- Chloe adds the incident -------------------------------------------------------------
    chloe_context, page = new_page(browser)
    page.goto(server.url(SCHOOL, "/login"))
    log_in(page, cast.chloe)
    expect(page.get_by_role("heading", level=1, name="Dashboard")).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Add Incident").click()
    expect(page.get_by_role("heading", level=1, name="Add Incident")).to_be_visible()

    choose_student(page, "Student", "Hannah Gre", "Hannah Greenwood")
    page.get_by_label("Incident", exact=True).fill(TEXT)
    categories = page.get_by_role("group", name="Categories")
    categories.get_by_role("button", name="Child Protection", exact=True).click()
    categories.get_by_role("button", name="Home Issues", exact=True).click()
    choose_student(page, "Linked student(s)", "Matthew", "Matthew Greenwood")

    front = page.get_by_role("group", name="Front", exact=True)
    box = front.bounding_box()
    assert box is not None
    front.click(position={"x": box["width"] * 0.5, "y": box["height"] * 0.3})
    front.click(position={"x": box["width"] * 0.4, "y": box["height"] * 0.6})

    page.get_by_role("combobox", name="Alert Staff Members").fill("Wendy")
    page.get_by_role("option", name=re.compile("Wendy Abbott")).click()
    page.get_by_role("button", name="SLT", exact=True).click()
    page.locator("input[type=file]").first.set_input_files(str(pdf))
    files = page.get_by_role("list", name="Files")
    expect(files.get_by_text("social-services-letter.pdf")).to_be_visible()
    expect(files.get_by_text("Uploaded")).to_be_visible()
    shot(page, "1-add-incident", guide="add-incident")
    page.get_by_role("button", name="Add Incident", exact=True).click()

    # Chloe has no key access: she cannot read it back, and My History lists it.
    expect(page.get_by_text("Your incident has been added")).to_be_visible()
    history = page.get_by_role("region", name="My History")
    expect(history.get_by_text(re.compile("Hannah Greenwood"))).to_be_visible()
    shot(page, "2-dashboard-as-chloe", guide="my-history")
    chloe_context.close()

    # --- Wendy's e-mail: who and which category, nothing else --------------------------------
    def wendys_mail() -> list[Any]:
        return [m for m in stack.mail.handler.delivered() if cast.wendy in str(m["To"])]

    wait_until(lambda: bool(wendys_mail()), "the alert e-mail to Wendy")
    message = wendys_mail()[0]
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    assert "Chloe Kelan" in text
    assert "Child Protection" in text
    assert "Greenwood" not in text
    assert "Greenwood" not in str(message["Subject"])
    link_match = re.search(rf"https?://{SCHOOL}\.localhost:\d+/\S*", text)
    assert link_match is not None, text
    link = link_match.group(0).replace("https://", "http://", 1)

    # --- Wendy follows the link, reads, adds an action, marks as read ------------------------
    wendy_context, page = new_page(browser)
    page.goto(link)
    log_in(page, cast.wendy)
    alert_row = page.get_by_role("row", name=re.compile("Chloe Kelan added an incident for Hannah"))
    expect(alert_row).to_be_visible()
    expect(alert_row.get_by_text("Child Protection")).to_be_visible()
    expect(alert_row.get_by_text("Home Issues")).to_be_visible()
    shot(page, "3-dashboard-as-wendy", guide="dashboard")
    alert_row.get_by_role("link", name=re.compile("incident", re.I)).click()
    expect(
        page.get_by_role("heading", level=1, name="Viewing Incident - Hannah Greenwood (1B)")
    ).to_be_visible()
    incident_url = page.url
    expect(page.get_by_text("Mr Greenwood was spotted")).to_be_visible()
    expect(page.get_by_text("Chloe Kelan alerted you to this incident.")).to_be_visible()
    expect(page.get_by_text("Matthew Greenwood", exact=True)).to_be_visible()
    shot(page, "4-incident-as-wendy", guide="viewing-incident")

    page.get_by_role("link", name="Add Action").click()
    page.get_by_label("Action Taken").fill(ACTION_TEXT)
    page.get_by_label("Add incident alert recipients").check()
    shot(page, "5-add-action", guide="add-action")
    page.get_by_role("button", name="Add Action", exact=True).click()
    expect(page.get_by_text("Spoke to Hannah Greenwood at break")).to_be_visible()

    page.get_by_role("button", name="mark as read").click()
    # The guide's warning to staff without key access comes before it takes effect.
    expect(page.get_by_text(re.compile("you will not be able to read it again"))).to_be_visible()
    shot(page, "6-mark-as-read-warning", guide="mark-as-read")
    page.get_by_role("button", name=re.compile("^(Mark as read|Yes)", re.I)).click()
    expect(page.get_by_role("heading", level=1, name="Dashboard")).to_be_visible()
    expect(page.get_by_text("Chloe Kelan added an incident for Hannah")).to_have_count(0)
    page.goto(incident_url)
    expect(page.get_by_text("Mr Greenwood was spotted")).to_have_count(0)
    expect(page.get_by_text(re.compile("not found|no longer have access", re.I))).to_be_visible()
    shot(page, "7-incident-gone-for-wendy")
    wendy_context.close()

    # --- The DSL still can -------------------------------------------------------------------
    dsl_context, page = new_page(browser)
    page.goto(incident_url)
    log_in(page, cast.dsl)
    code = f"{TOTP(cast.dsl_totp_key).token():06d}"
    page.get_by_label(re.compile("code", re.I)).fill(code)
    page.get_by_role("button", name=re.compile("Verify|Continue", re.I)).click()
    # Wait until the code is accepted before leaving the page.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile("^(Dashboard|Viewing Incident)")
    )
    page.goto(incident_url)
    expect(page.get_by_text("Mr Greenwood was spotted")).to_be_visible()
    expect(page.get_by_text("Spoke to Hannah Greenwood at break")).to_be_visible()
    shot(page, "8-incident-as-dsl")
    dsl_context.close()


def test_the_scenario_left_the_records_the_guide_describes(
    django_db_blocker: Any, cast: Cast
) -> None:
    """Runs after the browser test in this module (same order as written)."""
    with django_db_blocker.unblock(), School.objects.get(schema_name=SCHOOL):
        incident = Incident.objects.filter(pupil_id=cast.hannah_id).order_by("-id").first()
        assert incident is not None, "the browser scenario did not save the incident"
        assert {c.name for c in incident.categories.all()} == {"Child Protection", "Home Issues"}
        assert incident.body_map_markers.count() == 2
        assert incident.attachments.count() == 1
        assert Action.objects.filter(incident=incident, text=ACTION_TEXT).exists()
        wendy = Staff.objects.get(email=cast.wendy)
        dsl = Staff.objects.get(email=cast.dsl)
        assert Alert.objects.get(recipient=wendy, incident=incident, action=None).read_at
        reads = AuditEvent.objects.filter(
            action="incident.read", object_id=str(incident.pk)
        ).values_list("actor__email", flat=True)
        assert {cast.wendy, cast.dsl} <= set(reads)
        assert dsl.pk in set(
            Alert.objects.filter(incident=incident).values_list("recipient_id", flat=True)
        )
