"""Relay global ids that name the school as well as the record.

``Incident:alpha:42`` (base64 encoded) means incident 42 *of school alpha*. An id copied from
another school's API therefore finds nothing here, rather than whichever row happens to have
the same number.
"""

from __future__ import annotations

from strawberry import relay

from tenants.schemas import current_schema_name


def global_id(type_name: str, pk: int) -> relay.GlobalID:
    return relay.GlobalID(type_name, f"{current_schema_name()}:{pk}")


def decode_id(value: relay.GlobalID | None, type_name: str) -> int | None:
    """The primary key, or None if the id is of another type, another school or malformed."""
    if value is None or value.type_name != type_name:
        return None
    schema, _, pk = value.node_id.rpartition(":")
    if schema != current_schema_name() or not pk.isdigit() or len(pk) > 18:
        return None
    return int(pk)


def decode_ids(values: list[relay.GlobalID], type_name: str) -> tuple[list[int], bool]:
    """Decoded keys and whether every id was valid."""
    keys = [decode_id(value, type_name) for value in values]
    return [k for k in keys if k is not None], all(k is not None for k in keys)
