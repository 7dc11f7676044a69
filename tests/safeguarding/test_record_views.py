"""What each kind of reader gets of one incident: the main record, a linked pupil's copy, or
nothing — compared field by field, on every path that shows an incident.

The incident: Hannah (main pupil) under Child Protection (DSL team only here) with a
subcategory, an agency, a body map marker and a file; Matthew linked under Home Issues without
shared documents; one action added to linked students (with a file it shares), one that is not.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from safeguarding.models import Agency, ApiClient, Category, Incident, Staff, Subcategory
from safeguarding.permissions import Actor
from safeguarding.services.actions import ActionSpec, action_create
from safeguarding.services.attachments import attachment_upload
from safeguarding.services.incidents import IncidentSpec, LinkSpec, MarkerSpec, incident_create
from tenants.models import School
from tests.conftest import SchoolClient
from tests.safeguarding import factories as f

INCIDENT = """query($id: ID!) { incident(id: $id) {
  isLinkedCopy student { displayName } text categories { name } subcategories { name }
  agencies { name } bodyMap { number note } attachments { name downloadUrl }
  linkedStudents { student { displayName } categories { name } }
  actions { text attachments { name downloadUrl } } alertRecipientNames } }"""

CHRONOLOGY = """query($id: ID!) { student(id: $id) { student { displayName } incidents {
  edges { node { isLinkedCopy categories { name } actions { text } } } } } }"""


@dataclass
class Story:
    incident: Incident
    hannah_gid: str
    matthew_gid: str
    # Files by who may open them: the incident's, the shared action's, the unshared action's.
    files: dict[str, int]
    wendy: Staff


@pytest.fixture
def story(school_a: School) -> Story:
    Category.objects.filter(name="Child Protection").update(dsl_team_only=True)
    dsl = f.dsl()
    author = Actor(dsl, key_access=True)
    hannah = f.pupil("Hannah", "Greenwood", "1B")
    matthew = f.pupil("Matthew", "Greenwood", "5B")
    wendy = f.staff("Wendy", "Abbott")
    protection = Category.objects.get(name="Child Protection")
    home = Category.objects.get(name="Home Issues")

    def upload(name: str) -> int:
        return attachment_upload(actor=author, upload=SimpleUploadedFile(name, b"Notes\n")).pk

    files = {"incident": upload("letter.txt")}
    incident = incident_create(
        actor=author,
        spec=IncidentSpec(
            pupil_id=hannah.pk,
            text="Mr Greenwood was seen at the gates; Hannah Greenwood and Matthew Greenwood.",
            category_ids=[protection.pk],
            subcategory_ids=[Subcategory.objects.filter(category=protection).first().pk],  # type: ignore[union-attr]
            agency_ids=[Agency.objects.order_by("pk").first().pk],  # type: ignore[union-attr]
            links=[LinkSpec(pupil_id=matthew.pk, category_ids=[home.pk], share_documents=False)],
            markers=[MarkerSpec(side="front", x=0.5, y=0.5, number=1, note="Bruise")],
            alert_staff_ids=[wendy.pk],
            attachment_ids=[files["incident"]],
        ),
    )
    files["shared_action"] = upload("shared.txt")
    action_create(
        actor=author,
        spec=ActionSpec(
            incident_id=incident.pk,
            text="Spoke to both children.",
            add_to_linked_pupils=True,
            share_documents=True,
            attachment_ids=[files["shared_action"]],
        ),
    )
    files["main_action"] = upload("referral.txt")
    action_create(
        actor=author,
        spec=ActionSpec(
            incident_id=incident.pk,
            text="Referred Hannah to children's social care.",
            attachment_ids=[files["main_action"]],
        ),
    )
    return Story(incident, f.gid("Student", hannah.pk), f.gid("Student", matthew.pk), files, wendy)


def _incident(client: SchoolClient, story: Story) -> Any:
    return client.graphql(INCIDENT, {"id": f.gid("Incident", story.incident.pk)})["data"][
        "incident"
    ]


def _downloads(client: SchoolClient, story: Story) -> dict[str, int]:
    return {
        name: client.get(f"/attachments/{f.gid('Attachment', pk)}/download").status_code
        for name, pk in story.files.items()
    }


def _chronology(client: SchoolClient, pupil_gid: str) -> Any:
    record = client.graphql(CHRONOLOGY, {"id": pupil_gid})["data"]["student"]
    return None if record is None else [e["node"] for e in record["incidents"]["edges"]]


def _main_record_shown_in_full(view: dict[str, Any]) -> None:
    assert view["isLinkedCopy"] is False
    assert view["student"] == {"displayName": "Hannah Greenwood (1B)"}
    assert view["categories"] == [{"name": "Child Protection"}]
    assert len(view["subcategories"]) == 1
    assert len(view["agencies"]) == 1
    assert view["bodyMap"] == [{"number": 1, "note": "Bruise"}]
    assert [a["name"] for a in view["attachments"]] == ["letter.txt"]
    assert [a["text"] for a in view["actions"]] == [
        "Spoke to both children.",
        "Referred Hannah to children's social care.",
    ]
    assert [[f["name"] for f in a["attachments"]] for a in view["actions"]] == [
        ["shared.txt"],
        ["referral.txt"],
    ]
    assert view["alertRecipientNames"] == ["Wendy Abbott"]


def test_key_holder_limited_to_home_issues_gets_only_matthews_copy(
    story: Story, school_a: School
) -> None:
    home_only = f.staff("Pat", "Pastoral", level=None, key_holder=True)
    home_only.access_level = f.viewing_level("Home Issues only", "Home Issues")
    home_only.save()
    client = f.signed_in(SchoolClient(school_a), home_only, second_factor=True)

    view = _incident(client, story)
    # Matthew's copy: his categories, the action added to him without the files his copy
    # does not share, and nothing of Hannah's record (DSL-team-only category, subcategory,
    # agencies, body map, files, other pupils, who was alerted).
    assert view == {
        "isLinkedCopy": True,
        "student": {"displayName": "Matthew Greenwood (5B)"},
        "text": story.incident.text,
        "categories": [{"name": "Home Issues"}],
        "subcategories": [],
        "agencies": [],
        "bodyMap": [],
        "attachments": [],
        "linkedStudents": [],
        "actions": [{"text": "Spoke to both children.", "attachments": []}],
        "alertRecipientNames": [],
    }
    assert _downloads(client, story) == {"incident": 404, "shared_action": 404, "main_action": 404}
    # The copy is on Matthew's record only; Hannah's record lists nothing of it.
    assert _chronology(client, story.matthew_gid) == [
        {
            "isLinkedCopy": True,
            "categories": [{"name": "Home Issues"}],
            "actions": [{"text": "Spoke to both children."}],
        }
    ]
    assert _chronology(client, story.hannah_gid) == []
    # A copy is read-only: actions go on the main record.
    result = client.graphql(
        'mutation($id: ID!) { addAction(input: {incidentId: $id, text: "Seen"}) '
        "{ errors { field code } } }",
        {"id": f.gid("Incident", story.incident.pk)},
    )
    assert result["data"]["addAction"]["errors"] == [{"field": "incidentId", "code": "forbidden"}]


def test_copy_that_shares_documents_opens_only_the_shared_files(
    story: Story, school_a: School
) -> None:
    story.incident.links.update(share_documents=True)
    home_only = f.staff("Pat", "Pastoral", level=None, key_holder=True)
    home_only.access_level = f.viewing_level("Home Issues only", "Home Issues")
    home_only.save()
    client = f.signed_in(SchoolClient(school_a), home_only, second_factor=True)
    view = _incident(client, story)
    assert [a["name"] for a in view["attachments"]] == ["letter.txt"]
    assert [[f["name"] for f in a["attachments"]] for a in view["actions"]] == [["shared.txt"]]
    assert _downloads(client, story) == {"incident": 302, "shared_action": 302, "main_action": 404}


def test_dsl_gets_the_main_record_and_matthews_copy_on_his_chronology(
    story: Story, school_a: School
) -> None:
    client = f.signed_in(SchoolClient(school_a), f.dsl(), second_factor=True)
    view = _incident(client, story)
    _main_record_shown_in_full(view)
    assert view["linkedStudents"] == [
        {
            "student": {"displayName": "Matthew Greenwood (5B)"},
            "categories": [{"name": "Home Issues"}],
        }
    ]
    assert _downloads(client, story) == {"incident": 302, "shared_action": 302, "main_action": 302}
    assert [n["isLinkedCopy"] for n in _chronology(client, story.hannah_gid)] == [False]
    assert _chronology(client, story.matthew_gid) == [
        {
            "isLinkedCopy": True,
            "categories": [{"name": "Home Issues"}],
            "actions": [{"text": "Spoke to both children."}],
        }
    ]


def test_main_record_hides_a_linked_pupils_filing_beyond_the_readers_level(
    school_a: School,
) -> None:
    """A victim's record (Bullying) must not reveal that the perpetrator's copy is filed under
    a DSL-team-only category."""
    Category.objects.filter(name="Child Protection").update(dsl_team_only=True)
    dsl = f.dsl()
    hannah = f.pupil("Hannah", "Greenwood", "1B")
    matthew = f.pupil("Matthew", "Greenwood", "5B")
    incident = incident_create(
        actor=Actor(dsl, key_access=True),
        spec=IncidentSpec(
            pupil_id=hannah.pk,
            text="Name-calling at break.",
            category_ids=[Category.objects.get(name="Bullying").pk],
            links=[
                LinkSpec(
                    pupil_id=matthew.pk,
                    category_ids=[Category.objects.get(name="Child Protection").pk],
                )
            ],
        ),
    )
    reader = f.staff("Bea", "Behaviour", level=None, key_holder=True)
    reader.access_level = f.viewing_level("Bullying only", "Bullying")
    reader.save()
    client = f.signed_in(SchoolClient(school_a), reader, second_factor=True)
    view = client.graphql(INCIDENT, {"id": f.gid("Incident", incident.pk)})["data"]["incident"]
    assert view["isLinkedCopy"] is False
    assert view["categories"] == [{"name": "Bullying"}]
    assert view["linkedStudents"] == [
        {"student": {"displayName": "Matthew Greenwood (5B)"}, "categories": []}
    ]
    assert _chronology(client, f.gid("Student", matthew.pk)) == []


def test_alerted_teacher_reads_the_main_record_until_marking_it_read(
    story: Story, school_a: School
) -> None:
    client = f.signed_in(SchoolClient(school_a), story.wendy)
    view = _incident(client, story)
    _main_record_shown_in_full(view)
    assert view["linkedStudents"][0]["categories"] == [{"name": "Home Issues"}]
    assert _downloads(client, story) == {"incident": 302, "shared_action": 302, "main_action": 302}
    # No key access: no pupil record at all.
    assert _chronology(client, story.hannah_gid) is None
    alert_id = story.incident.alerts.get(recipient=story.wendy).pk
    client.graphql(
        "mutation($id: ID!) { markAlertRead(alertId: $id) { errors { code } } }",
        {"id": f.gid("Alert", alert_id)},
    )
    assert _incident(client, story) is None
    assert _downloads(client, story) == {"incident": 404, "shared_action": 404, "main_action": 404}


@pytest.mark.parametrize("reader", ["admin without key access", "key holder without 2FA"])
def test_admins_and_unverified_key_holders_get_nothing(
    story: Story, school_a: School, reader: str
) -> None:
    if reader == "admin without key access":
        member = f.staff("Ada", "Admin", level="DSL")
        member.is_school_admin = True
        member.save()
        client = f.signed_in(SchoolClient(school_a), member, second_factor=True)
    else:
        member = f.staff("Kim", "Keyholder", level="DSL", key_holder=True)
        client = f.signed_in(SchoolClient(school_a), member, second_factor=False)
    assert _incident(client, story) is None
    assert _chronology(client, story.hannah_gid) is None
    assert _chronology(client, story.matthew_gid) is None
    assert _downloads(client, story) == {"incident": 404, "shared_action": 404, "main_action": 404}


def test_api_token_reads_no_record(story: Story, school_a: School) -> None:
    key_id = secrets.token_hex(8)
    token = f"haven_{key_id}_{secrets.token_urlsafe(32)}"
    ApiClient.objects.create(
        name="Reader",
        scopes=["incidents:read", "pupils:write"],
        key_id=key_id,
        token_hash=hashlib.sha256(token.encode()).hexdigest(),
        created_by=f.dsl(),
    )
    client = SchoolClient(school_a, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert _incident(client, story) is None
    assert _chronology(client, story.hannah_gid) is None


FAILED = "{ failedAlertEmails { recipientName categoryNames } }"


def test_failed_alert_emails_only_for_incidents_whose_main_record_the_reader_sees(
    story: Story, school_a: School
) -> None:
    from notifications.models import EmailDelivery

    EmailDelivery.objects.filter(recipient=story.wendy).update(
        status=EmailDelivery.Status.FAILED, last_error="550 no such mailbox"
    )
    dsl = f.signed_in(SchoolClient(school_a), f.dsl(), second_factor=True)
    assert dsl.graphql(FAILED)["data"]["failedAlertEmails"] == [
        {"recipientName": "Wendy Abbott", "categoryNames": ["Child Protection"]}
    ]
    home_only = f.staff("Pat", "Pastoral", level=None, key_holder=True)
    home_only.access_level = f.viewing_level("Home Issues only", "Home Issues")
    home_only.save()
    pastoral = f.signed_in(SchoolClient(school_a), home_only, second_factor=True)
    # Matthew's copy is theirs to read, but the e-mail names Hannah's DSL-only category.
    assert pastoral.graphql(FAILED)["data"]["failedAlertEmails"] == []


def test_alert_picker_answers_only_for_categories_the_asker_may_file_under(
    school_a: School,
) -> None:
    Category.objects.filter(name="Prevent").update(dsl_team_only=True)
    hannah = f.pupil("Hannah", "Greenwood", "1B")
    teacher = f.signed_in(SchoolClient(school_a), f.staff("Tom", "Teacher"))
    query = """query($s: ID!, $c: [ID!]) { staff(search: "Designated", studentId: $s,
      categoryIds: $c) { edges { node { fullName wouldNotNormallyView } } } }"""

    def picker(*categories: str) -> Any:
        data = teacher.graphql(
            query,
            {"s": f.gid("Student", hannah.pk), "c": f.category_ids(*categories)},
        )["data"]["staff"]["edges"]
        return [e["node"]["wouldNotNormallyView"] for e in data]

    # Filing under Bullying is the teacher's to do: the picker says the DSL could view it.
    assert picker("Bullying") == [False]
    # Probing with a DSL-team-only category the teacher cannot file under tells nothing.
    assert picker("Prevent") == [None]
