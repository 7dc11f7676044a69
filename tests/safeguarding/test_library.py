"""The library: admins publish documents; staff see the folders open to them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from safeguarding.models import AccessLevel, LibraryDocument
from tenants.models import School
from tests.conftest import SchoolClient
from tests.safeguarding import factories as f
from tests.safeguarding.test_attachments import s3_keys, upload

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
    assert refused["data"]["createLibraryFolder"]["errors"] == [{"field": "", "code": "forbidden"}]

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
