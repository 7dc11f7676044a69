"""The library: school admins publish documents in folders; staff read them."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpRequest

from safeguarding.models import AccessLevel, LibraryDocument, LibraryFolder
from safeguarding.permissions import Actor, can_manage_library
from safeguarding.services.attachments import attachments_claim
from safeguarding.services.audit import audit_change, audit_record
from safeguarding.services.errors import ServiceError


def _require_admin(actor: Actor) -> None:
    if not can_manage_library(actor):
        raise ServiceError.one("", "forbidden", "Only school admins manage the library.")


def library_folder_create(
    *,
    actor: Actor,
    name: str,
    access_level_ids: list[int],
    request: HttpRequest | None = None,
) -> LibraryFolder:
    _require_admin(actor)
    name = name.strip()
    if not name:
        raise ServiceError.one("name", "required", "Name the folder.")
    levels = list(AccessLevel.objects.filter(pk__in=set(access_level_ids)))
    if len(levels) != len(set(access_level_ids)):
        raise ServiceError.one("accessLevelIds", "not_found", "An access level was not found.")
    with transaction.atomic():
        folder = LibraryFolder.objects.create(name=name[:120])
        folder.access_levels.set(levels)
        audit_record(
            action="library.folder_create", actor=actor.staff, request=request, target=folder
        )
    return folder


def library_document_create(
    *,
    actor: Actor,
    folder_id: int,
    title: str,
    attachment_id: int,
    request: HttpRequest | None = None,
) -> LibraryDocument:
    """File one of the admin's uploads in a folder under a title."""
    _require_admin(actor)
    title = title.strip()
    if not title:
        raise ServiceError.one("title", "required", "Give the document a title.")
    folder = LibraryFolder.objects.filter(pk=folder_id).first()
    if folder is None:
        raise ServiceError.one("folderId", "not_found", "That folder was not found.")
    with transaction.atomic():
        (attachment,) = attachments_claim(
            actor=actor, attachment_ids=[attachment_id], field="attachmentId"
        )
        document = LibraryDocument.objects.create(
            folder=folder, title=title[:200], attachment=attachment
        )
        audit_record(
            action="library.document_create", actor=actor.staff, request=request, target=document
        )
    return document


def library_document_move(
    *, actor: Actor, document_id: int, folder_id: int, request: HttpRequest | None = None
) -> LibraryDocument:
    _require_admin(actor)
    with transaction.atomic():
        document = LibraryDocument.objects.select_for_update().filter(pk=document_id).first()
        if document is None:
            raise ServiceError.one("documentId", "not_found", "That document was not found.")
        folder = LibraryFolder.objects.filter(pk=folder_id).first()
        if folder is None:
            raise ServiceError.one("folderId", "not_found", "That folder was not found.")
        document.folder = folder
        document.save(update_fields=["folder"])
        audit_record(
            action="library.document_move",
            actor=actor.staff,
            request=request,
            target=document,
            detail={"folder": folder.pk},
        )
    return document


def library_document_delete(
    *, actor: Actor, document_id: int, request: HttpRequest | None = None
) -> None:
    """Remove a document and its file; the file goes only once the rows are gone for good."""
    _require_admin(actor)
    with transaction.atomic():
        document = (
            LibraryDocument.objects.select_for_update()
            .select_related("attachment")
            .filter(pk=document_id)
            .first()
        )
        if document is None:
            raise ServiceError.one("documentId", "not_found", "That document was not found.")
        attachment = document.attachment
        stored_name = str(attachment.file.name)
        audit_record(
            action="library.document_delete",
            actor=actor.staff,
            request=request,
            target=document,
            detail={"title": document.title},
        )
        document.delete()
        attachment.delete()
        # Deleting the object before commit could lose the file while the row survives.
        transaction.on_commit(lambda: default_storage.delete(stored_name))


def library_document_rename(
    *, actor: Actor, document_id: int, title: str, request: HttpRequest | None = None
) -> LibraryDocument:
    _require_admin(actor)
    title = title.strip()
    if not title:
        raise ServiceError.one("title", "required", "Give the document a title.")
    with transaction.atomic():
        document = (
            LibraryDocument.objects.select_for_update()
            .select_related("attachment")
            .filter(pk=document_id)
            .first()
        )
        if document is None:
            raise ServiceError.one("documentId", "not_found", "That document was not found.")
        audit_change(
            action="library.document_rename",
            actor=actor.staff,
            request=request,
            target=document,
            before={"title": document.title},
            after={"title": title[:200]},
        )
        document.title = title[:200]
        document.save(update_fields=["title"])
    return document


def library_folder_rename(
    *, actor: Actor, folder_id: int, name: str, request: HttpRequest | None = None
) -> LibraryFolder:
    _require_admin(actor)
    name = name.strip()
    if not name:
        raise ServiceError.one("name", "required", "Name the folder.")
    with transaction.atomic():
        folder = LibraryFolder.objects.select_for_update().filter(pk=folder_id).first()
        if folder is None:
            raise ServiceError.one("folderId", "not_found", "That folder was not found.")
        audit_change(
            action="library.folder_rename",
            actor=actor.staff,
            request=request,
            target=folder,
            before={"name": folder.name},
            after={"name": name[:120]},
        )
        folder.name = name[:120]
        folder.save(update_fields=["name"])
    return folder


def library_folder_set_access(
    *,
    actor: Actor,
    folder_id: int,
    access_level_ids: list[int],
    request: HttpRequest | None = None,
) -> LibraryFolder:
    """Choose who sees a folder: staff on these access levels, or (none chosen) all staff."""
    _require_admin(actor)
    wanted = set(access_level_ids)
    with transaction.atomic():
        folder = LibraryFolder.objects.select_for_update().filter(pk=folder_id).first()
        if folder is None:
            raise ServiceError.one("folderId", "not_found", "That folder was not found.")
        levels = list(AccessLevel.objects.filter(pk__in=wanted).order_by("name", "id"))
        if len(levels) != len(wanted):
            raise ServiceError.one("accessLevelIds", "not_found", "An access level was not found.")
        before = [level.name for level in folder.access_levels.order_by("name", "id")]
        folder.access_levels.set(levels)
        audit_change(
            action="library.folder_access",
            actor=actor.staff,
            request=request,
            target=folder,
            before={"accessLevels": before},
            after={"accessLevels": [level.name for level in levels]},
        )
    return folder


def library_folder_delete(
    *, actor: Actor, folder_id: int, request: HttpRequest | None = None
) -> None:
    """Delete an empty folder; one with documents stays, so nothing is lost by accident."""
    _require_admin(actor)
    with transaction.atomic():
        folder = LibraryFolder.objects.select_for_update().filter(pk=folder_id).first()
        if folder is None:
            raise ServiceError.one("folderId", "not_found", "That folder was not found.")
        if folder.documents.exists():
            raise ServiceError.one(
                "folderId",
                "not_empty",
                "This folder still has documents. Move or delete them first.",
            )
        audit_record(
            action="library.folder_delete",
            actor=actor.staff,
            request=request,
            target=folder,
            detail={"name": folder.name},
        )
        folder.delete()
