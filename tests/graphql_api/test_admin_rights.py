"""School admins and key access: a password alone never changes who can see what.

Every admin action needs a session that passed the second factor; granting or widening key
access, changing an e-mail address, changing access levels and creating API clients need a
key-holding admin who also entered their password in the last few minutes.
"""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.models import AccessLevel, AccessLevelGrant, ApiClient, Category, Staff
from tenants.models import School
from tests.conftest import SchoolClient
from tests.graphql_api.accounts import PASSWORD, REAUTHENTICATE, login, staff_create
from tests.safeguarding import factories as f

UPDATE_STAFF = """
mutation($id: ID!, $input: UpdateStaffInput!) {
  updateStaff(id: $id, input: $input) {
    staffMember { email isKeyHolder isSchoolAdmin accessLevel { name } }
    errors { field code message }
  }
}
"""
INVITE_STAFF = """
mutation($input: InviteStaffInput!) {
  inviteStaff(input: $input) { staffMember { email } errors { field code message } }
}
"""
REACTIVATE_STAFF = """
mutation($id: ID!) {
  reactivateStaff(id: $id) { staffMember { isActive } errors { field code message } }
}
"""
CREATE_API_CLIENT = """
mutation($name: String!, $scopes: [String!]!) {
  createApiClient(name: $name, scopes: $scopes) {
    token apiClient { name } errors { field code message }
  }
}
"""
CREATE_LEVEL = """
mutation($input: AccessLevelInput!) {
  createAccessLevel(input: $input) { accessLevel { name } errors { field code message } }
}
"""
UPDATE_LEVEL = """
mutation($id: ID!, $input: AccessLevelInput!) {
  updateAccessLevel(id: $id, input: $input) {
    accessLevel { name } errors { field code message }
  }
}
"""
UPDATE_CATEGORY = """
mutation($id: ID!, $input: UpdateCategoryInput!) {
  updateCategory(id: $id, input: $input) { category { dslTeamOnly } errors { field code } }
}
"""
CREATE_AGENCY = """
mutation($name: String!) {
  createAgency(name: $name) { agency { name } errors { field code message } }
}
"""
SETTINGS_DATA = """
{
  settingsStaff { nodes { email } }
  settingsAccessLevels { name }
  settingsCategories { name }
  apiClients { name }
  schoolSettings { sessionIdleMinutes }
}
"""


def _payload(client: SchoolClient, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    result = client.graphql(query, variables)
    assert "errors" not in result, result
    payload: dict[str, Any] = next(iter(result["data"].values()))
    return payload


def _codes(payload: dict[str, Any]) -> list[str]:
    return [error["code"] for error in payload["errors"]]


def _with_password(member: Staff) -> Staff:
    member.set_password(PASSWORD)
    member.save(update_fields=["password"])
    return member


def _level(name: str) -> str:
    return f.gid("AccessLevel", AccessLevel.objects.get(name=name).pk)


def _all_staff_see_child_protection() -> dict[str, Any]:
    """Variables of an updateAccessLevel that lets everyone read Child Protection records."""
    return {
        "id": _level("All staff"),
        "input": {
            "name": "All staff",
            "grants": [
                {"categoryId": category_id, "canViewPupils": True, "canViewIncidents": True}
                for category_id in f.category_ids("Child Protection")
            ],
        },
    }


def _dsl_level() -> AccessLevel:
    return AccessLevel.objects.filter(is_dsl_team=True).order_by("pk").first()  # type: ignore[return-value]


def _access_state() -> dict[str, Any]:
    """Everything that decides who sees which records."""
    return {
        "staff": sorted(
            Staff.objects.values_list(
                "email", "is_active", "is_key_holder", "is_school_admin", "access_level_id"
            )
        ),
        "grants": sorted(
            AccessLevelGrant.objects.values_list(
                "access_level_id",
                "category_id",
                "can_view_pupils",
                "can_view_incidents",
                "can_add_incidents",
            )
        ),
        "levels": sorted(
            (level.pk, level.name, level.is_dsl_team, sorted(level.year_groups.values_list("pk")))
            for level in AccessLevel.objects.all()
        ),
        "dsl_only": sorted(Category.objects.values_list("pk", "dsl_team_only")),
        "api_clients": ApiClient.objects.count(),
    }


def _password_only_admin(client: SchoolClient, *, key_holder: bool) -> Staff:
    """A school admin with an authenticator app, signed in with the password but not the code."""
    admin = staff_create(
        "admin@alpha.example",
        is_school_admin=True,
        is_key_holder=key_holder,
        first_name="Alex",
        last_name="Admin",
    )
    TOTPDevice.objects.create(user=admin, name="Phone", confirmed=True)
    signed_in = login(client, "admin@alpha.example")
    assert signed_in["secondFactorRequired"] is True
    return admin


@pytest.mark.parametrize("key_holder", [False, True])
def test_admin_without_second_factor_cannot_make_themselves_a_key_holder(
    client_a: SchoolClient, key_holder: bool
) -> None:
    admin = _password_only_admin(client_a, key_holder=key_holder)
    before = _access_state()

    payload = _payload(
        client_a,
        UPDATE_STAFF,
        {
            "id": f.gid("Staff", admin.pk),
            "input": {"isKeyHolder": True, "accessLevelId": f.gid("AccessLevel", _dsl_level().pk)},
        },
    )

    assert payload["staffMember"] is None
    assert _codes(payload) == ["second_factor_required"]
    assert "two-step sign-in" in payload["errors"][0]["message"]
    assert _access_state() == before


def test_admin_without_second_factor_cannot_invite_a_key_holder(client_a: SchoolClient) -> None:
    _password_only_admin(client_a, key_holder=True)

    payload = _payload(
        client_a,
        INVITE_STAFF,
        {
            "input": {
                "email": "newcomer@elsewhere.example",
                "firstName": "New",
                "lastName": "Comer",
                "isKeyHolder": True,
                "accessLevelId": f.gid("AccessLevel", _dsl_level().pk),
            }
        },
    )

    assert _codes(payload) == ["second_factor_required"]
    assert not Staff.objects.filter(email="newcomer@elsewhere.example").exists()


def test_admin_without_second_factor_cannot_change_a_colleagues_email(
    client_a: SchoolClient,
) -> None:
    _password_only_admin(client_a, key_holder=True)
    dsl = f.dsl()

    payload = _payload(
        client_a,
        UPDATE_STAFF,
        {"id": f.gid("Staff", dsl.pk), "input": {"email": "taken-over@elsewhere.example"}},
    )

    assert _codes(payload) == ["second_factor_required"]
    dsl.refresh_from_db()
    assert dsl.email == "dsl@alpha.example"


def test_admin_without_second_factor_cannot_create_api_clients_or_change_levels(
    client_a: SchoolClient,
) -> None:
    _password_only_admin(client_a, key_holder=True)
    before = _access_state()

    created = _payload(
        client_a, CREATE_API_CLIENT, {"name": "Reader", "scopes": ["incidents:read"]}
    )
    new_level = _payload(client_a, CREATE_LEVEL, {"input": {"name": "Everything"}})
    changed = _payload(
        client_a,
        UPDATE_LEVEL,
        _all_staff_see_child_protection(),
    )

    assert created["token"] is None
    assert _codes(created) == ["second_factor_required"]
    assert _codes(new_level) == ["second_factor_required"]
    assert _codes(changed) == ["second_factor_required"]
    assert _access_state() == before


def test_admin_without_second_factor_gets_no_settings_data(client_a: SchoolClient) -> None:
    _password_only_admin(client_a, key_holder=True)

    result = client_a.graphql(SETTINGS_DATA)

    assert "errors" not in result, result
    assert result["data"] == {
        "settingsStaff": None,
        "settingsAccessLevels": None,
        "settingsCategories": None,
        "apiClients": [],
        "schoolSettings": None,
    }


def test_admin_without_key_access_cannot_grant_it_even_with_second_factor(
    client_a: SchoolClient,
) -> None:
    admin = staff_create("admin@alpha.example", is_school_admin=True, is_key_holder=False)
    f.signed_in_admin(client_a, admin)
    teacher = f.staff("Chloe", "Kelan")
    before = _access_state()

    attempts = [
        _payload(
            client_a,
            UPDATE_STAFF,
            {"id": f.gid("Staff", admin.pk), "input": {"isKeyHolder": True}},
        ),
        _payload(
            client_a,
            UPDATE_STAFF,
            {"id": f.gid("Staff", teacher.pk), "input": {"isSchoolAdmin": True}},
        ),
        _payload(
            client_a,
            UPDATE_STAFF,
            {"id": f.gid("Staff", teacher.pk), "input": {"email": "chloe@elsewhere.example"}},
        ),
        _payload(
            client_a,
            INVITE_STAFF,
            {
                "input": {
                    "email": "newcomer@elsewhere.example",
                    "firstName": "New",
                    "lastName": "Comer",
                    "isKeyHolder": True,
                }
            },
        ),
        _payload(client_a, CREATE_API_CLIENT, {"name": "Reader", "scopes": ["incidents:read"]}),
        _payload(client_a, UPDATE_LEVEL, {"id": _level("All staff"), "input": {"name": "All"}}),
    ]

    assert [_codes(payload) for payload in attempts] == [["key_holder_required"]] * len(attempts)
    assert _access_state() == before
    # Moving a key holder to another level widens what they read: refused too.
    deputy = f.staff("Dee", "Puty", level="Pastoral", key_holder=True)
    moved = _payload(
        client_a,
        UPDATE_STAFF,
        {"id": f.gid("Staff", deputy.pk), "input": {"accessLevelId": _level("DSL")}},
    )
    assert _codes(moved) == ["key_holder_required"]
    # Everything that does not touch key access is open to them: an agency, and placing
    # colleagues without key access (a level only says where they may report).
    assert _codes(_payload(client_a, CREATE_AGENCY, {"name": "Young Carers Service"})) == []
    invited = _payload(
        client_a,
        INVITE_STAFF,
        {
            "input": {
                "email": "new.teacher@alpha.example",
                "firstName": "New",
                "lastName": "Teacher",
                "accessLevelId": _level("All staff"),
            }
        },
    )
    assert _codes(invited) == []
    placed = _payload(
        client_a,
        UPDATE_STAFF,
        {"id": f.gid("Staff", teacher.pk), "input": {"accessLevelId": _level("Pastoral")}},
    )
    assert _codes(placed) == []
    assert Staff.objects.get(pk=deputy.pk).access_level.name == "Pastoral"  # type: ignore[union-attr]


def test_key_holder_admin_must_enter_password_again_then_succeeds(
    client_a: SchoolClient,
) -> None:
    dsl = _with_password(f.dsl())
    f.signed_in(client_a, dsl, second_factor=True)  # the code passed, the password long ago
    teacher = f.staff("Chloe", "Kelan")
    change = {
        "id": f.gid("Staff", teacher.pk),
        "input": {"email": "chloe.kelan@alpha.example", "isKeyHolder": True},
    }

    asked = _payload(client_a, UPDATE_STAFF, change)
    assert _codes(asked) == ["reauthentication_required"]
    teacher.refresh_from_db()
    assert (teacher.email, teacher.is_key_holder) != ("chloe.kelan@alpha.example", True)
    # Changes that take nothing further need no password.
    assert _codes(_payload(client_a, CREATE_AGENCY, {"name": "Young Carers Service"})) == []

    wrong = _payload(client_a, REAUTHENTICATE, {"password": "not the password"})
    assert wrong["ok"] is False
    assert _codes(_payload(client_a, UPDATE_STAFF, change)) == ["reauthentication_required"]

    assert _payload(client_a, REAUTHENTICATE, {"password": PASSWORD})["ok"] is True
    saved = _payload(client_a, UPDATE_STAFF, change)

    assert saved["errors"] == []
    assert saved["staffMember"]["email"] == "chloe.kelan@alpha.example"
    assert saved["staffMember"]["isKeyHolder"] is True
    created = _payload(client_a, CREATE_API_CLIENT, {"name": "Arbor", "scopes": ["pupils:write"]})
    assert created["errors"] == []
    assert created["token"]


def test_dsl_with_a_password_alone_changes_nothing_about_who_sees_what(
    client_a: SchoolClient,
) -> None:
    """The school's first DSL (key holder and admin, with an app) signs in with the password
    but never gives the code, and tries every way of widening access."""
    dsl = _with_password(f.dsl())
    TOTPDevice.objects.create(user=dsl, name="Phone", confirmed=True)
    assert login(client_a, dsl.email)["secondFactorRequired"] is True
    teacher = f.staff("Chloe", "Kelan")
    former = f.staff("Fred", "Former", key_holder=True)
    former.is_active = False
    former.save(update_fields=["is_active"])
    dsl_only = Category.objects.get(name="Child Protection")
    dsl_only.dsl_team_only = True
    dsl_only.save(update_fields=["dsl_team_only"])
    before = _access_state()

    attempts = [
        _payload(
            client_a,
            UPDATE_STAFF,
            {
                "id": f.gid("Staff", teacher.pk),
                "input": {
                    "isKeyHolder": True,
                    "isSchoolAdmin": True,
                    "accessLevelId": f.gid("AccessLevel", _dsl_level().pk),
                },
            },
        ),
        _payload(
            client_a,
            INVITE_STAFF,
            {
                "input": {
                    "email": "newcomer@elsewhere.example",
                    "firstName": "New",
                    "lastName": "Comer",
                    "isKeyHolder": True,
                    "isSchoolAdmin": True,
                }
            },
        ),
        _payload(client_a, REACTIVATE_STAFF, {"id": f.gid("Staff", former.pk)}),
        _payload(
            client_a,
            UPDATE_LEVEL,
            _all_staff_see_child_protection(),
        ),
        _payload(client_a, CREATE_API_CLIENT, {"name": "Reader", "scopes": ["incidents:read"]}),
        _payload(
            client_a,
            UPDATE_STAFF,
            {"id": f.gid("Staff", dsl.pk), "input": {"email": "dsl@elsewhere.example"}},
        ),
        _payload(
            client_a,
            UPDATE_CATEGORY,
            {"id": f.gid("Category", dsl_only.pk), "input": {"dslTeamOnly": False}},
        ),
    ]

    assert all(_codes(payload) == ["second_factor_required"] for payload in attempts), attempts
    assert _access_state() == before


def test_admin_without_a_second_factor_is_sent_to_enrolment_at_sign_in(
    client_a: SchoolClient,
) -> None:
    staff_create("admin@alpha.example", is_school_admin=True, is_key_holder=False)

    signed_in = login(client_a, "admin@alpha.example")

    assert signed_in["errors"] == []
    assert signed_in["mustEnrolSecondFactor"] is True
    assert signed_in["secondFactorRequired"] is False
    assert signed_in["me"]["mustEnrolSecondFactor"] is True


def test_admin_services_recheck_the_session(school_a: School) -> None:
    """Called directly (not through the API), a service still refuses a session that has not
    passed the second factor, and a key access change without a recent password."""
    from safeguarding.services.errors import ServiceError
    from safeguarding.services.staff import StaffSpec, staff_update

    dsl = f.dsl()
    teacher = f.staff("Chloe", "Kelan")
    spec = StaffSpec(is_key_holder=True)

    for request, code in (
        (None, "second_factor_required"),
        (f.admin_request(dsl, second_factor=False), "second_factor_required"),
        (f.admin_request(dsl, reauthenticated=False), "reauthentication_required"),
    ):
        with pytest.raises(ServiceError) as refused:
            staff_update(actor=dsl, request=request, staff_id=teacher.pk, spec=spec)
        assert [e.code for e in refused.value.errors] == [code]
    teacher.refresh_from_db()
    assert teacher.is_key_holder is False

    staff_update(actor=dsl, request=f.admin_request(dsl), staff_id=teacher.pk, spec=spec)
    teacher.refresh_from_db()
    assert teacher.is_key_holder is True
