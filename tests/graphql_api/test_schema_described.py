"""Every type, field and argument of the records API says what it is."""

from __future__ import annotations

from graphql import (
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLNamedType,
    GraphQLObjectType,
    get_named_type,
)

from graphql_api.schema import schema

RECORD_QUERIES = (
    "dashboard",
    "alerts",
    "incident",
    "students",
    "student",
    "staff",
    "alertGroups",
    "categories",
    "agencies",
    "library",
)
RECORD_MUTATIONS = (
    "addIncident",
    "addAction",
    "markAlertRead",
    "uploadAttachment",
    "createLibraryFolder",
    "addLibraryDocument",
    "moveLibraryDocument",
    "deleteLibraryDocument",
)


def _undescribed(root: str, fields: dict[str, GraphQLField], names: tuple[str, ...]) -> list[str]:
    missing: list[str] = []
    seen: set[str] = set()
    pending: list[GraphQLNamedType] = []
    for name in names:
        field = fields[name]
        if not field.description:
            missing.append(f"{root}.{name}")
        missing.extend(
            f"{root}.{name}({a})" for a, arg in field.args.items() if not arg.description
        )
        pending.append(get_named_type(field.type))
        pending.extend(get_named_type(arg.type) for arg in field.args.values())
    while pending:
        graphql_type = pending.pop()
        if graphql_type.name in seen:
            continue
        seen.add(graphql_type.name)
        if not graphql_type.description and isinstance(
            graphql_type, GraphQLObjectType | GraphQLInputObjectType
        ):
            missing.append(graphql_type.name)
        if isinstance(graphql_type, GraphQLObjectType | GraphQLInputObjectType):
            for field_name, member in graphql_type.fields.items():
                if not member.description:
                    missing.append(f"{graphql_type.name}.{field_name}")
                pending.append(get_named_type(member.type))
    return missing


def test_every_records_field_and_argument_is_described() -> None:
    query = schema._schema.query_type
    mutation = schema._schema.mutation_type
    assert query is not None
    assert mutation is not None
    missing = _undescribed("Query", query.fields, RECORD_QUERIES) + _undescribed(
        "Mutation", mutation.fields, RECORD_MUTATIONS
    )
    assert missing == [], "\n".join(missing)


def test_issue_operation_names_exist() -> None:
    query = schema._schema.query_type
    mutation = schema._schema.mutation_type
    assert query is not None
    assert mutation is not None
    assert set(RECORD_QUERIES) <= set(query.fields)
    assert set(RECORD_MUTATIONS) <= set(mutation.fields)
    assert set(query.fields["students"].args) >= {"search", "first"}


def test_every_field_and_argument_of_both_apis_is_described() -> None:
    from graphql_api.platform import platform_schema

    missing: list[str] = []
    for api in (schema, platform_schema):
        for root in (api._schema.query_type, api._schema.mutation_type):
            assert root is not None
            missing += _undescribed(root.name, root.fields, tuple(root.fields))
    assert missing == [], "\n".join(missing)
