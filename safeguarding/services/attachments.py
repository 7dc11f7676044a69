"""Uploading and downloading attachments.

An upload is read in chunks into a temporary file while its size is counted (so an oversized
file is refused as soon as it passes the limit) and hashed; its type is then detected from
the bytes. Only an accepted file is written to S3, under a random key, and if the database
row cannot be written the object is deleted again: a failure leaves nothing behind.
"""

from __future__ import annotations

import datetime
import hashlib
import tempfile
import uuid
import zipfile
from typing import IO, Any
from urllib.parse import quote

import puremagic
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from safeguarding.models import Attachment
from safeguarding.permissions import Actor, can_view_attachment
from safeguarding.services.audit import audit_record
from safeguarding.services.errors import ServiceError

CHUNK = 64 * 1024
HEAD = 8 * 1024

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
OLE = "application/x-ole-storage"  # legacy .doc/.xls/.ppt share this container
ALLOWED_TYPES = frozenset(
    {
        PDF,
        "image/jpeg",
        "image/png",
        "image/gif",
        "image/webp",
        "image/heic",
        "image/tiff",
        "image/bmp",
        DOCX,
        XLSX,
        PPTX,
        OLE,
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.oasis.opendocument.presentation",
        "text/plain",
    }
)
_MAGIC_ALIASES = {
    "application/msword": OLE,
    "application/vnd.ms-excel": OLE,
    "application/vnd.ms-powerpoint": OLE,
    "application/x-msi": OLE,
    "image/jpg": "image/jpeg",
    "image/x-ms-bmp": "image/bmp",
}


def max_bytes() -> int:
    return int(getattr(settings, "ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024))


# The longest OpenDocument type is 47 characters; a `mimetype` part is read no further than
# this, because a part's declared size is the sender's word and its content can inflate a
# thousandfold (a few hundred kilobytes of upload to hundreds of megabytes of memory).
MIMETYPE_READ_LIMIT = 128
_OPENDOCUMENT = "application/vnd.oasis.opendocument."


def _zip_office_type(stream: IO[bytes]) -> str | None:
    """Office Open XML and OpenDocument files are zip archives; their parts tell which."""
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                # ZipExtFile decompresses only as much as a bounded read asks for.
                with archive.open("mimetype") as part:
                    head = part.read(MIMETYPE_READ_LIMIT)
                declared = head.decode("ascii", "replace").strip()
                # Only a type we accept, never whatever text follows a familiar prefix: the
                # type is served back as the download's Content-Type.
                if declared.startswith(_OPENDOCUMENT) and declared in ALLOWED_TYPES:
                    return declared
            if "[Content_Types].xml" in names:
                for prefix, kind in (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX)):
                    if any(name.startswith(prefix) for name in names):
                        return kind
    except Exception:
        # Corrupt, truncated, encrypted or in a compression method zipfile lacks: whatever
        # the reason, it is not a document we can recognise (and not a server error).
        return None
    return None


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        # A multi-byte character may be cut at the end of the sample.
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:
            return False
    return True


def detect_content_type(stream: IO[bytes]) -> str | None:
    """The type the bytes are, or None when they are none of the allowed kinds."""
    stream.seek(0)
    head = stream.read(HEAD)
    if not head:
        return None
    if head.startswith(b"PK\x03\x04"):
        return _zip_office_type(stream)
    try:
        detected = str(puremagic.from_string(head, mime=True))
    except puremagic.PureError:
        detected = ""
    detected = _MAGIC_ALIASES.get(detected, detected)
    if detected in ALLOWED_TYPES:
        return detected
    if not detected and _looks_like_text(head):
        return "text/plain"
    return None


def _spool(upload: Any, limit: int) -> tuple[IO[bytes], int, str]:
    """Copy the upload to a temporary file, stopping as soon as it passes the limit."""
    spooled: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)  # noqa: SIM115
    digest = hashlib.sha256()
    size = 0
    chunks = (
        upload.chunks(CHUNK) if hasattr(upload, "chunks") else iter(lambda: upload.read(CHUNK), b"")
    )
    for chunk in chunks:
        size += len(chunk)
        if size > limit:
            spooled.close()
            raise ServiceError.one(
                "file",
                "too_large",
                f"The file is larger than {limit // (1024 * 1024)} MB.",
            )
        digest.update(chunk)
        spooled.write(chunk)
    spooled.seek(0)
    return spooled, size, digest.hexdigest()


def _display_name(name: str | None) -> str:
    # Display text only: strip any path a browser sent and control characters.
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable()).strip()
    return cleaned[:255] or "file"


def attachment_upload(
    *, actor: Actor, upload: Any, request: HttpRequest | None = None
) -> Attachment:
    """Store an uploaded file for the uploader to attach to an incident, action or document."""
    spooled, size, sha256 = _spool(upload, max_bytes())
    try:
        if size == 0:
            raise ServiceError.one("file", "empty", "The file is empty.")
        content_type = detect_content_type(spooled)
        if content_type is None:
            raise ServiceError.one(
                "file",
                "type_not_allowed",
                "Only PDF, image, Office and plain text files can be uploaded.",
            )
        spooled.seek(0)
        # The key is random: the person's file name never reaches a path.
        stored_name = default_storage.save(f"attachments/{uuid.uuid4().hex}", File(spooled))
    finally:
        spooled.close()
    try:
        with transaction.atomic():
            attachment = Attachment.objects.create(
                file=stored_name,
                original_name=_display_name(getattr(upload, "name", None)),
                size=size,
                content_type=content_type,
                sha256=sha256,
                uploaded_by=actor.staff,
            )
            audit_record(
                action="attachment.upload",
                actor=actor.staff,
                request=request,
                target=attachment,
                detail={"size": size, "content_type": content_type},
            )
    except BaseException:
        default_storage.delete(stored_name)
        raise
    return attachment


def attachments_claim(
    *, actor: Actor, attachment_ids: list[int], field: str = "attachmentIds"
) -> list[Attachment]:
    """The caller's own unfiled uploads, locked for filing; anything else is not found."""
    if not attachment_ids:
        return []
    attachments = list(
        Attachment.objects.select_for_update(of=("self",)).filter(
            pk__in=attachment_ids,
            uploaded_by=actor.staff,
            incident__isnull=True,
            action__isnull=True,
            library_document__isnull=True,
        )
    )
    if len(attachments) != len(set(attachment_ids)):
        raise ServiceError.one(field, "not_found", "An attachment was not found.")
    return attachments


def attachment_download_url(
    *, actor: Actor, attachment_id: int, request: HttpRequest | None = None
) -> str | None:
    """A short-lived S3 URL that downloads the file, audited; None if missing or forbidden."""
    attachment = (
        Attachment.objects.select_related(
            "incident__pupil",
            "action__incident__pupil",
            "library_document__folder",
        )
        .filter(pk=attachment_id)
        .first()
    )
    if attachment is None or not can_view_attachment(actor, attachment):
        return None
    with transaction.atomic():
        audit_record(
            action="attachment.read", actor=actor.staff, request=request, target=attachment
        )
    filename = attachment.original_name.replace('"', "")
    ascii_name = filename.encode("ascii", "replace").decode("ascii").replace("?", "_")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return str(
        default_storage.url(  # type: ignore[call-arg]
            attachment.file.name,
            parameters={
                "ResponseContentDisposition": disposition,
                "ResponseContentType": attachment.content_type,
            },
            expire=60,
        )
    )


UNCLAIMED_AFTER = datetime.timedelta(days=1)


def attachments_unclaimed_delete(*, older_than: datetime.timedelta = UNCLAIMED_AFTER) -> int:
    """Remove uploads never filed with a record (e.g. the form was abandoned), and their files.

    Rows go in one transaction; each file is deleted only after that commits, so a failure
    can leave a file briefly without a row to be swept again, never a row without its file.
    """
    cutoff = timezone.now() - older_than
    with transaction.atomic():
        unclaimed = list(
            Attachment.objects.select_for_update(of=("self",), skip_locked=True).filter(
                uploaded_at__lt=cutoff,
                incident__isnull=True,
                action__isnull=True,
                library_document__isnull=True,
            )
        )
        names = [str(a.file.name) for a in unclaimed]
        Attachment.objects.filter(pk__in=[a.pk for a in unclaimed]).delete()

        def delete_files() -> None:
            for name in names:
                default_storage.delete(name)

        transaction.on_commit(delete_files)
    return len(names)
