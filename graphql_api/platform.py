"""The operator API, served at the public host's /graphql (never on a school host).

Operators onboard, suspend, reactivate and archive schools and invite a school admin (never
with key access, never an existing account).
Nothing here reads a school's records: the school list carries counts and sizes only.
Exported to graphql_api/platform.graphql.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from typing import Annotated, Any

import strawberry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from strawberry.django.context import StrawberryDjangoContext
from strawberry.django.views import GraphQLView
from strawberry.types import Info as StrawberryInfo

from graphql_api.csrf import cookie_csrf_rejection, csrf_token_is_valid
from graphql_api.error_logging import HavenSchema
from graphql_api.scalars import SCALAR_OVERRIDES
from graphql_api.schema import execution_context_class, schema_extensions
from graphql_api.types.errors import UserError, not_signed_in, validation_errors
from graphql_api.views import DevelopmentIdeMixin, graphql_response
from operators import invitations
from tenants import platform_schools
from tenants.models import Operator, School
from tenants.operators import (
    SignInRefusedError,
    operator_from_session,
    operator_sign_in,
    operator_sign_out,
)

MAX_SCHOOLS_PAGE = 100


@dataclass
class PlatformContext(StrawberryDjangoContext):
    @functools.cached_property
    def operator(self) -> Operator | None:
        return operator_from_session(self.request)


PlatformInfo = StrawberryInfo[PlatformContext, None]


@strawberry.type(name="Operator", description="The signed-in platform operator.")
class OperatorType:
    email: str = strawberry.field(description="Sign-in e-mail address.")
    name: str = strawberry.field(description="Name.")


@strawberry.type(name="School", description="A school on the platform (never its records).")
class PlatformSchoolType:
    name: str = strawberry.field(description="The school's name.")
    urn: str | None = strawberry.field(description="Unique Reference Number.")
    subdomain: str = strawberry.field(description="Its subdomain, e.g. montsaye.")
    status: str = strawberry.field(description="active or suspended.")
    created_at: datetime.datetime = strawberry.field(description="When it was onboarded.")
    staff_count: int = strawberry.field(description="Active staff accounts.")
    pupil_count: int = strawberry.field(description="Pupils on roll.")

    @strawberry.field(description="Bytes of attachments and library documents in storage.")
    def storage_used_bytes(self) -> float:
        # Float: GraphQL's Int is 32-bit and a school's storage can exceed 2 GiB.
        return float(platform_schools.school_storage_used(self.subdomain))

    @classmethod
    def from_summary(cls, summary: platform_schools.SchoolSummary) -> PlatformSchoolType:
        return cls(
            name=summary.name,
            urn=summary.urn,
            subdomain=summary.subdomain,
            status=summary.status,
            created_at=summary.created_at,
            staff_count=summary.staff_count,
            pupil_count=summary.pupil_count,
        )


@strawberry.type(description="The result of a sign-in attempt.")
class OperatorSignInPayload:
    operator: OperatorType | None = strawberry.field(description="Set when signed in.")
    errors: list[UserError] = strawberry.field(description="Why it did not work.")


@strawberry.type(description="The result of a change to a school.")
class SchoolPayload:
    school: PlatformSchoolType | None = strawberry.field(description="The school afterwards.")
    errors: list[UserError] = strawberry.field(description="Why it did not work.")


@strawberry.type(description="The result of archiving a school.")
class ArchiveSchoolPayload:
    archive_key: str | None = strawberry.field(
        description="Where the school's archive was stored (object key in the platform bucket)."
    )
    errors: list[UserError] = strawberry.field(description="Why it did not work.")


@strawberry.type(description="The result of inviting a school's admin.")
class InvitePayload:
    ok: bool = strawberry.field(description="True when the invitation was queued.")
    errors: list[UserError] = strawberry.field(description="Why it did not work.")


@strawberry.input(description="A new school.")
class CreateSchoolInput:
    name: str = strawberry.field(description="The school's name.")
    subdomain: str = strawberry.field(description="Lowercase letters, digits, hyphens; 3-63.")
    urn: str = strawberry.field(description="6-digit Unique Reference Number.")
    dsl_email: str = strawberry.field(description="E-mail of the first DSL, who is invited.")


def _school_payload(school: School) -> SchoolPayload:
    summary = platform_schools.school_summaries(subdomains=[school.schema_name])[0]
    return SchoolPayload(school=PlatformSchoolType.from_summary(summary), errors=[])


def _camel(errors: list[UserError]) -> list[UserError]:
    # Service errors name model fields; the API names its own (dslEmail).
    names = {"dsl_email": "dslEmail"}
    for error in errors:
        if error.field in names:
            error.field = names[error.field]
    return errors


@strawberry.type
class PlatformQuery:
    @strawberry.field(description="The signed-in operator, or null.")
    def me(self, info: PlatformInfo) -> OperatorType | None:
        operator = info.context.operator
        return OperatorType(email=operator.email, name=operator.name) if operator else None

    @strawberry.field(description="Schools, by name; empty when not signed in.")
    def schools(
        self,
        info: PlatformInfo,
        search: Annotated[
            str | None, strawberry.argument(description="Part of a name, subdomain or URN.")
        ] = None,
        first: Annotated[
            int, strawberry.argument(description=f"How many (at most {MAX_SCHOOLS_PAGE}).")
        ] = 50,
        offset: Annotated[int, strawberry.argument(description="How many to skip.")] = 0,
    ) -> list[PlatformSchoolType]:
        if info.context.operator is None:
            return []
        summaries = platform_schools.school_summaries(
            search=search, limit=max(0, min(first, MAX_SCHOOLS_PAGE)), offset=max(0, offset)
        )
        return [PlatformSchoolType.from_summary(summary) for summary in summaries]


@strawberry.type
class PlatformMutation:
    @strawberry.mutation(description="Sign in with e-mail, password and authenticator code.")
    def sign_in(
        self,
        info: PlatformInfo,
        email: Annotated[str, strawberry.argument(description="Sign-in e-mail.")],
        password: Annotated[str, strawberry.argument(description="Password.")],
        code: Annotated[str, strawberry.argument(description="The 6-digit authenticator code.")],
    ) -> OperatorSignInPayload:
        request = info.context.request
        if not csrf_token_is_valid(request):
            error = UserError(field=None, code="csrf_failed", message="Reload the page.")
            return OperatorSignInPayload(operator=None, errors=[error])
        try:
            operator = operator_sign_in(request=request, email=email, password=password, code=code)
        except SignInRefusedError:
            error = UserError(
                field=None, code="sign_in_refused", message=SignInRefusedError.message
            )
            return OperatorSignInPayload(operator=None, errors=[error])
        return OperatorSignInPayload(
            operator=OperatorType(email=operator.email, name=operator.name), errors=[]
        )

    @strawberry.mutation(description="Sign out.")
    def sign_out(self, info: PlatformInfo) -> InvitePayload:
        operator_sign_out(request=info.context.request, operator=info.context.operator)
        return InvitePayload(ok=True, errors=[])

    @strawberry.mutation(description="Onboard a school: schema, host, defaults, DSL invitation.")
    def create_school(
        self,
        info: PlatformInfo,
        school: Annotated[CreateSchoolInput, strawberry.argument(description="The new school.")],
    ) -> SchoolPayload:
        operator = info.context.operator
        if operator is None:
            return SchoolPayload(school=None, errors=not_signed_in())
        try:
            created = invitations.school_onboard(
                operator=operator,
                request=info.context.request,
                name=school.name,
                subdomain=school.subdomain,
                urn=school.urn,
                dsl_email=school.dsl_email,
            )
        except ValidationError as error:
            return SchoolPayload(school=None, errors=_camel(validation_errors(error)))
        return _school_payload(created)

    @strawberry.mutation(description="Suspend a school: its host shows a plain page only.")
    def suspend_school(
        self,
        info: PlatformInfo,
        subdomain: Annotated[str, strawberry.argument(description="The school's subdomain.")],
        reason: Annotated[str, strawberry.argument(description="Why, for the audit log.")] = "",
    ) -> SchoolPayload:
        return _status_set(info, subdomain, School.Status.SUSPENDED, reason)

    @strawberry.mutation(description="Reactivate a suspended school.")
    def reactivate_school(
        self,
        info: PlatformInfo,
        subdomain: Annotated[str, strawberry.argument(description="The school's subdomain.")],
    ) -> SchoolPayload:
        return _status_set(info, subdomain, School.Status.ACTIVE, "")

    @strawberry.mutation(
        description="Export a school to the platform's archive, then remove it from service."
    )
    def archive_school(
        self,
        info: PlatformInfo,
        subdomain: Annotated[str, strawberry.argument(description="The school's subdomain.")],
        confirm_subdomain: Annotated[
            str,
            strawberry.argument(
                description="The subdomain again: archiving removes the school from service."
            ),
        ],
    ) -> ArchiveSchoolPayload:
        operator = info.context.operator
        if operator is None:
            return ArchiveSchoolPayload(archive_key=None, errors=not_signed_in())
        try:
            key = platform_schools.school_archive(
                operator=operator,
                request=info.context.request,
                subdomain=subdomain,
                confirm_subdomain=confirm_subdomain,
            )
        except ValidationError as error:
            return ArchiveSchoolPayload(archive_key=None, errors=validation_errors(error))
        return ArchiveSchoolPayload(archive_key=key, errors=[])

    @strawberry.mutation(
        description="Invite a new school admin (without key access: key access is given inside "
        "the school by its own key holders) and e-mail them a set-password link; the school's "
        "admins are told by e-mail. An address that already has an account at the school is "
        "refused (code already_exists) and nothing changes."
    )
    def invite_school_admin(
        self,
        info: PlatformInfo,
        subdomain: Annotated[str, strawberry.argument(description="The school's subdomain.")],
        email: Annotated[
            str, strawberry.argument(description="The admin's school e-mail address.")
        ],
        first_name: Annotated[str, strawberry.argument(description="First name.")],
        last_name: Annotated[str, strawberry.argument(description="Last name.")],
    ) -> InvitePayload:
        operator = info.context.operator
        if operator is None:
            return InvitePayload(ok=False, errors=not_signed_in())
        try:
            invitations.school_admin_invite(
                operator=operator,
                request=info.context.request,
                subdomain=subdomain,
                email=email,
                first_name=first_name,
                last_name=last_name,
            )
        except ValidationError as error:
            return InvitePayload(ok=False, errors=validation_errors(error))
        return InvitePayload(ok=True, errors=[])


def _status_set(
    info: PlatformInfo, subdomain: str, status: School.Status, reason: str
) -> SchoolPayload:
    operator = info.context.operator
    if operator is None:
        return SchoolPayload(school=None, errors=not_signed_in())
    try:
        school = platform_schools.school_status_set(
            operator=operator,
            request=info.context.request,
            subdomain=subdomain,
            status=status,
            reason=reason,
        )
    except ValidationError as error:
        return SchoolPayload(school=None, errors=validation_errors(error))
    return _school_payload(school)


platform_schema = HavenSchema(
    query=PlatformQuery,
    mutation=PlatformMutation,
    extensions=schema_extensions(),
    execution_context_class=execution_context_class(),
    scalar_overrides=SCALAR_OVERRIDES,
)


@method_decorator(csrf_exempt, name="dispatch")
class PlatformGraphQLView(DevelopmentIdeMixin, GraphQLView[PlatformContext, None]):
    """Operators' API: cookie sessions on the public host only, CSRF as for staff."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return graphql_response(lambda: self._dispatch(request, *args, **kwargs))

    def _dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        rejected = cookie_csrf_rejection(request)
        if rejected is not None:
            return rejected
        return super().dispatch(request, *args, **kwargs)

    def get_context(self, request: HttpRequest, response: HttpResponse) -> PlatformContext:
        return PlatformContext(request=request, response=response)


def platform_graphql_view() -> Any:
    return PlatformGraphQLView.as_view(
        schema=platform_schema,
        graphql_ide="graphiql" if settings.DEBUG else None,
        allow_queries_via_get=False,
    )
