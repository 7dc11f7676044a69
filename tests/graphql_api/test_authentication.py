"""Signing in and out over GraphQL: lockout, enumeration, login CSRF, session limits."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import override_settings

from safeguarding.models import AuditEvent, SchoolSettings, StaffSession
from tenants.models import School
from tests.conftest import SchoolClient
from tests.graphql_api.accounts import PASSWORD, error_codes, login, me, staff_create

START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def test_login_signs_in_with_a_new_session_key(client_a: SchoolClient) -> None:
    staff_create("Teacher@Alpha.example")
    client_a.graphql("{ csrfToken }")
    client_a.session.save()
    before = client_a.session.session_key

    payload = login(client_a, "TEACHER@alpha.example")

    assert payload["errors"] == []
    assert payload["me"]["email"] == "teacher@alpha.example"
    assert me(client_a) == {
        "email": "teacher@alpha.example",
        "isKeyHolder": False,
        "secondFactorPassed": False,
        "mustEnrolSecondFactor": False,
    }
    assert client_a.session.session_key != before


def test_logout_ends_the_session(client_a: SchoolClient) -> None:
    staff_create()
    login(client_a, "teacher@alpha.example")
    key = client_a.session.session_key

    result = client_a.graphql("mutation { logout { ok errors { code } } }")

    assert result["data"]["logout"] == {"ok": True, "errors": []}
    assert me(client_a) is None
    assert not Session.objects.filter(session_key=key).exists()
    assert not StaffSession.objects.exists()


def test_wrong_password_and_unknown_email_get_the_same_answer(school_a: School) -> None:
    staff_create("known@alpha.example")
    staff_create("no-password-yet@alpha.example", password=None)

    answers = [
        SchoolClient(school_a).graphql(
            'mutation($e: String!) { login(email: $e, password: "wrong password here") '
            "{ me { email } secondFactorRequired errors { field code message } } }",
            {"e": email},
        )
        for email in (
            "known@alpha.example",
            "nobody@alpha.example",
            "no-password-yet@alpha.example",
        )
    ]

    assert answers[0] == answers[1] == answers[2]
    assert answers[0]["data"]["login"]["errors"][0]["code"] == "invalid_credentials"


@pytest.mark.parametrize("email", ["known@alpha.example", "nobody@alpha.example"])
def test_lockout_after_five_failures_for_the_account_and_address(
    school_a: School, email: str
) -> None:
    staff_create("known@alpha.example")
    client = SchoolClient(school_a)
    with time_machine.travel(START, tick=False) as clock:
        codes = [
            error_codes(login(client, email.upper(), "not the password at all")) for _ in range(5)
        ]
        assert codes == [["invalid_credentials"]] * 4 + [["locked_out"]]

        # Locked: even the right password is refused, with the same answer for everyone.
        assert error_codes(login(client, email)) == ["locked_out"]
        assert me(client) is None

        # Another address is not locked out by someone else's failures.
        elsewhere = SchoolClient(school_a, REMOTE_ADDR="192.0.2.77")
        if email == "known@alpha.example":
            assert login(elsewhere, email)["errors"] == []

        clock.shift(dt.timedelta(minutes=16))
        if email == "known@alpha.example":
            assert login(client, email)["errors"] == []
            assert me(client) is not None
        else:
            assert error_codes(login(client, email)) == ["invalid_credentials"]

    locked = AuditEvent.objects.filter(action="login.locked_out", actor_label=email)
    assert locked.count() == 2
    assert AuditEvent.objects.filter(action="login.failed", actor_label=email).count() >= 4


def test_lockout_is_per_school(school_a: School, school_b: School) -> None:
    staff_create("known@alpha.example")
    client = SchoolClient(school_a)
    for _ in range(5):
        login(client, "known@alpha.example", "not the password at all")
    with school_b:
        staff_create("known@alpha.example")
        other_school = SchoolClient(school_b)
        assert login(other_school, "known@alpha.example")["errors"] == []


def test_login_requires_a_csrf_token(school_a: School) -> None:
    staff_create()
    browser = SchoolClient(school_a, enforce_csrf_checks=True)

    refused = login(browser, "teacher@alpha.example")
    assert refused["me"] is None
    assert error_codes(refused) == ["csrf_failed"]
    assert me(browser) is None

    token = browser.graphql("{ csrfToken }")["data"]["csrfToken"]
    accepted = browser.graphql(
        "mutation($e: String!, $p: String!) { login(email: $e, password: $p) "
        "{ me { email } errors { code } } }",
        {"e": "teacher@alpha.example", "p": PASSWORD},
        HTTP_X_CSRFTOKEN=token,
    )
    assert accepted["data"]["login"] == {"me": {"email": "teacher@alpha.example"}, "errors": []}


def test_session_ends_after_the_idle_limit(client_a: SchoolClient) -> None:
    staff_create()
    with time_machine.travel(START, tick=False) as clock:
        login(client_a, "teacher@alpha.example")
        for _ in range(4):
            clock.shift(dt.timedelta(minutes=29))
            assert me(client_a) is not None
        clock.shift(dt.timedelta(minutes=31))
        assert me(client_a) is None
    expired = AuditEvent.objects.get(action="session.expired")
    assert expired.detail["reason"] == "idle_limit"
    assert not StaffSession.objects.exists()


def test_idle_limit_is_the_schools_choice(client_a: SchoolClient) -> None:
    staff_create()
    SchoolSettings.objects.create(session_idle_minutes=10)
    with time_machine.travel(START, tick=False) as clock:
        login(client_a, "teacher@alpha.example")
        clock.shift(dt.timedelta(minutes=9))
        assert me(client_a) is not None
        clock.shift(dt.timedelta(minutes=11))
        assert me(client_a) is None


@override_settings(HAVEN_SESSION_ABSOLUTE_SECONDS=2 * 3600)
def test_session_ends_at_the_absolute_limit_however_active(client_a: SchoolClient) -> None:
    staff_create()
    with time_machine.travel(START, tick=False) as clock:
        login(client_a, "teacher@alpha.example")
        for _ in range(5):
            clock.shift(dt.timedelta(minutes=20))
            assert me(client_a) is not None
        clock.shift(dt.timedelta(minutes=21))
        assert me(client_a) is None
    assert AuditEvent.objects.get(action="session.expired").detail["reason"] == "absolute_limit"


def test_session_ends_after_twelve_hours_by_default(client_a: SchoolClient) -> None:
    staff_create()
    with time_machine.travel(START, tick=False) as clock:
        login(client_a, "teacher@alpha.example")
        for _ in range(28):
            clock.shift(dt.timedelta(minutes=25))
            assert me(client_a) is not None
        clock.shift(dt.timedelta(minutes=25))
        assert me(client_a) is None


def test_disabling_an_account_ends_its_live_sessions(school_a: School) -> None:
    staff = staff_create()
    laptop, phone = SchoolClient(school_a), SchoolClient(school_a)
    login(laptop, "teacher@alpha.example")
    login(phone, "teacher@alpha.example")
    keys = [laptop.session.session_key, phone.session.session_key]

    staff.is_active = False
    staff.save()

    assert not Session.objects.filter(session_key__in=keys).exists()
    assert me(laptop) is None
    assert me(phone) is None
    assert error_codes(login(laptop, "teacher@alpha.example")) == ["invalid_credentials"]
    ended = AuditEvent.objects.filter(action="session.ended", object_id=str(staff.pk))
    assert {event.detail["reason"] for event in ended} == {"account_disabled"}
    assert ended.count() == 2


def test_security_events_record_time_actor_address_and_browser(school_a: School) -> None:
    staff = staff_create()
    client = SchoolClient(school_a, REMOTE_ADDR="198.51.100.9", HTTP_USER_AGENT="Firefox/140")
    login(client, "teacher@alpha.example", "not the password at all")
    login(client, "teacher@alpha.example")
    client.graphql("mutation { logout { ok } }")

    events = list(AuditEvent.objects.order_by("id").filter(actor=staff))
    assert [event.action for event in events] == ["login.failed", "login.succeeded", "logout"]
    for event in events:
        assert event.ip_address == "198.51.100.9"
        assert event.user_agent == "Firefox/140"
        assert event.at is not None


def test_an_account_disabled_behind_the_models_back_is_still_signed_out(
    client_a: SchoolClient,
) -> None:
    staff = staff_create()
    login(client_a, "teacher@alpha.example")
    # A bulk update sends no signal; the per-request active check still applies.
    type(staff).objects.filter(pk=staff.pk).update(is_active=False)
    assert me(client_a) is None


def test_the_set_password_link_opens_the_app(client_a: SchoolClient) -> None:
    response = client_a.get("/set-password/MQ/abc-123")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "same-origin"
