"""Scalars whose parse errors tell a client what to send.

strawberry's own ``DateTime`` appends the parser's exception text to its error ("month must be
in 1..12", "invalid literal for int() ..."), which names Python internals and not the format
the API expects.
"""

from __future__ import annotations

import datetime

from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.schema.types.base_scalars import DateTimeDefinition
from strawberry.types.scalar import ScalarDefinition

DATETIME_EXPECTED = "Expected an ISO 8601 date and time such as 2026-12-03T09:30:00Z."


def _parse_datetime(value: object) -> datetime.datetime:
    if isinstance(value, str):
        try:
            return datetime.datetime.fromisoformat(value)
        except (ValueError, OverflowError):
            pass
    shown = str(value)[:40]
    raise StrawberryInputCoercionError(
        f'Value cannot represent a DateTime: "{shown}". {DATETIME_EXPECTED}'
    )


#: Same name, description and output as strawberry's, so the schema itself does not change.
DateTime = ScalarDefinition(
    name=DateTimeDefinition.name,
    description=DateTimeDefinition.description,
    specified_by_url=None,
    serialize=DateTimeDefinition.serialize,
    parse_value=_parse_datetime,
    parse_literal=None,
    origin=datetime.datetime,
)

SCALAR_OVERRIDES: dict[object, ScalarDefinition] = {datetime.datetime: DateTime}
