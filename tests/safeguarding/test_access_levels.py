"""The default access levels and what a key holder on each sees."""

from __future__ import annotations

from safeguarding.models import AccessLevel, Category
from safeguarding.permissions import Actor
from safeguarding.services.incidents import IncidentSpec, incident_create
from tenants.models import School
from tests.conftest import SchoolClient
from tests.safeguarding import factories as f


def test_new_school_has_the_default_levels(school_a: School) -> None:
    levels = {
        level.name: level for level in AccessLevel.objects.prefetch_related("grants__category")
    }
    assert set(levels) >= {"All staff", "Pastoral", "DSL"}
    all_staff = levels["All staff"].grants.all()
    assert all(g.can_add_incidents and not g.can_view_incidents for g in all_staff)
    pastoral_view = {
        g.category.name for g in levels["Pastoral"].grants.all() if g.can_view_incidents
    }
    assert pastoral_view == {"Behaviour", "Bullying", "Home Issues", "Medical Issues", "SEND"}
    assert all(g.can_view_incidents for g in levels["DSL"].grants.all())
    assert levels["DSL"].is_dsl_team
    assert f.dsl().access_level == levels["DSL"]
    assert len(all_staff) == Category.objects.count()


def test_pastoral_key_holder_sees_pastoral_categories_only(school_a: School) -> None:
    pupil = f.pupil("Hannah", "Greenwood", "1B")
    author = Actor(f.dsl(), key_access=True)

    def incident(*categories: str) -> str:
        created = incident_create(
            actor=author,
            spec=IncidentSpec(
                pupil_id=pupil.pk,
                text="Concern",
                category_ids=[Category.objects.get(name=n).pk for n in categories],
            ),
        )
        return f.gid("Incident", created.pk)

    home = incident("Home Issues")
    protection = incident("Child Protection")
    both = incident("Child Protection", "Home Issues")
    client = f.signed_in(
        SchoolClient(school_a),
        f.staff("Pat", "Oral", level="Pastoral", key_holder=True),
        second_factor=True,
    )
    me = client.graphql("{ me { accessLevel isKeyHolder } }")["data"]["me"]
    assert me == {"accessLevel": "Pastoral", "isKeyHolder": True}
    query = (
        f'{{ home: incident(id: "{home}") {{ id }} protection: incident(id: "{protection}") '
        f'{{ id }} both: incident(id: "{both}") {{ id }} }}'
    )
    data = client.graphql(query)["data"]
    assert data == {"home": {"id": home}, "protection": None, "both": {"id": both}}


def test_linked_copy_carries_its_own_categories_and_document_sharing(school_a: School) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from safeguarding.services.attachments import attachment_upload
    from safeguarding.services.incidents import LinkSpec

    dsl = f.dsl()
    author = Actor(dsl, key_access=True)
    victim = f.pupil("Hannah", "Greenwood", "1B")
    other = f.pupil("Matthew", "Greenwood", "5B")
    protection = Category.objects.get(name="Child Protection").pk
    home = Category.objects.get(name="Home Issues").pk

    def incident(share: bool) -> str:
        letter = attachment_upload(
            actor=author, upload=SimpleUploadedFile("letter.txt", b"A letter\n")
        )
        created = incident_create(
            actor=author,
            spec=IncidentSpec(
                pupil_id=victim.pk,
                text="Concern",
                category_ids=[protection],
                links=[LinkSpec(pupil_id=other.pk, category_ids=[home], share_documents=share)],
                attachment_ids=[letter.pk],
            ),
        )
        return f.gid("Incident", created.pk)

    shared, unshared = incident(True), incident(False)
    # Pastoral staff cannot view Child Protection, but can view Matthew's Home Issues copy.
    client = f.signed_in(
        SchoolClient(school_a),
        f.staff("Pat", "Oral", level="Pastoral", key_holder=True),
        second_factor=True,
    )
    query = """query($id: ID!) { incident(id: $id) {
        isLinkedCopy categories { name } attachments { name } } }"""
    seen_shared = client.graphql(query, {"id": shared})["data"]["incident"]
    seen_unshared = client.graphql(query, {"id": unshared})["data"]["incident"]
    # They get Matthew's copy: its own categories, never the main record's.
    assert seen_shared["isLinkedCopy"] is True
    assert seen_shared["categories"] == [{"name": "Home Issues"}]
    assert seen_shared["attachments"] == [{"name": "letter.txt"}]
    assert seen_unshared["attachments"] == []
    # The DSL sees the main record, so the files whatever the link says.
    as_dsl = f.signed_in(SchoolClient(school_a), dsl, second_factor=True)
    assert as_dsl.graphql(query, {"id": unshared})["data"]["incident"]["attachments"] == [
        {"name": "letter.txt"}
    ]
