"""School admins manage the agencies offered as "Agency Involved"."""

from __future__ import annotations

import pytest

from safeguarding.models import Agency, AuditEvent, Category
from safeguarding.permissions import Actor
from safeguarding.services.actions import ActionSpec, action_create
from safeguarding.services.defaults import DEFAULT_AGENCIES
from safeguarding.services.errors import ServiceError
from safeguarding.services.incidents import IncidentSpec, incident_create
from tenants.models import School
from tests.conftest import SchoolClient
from tests.safeguarding import factories as f
from tests.safeguarding.settings_support import call, codes, counted

SETTINGS = "{ settingsAgencies { id name isActive inUse } }"
CREATE = """mutation($name: String!) { createAgency(name: $name) {
  agency { id name isActive inUse } errors { field code message } } }"""
UPDATE = """mutation($id: ID!, $name: String!) { updateAgency(id: $id, name: $name) {
  agency { name } errors { field code message } } }"""
SET_ACTIVE = """mutation($id: ID!, $active: Boolean!) { setAgencyActive(id: $id, active: $active) {
  agency { name isActive } errors { field code } } }"""
DELETE = (
    """mutation($id: ID!) { deleteAgency(id: $id) { deletedId errors { field code message } } }"""
)
FORM = "{ agencies { name } }"


@pytest.fixture
def admin(school_a: School) -> SchoolClient:
    return f.signed_in_admin(SchoolClient(school_a), f.dsl())


def aid(name: str) -> str:
    return f.gid("Agency", Agency.objects.get(name=name).pk)


def test_an_admin_adds_and_renames_agencies_with_unique_names(admin: SchoolClient) -> None:
    created = call(admin, CREATE, {"name": " Barnardo's "})
    assert created["errors"] == []
    assert created["agency"]["name"] == "Barnardo's"
    assert (created["agency"]["isActive"], created["agency"]["inUse"]) == (True, False)
    assert "Barnardo's" in [a["name"] for a in call(admin, FORM)]

    assert codes(call(admin, CREATE, {"name": "POLICE"})) == [("name", "taken")]
    assert codes(call(admin, CREATE, {"name": "z" * 121})) == [("name", "too_long")]
    assert codes(call(admin, CREATE, {"name": ""})) == [("name", "required")]
    assert codes(call(admin, UPDATE, {"id": aid("GP"), "name": "camhs"})) == [("name", "taken")]

    renamed = call(admin, UPDATE, {"id": aid("GP"), "name": "GP Surgery"})
    assert renamed == {"agency": {"name": "GP Surgery"}, "errors": []}
    listed = [a["name"] for a in call(admin, SETTINGS)]
    expected = [*(n for n in DEFAULT_AGENCIES if n != "GP"), "Barnardo's", "GP Surgery"]
    assert sorted(listed) == sorted(expected)
    assert listed[:2] == ["Barnardo's", "CAMHS"]  # by name
    assert [
        e.detail["changes"]
        for e in AuditEvent.objects.filter(action__startswith="agency.").order_by("pk")
    ] == [
        {"name": [None, "Barnardo's"], "is_active": [None, True]},
        {"name": ["GP", "GP Surgery"]},
    ]


def test_a_used_agency_is_only_deactivated_and_an_unused_one_is_deleted(
    admin: SchoolClient,
) -> None:
    dsl = Actor(f.dsl(), key_access=True)
    incident = incident_create(
        actor=dsl,
        spec=IncidentSpec(
            pupil_id=f.pupil("Hannah", "Greenwood", "1B").pk,
            text="Seen at the gate",
            category_ids=[Category.objects.get(name="Bullying").pk],
            agency_ids=[Agency.objects.get(name="Police").pk],
        ),
    )
    action_create(
        actor=dsl,
        spec=ActionSpec(
            incident_id=incident.pk,
            text="Rang CAMHS",
            agency_ids=[Agency.objects.get(name="CAMHS").pk],
        ),
    )
    in_use = {a["name"]: a["inUse"] for a in call(admin, SETTINGS)}
    assert (in_use["Police"], in_use["CAMHS"], in_use["GP"]) == (True, True, False)

    for name in ("Police", "CAMHS"):
        refused = call(admin, DELETE, {"id": aid(name)})
        assert codes(refused) == [("id", "in_use")]
        assert "Deactivate it instead" in refused["errors"][0]["message"]

    assert call(admin, SET_ACTIVE, {"id": aid("Police"), "active": False}) == {
        "agency": {"name": "Police", "isActive": False},
        "errors": [],
    }
    assert "Police" not in [a["name"] for a in call(admin, FORM)]
    assert list(incident.agencies.values_list("name", flat=True)) == ["Police"]
    call(admin, SET_ACTIVE, {"id": aid("Police"), "active": True})
    assert "Police" in [a["name"] for a in call(admin, FORM)]
    assert [
        e.detail["changes"]
        for e in AuditEvent.objects.filter(
            action__in=["agency.deactivated", "agency.activated"]
        ).order_by("pk")
    ] == [{"is_active": [True, False]}, {"is_active": [False, True]}]

    gp = Agency.objects.get(name="GP")
    assert call(admin, DELETE, {"id": aid("GP")}) == {
        "deletedId": f.gid("Agency", gp.pk),
        "errors": [],
    }
    assert not Agency.objects.filter(name="GP").exists()
    assert AuditEvent.objects.get(action="agency.deleted").detail["changes"]["name"] == [
        "GP",
        None,
    ]


def test_the_settings_list_costs_the_same_queries_however_many_agencies(
    admin: SchoolClient,
) -> None:
    small, few = counted(admin, SETTINGS)
    Agency.objects.bulk_create(Agency(name=f"Agency {n}") for n in range(30))
    large, many = counted(admin, SETTINGS)
    assert len(large) == len(small) + 30
    assert many == few


def test_add_action_refuses_a_deactivated_agency_by_name(admin: SchoolClient) -> None:
    dsl = Actor(f.dsl(), key_access=True)
    incident = incident_create(
        actor=dsl,
        spec=IncidentSpec(
            pupil_id=f.pupil("Hannah", "Greenwood", "1B").pk,
            text="Seen at the gate",
            category_ids=[Category.objects.get(name="Bullying").pk],
        ),
    )
    call(admin, SET_ACTIVE, {"id": aid("CAMHS"), "active": False})
    with pytest.raises(ServiceError) as refused:
        action_create(
            actor=dsl,
            spec=ActionSpec(
                incident_id=incident.pk,
                text="Rang CAMHS",
                agency_ids=[Agency.objects.get(name="CAMHS").pk],
            ),
        )
    assert [(e.field, e.code, e.message) for e in refused.value.errors] == [
        ("agencyIds", "inactive", "“CAMHS” is no longer in use; choose another agency.")
    ]
    assert not incident.actions.exists()
