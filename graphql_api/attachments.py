"""Uploading files (multipart) and downloading them through a checked, audited address."""

from __future__ import annotations

from typing import Annotated

import strawberry
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from strawberry import relay
from strawberry.file_uploads import Upload

from graphql_api.common import actor_of
from graphql_api.context import HavenContext, Info
from graphql_api.ids import decode_id
from graphql_api.types.errors import UserError, errors_of, not_signed_in
from graphql_api.types.records import AttachmentType
from safeguarding.permissions import Actor
from safeguarding.services.attachments import attachment_download_url, attachment_upload
from safeguarding.services.errors import ServiceError


@strawberry.type(description="Result of uploading a file.")
class UploadAttachmentPayload:
    attachment: AttachmentType | None = strawberry.field(
        description="The stored file; pass its id as an attachmentId when adding a record."
    )
    errors: list[UserError] = strawberry.field(description="Why it was refused, if it was.")


@strawberry.type
class AttachmentsMutation:
    @strawberry.mutation(
        description=(
            "Upload a file (GraphQL multipart request). PDF, images, Office documents and "
            "plain text up to 20 MB; the type is read from the bytes, not the name."
        )
    )
    def upload_attachment(
        self, info: Info, file: Annotated[Upload, strawberry.argument(description="The file.")]
    ) -> UploadAttachmentPayload:
        actor = actor_of(info)
        if actor is None:
            return UploadAttachmentPayload(attachment=None, errors=not_signed_in())
        if not hasattr(file, "chunks"):
            return UploadAttachmentPayload(
                attachment=None,
                errors=[UserError(field="file", code="required", message="Choose a file.")],
            )
        try:
            attachment = attachment_upload(actor=actor, upload=file, request=info.context.request)
        except ServiceError as error:
            return UploadAttachmentPayload(attachment=None, errors=errors_of(error))
        return UploadAttachmentPayload(attachment=AttachmentType.from_model(attachment), errors=[])


def attachment_download(request: HttpRequest, attachment_id: str) -> HttpResponse:
    """Redirect to a one-minute S3 link that downloads the file; 404 if missing or forbidden."""
    context = HavenContext(request=request, response=HttpResponse())
    staff = context.staff
    try:
        key = decode_id(relay.GlobalID.from_id(attachment_id), "Attachment")
    except ValueError:
        key = None
    if staff is None or key is None:
        raise Http404
    url = attachment_download_url(
        actor=Actor(staff, key_access=context.key_access, session=context.session_assurance),
        attachment_id=key,
        request=request,
    )
    if url is None:
        raise Http404
    response = HttpResponseRedirect(url)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
