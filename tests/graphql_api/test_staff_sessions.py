"""Account Settings: your sessions, ending one elsewhere, and changing your password."""

from __future__ import annotations

from typing import Any

from safeguarding.models import AuditEvent, StaffSession
from tenants.models import School
from tests.conftest import SchoolClient
from tests.graphql_api.accounts import PASSWORD, error_codes, login, me, staff_create

SESSIONS = "{ mySessions { id current ipAddress userAgent createdAt lastSeenAt } }"
END = "mutation($id: ID!) { endSession(id: $id) { ok errors { field code } } }"
CHANGE = """
mutation($current: String!, $new: String!) {
  changePassword(currentPassword: $current, newPassword: $new) { ok errors { field code } }
}
"""
NEW_PASSWORD = "blue kettle under the stairs"


def _data(client: SchoolClient, query: str, variables: dict[str, Any] | None = None) -> Any:
    result = client.graphql(query, variables)
    assert "errors" not in result, result
    return next(iter(result["data"].values()))


def test_my_sessions_lists_mine_and_ends_another(school_a: School) -> None:
    staff_create()
    staff_create("colleague@alpha.example")
    laptop = SchoolClient(school_a, HTTP_USER_AGENT="Laptop browser", REMOTE_ADDR="198.51.100.1")
    phone = SchoolClient(school_a, HTTP_USER_AGENT="Phone browser", REMOTE_ADDR="198.51.100.2")
    colleague = SchoolClient(school_a)
    login(laptop, "teacher@alpha.example")
    login(phone, "teacher@alpha.example")
    login(colleague, "colleague@alpha.example")

    sessions = _data(laptop, SESSIONS)
    assert sorted((s["userAgent"], s["ipAddress"], s["current"]) for s in sessions) == [
        ("Laptop browser", "198.51.100.1", True),
        ("Phone browser", "198.51.100.2", False),
    ]
    phone_id = next(s["id"] for s in sessions if not s["current"])

    # A colleague cannot end it: the same answer as for a session that does not exist.
    assert error_codes(_data(colleague, END, {"id": phone_id})) == ["not_found"]
    assert error_codes(_data(colleague, END, {"id": "not-a-session"})) == ["not_found"]
    assert me(phone) is not None

    assert _data(laptop, END, {"id": phone_id}) == {"ok": True, "errors": []}
    assert me(phone) is None
    assert me(laptop) is not None
    assert [s["current"] for s in _data(laptop, SESSIONS)] == [True]
    ended = AuditEvent.objects.get(action="session.ended")
    assert ended.detail["reason"] == "ended"
    assert ended.ip_address == "198.51.100.1"


def test_ending_the_current_session_signs_out(client_a: SchoolClient) -> None:
    staff_create()
    login(client_a, "teacher@alpha.example")
    current = _data(client_a, SESSIONS)[0]["id"]
    assert _data(client_a, END, {"id": current})["ok"] is True
    assert me(client_a) is None
    assert not StaffSession.objects.exists()


def test_changing_password_needs_the_current_one(school_a: School) -> None:
    staff_create()
    client, elsewhere = SchoolClient(school_a), SchoolClient(school_a)
    login(client, "teacher@alpha.example")
    login(elsewhere, "teacher@alpha.example")

    refused = _data(client, CHANGE, {"current": "a guess at the password", "new": NEW_PASSWORD})
    assert refused == {
        "ok": False,
        "errors": [{"field": "currentPassword", "code": "invalid_password"}],
    }
    assert me(elsewhere) is not None

    weak = _data(client, CHANGE, {"current": PASSWORD, "new": "password1234"})
    assert ("newPassword", "password_too_common") in [
        (e["field"], e["code"]) for e in weak["errors"]
    ]

    assert _data(client, CHANGE, {"current": PASSWORD, "new": NEW_PASSWORD}) == {
        "ok": True,
        "errors": [],
    }
    # This session stays signed in (and still knows itself); every other one ends.
    assert me(client) is not None
    assert [s["current"] for s in _data(client, SESSIONS)] == [True]
    assert me(elsewhere) is None
    assert error_codes(login(SchoolClient(school_a), "teacher@alpha.example")) == [
        "invalid_credentials"
    ]
    assert login(SchoolClient(school_a), "teacher@alpha.example", NEW_PASSWORD)["errors"] == []
    assert AuditEvent.objects.filter(action="password.changed").count() == 1


def test_signed_out_people_have_no_sessions_to_see(client_a: SchoolClient) -> None:
    assert _data(client_a, SESSIONS) == []
    assert error_codes(_data(client_a, END, {"id": "x"})) == ["not_signed_in"]
    assert error_codes(_data(client_a, CHANGE, {"current": "a", "new": "b"})) == ["not_signed_in"]
