"""The library: admins publish documents; staff see the folders open to them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeguarding.models import AccessLevel, AuditEvent, LibraryDocument, LibraryFolder
from tenants.models import School
from tests.conftest import SchoolClient
from tests.safeguarding import factories as f
from tests.safeguarding.test_attachments import s3_keys, upload
from tests.safeguarding.test_dashboard import data_queries

LIBRARY = "{ library { name documents { title file { name downloadUrl } } } }"
CREATE_FOLDER = """mutation($name: String!, $levels: [ID!]!) {
  createLibraryFolder(name: $name, accessLevelIds: $levels) {
    folder { id name } errors { field code } } }"""


def test_library_management_and_visibility(
    school_a: School, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    admin = f.signed_in(SchoolClient(school_a), f.dsl(), second_factor=True)
    teacher = f.signed_in(SchoolClient(school_a), f.staff("Chloe", "Kelan"))
    dsl_level = AccessLevel.objects.get(name="DSL")

    # Only school admins manage the library.
    refused = teacher.graphql(CREATE_FOLDER, {"name": "Mine", "levels": []})
    assert refused["data"]["createLibraryFolder"]["errors"] == [
        {"field": None, "code": "forbidden"}
    ]

    policies = admin.graphql(CREATE_FOLDER, {"name": "Policies", "levels": []})["data"][
        "createLibraryFolder"
    ]["folder"]
    dsl_only = admin.graphql(
        CREATE_FOLDER, {"name": "DSL notes", "levels": [f.gid("AccessLevel", dsl_level.pk)]}
    )["data"]["createLibraryFolder"]["folder"]
    uploaded = upload(admin, "Safeguarding policy.txt", b"Our safeguarding policy\n")
    added = admin.graphql(
        """mutation($folder: ID!, $file: ID!) { addLibraryDocument(
            folderId: $folder, title: "Safeguarding policy", attachmentId: $file) {
            document { id title } errors { code } } }""",
        {"folder": dsl_only["id"], "file": uploaded["attachment"]["id"]},
    )["data"]["addLibraryDocument"]
    assert added["errors"] == []

    assert teacher.graphql(LIBRARY)["data"]["library"] == [{"name": "Policies", "documents": []}]
    admin_view = admin.graphql(LIBRARY)["data"]["library"]
    assert [(folder["name"], len(folder["documents"])) for folder in admin_view] == [
        ("DSL notes", 1),
        ("Policies", 0),
    ]
    url = admin_view[0]["documents"][0]["file"]["downloadUrl"]
    assert admin.get(url).status_code == 302
    assert teacher.get(url).status_code == 404

    moved = admin.graphql(
        "mutation($doc: ID!, $folder: ID!) { moveLibraryDocument(documentId: $doc, "
        "folderId: $folder) { errors { code } } }",
        {"doc": added["document"]["id"], "folder": policies["id"]},
    )["data"]["moveLibraryDocument"]
    assert moved["errors"] == []
    teacher_view = teacher.graphql(LIBRARY)["data"]["library"]
    assert teacher_view[0]["documents"][0]["title"] == "Safeguarding policy"
    assert teacher.get(url).status_code == 302

    key = LibraryDocument.objects.get().attachment.file.name
    assert key in s3_keys()
    with django_capture_on_commit_callbacks(execute=True):
        deleted = admin.graphql(
            "mutation($doc: ID!) { deleteLibraryDocument(documentId: $doc) { errors { code } } }",
            {"doc": added["document"]["id"]},
        )["data"]["deleteLibraryDocument"]
    assert deleted["errors"] == []
    assert LibraryDocument.objects.count() == 0
    assert key not in s3_keys()


RENAME_DOCUMENT = """mutation($doc: ID!, $title: String!) {
  renameLibraryDocument(documentId: $doc, title: $title) {
    document { title file { name } } errors { field code message } } }"""
RENAME_FOLDER = """mutation($folder: ID!, $name: String!) {
  renameLibraryFolder(folderId: $folder, name: $name) {
    folder { name } errors { field code message } } }"""
DELETE_FOLDER = """mutation($folder: ID!) {
  deleteLibraryFolder(folderId: $folder) { errors { field code message } } }"""


def _folder_with_document(admin: SchoolClient, name: str) -> tuple[str, str]:
    folder = admin.graphql(CREATE_FOLDER, {"name": name, "levels": []})["data"][
        "createLibraryFolder"
    ]["folder"]
    uploaded = upload(admin, "policy.pdf", b"%PDF-1.4\n%%EOF\n")
    added = admin.graphql(
        """mutation($folder: ID!, $file: ID!) { addLibraryDocument(
            folderId: $folder, title: "Policy", attachmentId: $file) {
            document { id } errors { code } } }""",
        {"folder": folder["id"], "file": uploaded["attachment"]["id"]},
    )["data"]["addLibraryDocument"]
    assert added["errors"] == []
    return folder["id"], added["document"]["id"]


def test_admins_rename_documents_and_folders_and_it_is_audited(school_a: School) -> None:
    admin = f.signed_in(SchoolClient(school_a), f.dsl(), second_factor=True)
    teacher = f.signed_in(SchoolClient(school_a), f.staff("Chloe", "Kelan"))
    folder_id, document_id = _folder_with_document(admin, "Policies")

    renamed = admin.graphql(
        RENAME_DOCUMENT, {"doc": document_id, "title": "  Safeguarding policy 2026  "}
    )["data"]["renameLibraryDocument"]
    assert renamed == {
        "document": {"title": "Safeguarding policy 2026", "file": {"name": "policy.pdf"}},
        "errors": [],
    }
    assert teacher.graphql(LIBRARY)["data"]["library"][0]["documents"][0]["title"] == (
        "Safeguarding policy 2026"
    )
    event = AuditEvent.objects.get(
        action="library.document_rename", object_id=str(LibraryDocument.objects.get().pk)
    )
    assert event.detail == {"changes": {"title": ["Policy", "Safeguarding policy 2026"]}}

    blank = admin.graphql(RENAME_DOCUMENT, {"doc": document_id, "title": "   "})["data"][
        "renameLibraryDocument"
    ]
    assert blank["errors"] == [
        {"field": "title", "code": "required", "message": "Give the document a title."}
    ]
    folder_renamed = admin.graphql(RENAME_FOLDER, {"folder": folder_id, "name": "Key policies"})[
        "data"
    ]["renameLibraryFolder"]
    assert folder_renamed == {"folder": {"name": "Key policies"}, "errors": []}
    folder_pk = str(LibraryFolder.objects.get().pk)
    assert AuditEvent.objects.get(action="library.folder_rename", object_id=folder_pk).detail == {
        "changes": {"name": ["Policies", "Key policies"]}
    }

    # Teachers can do neither, and learn nothing by trying.
    for query, variables in [
        (RENAME_DOCUMENT, {"doc": document_id, "title": "Mine"}),
        (RENAME_FOLDER, {"folder": folder_id, "name": "Mine"}),
        (DELETE_FOLDER, {"folder": folder_id}),
    ]:
        (payload,) = teacher.graphql(query, variables)["data"].values()
        assert [e["code"] for e in payload["errors"]] == ["forbidden"]
    assert LibraryDocument.objects.get().title == "Safeguarding policy 2026"
    assert LibraryFolder.objects.get().name == "Key policies"


def test_only_an_empty_folder_can_be_deleted(school_a: School) -> None:
    admin = f.signed_in(SchoolClient(school_a), f.dsl(), second_factor=True)
    folder_id, document_id = _folder_with_document(admin, "Old forms")
    folder_pk = str(LibraryFolder.objects.get().pk)

    refused = admin.graphql(DELETE_FOLDER, {"folder": folder_id})["data"]["deleteLibraryFolder"]
    assert refused["errors"] == [
        {
            "field": "folderId",
            "code": "not_empty",
            "message": "This folder still has documents. Move or delete them first.",
        }
    ]
    assert LibraryFolder.objects.count() == 1

    admin.graphql(
        "mutation($doc: ID!) { deleteLibraryDocument(documentId: $doc) { errors { code } } }",
        {"doc": document_id},
    )
    deleted = admin.graphql(DELETE_FOLDER, {"folder": folder_id})["data"]["deleteLibraryFolder"]
    assert deleted["errors"] == []
    assert LibraryFolder.objects.count() == 0
    deletion = AuditEvent.objects.get(action="library.folder_delete", object_id=folder_pk)
    assert deletion.detail == {"name": "Old forms"}
    again = admin.graphql(DELETE_FOLDER, {"folder": folder_id})["data"]["deleteLibraryFolder"]
    assert [e["code"] for e in again["errors"]] == ["not_found"]


def test_only_admins_see_which_levels_a_folder_is_limited_to(school_a: School) -> None:
    admin = f.signed_in(SchoolClient(school_a), f.dsl(), second_factor=True)
    teacher = f.signed_in(SchoolClient(school_a), f.staff("Chloe", "Kelan"))
    dsl_level = AccessLevel.objects.get(name="DSL")
    query = "{ libraryAccessLevels { id name } library { name accessLevels { name } } }"

    levels = admin.graphql(query)["data"]["libraryAccessLevels"]
    names = [level["name"] for level in levels]
    assert "DSL" in names
    assert names == sorted(names)
    assert {"id": f.gid("AccessLevel", dsl_level.pk), "name": "DSL"} in levels
    admin.graphql(CREATE_FOLDER, {"name": "Everyone", "levels": []})
    admin.graphql(
        CREATE_FOLDER, {"name": "DSL notes", "levels": [f.gid("AccessLevel", dsl_level.pk)]}
    )
    assert admin.graphql(query)["data"]["library"] == [
        {"name": "DSL notes", "accessLevels": [{"name": "DSL"}]},
        {"name": "Everyone", "accessLevels": []},
    ]
    assert teacher.graphql(query)["data"] == {
        "libraryAccessLevels": [],
        "library": [{"name": "Everyone", "accessLevels": None}],
    }


def test_the_library_costs_the_same_queries_however_many_folders(school_a: School) -> None:
    admin = f.signed_in(SchoolClient(school_a), f.dsl(), second_factor=True)
    query = "{ library { name accessLevels { name } documents { title file { downloadUrl } } } }"
    _folder_with_document(admin, "One")
    admin.graphql("{ me { email } }")
    with CaptureQueriesContext(connection) as few:
        admin.graphql(query)
    for n in range(4):
        _folder_with_document(admin, f"Folder {n}")
    with CaptureQueriesContext(connection) as many:
        assert len(admin.graphql(query)["data"]["library"]) == 5
    assert len(data_queries(many)) == len(data_queries(few))


SET_ACCESS = """mutation($folder: ID!, $levels: [ID!]!) {
  setLibraryFolderAccess(folderId: $folder, accessLevelIds: $levels) {
    folder { name accessLevels { name } } errors { field code message } } }"""


def test_admins_change_who_sees_a_folder_and_it_is_audited(school_a: School) -> None:
    admin = f.signed_in(SchoolClient(school_a), f.dsl(), second_factor=True)
    teacher = f.signed_in(SchoolClient(school_a), f.staff("Chloe", "Kelan", level="All staff"))
    dsl_level = AccessLevel.objects.get(name="DSL")
    folder_id, _ = _folder_with_document(admin, "Policies")
    folder_pk = str(LibraryFolder.objects.get().pk)
    url = admin.graphql(LIBRARY)["data"]["library"][0]["documents"][0]["file"]["downloadUrl"]
    assert teacher.get(url).status_code == 302

    narrowed = admin.graphql(
        SET_ACCESS, {"folder": folder_id, "levels": [f.gid("AccessLevel", dsl_level.pk)]}
    )["data"]["setLibraryFolderAccess"]
    assert narrowed == {
        "folder": {"name": "Policies", "accessLevels": [{"name": "DSL"}]},
        "errors": [],
    }
    assert teacher.graphql(LIBRARY)["data"]["library"] == []
    assert teacher.get(url).status_code == 404
    assert AuditEvent.objects.get(action="library.folder_access", object_id=folder_pk).detail == {
        "changes": {"accessLevels": [[], ["DSL"]]}
    }

    widened = admin.graphql(SET_ACCESS, {"folder": folder_id, "levels": []})["data"][
        "setLibraryFolderAccess"
    ]
    assert widened == {"folder": {"name": "Policies", "accessLevels": []}, "errors": []}
    assert [folder["name"] for folder in teacher.graphql(LIBRARY)["data"]["library"]] == [
        "Policies"
    ]
    assert teacher.get(url).status_code == 302
    latest = AuditEvent.objects.filter(action="library.folder_access").latest("id")
    assert latest.detail == {"changes": {"accessLevels": [["DSL"], []]}}

    # An access level that does not exist is refused, and nothing changes.
    unknown = admin.graphql(
        SET_ACCESS, {"folder": folder_id, "levels": [f.gid("AccessLevel", 999999)]}
    )["data"]["setLibraryFolderAccess"]
    assert unknown == {
        "folder": None,
        "errors": [
            {
                "field": "accessLevelIds",
                "code": "not_found",
                "message": "An access level was not found.",
            }
        ],
    }
    assert not LibraryFolder.objects.get().access_levels.exists()


def test_non_admins_cannot_change_who_sees_a_folder(school_a: School) -> None:
    admin = f.signed_in(SchoolClient(school_a), f.dsl(), second_factor=True)
    teacher = f.signed_in(SchoolClient(school_a), f.staff("Chloe", "Kelan"))
    dsl_level = AccessLevel.objects.get(name="DSL")
    folder_id, _ = _folder_with_document(admin, "Policies")
    levels = [f.gid("AccessLevel", dsl_level.pk)]

    refused = teacher.graphql(SET_ACCESS, {"folder": folder_id, "levels": levels})
    missing = teacher.graphql(
        SET_ACCESS, {"folder": f.gid("LibraryFolder", 999999), "levels": levels}
    )
    # A folder that does not exist gets the same answer: nothing is learnt by trying.
    assert refused["data"] == missing["data"]
    assert [e["code"] for e in refused["data"]["setLibraryFolderAccess"]["errors"]] == ["forbidden"]
    assert not LibraryFolder.objects.get().access_levels.exists()
    assert not AuditEvent.objects.filter(action="library.folder_access").exists()
    assert admin.graphql(SET_ACCESS, {"folder": f.gid("LibraryFolder", 999999), "levels": []})[
        "data"
    ]["setLibraryFolderAccess"]["errors"] == [
        {"field": "folderId", "code": "not_found", "message": "That folder was not found."}
    ]
