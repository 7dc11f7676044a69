"""Uploads: refused by content and size, and never an orphan object in S3."""

from __future__ import annotations

import io
import json
import tracemalloc
import zipfile
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django.fixtures import Settings as SettingsWrapper

from safeguarding.models import Attachment
from tenants.models import School
from tenants.schemas import current_schema_name
from tests.conftest import SchoolClient
from tests.safeguarding import factories as f

UPLOAD = (
    "mutation($file: Upload!) { uploadAttachment(file: $file) { "
    "attachment { id name size contentType } errors { field code message } } }"
)


def s3_keys() -> set[str]:
    prefix = f"{current_schema_name()}/attachments/"
    bucket = default_storage.bucket  # type: ignore[attr-defined]
    return {obj.key for obj in bucket.objects.filter(Prefix=prefix)}


def post_upload(client: SchoolClient, name: str, content: bytes) -> Any:
    return client.post(
        "/graphql",
        {
            "operations": json.dumps({"query": UPLOAD, "variables": {"file": None}}),
            "map": json.dumps({"0": ["variables.file"]}),
            "0": SimpleUploadedFile(name, content, content_type="application/pdf"),
        },
    )


def upload(client: SchoolClient, name: str, content: bytes) -> dict[str, Any]:
    response = post_upload(client, name, content)
    assert response.status_code == 200, response.content
    result: dict[str, Any] = response.json()["data"]["uploadAttachment"]
    return result


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def chloe_client(school_a: School) -> SchoolClient:
    return f.signed_in(SchoolClient(school_a), f.staff("Chloe", "Kelan"))


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("notes.txt", b"Notes about the meeting - 3 pages\n", "text/plain"),
        (
            "minutes",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png"),
    ],
)
def test_type_is_read_from_the_bytes(
    chloe_client: SchoolClient, name: str, content: bytes, expected: str
) -> None:
    result = upload(chloe_client, name, content)
    assert result["errors"] == []
    assert result["attachment"]["contentType"] == expected
    assert result["attachment"]["size"] == len(content)
    stored = Attachment.objects.get()
    # The person's file name is display text only; the key is random under the school.
    assert stored.file.name is not None
    assert stored.file.name.startswith(f"{current_schema_name()}/attachments/")
    assert name not in stored.file.name
    assert stored.file.name in s3_keys()


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120,  # a Windows program named .pdf
        b"PK\x03\x04" + b"\x00" * 60,  # a zip that is no Office document
        b"\x00\x01\x02\x03binary" * 10,
    ],
)
def test_disallowed_content_is_refused_and_stores_nothing(
    chloe_client: SchoolClient, content: bytes
) -> None:
    before = s3_keys()
    result = upload(chloe_client, "report.pdf", content)
    assert result["attachment"] is None
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("file", "type_not_allowed")]
    assert Attachment.objects.count() == 0
    assert s3_keys() == before


def zip_bomb(*, inflated: int, parts: dict[str, str] | None = None) -> bytes:
    """A small zip whose `mimetype` part inflates to ``inflated`` bytes of zeros, written in
    chunks so the test itself never holds them."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("mimetype", "w", force_zip64=True) as part:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(inflated // len(chunk)):
                part.write(chunk)
        for name, text in (parts or {}).items():
            archive.writestr(name, text)
    return buffer.getvalue()


INFLATED = 200 * 1024 * 1024


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ({}, None),
        (
            {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"},
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
    ids=["refused", "typed-by-its-parts"],
)
def test_a_zip_bomb_is_typed_without_inflating_it(
    chloe_client: SchoolClient, parts: dict[str, str], expected: str | None
) -> None:
    bomb = zip_bomb(inflated=INFLATED, parts=parts)
    assert len(bomb) < INFLATED // 500  # a few hundred kilobytes on the wire

    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        result = upload(chloe_client, "minutes.odt", bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    # Memory stayed far below what the part inflates to ...
    assert peak < 32 * 1024 * 1024, f"peak {peak / 2**20:.0f} MB"
    # ... and the upload was judged by what it is.
    if expected is None:
        assert [(e["field"], e["code"]) for e in result["errors"]] == [("file", "type_not_allowed")]
    else:
        assert result["errors"] == []
        assert result["attachment"]["contentType"] == expected


def test_an_opendocument_type_must_be_one_we_accept(chloe_client: SchoolClient) -> None:
    """The declared type is served back as the download's Content-Type: a familiar prefix
    followed by anything else is not enough."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text\r\nX-Evil: 1")
    result = upload(chloe_client, "notes.odt", buffer.getvalue())
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("file", "type_not_allowed")]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    result = upload(chloe_client, "notes.odt", buffer.getvalue())
    assert result["attachment"]["contentType"] == "application/vnd.oasis.opendocument.text"


def test_size_limit_is_enforced_while_reading(
    chloe_client: SchoolClient, settings: SettingsWrapper
) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    before = s3_keys()
    result = upload(chloe_client, "big.txt", b"a" * (1024 * 1024 + 1))
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("file", "too_large")]
    assert upload(chloe_client, "fits.txt", b"a" * (1024 * 1024))["errors"] == []
    assert len(s3_keys() - before) == 1


def test_request_over_the_limit_is_refused_before_reading(
    chloe_client: SchoolClient, settings: SettingsWrapper
) -> None:
    settings.GRAPHQL_MAX_REQUEST_BYTES = 64 * 1024
    before = s3_keys()
    response = post_upload(chloe_client, "big.txt", b"a" * (128 * 1024))
    assert response.status_code == 413
    assert s3_keys() == before


def test_failed_database_write_removes_the_object(
    chloe_client: SchoolClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(**_: object) -> None:
        raise RuntimeError("database unavailable")

    monkeypatch.setattr("safeguarding.services.attachments.audit_record", fail)
    before = s3_keys()
    response = post_upload(chloe_client, "letter.txt", b"Dear colleague\n")
    assert response.status_code == 200
    assert response.json()["data"] is None
    assert Attachment.objects.count() == 0
    assert s3_keys() == before


def test_someone_elses_upload_cannot_be_attached(school_a: School) -> None:
    chloe = f.signed_in(SchoolClient(school_a), f.staff("Chloe", "Kelan"))
    wendy = f.signed_in(SchoolClient(school_a), f.staff("Wendy", "Abbott"))
    hannah = f.pupil("Hannah", "Greenwood", "1B")
    uploaded = upload(chloe, "letter.txt", b"Dear colleague\n")["attachment"]
    result = wendy.graphql(
        """mutation($input: AddIncidentInput!) { addIncident(input: $input) {
            errors { field code } } }""",
        {
            "input": {
                "studentId": f.gid("Student", hannah.pk),
                "text": "Concern",
                "categoryIds": f.category_ids("Behaviour"),
                "attachmentIds": [uploaded["id"]],
            }
        },
    )["data"]["addIncident"]
    assert result["errors"] == [{"field": "attachmentIds", "code": "not_found"}]
    assert wendy.get(f"/attachments/{uploaded['id']}/download").status_code == 404
    assert chloe.get(f"/attachments/{uploaded['id']}/download").status_code == 302


def test_abandoned_uploads_are_swept_with_their_files(
    chloe_client: SchoolClient, django_capture_on_commit_callbacks: Any
) -> None:
    import datetime

    from django.utils import timezone

    from safeguarding.tasks import attachments_unclaimed_sweep

    before = s3_keys()
    kept = upload(chloe_client, "recent.txt", b"Recent upload\n")["attachment"]
    upload(chloe_client, "old.txt", b"Abandoned upload\n")
    old = Attachment.objects.get(original_name="old.txt")
    Attachment.objects.filter(pk=old.pk).update(
        uploaded_at=timezone.now() - datetime.timedelta(days=2)
    )
    old_key = old.file.name
    assert old_key in s3_keys()
    with django_capture_on_commit_callbacks(execute=True):
        # The hourly beat task, called directly: it runs the sweep in every school.
        assert attachments_unclaimed_sweep() == {"alpha": 1}
    assert list(Attachment.objects.values_list("original_name", flat=True)) == ["recent.txt"]
    assert s3_keys() - before == {Attachment.objects.get().file.name}
    assert kept["name"] == "recent.txt"
