"""The settings API for access levels and staff: admins only, typed errors, from/to history."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import EmailDelivery
from safeguarding.models import AccessLevel, Category, Staff
from safeguarding.permissions import Actor
from safeguarding.services.incidents import IncidentSpec, incident_create
from tenants.models import School
from tests.conftest import SchoolClient
from tests.graphql_api.accounts import login, me, staff_create
from tests.safeguarding import factories as f

LEVELS = """
{ settingsAccessLevels { id name isDslTeam staffCount yearGroups { name } tutorGroups { name }
    grants { category { name isActive } canViewPupils canViewIncidents canAddIncidents } } }
"""
STAFF = """
query($search: String!, $inactive: Boolean!, $first: Int, $after: String) {
  settingsStaff(search: $search, includeInactive: $inactive, first: $first, after: $after) {
    edges { cursor node { id email fullName jobTitle isActive isKeyHolder isSchoolAdmin
      accessLevel { name } alertGroups { name } hasPassword lastLogin misId } }
    nodes { email }
    pageInfo { hasNextPage endCursor }
  }
}
"""
CREATE_LEVEL = """
mutation($input: AccessLevelInput!) {
  createAccessLevel(input: $input) {
    accessLevel { id name grants { category { name } canViewIncidents } }
    errors { field code message }
  }
}
"""
UPDATE_LEVEL = """
mutation($id: ID!, $input: AccessLevelInput!) {
  updateAccessLevel(id: $id, input: $input) {
    accessLevel { name } errors { field code message }
  }
}
"""
DELETE_LEVEL = """
mutation($id: ID!) { deleteAccessLevel(id: $id) { deletedId errors { field code } } }
"""
INVITE = """
mutation($input: InviteStaffInput!) {
  inviteStaff(input: $input) {
    staffMember { id email hasPassword accessLevel { name } alertGroups { name } }
    errors { field code message }
  }
}
"""
UPDATE_STAFF = """
mutation($id: ID!, $input: UpdateStaffInput!) {
  updateStaff(id: $id, input: $input) {
    staffMember { isSchoolAdmin isKeyHolder accessLevel { name } }
    errors { field code message }
  }
}
"""
ONE_ID = """
mutation($id: ID!) {
  deactivateStaff(id: $id) { staffMember { isActive } errors { field code message } }
}
"""
CHANGES = """
{ settingsChanges(first: 10) { nodes { actorName action objectType objectName
    changes { field from to } } } }
"""


def _data(client: SchoolClient, query: str, variables: dict[str, Any] | None = None) -> Any:
    result = client.graphql(query, variables)
    assert "errors" not in result, result
    return next(iter(result["data"].values()))


def _admin(school: School) -> SchoolClient:
    return f.signed_in_admin(SchoolClient(school), f.dsl())


def test_a_level_change_takes_effect_on_the_holders_next_request(school_a: School) -> None:
    pupil = f.pupil("Hannah", "Greenwood", "1B")
    incident = incident_create(
        actor=Actor(f.dsl(), key_access=True),
        spec=IncidentSpec(
            pupil_id=pupil.pk,
            text="Concern",
            category_ids=[Category.objects.get(name="Bullying").pk],
        ),
    )
    holder = f.signed_in(
        SchoolClient(school_a),
        f.staff("Pat", "Oral", level="Pastoral", key_holder=True),
        second_factor=True,
    )
    read = f'{{ incident(id: "{f.gid("Incident", incident.pk)}") {{ text }} }}'
    assert _data(holder, read) == {"text": "Concern"}

    level = AccessLevel.objects.get(name="Pastoral")
    bullying = Category.objects.get(name="Bullying")
    payload = _data(
        _admin(school_a),
        UPDATE_LEVEL,
        {
            "id": f.gid("AccessLevel", level.pk),
            "input": {
                "name": "Pastoral",
                "grants": [
                    {
                        "categoryId": f.gid("Category", bullying.pk),
                        "canViewPupils": True,
                        "canViewIncidents": False,
                        "canAddIncidents": True,
                    }
                ],
            },
        },
    )
    assert payload == {"accessLevel": {"name": "Pastoral"}, "errors": []}
    assert _data(holder, read) is None


def test_levels_list_every_category_in_order_with_inactive_marked(school_a: School) -> None:
    Category.objects.filter(name="Prevent").update(is_active=False)
    f.staff("Pat", "Oral", level="Pastoral")
    levels = {level["name"]: level for level in _data(_admin(school_a), LEVELS)}
    pastoral = levels["Pastoral"]
    assert pastoral["staffCount"] == 1
    names = [grant["category"]["name"] for grant in pastoral["grants"]]
    assert names == list(Category.objects.order_by("order", "name").values_list("name", flat=True))
    prevent = next(g for g in pastoral["grants"] if g["category"]["name"] == "Prevent")
    assert prevent == {
        "category": {"name": "Prevent", "isActive": False},
        "canViewPupils": False,
        "canViewIncidents": False,
        "canAddIncidents": True,
    }
    assert levels["DSL"]["isDslTeam"]
    assert levels["DSL"]["staffCount"] == 1


def test_level_create_rename_clash_and_delete(school_a: School) -> None:
    admin = _admin(school_a)
    created = _data(
        admin,
        CREATE_LEVEL,
        {
            "input": {
                "name": "Heads of Year",
                "grants": [
                    {"categoryId": f.category_ids("SEND")[0], "canViewIncidents": True},
                ],
            }
        },
    )
    assert created["errors"] == []
    level = created["accessLevel"]
    assert {g["category"]["name"] for g in level["grants"] if g["canViewIncidents"]} == {"SEND"}
    clash = _data(admin, UPDATE_LEVEL, {"id": level["id"], "input": {"name": "pastoral"}})
    assert [(e["field"], e["code"]) for e in clash["errors"]] == [("name", "unique")]

    pastoral = f.gid("AccessLevel", AccessLevel.objects.get(name="Pastoral").pk)
    f.staff("Pat", "Oral", level="Pastoral")
    assert _data(admin, DELETE_LEVEL, {"id": pastoral}) == {
        "deletedId": None,
        "errors": [{"field": None, "code": "in_use"}],
    }
    assert _data(admin, DELETE_LEVEL, {"id": level["id"]}) == {
        "deletedId": level["id"],
        "errors": [],
    }


def test_invite_edit_and_the_last_admin_message(school_a: School) -> None:
    admin = _admin(school_a)
    level = f.gid("AccessLevel", AccessLevel.objects.get(name="Pastoral").pk)
    invited = _data(
        admin,
        INVITE,
        {
            "input": {
                "email": "Nia.Newton@alpha.example",
                "firstName": "Nia",
                "lastName": "Newton",
                "accessLevelId": level,
                "isKeyHolder": True,
                "alertGroupIds": [],
            }
        },
    )
    assert invited["errors"] == []
    assert invited["staffMember"]["hasPassword"] is False
    assert invited["staffMember"]["accessLevel"] == {"name": "Pastoral"}
    delivery = EmailDelivery.objects.get(to_address="nia.newton@alpha.example")
    assert delivery.kind == "invitation"
    assert "/set-password/" in delivery.link

    again = _data(
        admin,
        INVITE,
        {"input": {"email": "NIA.newton@alpha.example", "firstName": "N", "lastName": "N"}},
    )
    assert [(e["field"], e["code"]) for e in again["errors"]] == [("email", "unique")]

    dsl = f.gid("Staff", f.dsl().pk)
    refused = _data(admin, UPDATE_STAFF, {"id": dsl, "input": {"isSchoolAdmin": False}})
    assert refused["staffMember"] is None
    assert refused["errors"][0]["field"] == "isSchoolAdmin"
    assert refused["errors"][0]["code"] == "last_admin"
    assert "at least one active school admin with key access" in refused["errors"][0]["message"]
    refused = _data(admin, ONE_ID, {"id": dsl})
    assert refused["errors"][0]["code"] == "last_admin"

    # Removing the access level (null) differs from leaving it out.
    nia = invited["staffMember"]["id"]
    kept = _data(admin, UPDATE_STAFF, {"id": nia, "input": {"isSchoolAdmin": True}})
    assert kept["staffMember"]["accessLevel"] == {"name": "Pastoral"}
    cleared = _data(admin, UPDATE_STAFF, {"id": nia, "input": {"accessLevelId": None}})
    assert cleared["staffMember"]["accessLevel"] is None
    # With Nia an admin with key access, the first DSL may step down.
    stepped = _data(admin, UPDATE_STAFF, {"id": dsl, "input": {"isSchoolAdmin": False}})
    assert stepped["errors"] == []


def test_deactivating_signs_the_person_out_at_once(school_a: School) -> None:
    staff_create("teacher@alpha.example")
    teacher = SchoolClient(school_a)
    login(teacher, "teacher@alpha.example")
    assert me(teacher) is not None
    target = f.gid("Staff", Staff.objects.get(email="teacher@alpha.example").pk)
    assert _data(_admin(school_a), ONE_ID, {"id": target}) == {
        "staffMember": {"isActive": False},
        "errors": [],
    }
    assert me(teacher) is None


def test_staff_list_search_inactive_paging_and_constant_queries(school_a: School) -> None:
    admin = _admin(school_a)

    def count_queries(variables: dict[str, Any]) -> int:
        with CaptureQueriesContext(connection) as queries:
            _data(admin, STAFF, variables)
        return len([q for q in queries.captured_queries if not q["sql"].startswith("SET ")])

    _data(admin, STAFF, {"search": "", "inactive": False})  # resolves and caches the host

    for n in range(3):
        f.staff("Teacher", f"Number{n}", groups=("Teachers",))
    few = count_queries({"search": "", "inactive": True, "first": 100})
    for n in range(3, 30):
        f.staff("Teacher", f"Number{n}", groups=("Teachers", "SLT"))
    assert count_queries({"search": "", "inactive": True, "first": 100}) == few

    Staff.objects.filter(last_name="Number0").update(is_active=False)
    page = _data(admin, STAFF, {"search": "number", "inactive": False, "first": 10})
    assert len(page["edges"]) == 10
    assert page["pageInfo"]["hasNextPage"]
    assert "Teacher Number0" not in [e["node"]["fullName"] for e in page["edges"]]
    rest = _data(
        admin,
        STAFF,
        {
            "search": "number",
            "inactive": False,
            "first": 500,
            "after": page["pageInfo"]["endCursor"],
        },
    )
    assert len(rest["edges"]) == 19
    assert not rest["pageInfo"]["hasNextPage"]
    with_inactive = _data(admin, STAFF, {"search": "Number0", "inactive": True})
    assert [e["node"]["isActive"] for e in with_inactive["edges"]] == [False]
    capped = _data(admin, STAFF, {"search": "", "inactive": True, "first": 1000})
    assert len(capped["edges"]) <= 100


def test_change_history_shows_who_what_from_and_to(school_a: School) -> None:
    admin = _admin(school_a)
    level = f.gid("AccessLevel", AccessLevel.objects.get(name="Pastoral").pk)
    _data(admin, UPDATE_LEVEL, {"id": level, "input": {"name": "Pastoral team"}})
    _data(
        admin,
        INVITE,
        {"input": {"email": "nia@alpha.example", "firstName": "Nia", "lastName": "Newton"}},
    )
    changes = _data(admin, CHANGES)["nodes"]
    assert [c["action"] for c in changes[:2]] == ["staff.invited", "access_level.updated"]
    assert changes[1]["objectType"] == "Access level"
    assert changes[1]["objectName"] == "Pastoral team"
    assert changes[1]["actorName"].startswith("Designated Safeguarding Lead")
    assert changes[1]["changes"] == [{"field": "name", "from": "Pastoral", "to": "Pastoral team"}]
    assert [c["field"] for c in changes[0]["changes"]] == [
        "first_name",
        "last_name",
        "email",
        "job_title",
        "is_key_holder",
        "is_school_admin",
        "is_active",
        "alert_groups",
    ]
    assert {"field": "is_key_holder", "from": None, "to": "No"} in changes[0]["changes"]


def test_non_admins_get_null_and_every_mutation_refuses(school_a: School) -> None:
    teacher = f.signed_in(
        SchoolClient(school_a), f.staff("Tina", "Teacher", key_holder=True), second_factor=True
    )
    for query in (LEVELS, CHANGES, "{ settingsYearGroups { id } settingsTutorGroups { id } }"):
        result = teacher.graphql(query)
        assert "errors" not in result, result
        assert all(value is None for value in result["data"].values())
    assert _data(teacher, STAFF, {"search": "", "inactive": True}) is None

    level = f.gid("AccessLevel", AccessLevel.objects.get(name="Pastoral").pk)
    dsl = f.gid("Staff", f.dsl().pk)
    forbidden = [{"field": None, "code": "forbidden", "message": "Only school admins can do this."}]
    attempts: list[tuple[str, dict[str, Any]]] = [
        (CREATE_LEVEL, {"input": {"name": "Mine"}}),
        (UPDATE_LEVEL, {"id": level, "input": {"name": "Mine"}}),
        (UPDATE_LEVEL, {"id": f.gid("AccessLevel", 999999), "input": {"name": "Mine"}}),
        (INVITE, {"input": {"email": "x@alpha.example", "firstName": "X", "lastName": "Y"}}),
        (UPDATE_STAFF, {"id": dsl, "input": {"isSchoolAdmin": False}}),
        (UPDATE_STAFF, {"id": f.gid("Staff", 999999), "input": {"jobTitle": "x"}}),
        (ONE_ID, {"id": dsl}),
        (ONE_ID.replace("deactivateStaff", "reactivateStaff"), {"id": dsl}),
        (ONE_ID.replace("deactivateStaff", "resendStaffInvitation"), {"id": dsl}),
    ]
    for query, variables in attempts:
        payload = _data(teacher, query, variables)
        assert payload["errors"] == forbidden or [
            {k: e[k] for k in ("field", "code")} for e in payload["errors"]
        ] == [{"field": None, "code": "forbidden"}], (query, payload)
    assert _data(teacher, DELETE_LEVEL, {"id": level})["errors"] == [
        {"field": None, "code": "forbidden"}
    ]
    assert AccessLevel.objects.filter(name="Pastoral").exists()
    assert f.dsl().is_school_admin
    assert f.dsl().is_active
    assert not Staff.objects.filter(email="x@alpha.example").exists()
