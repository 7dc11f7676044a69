"""API clients in the school API: bearer-token authentication for the GraphQL view, and the
school admins' queries and mutations to create, list and revoke clients."""

from __future__ import annotations

import datetime
import json
from typing import Annotated

import strawberry
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from graphql import GraphQLError, OperationDefinitionNode, parse

from graphql_api.context import Info
from graphql_api.types.errors import UserError, errors_of, not_signed_in
from safeguarding.models import ApiClient, ApiScope
from safeguarding.selectors.api_clients import api_client_list
from safeguarding.services.api_clients import (
    api_client_authenticate,
    api_client_create,
    api_client_rate_limit,
    api_client_record_call,
    api_client_revoke,
)
from safeguarding.services.errors import ServiceError

API_CLIENT_LIST_LIMIT = 200
SCOPES_NOTE = f"Any of {', '.join(ApiScope.values)}."


def _unauthorised() -> HttpResponse:
    # No detail: an unknown, malformed and revoked token look the same from outside.
    return HttpResponse(status=401, headers={"WWW-Authenticate": 'Bearer realm="haven"'})


def _operation_name(request: HttpRequest) -> str:
    """The operation's name, for the audit log: operationName, or the document's own."""
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return ""
    if not isinstance(body, dict):
        return ""
    name = body.get("operationName")
    if isinstance(name, str) and name:
        return name
    query = body.get("query")
    if not isinstance(query, str):
        return ""
    try:
        document = parse(query)
    except GraphQLError:
        return ""
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode) and definition.name is not None:
            return definition.name.value
    return ""


def bearer_authenticate(request: HttpRequest) -> ApiClient | HttpResponse | None:
    """For a request with an Authorization header: its API client, or the 401/429 to send.

    None when the request has no such header (a browser or an anonymous query).
    """
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return _unauthorised()
    api_client = api_client_authenticate(token=token.strip())
    if api_client is None:
        return _unauthorised()
    wait = api_client_rate_limit(api_client=api_client, request=request)
    if wait is not None:
        return HttpResponse(status=429, headers={"Retry-After": str(wait)})
    # A token speaks for the client alone, never for whoever's session cookie came along.
    request.user = AnonymousUser()
    api_client_record_call(
        api_client=api_client, request=request, operation=_operation_name(request)
    )
    return api_client


@strawberry.type(name="ApiClient", description="A sync tool or other program with its own token.")
class ApiClientType:
    id: strawberry.ID = strawberry.field(description="The client's id.")
    name: str = strawberry.field(description="Name shown in the audit log, e.g. Arbor sync.")
    scopes: list[str] = strawberry.field(
        description="What the token may do: pupils:write, staff:write, groups:write, "
        "incidents:read, incidents:write."
    )
    key_id: str = strawberry.field(
        description="The public part of the token (haven_<keyId>_...), to tell tokens apart."
    )
    created_by: str | None = strawberry.field(description="The admin who created it.")
    created_at: datetime.datetime = strawberry.field(description="When it was created.")
    last_used_at: datetime.datetime | None = strawberry.field(
        description="When its token was last used."
    )
    revoked_at: datetime.datetime | None = strawberry.field(
        description="When it was revoked; its token no longer works."
    )
    expires_at: datetime.datetime | None = strawberry.field(
        description="When its token stops working, or null for never."
    )
    expired: bool = strawberry.field(
        description="Whether its expiry has passed, so its token no longer works."
    )

    @classmethod
    def from_model(cls, api_client: ApiClient) -> ApiClientType:
        creator = api_client.created_by
        return cls(
            id=strawberry.ID(str(api_client.pk)),
            name=api_client.name,
            scopes=list(api_client.scopes),
            key_id=api_client.key_id,
            created_by=creator.full_name if creator is not None else None,
            created_at=api_client.created_at,
            last_used_at=api_client.last_used_at,
            revoked_at=api_client.revoked_at,
            expires_at=api_client.expires_at,
            expired=api_client.is_expired,
        )


@strawberry.type(description="The new client and its token.")
class CreateApiClientPayload:
    api_client: ApiClientType | None = strawberry.field(description="The new client.")
    token: str | None = strawberry.field(
        description="The bearer token. Shown this once only: Haven keeps just a hash of it."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing was created.")


@strawberry.type(description="The revoked client.")
class RevokeApiClientPayload:
    api_client: ApiClientType | None = strawberry.field(description="The revoked client.")
    errors: list[UserError] = strawberry.field(description="Why nothing was revoked.")


@strawberry.type
class ApiClientQuery:
    @strawberry.field(description="The school's API clients (school admins only).")
    def api_clients(self, info: Info) -> list[ApiClientType]:
        clients = api_client_list(actor=info.context.staff, session=info.context.session_assurance)[
            :API_CLIENT_LIST_LIMIT
        ]
        return [ApiClientType.from_model(api_client) for api_client in clients]


@strawberry.type
class ApiClientMutation:
    @strawberry.mutation(
        description="Create an API client (school admins with key access who entered their "
        "password in the last few minutes). Its token is in the answer, and only there."
    )
    def create_api_client(
        self,
        info: Info,
        name: Annotated[
            str, strawberry.argument(description="What the client is, e.g. 'Arbor nightly sync'.")
        ],
        scopes: Annotated[list[str], strawberry.argument(description=SCOPES_NOTE)],
        expires_at: Annotated[
            datetime.datetime | None,
            strawberry.argument(
                description="When its token stops working (in the future); null for never."
            ),
        ] = None,
    ) -> CreateApiClientPayload:
        staff = info.context.staff
        if staff is None:
            return CreateApiClientPayload(api_client=None, token=None, errors=not_signed_in())
        try:
            created = api_client_create(
                actor=staff,
                name=name,
                scopes=scopes,
                expires_at=expires_at,
                request=info.context.request,
            )
        except ServiceError as error:
            return CreateApiClientPayload(api_client=None, token=None, errors=errors_of(error))
        return CreateApiClientPayload(
            api_client=ApiClientType.from_model(created.api_client),
            token=created.token,
            errors=[],
        )

    @strawberry.mutation(description="Revoke an API client: its token stops working at once.")
    def revoke_api_client(
        self,
        info: Info,
        id: Annotated[  # noqa: A002 - the argument's name in the API
            strawberry.ID, strawberry.argument(description="The API client to revoke.")
        ],
    ) -> RevokeApiClientPayload:
        staff = info.context.staff
        if staff is None:
            return RevokeApiClientPayload(api_client=None, errors=not_signed_in())
        problem = UserError(field="id", code="not_found", message="No such API client.")
        if not str(id).isdigit():
            return RevokeApiClientPayload(api_client=None, errors=[problem])
        try:
            api_client = api_client_revoke(
                actor=staff, api_client_id=int(id), request=info.context.request
            )
        except ServiceError as error:
            return RevokeApiClientPayload(api_client=None, errors=errors_of(error))
        return RevokeApiClientPayload(api_client=ApiClientType.from_model(api_client), errors=[])
