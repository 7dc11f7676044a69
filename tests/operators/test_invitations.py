"""An operator's invitation never opens a path to a school's records.

An invited admin has no key access; an address that already has an account is refused and
left exactly as it was; every invitation is in the school's change history and the platform
audit log, and every school admin is e-mailed about it.
"""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from notifications.messages import email_message_build
from notifications.models import EmailDelivery
from safeguarding.models import Category, Staff
from safeguarding.permissions import Actor
from safeguarding.services.incidents import IncidentSpec, incident_create
from tenants.models import Operator, PlatformAuditEvent, School
from tenants.schemas import use_public_schema
from tests.conftest import SchoolClient
from tests.graphql_api.accounts import login, me
from tests.safeguarding import factories as f
from tests.tenants.test_operators import (  # noqa: F401 - fixtures
    PASSWORD,
    PlatformClient,
    code_for,
    operator,
    signed_in,
)

INVITE = """
mutation($email: String!) {
  inviteSchoolAdmin(subdomain: "beta", email: $email, firstName: "Ivy", lastName: "Vited") {
    ok errors { field code message }
  }
}
"""
RESET = """
mutation($uid: String!, $token: String!, $password: String!) {
  resetPassword(uid: $uid, token: $token, newPassword: $password) { ok errors { code } }
}
"""
NEW_PASSWORD = "an invited admin's long passphrase"


def invite(client: PlatformClient, email: str) -> dict[str, Any]:
    use_public_schema()
    result = client.graphql(INVITE, {"email": email})
    assert "errors" not in result, result
    payload: dict[str, Any] = result["data"]["inviteSchoolAdmin"]
    return payload


def test_an_invited_admin_has_no_key_access_and_reads_no_record(
    signed_in: PlatformClient,  # noqa: F811
    school_b: School,
) -> None:
    with school_b:
        pupil = f.pupil("Hannah", "Greenwood", "1B")
        incident = incident_create(
            actor=Actor(f.dsl(), key_access=True),
            spec=IncidentSpec(
                pupil_id=pupil.pk,
                text="A concern",
                category_ids=[Category.objects.get(name="Child Protection").pk],
            ),
        )

    assert invite(signed_in, "ivy@beta.example") == {"ok": True, "errors": []}

    with school_b:
        ivy = Staff.objects.get(email="ivy@beta.example")
        assert (ivy.is_school_admin, ivy.is_key_holder, ivy.access_level_id) == (True, False, None)
        delivery = EmailDelivery.objects.get(kind=EmailDelivery.Kind.INVITATION, recipient=ivy)
        body = str(email_message_build(delivery=delivery, school=school_b).body)
        uid, token = re.findall(r"/set-password/(\S+)/(\S+?)/?\s", body)[0]
        client = SchoolClient(school_b)
        reset = client.graphql(RESET, {"uid": uid, "token": token, "password": NEW_PASSWORD})
        assert reset["data"]["resetPassword"] == {"ok": True, "errors": []}
        assert login(client, "ivy@beta.example", NEW_PASSWORD)["errors"] == []
        assert (me(client) or {}).get("isKeyHolder") is False

        # Even with a second factor passed, the account reaches no record.
        ivy.refresh_from_db()  # the password chosen through the link
        verified = f.signed_in(SchoolClient(school_b), ivy, second_factor=True)
        assert (me(verified) or {}).get("email") == "ivy@beta.example"
        data = verified.graphql(
            """query($incident: ID!, $student: ID!) {
              incident(id: $incident) { id }
              student(id: $student) { student { displayName } }
              dashboard { unreadAlertCount alerts { incidentId } }
            }""",
            {"incident": f.gid("Incident", incident.pk), "student": f.gid("Student", pupil.pk)},
        )["data"]
        assert data["incident"] is None
        assert data["student"] is None
        assert data["dashboard"] == {"unreadAlertCount": 0, "alerts": []}


def test_inviting_a_deactivated_person_is_refused_and_they_stay_deactivated(
    signed_in: PlatformClient,  # noqa: F811
    school_b: School,
) -> None:
    with school_b:
        former = f.staff("Fay", "Former", level="DSL", key_holder=True)
        former.is_active = False
        former.save()
        address = former.email

    refused = invite(signed_in, address.upper())

    assert refused["ok"] is False
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("email", "already_exists")]
    assert "its own admins manage it" in refused["errors"][0]["message"]
    with school_b:
        former.refresh_from_db()
        assert (former.is_active, former.is_school_admin) == (False, False)
        assert not EmailDelivery.objects.filter(recipient=former).exists()
        assert not EmailDelivery.objects.filter(kind=EmailDelivery.Kind.ADMIN_INVITED).exists()
    refusal = PlatformAuditEvent.objects.filter(school_subdomain="beta").latest("pk")
    assert (refusal.action, refusal.detail["email"]) == ("school.admin_invite_refused", address)


def test_inviting_an_existing_teacher_does_not_promote_them(
    signed_in: PlatformClient,  # noqa: F811
    school_b: School,
) -> None:
    with school_b:
        teacher = f.staff("Tom", "Teacher")
        level = teacher.access_level_id

    refused = invite(signed_in, teacher.email)

    assert [e["code"] for e in refused["errors"]] == ["already_exists"]
    with school_b:
        teacher.refresh_from_db()
        assert (teacher.is_school_admin, teacher.is_key_holder) == (False, False)
        assert teacher.access_level_id == level
        assert not teacher.has_usable_password()
        assert not EmailDelivery.objects.filter(recipient=teacher).exists()


def test_an_invitation_is_in_the_change_history_and_the_platform_audit_log(
    signed_in: PlatformClient,  # noqa: F811
    operator: Operator,  # noqa: F811
    school_b: School,
) -> None:
    assert invite(signed_in, "New.Admin@Beta.example")["ok"] is True

    event = PlatformAuditEvent.objects.filter(school_subdomain="beta").latest("pk")
    assert (event.action, event.operator_id) == ("school.admin_invited", operator.pk)
    assert event.detail == {"email": "new.admin@beta.example", "is_key_holder": False}
    with school_b:
        admin = f.signed_in(SchoolClient(school_b), f.dsl(), second_factor=True)
        history = admin.graphql(
            "{ settingsChanges(first: 5) { nodes { actorName action objectName "
            "changes { field from to } } } }"
        )["data"]["settingsChanges"]["nodes"]
    latest = history[0]
    assert latest["action"] == "staff.invited_by_operator"
    assert operator.email in latest["actorName"]
    assert latest["objectName"] == "Ivy Vited"
    changes = {item["field"]: item["to"] for item in latest["changes"]}
    assert changes["email"] == "new.admin@beta.example"
    assert (changes["is_school_admin"], changes["is_key_holder"]) == ("Yes", "No")


def test_every_active_school_admin_is_emailed_about_the_invitation(
    signed_in: PlatformClient,  # noqa: F811
    operator: Operator,  # noqa: F811
    school_b: School,
) -> None:
    with school_b:
        dsl = f.dsl()
        deputy = f.staff("Dee", "Puty", level="DSL", key_holder=True)
        office = f.staff("Olly", "Office", level=None)
        gone = f.staff("Gus", "Gone", level=None)
        teacher = f.staff("Tia", "Teacher")
        Staff.objects.filter(pk__in=[deputy.pk, office.pk, gone.pk]).update(is_school_admin=True)
        Staff.objects.filter(pk=gone.pk).update(is_active=False)

    assert invite(signed_in, "ivy@beta.example")["ok"] is True

    with school_b:
        notices = list(
            EmailDelivery.objects.filter(kind=EmailDelivery.Kind.ADMIN_INVITED).order_by("pk")
        )
        assert sorted(n.to_address for n in notices) == sorted(
            [dsl.email, deputy.email, office.email]
        )
        assert teacher.email not in {n.to_address for n in notices}
        message = email_message_build(delivery=notices[0], school=school_b)
    assert "ivy@beta.example" in str(message.body)
    assert operator.email in str(message.body)
    assert "no key access" in str(message.body)
    assert "Beta High School" in message.subject


def test_create_school_never_reaches_an_existing_school(
    signed_in: PlatformClient,  # noqa: F811
    school_b: School,
) -> None:
    use_public_schema()
    for subdomain, urn in (("beta", "300077"), ("betanew", "100002")):
        result = signed_in.graphql(
            "mutation($school: CreateSchoolInput!) { createSchool(school: $school) "
            "{ school { subdomain } errors { field code } } }",
            {
                "school": {
                    "name": "Beta again",
                    "subdomain": subdomain,
                    "urn": urn,
                    "dslEmail": "mine@operator.example",
                }
            },
        )["data"]["createSchool"]
        assert result["school"] is None
        assert result["errors"]
    with school_b:
        assert not Staff.objects.filter(email="mine@operator.example").exists()
    assert not School.objects.filter(schema_name="betanew").exists()


def test_the_console_says_invited_admins_get_no_key_access_and_refuses_accounts(
    operator: Operator,  # noqa: F811
    school_b: School,
) -> None:
    console = Client(HTTP_HOST="localhost")
    console.post(
        "/console/sign-in",
        {"email": operator.email, "password": PASSWORD, "code": code_for(operator)},
    )
    page = console.get("/console/schools/beta/invite").content.decode()
    assert "without key access" in page
    with school_b:
        address = f.dsl().email
    use_public_schema()
    refused = console.post(
        "/console/schools/beta/invite",
        {"email": address, "first_name": "Op", "last_name": "Erator"},
    ).content.decode()
    assert "its own admins manage it" in refused
