"""The Library, Account Settings and API clients screens in a real browser."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import struct
import time
import urllib.error
import urllib.request
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, FilePayload, Page, expect

from tests.e2e.conftest import SCREENSHOT_DIR, HavenServer
from tests.e2e.support_account_library import (
    PASSWORD,
    SUBDOMAIN,
    Accounts,
    accounts,
    fits_a_phone,
    log_in,
)
from tests.e2e.test_app_shell import serious_violations

pytestmark = pytest.mark.django_db

__all__ = ["accounts"]  # the module fixture, imported so pytest finds it here

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def screenshot(page: Page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=True)


def new_context(browser: Browser) -> BrowserContext:
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="en-GB", accept_downloads=True
    )
    context.set_default_timeout(15_000)
    return context


def test_admin_publishes_a_document_and_a_teacher_downloads_it(
    browser: Browser, haven_server: HavenServer, accounts: Accounts
) -> None:
    admin_context = new_context(browser)
    admin = admin_context.new_page()
    log_in(
        admin,
        haven_server,
        accounts.admin_email,
        PASSWORD,
        "/library",
        code=accounts.admin_codes.pop(),
    )
    expect(admin.get_by_role("heading", level=1, name="Library")).to_be_visible()
    expect(admin.get_by_text("There are no documents in the library yet.")).to_be_visible()

    # A folder without a name is refused next to the field, and nothing is lost.
    admin.get_by_role("button", name="Create Folder").click()
    expect(admin.get_by_text("Name the folder.")).to_be_visible()
    admin.get_by_label("Folder name").fill("Policies")
    admin.get_by_role("button", name="Create Folder").click()
    created = admin.get_by_role("status").filter(has_text="Folder “Policies” created.")
    expect(created).to_be_visible()
    expect(admin.get_by_role("heading", level=2, name="Policies")).to_be_visible()
    expect(admin.get_by_text("Visible to all staff")).to_be_visible()

    policy: FilePayload = {
        "name": "safeguarding-policy.pdf",
        "mimeType": "application/pdf",
        "buffer": PDF,
    }
    admin.get_by_label("File", exact=True).set_input_files(files=[policy])
    expect(admin.get_by_label("Title", exact=True)).to_have_value("safeguarding-policy")
    admin.get_by_label("Title", exact=True).fill("Safeguarding policy")
    admin.get_by_role("button", name="Upload Document").click()
    expect(admin.get_by_role("link", name="Safeguarding policy", exact=True)).to_be_visible()
    meta = re.compile(r"PDF, \d+ bytes, added \w{3} \d\d/\d\d/\d{4} \d\d:\d\d")
    expect(admin.get_by_text(meta)).to_be_visible()

    admin.get_by_role("button", name="Rename Safeguarding policy").click()
    title = admin.get_by_label("Document title")
    expect(title).to_be_focused()
    title.fill("Safeguarding policy 2026")
    admin.get_by_role("button", name="Rename Document").click()
    expect(admin.get_by_role("link", name="Safeguarding policy 2026")).to_be_visible()
    expect(admin.get_by_text("Document renamed to “Safeguarding policy 2026”.")).to_be_visible()

    # A folder with a document in it cannot be deleted; the confirmation says why.
    admin.get_by_role("button", name="Delete folder Policies").click()
    expect(admin.get_by_text("still has 1 document(s)")).to_be_visible()
    expect(admin.get_by_role("button", name="Delete Folder", exact=True)).to_have_count(0)
    admin.get_by_role("button", name="Cancel").click()

    assert serious_violations(admin) == []
    assert fits_a_phone(admin, "library-admin")
    screenshot(admin, "library-admin")
    admin_context.close()

    teacher_context = new_context(browser)
    teacher = teacher_context.new_page()
    log_in(teacher, haven_server, accounts.teacher_email, PASSWORD, "/library")
    link = teacher.get_by_role("link", name="Safeguarding policy 2026")
    expect(link).to_be_visible()
    # Staff read the library; they do not manage it.
    expect(teacher.get_by_role("button", name=re.compile("Rename|Delete|Move"))).to_have_count(0)
    expect(teacher.get_by_role("heading", name="Create a folder")).to_have_count(0)
    with teacher.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "safeguarding-policy.pdf"
    path = download.path()
    assert path.read_bytes() == PDF
    assert serious_violations(teacher) == []
    screenshot(teacher, "library-teacher")
    teacher_context.close()


def test_teacher_ends_another_session_changes_password_and_alert_emails(
    browser: Browser, haven_server: HavenServer, accounts: Accounts
) -> None:
    elsewhere_context = new_context(browser)
    elsewhere = elsewhere_context.new_page()
    log_in(elsewhere, haven_server, accounts.teacher_email, PASSWORD)

    context = new_context(browser)
    page = context.new_page()
    log_in(page, haven_server, accounts.teacher_email, PASSWORD, "/account")
    expect(page.get_by_role("heading", level=1, name="Account Settings")).to_be_visible()

    sessions = page.get_by_role("region", name="Where you are signed in")
    expect(sessions.get_by_text("This device")).to_have_count(1)
    end_buttons = sessions.get_by_role("button", name=re.compile("^End Session"))
    expect(sessions.get_by_text("Chrome on Linux").first).to_be_visible()
    # The other browser, and any earlier session of the same teacher, newest first.
    others = end_buttons.count()
    assert others >= 1
    end_buttons.first.click()
    expect(sessions.get_by_text("Session ended: Chrome on Linux is signed out.")).to_be_visible()
    expect(end_buttons).to_have_count(others - 1)
    elsewhere.reload()
    expect(elsewhere.get_by_role("heading", level=1, name="Login")).to_be_visible()
    elsewhere_context.close()

    password = page.get_by_role("region", name="Change password")
    password.get_by_label("Current password").fill(PASSWORD)
    password.get_by_label("New password", exact=True).fill("short")
    password.get_by_label("Confirm new password").fill("short")
    password.get_by_role("button", name="Change Password").click()
    # The server's password rule is shown next to the field, and nothing typed is lost.
    too_short = password.locator(".field-invalid").get_by_text(re.compile("too short"))
    expect(too_short).to_be_visible(timeout=30_000)
    expect(password.get_by_label("Current password")).to_have_value(PASSWORD)
    new_password = "Otter-meadow-compass-77"
    password.get_by_label("New password", exact=True).fill(new_password)
    password.get_by_label("Confirm new password").fill(new_password)
    password.get_by_role("button", name="Change Password").click()
    # Hashing passwords is slow on purpose, and slower on a busy machine.
    expect(password.get_by_text("Your password has been changed.")).to_be_visible(timeout=30_000)
    expect(password.get_by_label("Current password")).to_have_value("")

    emails = page.get_by_role("region", name="Alert e-mails")
    checkbox = emails.get_by_label("E-mail me when I am alerted")
    expect(checkbox).to_be_checked()
    checkbox.uncheck()
    expect(emails.get_by_text("you will no longer get alert e-mails")).to_be_visible()
    page.reload()
    expect(page.get_by_label("E-mail me when I am alerted")).not_to_be_checked()
    # The session survives its own password change; the new password works elsewhere.
    expect(page.get_by_role("heading", level=1, name="Account Settings")).to_be_visible()

    assert serious_violations(page) == []
    assert fits_a_phone(page, "account-settings")
    screenshot(page, "account-settings")
    context.close()

    again = new_context(browser)
    fresh = again.new_page()
    log_in(fresh, haven_server, accounts.teacher_email, new_password, "/account")
    expect(fresh.get_by_role("heading", level=1, name="Account Settings")).to_be_visible()
    again.close()


def _call_with_token(server: HavenServer, token: str) -> int:
    body = json.dumps(
        {"query": "mutation { syncGroups(records: [], dryRun: true) { dryRun errors { code } } }"}
    ).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{server.port}/graphql",
        data=body,
        method="POST",
        headers={
            "Host": f"{SUBDOMAIN}.localhost",
            "Content-Type": "application/json",
            "Authorization": f"Bearer {token}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            answer = json.loads(response.read())
            assert answer["data"]["syncGroups"] == {"dryRun": True, "errors": []}
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_admin_creates_an_api_client_whose_token_works_until_revoked(
    browser: Browser, haven_server: HavenServer, accounts: Accounts
) -> None:
    context = new_context(browser)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    log_in(
        page,
        haven_server,
        accounts.admin_email,
        PASSWORD,
        "/settings/api-clients",
        code=accounts.admin_codes.pop(),
    )
    expect(page.get_by_role("heading", level=2, name="API clients")).to_be_visible()

    page.get_by_label("Name", exact=True).fill("Arbor sync")
    page.get_by_role("button", name="Create API Client").click()
    expect(page.get_by_text("Choose at least one scope.")).to_be_visible()
    expect(page.get_by_label("Name", exact=True)).to_have_value("Arbor sync")
    page.get_by_role("checkbox", name=re.compile("^pupils:write")).check()
    page.get_by_role("checkbox", name=re.compile("^groups:write")).check()
    page.get_by_label("Token expires").select_option(label="In 30 days")
    page.get_by_role("button", name="Create API Client").click()

    token_box = page.get_by_role("textbox", name="Token")
    expect(token_box).to_be_visible()
    expect(page.get_by_text("You will not see it again")).to_be_visible()
    token = token_box.input_value()
    assert token.startswith("haven_")
    page.get_by_role("button", name="Copy Token").click()
    expect(page.get_by_text("Token copied.")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == token
    assert serious_violations(page) == []
    screenshot(page, "api-clients-token")

    assert _call_with_token(haven_server, token) == 200

    page.get_by_role("button", name="I Have Copied It").click()
    expect(token_box).to_have_count(0)
    page.reload()
    expect(page.get_by_text(token)).to_have_count(0)
    row = page.get_by_role("row").filter(has_text="Arbor sync")
    expect(row).to_contain_text("pupils:write")
    expect(row).to_contain_text("groups:write")
    expect(row).to_contain_text("Sam Okafor")
    expect(row).to_contain_text("Active")
    # The expiry chosen: a date about a month away, not "Never".
    expires = row.locator('td[data-label="Expires"]')
    expect(expires).to_have_text(re.compile(r"^\w{3} \d{2}/\d{2}/\d{4} \d{2}:\d{2}$"))

    row.get_by_role("button", name="Revoke Arbor sync").click()
    expect(row.get_by_text("Its token stops working at once")).to_be_visible()
    row.get_by_role("button", name="Revoke", exact=True).click()
    expect(page.get_by_text("API client “Arbor sync” revoked")).to_be_visible()
    expect(row).to_contain_text("Revoked")
    assert _call_with_token(haven_server, token) == 401

    assert serious_violations(page) == []
    assert fits_a_phone(page, "api-clients")
    screenshot(page, "api-clients")
    context.close()


def _totp(secret: str, at: float) -> str:
    """The code an authenticator app shows (RFC 6238: SHA-1, 30 s steps, 6 digits)."""
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(at // 30)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def test_admin_adds_an_authenticator_app_and_sees_recovery_codes_once(
    browser: Browser, haven_server: HavenServer, accounts: Accounts
) -> None:
    context = new_context(browser)
    page = context.new_page()
    # Signing in counts as giving the password again for a few minutes, so no prompt here
    # (the prompt itself is covered by the page's unit tests).
    log_in(page, haven_server, accounts.enrolling_admin_email, PASSWORD, "/account")
    section = page.get_by_role("region", name="Two-step sign-in")
    expect(section.get_by_text("You have not added a second factor yet.")).to_be_visible()
    section.get_by_role("button", name="Add Authenticator App").click()

    secret = section.locator(".account-secret")
    expect(secret).to_have_text(re.compile(r"^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$"))
    expect(section.get_by_text(re.compile(r"otpauth://totp/"))).to_be_visible()
    qr_code = section.get_by_role("img", name="QR code for your authenticator app")
    expect(qr_code).to_be_visible()
    # decode() rejects when the picture cannot be shown (e.g. refused by the page's policy).
    assert qr_code.evaluate("img => img.decode().then(() => img.naturalWidth)") > 100
    screenshot(page, "account-settings-authenticator-app")
    section.get_by_label("6-digit code from the app").fill("000000")
    section.get_by_role("button", name="Confirm Code").click()
    expect(section.get_by_text("That code is not right. Please try again.")).to_be_visible()

    # After a wrong code the server refuses every code for a second (django-otp throttling).
    time.sleep(2.5)
    section.get_by_label("6-digit code from the app").fill(_totp(secret.inner_text(), time.time()))
    section.get_by_role("button", name="Confirm Code").click()
    codes = section.get_by_role("region", name="Your recovery codes")
    expect(codes.get_by_text("You will not see them again.", exact=False)).to_be_visible()
    expect(codes.get_by_role("listitem")).to_have_count(10)
    assert serious_violations(page) == []
    screenshot(page, "account-settings-recovery-codes")
    codes.get_by_role("button", name="I Have Saved Them").click()
    expect(codes).to_have_count(0)

    factors = section.get_by_role("table", name="Your second factors")
    expect(factors.get_by_role("row").filter(has_text="Authenticator app")).to_have_count(1)
    expect(factors.get_by_role("row").filter(has_text="Recovery codes")).to_contain_text("10 left")
    context.close()


def test_the_browser_answers_the_servers_security_key_options_with_a_valid_credential(
    browser: Browser, haven_server: HavenServer, accounts: Accounts
) -> None:
    """Chromium's virtual authenticator stands in for a key. This server runs without DEBUG,
    so it expects an https origin on the default port and refuses keys from this test's
    http://hazel.localhost:<port>; the test therefore checks the browser's answer itself,
    with the same library and the real origin, and that the refusal is shown to the person."""
    from webauthn import verify_registration_response
    from webauthn.helpers import base64url_to_bytes

    context = new_context(browser)
    page = context.new_page()
    sent: list[dict[str, Any]] = []
    page.on(
        "request",
        lambda request: (
            sent.append(json.loads(request.post_data or "{}"))
            if request.url.endswith("/graphql") and request.method == "POST"
            else None
        ),
    )
    log_in(page, haven_server, accounts.colleague_email, PASSWORD, "/account")
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": False,
                "hasUserVerification": False,
                "automaticPresenceSimulation": True,
            }
        },
    )
    section = page.get_by_role("region", name="Two-step sign-in")
    section.get_by_label("Name for the key").fill("Blue key")
    with page.expect_response(
        lambda response: "beginSecurityKeyRegistration" in (response.request.post_data or "")
    ) as begun:
        section.get_by_role("button", name="Add Security Key").click()
    options = json.loads(begun.value.json()["data"]["beginSecurityKeyRegistration"]["optionsJson"])
    refusal = section.get_by_text("The security key's answer could not be accepted.")
    expect(refusal).to_be_visible()
    # Next to the key's name, where the person is.
    expect(section.get_by_label("Name for the key")).to_have_accessible_description(
        re.compile("could not be accepted")
    )

    (completed,) = [s for s in sent if s.get("operationName") == "CompleteSecurityKeyRegistration"]
    assert completed["variables"]["name"] == "Blue key"
    verified = verify_registration_response(
        credential=completed["variables"]["credentialJson"],
        expected_challenge=base64url_to_bytes(options["challenge"]),
        expected_rp_id=f"{SUBDOMAIN}.localhost",
        expected_origin=haven_server.url(SUBDOMAIN).rstrip("/"),
    )
    assert verified.credential_id
    context.close()
