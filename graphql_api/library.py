"""The library: folders of documents, and their management by school admins."""

from __future__ import annotations

import datetime
from typing import Annotated

import strawberry
from strawberry import relay

from graphql_api.common import actor_of
from graphql_api.context import Info
from graphql_api.ids import decode_id, global_id
from graphql_api.types.errors import UserError, errors_of, not_signed_in
from graphql_api.types.records import AttachmentType
from safeguarding.models import AccessLevel, LibraryDocument, LibraryFolder
from safeguarding.permissions import can_manage_library
from safeguarding.selectors.library import library_access_levels, library_folders_visible
from safeguarding.services.errors import ServiceError
from safeguarding.services.library import (
    library_document_create,
    library_document_delete,
    library_document_move,
    library_document_rename,
    library_folder_create,
    library_folder_delete,
    library_folder_rename,
    library_folder_set_access,
)

MAX_FOLDERS = 200
MAX_DOCUMENTS = 500
MAX_ACCESS_LEVELS = 100


@strawberry.type(name="LibraryDocument", description="A document in the library.")
class LibraryDocumentType:
    id: relay.GlobalID = strawberry.field(description="Global id.")
    title: str = strawberry.field(description="Title shown in the library.")
    created_at: datetime.datetime = strawberry.field(description="When it was added.")
    file: AttachmentType = strawberry.field(description="The file and its download address.")

    @classmethod
    def from_model(cls, document: LibraryDocument) -> LibraryDocumentType:
        return cls(
            id=global_id("LibraryDocument", document.pk),
            title=document.title,
            created_at=document.created_at,
            file=AttachmentType.from_model(document.attachment),
        )


@strawberry.type(
    name="LibraryAccessLevel", description="An access level a library folder can be limited to."
)
class LibraryAccessLevelType:
    id: relay.GlobalID = strawberry.field(description="Global id, for accessLevelIds.")
    name: str = strawberry.field(description="Its name, e.g. Pastoral.")

    @classmethod
    def from_model(cls, level: AccessLevel) -> LibraryAccessLevelType:
        return cls(id=global_id("AccessLevel", level.pk), name=level.name)


@strawberry.type(name="LibraryFolder", description="A folder of library documents.")
class LibraryFolderType:
    id: relay.GlobalID = strawberry.field(description="Global id.")
    name: str = strawberry.field(description="Folder name.")
    documents: list[LibraryDocumentType] = strawberry.field(
        description="Its documents by title (at most 500)."
    )
    access_levels: list[LibraryAccessLevelType] | None = strawberry.field(
        description="School admins: the access levels that see it (empty: all staff). "
        "Null for everyone else."
    )

    @classmethod
    def from_model(cls, folder: LibraryFolder, *, for_admin: bool) -> LibraryFolderType:
        return cls(
            id=global_id("LibraryFolder", folder.pk),
            name=folder.name,
            documents=[
                LibraryDocumentType.from_model(d)
                for d in list(folder.documents.all())[:MAX_DOCUMENTS]
            ],
            access_levels=(
                [LibraryAccessLevelType.from_model(level) for level in folder.access_levels.all()]
                if for_admin
                else None
            ),
        )


@strawberry.type
class LibraryQuery:
    @strawberry.field(description="Library folders this person may see (at most 200).")
    def library(self, info: Info) -> list[LibraryFolderType]:
        actor = actor_of(info)
        if actor is None:
            return []
        for_admin = can_manage_library(actor)
        return [
            LibraryFolderType.from_model(folder, for_admin=for_admin)
            for folder in library_folders_visible(actor=actor)[:MAX_FOLDERS]
        ]

    @strawberry.field(
        description="School admins: access levels a folder can be limited to, by name "
        "(at most 100); empty for everyone else."
    )
    def library_access_levels(self, info: Info) -> list[LibraryAccessLevelType]:
        actor = actor_of(info)
        if actor is None:
            return []
        return [
            LibraryAccessLevelType.from_model(level)
            for level in library_access_levels(actor=actor)[:MAX_ACCESS_LEVELS]
        ]


@strawberry.type(description="Result of a library change.")
class LibraryPayload:
    folder: LibraryFolderType | None = strawberry.field(description="The folder concerned.")
    document: LibraryDocumentType | None = strawberry.field(description="The document concerned.")
    errors: list[UserError] = strawberry.field(description="What to fix; empty on success.")


def _failed(error: ServiceError) -> LibraryPayload:
    return LibraryPayload(folder=None, document=None, errors=errors_of(error))


_SIGNED_OUT = LibraryPayload(folder=None, document=None, errors=not_signed_in())


@strawberry.type
class LibraryMutation:
    @strawberry.mutation(description="School admins: create a library folder.")
    def create_library_folder(
        self,
        info: Info,
        name: Annotated[str, strawberry.argument(description="Folder name.")],
        access_level_ids: Annotated[
            list[relay.GlobalID],
            strawberry.argument(description="Only staff on these levels see it; empty: everyone."),
        ],
    ) -> LibraryPayload:
        actor = actor_of(info)
        if actor is None:
            return _SIGNED_OUT
        try:
            folder = library_folder_create(
                actor=actor,
                name=name,
                access_level_ids=[decode_id(i, "AccessLevel") or -1 for i in access_level_ids[:50]],
                request=info.context.request,
            )
        except ServiceError as error:
            return _failed(error)
        return LibraryPayload(
            folder=LibraryFolderType.from_model(folder, for_admin=True), document=None, errors=[]
        )

    @strawberry.mutation(description="School admins: add an uploaded file to a folder.")
    def add_library_document(
        self,
        info: Info,
        folder_id: Annotated[relay.GlobalID, strawberry.argument(description="The folder.")],
        title: Annotated[str, strawberry.argument(description="Title to show.")],
        attachment_id: Annotated[
            relay.GlobalID, strawberry.argument(description="A file from uploadAttachment.")
        ],
    ) -> LibraryPayload:
        actor = actor_of(info)
        if actor is None:
            return _SIGNED_OUT
        try:
            document = library_document_create(
                actor=actor,
                folder_id=decode_id(folder_id, "LibraryFolder") or -1,
                title=title,
                attachment_id=decode_id(attachment_id, "Attachment") or -1,
                request=info.context.request,
            )
        except ServiceError as error:
            return _failed(error)
        return LibraryPayload(
            folder=None, document=LibraryDocumentType.from_model(document), errors=[]
        )

    @strawberry.mutation(description="School admins: move a document to another folder.")
    def move_library_document(
        self,
        info: Info,
        document_id: Annotated[relay.GlobalID, strawberry.argument(description="The document.")],
        folder_id: Annotated[relay.GlobalID, strawberry.argument(description="The new folder.")],
    ) -> LibraryPayload:
        actor = actor_of(info)
        if actor is None:
            return _SIGNED_OUT
        try:
            document = library_document_move(
                actor=actor,
                document_id=decode_id(document_id, "LibraryDocument") or -1,
                folder_id=decode_id(folder_id, "LibraryFolder") or -1,
                request=info.context.request,
            )
        except ServiceError as error:
            return _failed(error)
        return LibraryPayload(
            folder=None, document=LibraryDocumentType.from_model(document), errors=[]
        )

    @strawberry.mutation(description="School admins: delete a document and its file.")
    def delete_library_document(
        self,
        info: Info,
        document_id: Annotated[relay.GlobalID, strawberry.argument(description="The document.")],
    ) -> LibraryPayload:
        actor = actor_of(info)
        if actor is None:
            return _SIGNED_OUT
        try:
            library_document_delete(
                actor=actor,
                document_id=decode_id(document_id, "LibraryDocument") or -1,
                request=info.context.request,
            )
        except ServiceError as error:
            return _failed(error)
        return LibraryPayload(folder=None, document=None, errors=[])

    @strawberry.mutation(description="School admins: give a document a new title.")
    def rename_library_document(
        self,
        info: Info,
        document_id: Annotated[relay.GlobalID, strawberry.argument(description="The document.")],
        title: Annotated[str, strawberry.argument(description="The new title.")],
    ) -> LibraryPayload:
        actor = actor_of(info)
        if actor is None:
            return _SIGNED_OUT
        try:
            document = library_document_rename(
                actor=actor,
                document_id=decode_id(document_id, "LibraryDocument") or -1,
                title=title,
                request=info.context.request,
            )
        except ServiceError as error:
            return _failed(error)
        return LibraryPayload(
            folder=None, document=LibraryDocumentType.from_model(document), errors=[]
        )

    @strawberry.mutation(description="School admins: give a folder a new name.")
    def rename_library_folder(
        self,
        info: Info,
        folder_id: Annotated[relay.GlobalID, strawberry.argument(description="The folder.")],
        name: Annotated[str, strawberry.argument(description="The new name.")],
    ) -> LibraryPayload:
        actor = actor_of(info)
        if actor is None:
            return _SIGNED_OUT
        try:
            folder = library_folder_rename(
                actor=actor,
                folder_id=decode_id(folder_id, "LibraryFolder") or -1,
                name=name,
                request=info.context.request,
            )
        except ServiceError as error:
            return _failed(error)
        return LibraryPayload(
            folder=LibraryFolderType.from_model(folder, for_admin=True), document=None, errors=[]
        )

    @strawberry.mutation(
        description="School admins: choose who sees a folder: staff on the given access "
        "levels, or all staff when none are given."
    )
    def set_library_folder_access(
        self,
        info: Info,
        folder_id: Annotated[relay.GlobalID, strawberry.argument(description="The folder.")],
        access_level_ids: Annotated[
            list[relay.GlobalID],
            strawberry.argument(
                description="Only staff on these levels see it; empty: all staff (at most 50)."
            ),
        ],
    ) -> LibraryPayload:
        actor = actor_of(info)
        if actor is None:
            return _SIGNED_OUT
        try:
            folder = library_folder_set_access(
                actor=actor,
                folder_id=decode_id(folder_id, "LibraryFolder") or -1,
                access_level_ids=[decode_id(i, "AccessLevel") or -1 for i in access_level_ids[:50]],
                request=info.context.request,
            )
        except ServiceError as error:
            return _failed(error)
        return LibraryPayload(
            folder=LibraryFolderType.from_model(folder, for_admin=True), document=None, errors=[]
        )

    @strawberry.mutation(
        description="School admins: delete an empty folder (one with documents is refused)."
    )
    def delete_library_folder(
        self,
        info: Info,
        folder_id: Annotated[relay.GlobalID, strawberry.argument(description="The folder.")],
    ) -> LibraryPayload:
        actor = actor_of(info)
        if actor is None:
            return _SIGNED_OUT
        try:
            library_folder_delete(
                actor=actor,
                folder_id=decode_id(folder_id, "LibraryFolder") or -1,
                request=info.context.request,
            )
        except ServiceError as error:
            return _failed(error)
        return LibraryPayload(folder=None, document=None, errors=[])
