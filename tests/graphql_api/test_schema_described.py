"""Every type, field and argument of the school API says what it is."""

from __future__ import annotations

from graphql import GraphQLInputObjectType, GraphQLObjectType

from graphql_api.schema import schema


def test_every_field_and_argument_is_described() -> None:
    missing: list[str] = []
    for name, graphql_type in schema._schema.type_map.items():
        if name.startswith("__"):
            continue
        if isinstance(graphql_type, GraphQLObjectType):
            for field_name, field in graphql_type.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                missing.extend(
                    f"{name}.{field_name}({arg})"
                    for arg, argument in field.args.items()
                    if not argument.description
                )
        elif isinstance(graphql_type, GraphQLInputObjectType):
            missing.extend(
                f"{name}.{field_name}"
                for field_name, field in graphql_type.fields.items()
                if not field.description
            )
    assert missing == []


def test_issue_operation_names_exist() -> None:
    query = schema._schema.query_type
    mutation = schema._schema.mutation_type
    assert query is not None
    assert mutation is not None
    for name in (
        "dashboard",
        "alerts",
        "incident",
        "students",
        "staff",
        "alertGroups",
        "categories",
        "agencies",
        "library",
    ):
        assert name in query.fields
    for name in ("addIncident", "addAction", "markAlertRead", "uploadAttachment"):
        assert name in mutation.fields
    assert set(query.fields["students"].args) >= {"search", "first"}
