"""A linked pupil's record shows their own copy of the incident (guide: "Linked student(s)",
"Add action to linked students", "Share documents?")."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from safeguarding.models import Category
from safeguarding.permissions import Actor
from safeguarding.services.actions import ActionSpec, action_create
from safeguarding.services.attachments import attachment_upload
from safeguarding.services.incidents import IncidentSpec, LinkSpec, incident_create
from tenants.models import School
from tests.conftest import SchoolClient
from tests.safeguarding import factories as f

RECORD = """query($id: ID!) { student(id: $id) { incidents { edges { node {
  categories { name } actions { text attachments { name } } } } } } }"""


def _copy(client: SchoolClient, pupil_gid: str) -> dict[str, Any]:
    record = client.graphql(RECORD, {"id": pupil_gid})["data"]["student"]
    (edge,) = record["incidents"]["edges"]
    node: dict[str, Any] = edge["node"]
    return node


def test_linked_pupil_sees_own_categories_and_only_actions_added_to_them(
    school_a: School,
) -> None:
    dsl = f.dsl()
    author = Actor(dsl, key_access=True)
    hannah = f.pupil("Hannah", "Greenwood", "1B")
    matthew = f.pupil("Matthew", "Greenwood", "5B")
    protection = Category.objects.get(name="Child Protection").pk
    home = Category.objects.get(name="Home Issues").pk
    incident = incident_create(
        actor=author,
        spec=IncidentSpec(
            pupil_id=hannah.pk,
            text="Father seen at the gates.",
            category_ids=[protection],
            links=[LinkSpec(pupil_id=matthew.pk, category_ids=[home], share_documents=True)],
        ),
    )
    note = attachment_upload(actor=author, upload=SimpleUploadedFile("note.txt", b"Minutes\n"))
    action_create(
        actor=author,
        spec=ActionSpec(
            incident_id=incident.pk,
            text="Spoke to both children.",
            add_to_linked_pupils=True,
            share_documents=False,
            attachment_ids=[note.pk],
        ),
    )
    action_create(
        actor=author,
        spec=ActionSpec(incident_id=incident.pk, text="Referred Hannah to CAMHS."),
    )
    client = f.signed_in(SchoolClient(school_a), dsl, second_factor=True)

    hannahs = _copy(client, f.gid("Student", hannah.pk))
    assert hannahs["categories"] == [{"name": "Child Protection"}]
    assert hannahs["actions"] == [
        {"text": "Spoke to both children.", "attachments": [{"name": "note.txt"}]},
        {"text": "Referred Hannah to CAMHS.", "attachments": []},
    ]

    matthews = _copy(client, f.gid("Student", matthew.pk))
    assert matthews["categories"] == [{"name": "Home Issues"}]
    # Only the action added to linked students, and without the files it did not share.
    assert matthews["actions"] == [{"text": "Spoke to both children.", "attachments": []}]
