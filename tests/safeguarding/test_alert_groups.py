"""School admins manage alert groups; the forms and alerts follow."""

from __future__ import annotations

from typing import Any

import pytest

from safeguarding.models import Alert, AlertGroup, AuditEvent, Staff
from tenants.models import School
from tests.conftest import SchoolClient
from tests.safeguarding import factories as f
from tests.safeguarding.settings_support import call, codes, counted

GROUP = "id name order isActive members { id fullName jobTitle }"
SETTINGS = f"{{ settingsAlertGroups {{ {GROUP} }} }}"
CREATE = f"""mutation($name: String!) {{ createAlertGroup(name: $name) {{
  alertGroup {{ {GROUP} }} errors {{ field code message }} }} }}"""
UPDATE = """mutation($id: ID!, $name: String!) { updateAlertGroup(id: $id, name: $name) {
  alertGroup { name } errors { field code message } } }"""
REORDER = """mutation($ids: [ID!]!) { reorderAlertGroups(ids: $ids) {
  alertGroups { name order } errors { field code } } }"""
SET_ACTIVE = """mutation($id: ID!, $active: Boolean!) {
  setAlertGroupActive(id: $id, active: $active) {
    alertGroup { name isActive } errors { code } } }"""
ADD = """mutation($g: ID!, $s: ID!) { addAlertGroupMember(alertGroupId: $g, staffId: $s) {
  alertGroup { members { fullName jobTitle } } errors { field code } } }"""
REMOVE = """mutation($g: ID!, $s: ID!) { removeAlertGroupMember(alertGroupId: $g, staffId: $s) {
  alertGroup { members { fullName } } errors { field code } } }"""
FORM = "{ alertGroups { id name } }"
ADD_INCIDENT = """mutation($input: AddIncidentInput!) { addIncident(input: $input) {
  errors { field code message } } }"""


@pytest.fixture
def admin(school_a: School) -> SchoolClient:
    return f.signed_in_admin(SchoolClient(school_a), f.dsl())


def gid(name: str) -> str:
    return f.gid("AlertGroup", AlertGroup.objects.get(name=name).pk)


def alert_group(client: SchoolClient, group: str) -> dict[str, Any]:
    pupil = f.pupil("Hannah", "Greenwood", "1B")
    categories = {c["name"]: c["id"] for c in call(client, "{ categories { id name } }")}
    payload: dict[str, Any] = call(
        client,
        ADD_INCIDENT,
        {
            "input": {
                "studentId": f.gid("Student", pupil.pk),
                "text": "Seen at the gate",
                "categoryIds": [categories["Home Issues"]],
                "alertGroupIds": [gid(group)],
            }
        },
    )
    return payload


def test_an_admin_adds_renames_and_reorders_groups_and_the_forms_follow(
    admin: SchoolClient,
) -> None:
    created = call(admin, CREATE, {"name": "Pastoral Team"})
    assert created["errors"] == []
    assert created["alertGroup"]["order"] == 2
    assert created["alertGroup"]["members"] == []
    assert [g["name"] for g in call(admin, FORM)] == ["SLT", "Teachers", "Pastoral Team"]

    assert codes(call(admin, CREATE, {"name": "slt"})) == [("name", "taken")]
    assert codes(call(admin, CREATE, {"name": "g" * 81})) == [("name", "too_long")]
    assert codes(call(admin, UPDATE, {"id": gid("Teachers"), "name": "SLT"})) == [("name", "taken")]
    assert call(admin, UPDATE, {"id": gid("Teachers"), "name": "All Teachers"}) == {
        "alertGroup": {"name": "All Teachers"},
        "errors": [],
    }

    order = ["Pastoral Team", "SLT", "All Teachers"]
    reordered = call(admin, REORDER, {"ids": [gid(n) for n in order]})
    assert reordered == {
        "alertGroups": [{"name": n, "order": i} for i, n in enumerate(order)],
        "errors": [],
    }
    assert [g["name"] for g in call(admin, FORM)] == order
    assert codes(call(admin, REORDER, {"ids": [gid("SLT")]})) == [("ids", "stale")]

    call(admin, SET_ACTIVE, {"id": gid("SLT"), "active": False})
    assert [g["name"] for g in call(admin, FORM)] == ["Pastoral Team", "All Teachers"]
    assert [(g["name"], g["isActive"]) for g in call(admin, SETTINGS)] == [
        ("Pastoral Team", True),
        ("SLT", False),
        ("All Teachers", True),
    ]
    call(admin, SET_ACTIVE, {"id": gid("SLT"), "active": True})
    assert [g["name"] for g in call(admin, FORM)] == order

    actions = list(
        AuditEvent.objects.filter(action__startswith="alert_group")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "alert_group.created",
        "alert_group.updated",
        "alert_groups.reordered",
        "alert_group.deactivated",
        "alert_group.activated",
    ]
    assert AuditEvent.objects.get(action="alert_group.updated").detail == {
        "changes": {"name": ["Teachers", "All Teachers"]}
    }


def test_a_deactivated_group_cannot_be_alerted(admin: SchoolClient) -> None:
    call(admin, SET_ACTIVE, {"id": gid("Teachers"), "active": False})
    assert codes(alert_group(admin, "Teachers")) == [("alertGroupIds", "not_found")]


def test_a_removed_member_is_not_reached_by_later_alerts_to_the_group(
    admin: SchoolClient, school_a: School
) -> None:
    wendy = f.staff("Wendy", "Abbott")
    wendy.job_title = "Head of Year 7"
    wendy.save()
    teacher = f.signed_in(SchoolClient(school_a), f.staff("Chloe", "Kelan"))
    wendy_id = f.gid("Staff", wendy.pk)

    added = call(admin, ADD, {"g": gid("Teachers"), "s": wendy_id})
    assert added == {
        "alertGroup": {"members": [{"fullName": "Wendy Abbott", "jobTitle": "Head of Year 7"}]},
        "errors": [],
    }
    assert alert_group(teacher, "Teachers")["errors"] == []
    assert Alert.objects.filter(recipient=wendy).count() == 1

    removed = call(admin, REMOVE, {"g": gid("Teachers"), "s": wendy_id})
    assert removed == {"alertGroup": {"members": []}, "errors": []}
    assert alert_group(teacher, "Teachers")["errors"] == []
    assert Alert.objects.filter(recipient=wendy).count() == 1  # only the earlier one

    assert [
        e.detail["changes"]["members"]
        for e in AuditEvent.objects.filter(action__startswith="alert_group.member").order_by("pk")
    ] == [[[], [wendy.pk]], [[wendy.pk], []]]

    unknown = call(admin, ADD, {"g": gid("Teachers"), "s": f.gid("Staff", 999_999)})
    assert codes(unknown) == [("staffId", "not_found")]
    leaver = Staff.objects.create_user(email="leaver@alpha.example", is_active=False)
    assert codes(call(admin, ADD, {"g": gid("Teachers"), "s": f.gid("Staff", leaver.pk)})) == [
        ("staffId", "not_found")
    ]


def test_the_settings_list_costs_the_same_queries_however_many_groups_and_members(
    admin: SchoolClient,
) -> None:
    small, few = counted(admin, SETTINGS)
    members = [f.staff("Member", f"Number{n}") for n in range(10)]
    for n in range(10):
        AlertGroup.objects.create(name=f"Group {n}", order=10 + n).members.set(members)
    large, many = counted(admin, SETTINGS)
    assert len(large) == len(small) + 10
    assert len(large[-1]["members"]) == 10
    assert many == few
