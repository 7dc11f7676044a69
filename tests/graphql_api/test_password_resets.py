"""First-time and forgotten passwords: the e-mailed link works once and expires."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import time_machine

from notifications.messages import email_message_build
from notifications.models import EmailDelivery
from safeguarding.models import AuditEvent, StaffSession
from tests.conftest import SchoolClient
from tests.graphql_api.accounts import error_codes, login, me, staff_create

REQUEST = """
mutation($email: String!) { requestPasswordReset(email: $email) { ok errors { code } } }
"""
RESET = """
mutation($uid: String!, $token: String!, $password: String!) {
  resetPassword(uid: $uid, token: $token, newPassword: $password) {
    ok errors { field code message }
  }
}
"""
NEW_PASSWORD = "blue kettle under the stairs"
START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)

Capture = Callable[..., Any]


def _request_link(
    client: SchoolClient, capture: Capture, email: str
) -> tuple[dict[str, Any], list[str]]:
    before = EmailDelivery.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with capture(execute=True):
        answer = client.graphql(REQUEST, {"email": email})
    queued = EmailDelivery.objects.filter(pk__gt=before, kind=EmailDelivery.Kind.PASSWORD_RESET)
    links = []
    for delivery in queued:
        message = email_message_build(delivery=delivery, school=client.school)  # as sent
        links += re.findall(r"https?://\S+/set-password/\S+", str(message.body))
    return answer, links


def _reset(client: SchoolClient, link: str, password: str = NEW_PASSWORD) -> dict[str, Any]:
    uid, token = link.rstrip("/").split("/")[-2:]
    result = client.graphql(RESET, {"uid": uid, "token": token, "password": password})
    payload: dict[str, Any] = result["data"]["resetPassword"]
    return payload


def test_first_time_link_sets_a_password_once(
    client_a: SchoolClient, django_capture_on_commit_callbacks: Capture
) -> None:
    staff_create("new.teacher@alpha.example", password=None)

    answer, links = _request_link(
        client_a, django_capture_on_commit_callbacks, "New.Teacher@alpha.example"
    )

    assert answer == {"data": {"requestPasswordReset": {"ok": True, "errors": []}}}
    assert len(links) == 1
    assert links[0].startswith("https://alpha.localhost/set-password/")
    assert EmailDelivery.objects.latest("pk").to_address == "new.teacher@alpha.example"

    assert _reset(client_a, links[0]) == {"ok": True, "errors": []}
    assert login(client_a, "new.teacher@alpha.example", NEW_PASSWORD)["errors"] == []

    # The same link a second time: refused, and the password stays as set.
    again = _reset(client_a, links[0], "another perfectly fine passphrase")
    assert again["ok"] is False
    assert error_codes(again) == ["invalid_link"]
    assert AuditEvent.objects.filter(action="password_reset.used").count() == 1
    assert AuditEvent.objects.filter(action="password_reset.requested").count() == 1


def test_unknown_address_gets_the_same_answer_and_no_mail(
    client_a: SchoolClient, django_capture_on_commit_callbacks: Capture
) -> None:
    staff_create("known@alpha.example")
    known, known_links = _request_link(
        client_a, django_capture_on_commit_callbacks, "known@alpha.example"
    )
    unknown, unknown_links = _request_link(
        client_a, django_capture_on_commit_callbacks, "stranger@alpha.example"
    )
    assert known == unknown
    assert len(known_links) == 1
    assert unknown_links == []


def test_link_expires(client_a: SchoolClient, django_capture_on_commit_callbacks: Capture) -> None:
    staff_create("known@alpha.example")
    with time_machine.travel(START, tick=False) as clock:
        _, links = _request_link(
            client_a, django_capture_on_commit_callbacks, "known@alpha.example"
        )
        clock.shift(dt.timedelta(minutes=61))
        expired = _reset(client_a, links[0])
    assert error_codes(expired) == ["invalid_link"]
    assert error_codes(login(client_a, "known@alpha.example", NEW_PASSWORD)) == [
        "invalid_credentials"
    ]


def test_new_password_must_follow_the_rules(
    client_a: SchoolClient, django_capture_on_commit_callbacks: Capture
) -> None:
    staff_create("known@alpha.example")
    _, links = _request_link(client_a, django_capture_on_commit_callbacks, "known@alpha.example")

    too_short = _reset(client_a, links[0], "short one")
    assert [(e["field"], e["code"]) for e in too_short["errors"]] == [
        ("newPassword", "password_too_short")
    ]
    breached = _reset(client_a, links[0], "iloveyou1234")
    assert ("newPassword", "password_breached") in [
        (e["field"], e["code"]) for e in breached["errors"]
    ]
    # A refused password does not use up the link.
    assert _reset(client_a, links[0]) == {"ok": True, "errors": []}


def test_reset_signs_out_every_session(
    school_a: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    staff_create("known@alpha.example")
    stolen = SchoolClient(school_a)
    login(stolen, "known@alpha.example")
    owner = SchoolClient(school_a)
    _, links = _request_link(owner, django_capture_on_commit_callbacks, "known@alpha.example")

    assert _reset(owner, links[0]) == {"ok": True, "errors": []}

    assert me(stolen) is None
    assert not StaffSession.objects.exists()


def test_the_answer_never_reveals_that_the_account_exists(
    client_a: SchoolClient, django_capture_on_commit_callbacks: Capture
) -> None:
    staff_create("known@alpha.example")
    with django_capture_on_commit_callbacks(execute=False):
        known = client_a.graphql(REQUEST, {"email": "known@alpha.example"})
        unknown = client_a.graphql(REQUEST, {"email": "stranger@alpha.example"})
    assert known == unknown == {"data": {"requestPasswordReset": {"ok": True, "errors": []}}}
    # Nothing is sent inside the request: the known address gets an outbox row only.
    queued = EmailDelivery.objects.filter(kind=EmailDelivery.Kind.PASSWORD_RESET)
    assert [d.to_address for d in queued] == ["known@alpha.example"]


def test_requests_beyond_the_limit_per_email_queue_no_email(
    client_a: SchoolClient, django_capture_on_commit_callbacks: Capture
) -> None:
    staff_create("known@alpha.example")
    answers = []
    sent = []
    for _ in range(4):  # the default limit is 3 per 15 minutes for one address
        answer, links = _request_link(
            client_a, django_capture_on_commit_callbacks, "known@alpha.example"
        )
        answers.append(answer)
        sent.append(len(links))
    assert sent == [1, 1, 1, 0]
    # The answer never changes, so it says nothing about the account or the limit.
    assert all(answer == answers[0] for answer in answers)
    assert AuditEvent.objects.filter(action="password_reset.throttled").count() == 1

    # The limit is per e-mail address: a colleague asking from the same place still gets one.
    staff_create("colleague@alpha.example")
    _, links = _request_link(
        client_a, django_capture_on_commit_callbacks, "colleague@alpha.example"
    )
    assert len(links) == 1


def test_requests_beyond_the_limit_per_client_address_queue_no_email(
    client_a: SchoolClient, django_capture_on_commit_callbacks: Capture, settings: Any
) -> None:
    settings.HAVEN_PASSWORD_RESET_ADDRESS_RATE = "3/h"
    for n in range(4):
        staff_create(f"teacher{n}@alpha.example")
    sent = []
    for n in range(4):
        answer, links = _request_link(
            client_a, django_capture_on_commit_callbacks, f"teacher{n}@alpha.example"
        )
        assert answer == {"data": {"requestPasswordReset": {"ok": True, "errors": []}}}
        sent.append(len(links))
    assert sent == [1, 1, 1, 0]
