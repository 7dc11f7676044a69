"""The school API served at https://<school>.<base>/graphql."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

import strawberry
from django.conf import settings
from graphql import (
    ASTValidationRule,
    GraphQLError,
    GraphQLSchema,
    StringValueNode,
    specified_rules,
    validate,
)
from graphql.validation import MaxIntrospectionDepthRule, NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
)
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.tools import merge_types

from graphql_api.access_levels import AccessLevelsMutation, AccessLevelsQuery
from graphql_api.agencies import AgenciesSettingsMutation, AgenciesSettingsQuery
from graphql_api.alert_groups import AlertGroupsSettingsMutation, AlertGroupsSettingsQuery
from graphql_api.alerts import AlertsMutation, AlertsQuery
from graphql_api.api_clients import ApiClientMutation, ApiClientQuery
from graphql_api.attachments import AttachmentsMutation
from graphql_api.authentication import AuthenticationMutation, AuthenticationQuery
from graphql_api.categories import CategoriesSettingsMutation, CategoriesSettingsQuery
from graphql_api.context import Info, current_school
from graphql_api.error_logging import HavenSchema
from graphql_api.incidents import IncidentsMutation, IncidentsQuery
from graphql_api.library import LibraryMutation, LibraryQuery
from graphql_api.limits import depth_limit_rule
from graphql_api.mis_sync import MisSyncMutation
from graphql_api.notifications import NotificationsMutation, NotificationsQuery
from graphql_api.reference import ReferenceQuery
from graphql_api.scalars import SCALAR_OVERRIDES
from graphql_api.school_settings import SchoolSettingsMutation, SchoolSettingsQuery
from graphql_api.second_factors import SecondFactorMutation, SecondFactorQuery
from graphql_api.settings_changes import SettingsChangesQuery
from graphql_api.staff_members import StaffMembersMutation, StaffMembersQuery
from graphql_api.staff_sessions import StaffSessionMutation, StaffSessionQuery
from graphql_api.students import StudentsQuery
from graphql_api.types.schools import SchoolType
from graphql_api.types.staff import MeType


@strawberry.type
class SchoolQuery:
    @strawberry.field(description="The signed-in member of staff, or null when signed out.")
    def me(self, info: Info) -> MeType | None:
        staff = info.context.staff
        if staff is None:
            return None
        return MeType.from_model(staff, second_factor_passed=info.context.second_factor_passed)

    @strawberry.field(description="The school this host belongs to.")
    def school(self, info: Info) -> SchoolType | None:
        school = current_school()
        return SchoolType.from_model(school) if school is not None else None


def _is_unexpected(error: GraphQLError) -> bool:
    """Mask errors raised by our code; validation errors (limits, syntax) stay readable."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


# Parsing and validating a query costs more than running a small one, and clients send the
# same few query texts over and over: both results are kept per query text (bounded, so unique
# texts cannot grow memory). Validation depends only on the schema, the text and the rules,
# which are fixed when the process starts.
DOCUMENT_CACHE_SIZE = 256


NUL_MESSAGE = "Text cannot contain the NUL character (U+0000)."
_BAD_USER_INPUT = {"code": "BAD_USER_INPUT"}


class NoNulCharacters(ASTValidationRule):
    """PostgreSQL cannot store U+0000 in text, and the driver refuses any query that carries
    it, so a string with one is the client's error, answered before anything runs."""

    def enter_string_value(self, node: StringValueNode, *args: Any) -> None:
        if "\x00" in node.value:
            self.report_error(GraphQLError(NUL_MESSAGE, node, extensions=_BAD_USER_INPUT))


def _holds_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


def _validation_rules() -> tuple[type[ASTValidationRule], ...]:
    rules: list[type[ASTValidationRule]] = [
        *specified_rules,
        NoNulCharacters,
        # Counts introspection fields too (strawberry's QueryDepthLimiter skips them).
        depth_limit_rule(settings.GRAPHQL_MAX_DEPTH),
        *MaxAliasesLimiter(max_alias_count=settings.GRAPHQL_MAX_ALIASES).validation_rules,
    ]
    if settings.DEBUG:
        # Bounds the self-nesting `fields { type { fields ...` that depth alone lets multiply.
        rules.append(MaxIntrospectionDepthRule)
    else:
        rules.append(NoSchemaIntrospectionCustomRule)
    return tuple(rules)


@functools.lru_cache(maxsize=DOCUMENT_CACHE_SIZE)
def _validation_errors(
    schema: GraphQLSchema, query: str, rules: tuple[type[ASTValidationRule], ...]
) -> tuple[GraphQLError, ...]:
    document = ParserCache(maxsize=DOCUMENT_CACHE_SIZE).cached_parse_document(
        query, max_tokens=settings.GRAPHQL_MAX_TOKENS
    )
    # In production the schema is not introspectable, so "Did you mean ...?" suggestions
    # would hand out the names of fields, types and arguments one typo at a time.
    return tuple(validate(schema, document, rules, hide_suggestions=not settings.DEBUG))


class CachedValidation(SchemaExtension):
    """Validates against the API's rules (graphql-core's, depth, aliases, and no
    introspection in production), once per query text."""

    rules: tuple[type[ASTValidationRule], ...] = ()

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.query is not None and context.graphql_document is not None:
            errors = list(_validation_errors(context.schema._schema, context.query, self.rules))
            # Variables are not part of the cached text: checked on every request.
            if _holds_nul(context.variables):
                errors.append(GraphQLError(NUL_MESSAGE, extensions=_BAD_USER_INPUT))
            context.pre_execution_errors = errors
        yield


class SuggestionFreeExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Execution that leaves "Did you mean ...?" out of its errors (variables naming unknown
    input fields or enum values), as validation does in production."""

    @classmethod
    def build(cls, *args: Any, **kwargs: Any) -> Any:
        kwargs["hide_suggestions"] = True
        return super().build(*args, **kwargs)


def execution_context_class() -> type[StrawberryGraphQLCoreExecutionContext] | None:
    """In production, errors never suggest names: the schema is not introspectable there."""
    return None if settings.DEBUG else SuggestionFreeExecutionContext


def schema_extensions() -> list[type[SchemaExtension] | Any]:
    # Factories, not instances: strawberry builds one per request.
    validation = type("HavenValidation", (CachedValidation,), {"rules": _validation_rules()})
    extensions: list[type[SchemaExtension] | Any] = [
        functools.partial(MaxTokensLimiter, max_token_count=settings.GRAPHQL_MAX_TOKENS),
        functools.partial(ParserCache, maxsize=DOCUMENT_CACHE_SIZE),
        validation,
    ]
    if not settings.DEBUG:
        extensions.append(functools.partial(MaskErrors, should_mask_error=_is_unexpected))
    return extensions


# Each area of the API contributes its own query and mutation classes, merged here.
Query = merge_types(
    "Query",
    (
        SchoolQuery,
        AuthenticationQuery,
        SecondFactorQuery,
        StaffSessionQuery,
        SchoolSettingsQuery,
        ApiClientQuery,
        NotificationsQuery,
        AlertsQuery,
        IncidentsQuery,
        StudentsQuery,
        ReferenceQuery,
        LibraryQuery,
        AccessLevelsQuery,
        StaffMembersQuery,
        SettingsChangesQuery,
        CategoriesSettingsQuery,
        AgenciesSettingsQuery,
        AlertGroupsSettingsQuery,
    ),
)
Mutation = merge_types(
    "Mutation",
    (
        AuthenticationMutation,
        SecondFactorMutation,
        StaffSessionMutation,
        SchoolSettingsMutation,
        ApiClientMutation,
        MisSyncMutation,
        NotificationsMutation,
        AlertsMutation,
        IncidentsMutation,
        AttachmentsMutation,
        LibraryMutation,
        AccessLevelsMutation,
        StaffMembersMutation,
        CategoriesSettingsMutation,
        AgenciesSettingsMutation,
        AlertGroupsSettingsMutation,
    ),
)

schema = HavenSchema(
    query=Query,
    mutation=Mutation,
    extensions=schema_extensions(),
    execution_context_class=execution_context_class(),
    scalar_overrides=SCALAR_OVERRIDES,
)
