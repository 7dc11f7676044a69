"""Settings: the change history (read-only), from the audit log."""

from __future__ import annotations

import datetime
from typing import Annotated, Any

import strawberry
from strawberry import relay

from graphql_api.access_levels import settings_admin
from graphql_api.common import PageInfo, page_slice
from graphql_api.context import Info
from graphql_api.ids import global_id
from safeguarding.models import AuditEvent
from safeguarding.selectors.audit import OBJECT_KINDS, object_names, settings_changes

MAX_CHANGES_PAGE = 100
# The log stores changes as JSON (jsonb keeps no key order): show them in the forms' order.
FIELD_ORDER = (
    "mis_id",
    "name",
    "first_name",
    "last_name",
    "email",
    "job_title",
    "description",
    "access_level",
    "is_key_holder",
    "is_school_admin",
    "is_dsl_team",
    "is_active",
    "alert_groups",
    "year_groups",
    "tutor_groups",
)


def _field_rank(field: str) -> tuple[int, str]:
    return (FIELD_ORDER.index(field) if field in FIELD_ORDER else len(FIELD_ORDER), field)


def _shown(value: Any) -> str | None:
    """A stored value as the history shows it."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "None"
    return str(value)


@strawberry.type(name="SettingsChangeField", description="One field changed: from what, to what.")
class SettingsChangeFieldType:
    field: str = strawberry.field(description="The field, e.g. is_school_admin.")
    from_value: str | None = strawberry.field(
        name="from", description="Its value before; null when it had none (e.g. on creation)."
    )
    to_value: str | None = strawberry.field(
        name="to", description="Its value after; null when it has none (e.g. on deletion)."
    )


@strawberry.type(name="SettingsChange", description="One change to the school's settings.")
class SettingsChangeType:
    id: relay.GlobalID = strawberry.field(description="Global id of the audit event.")
    at: datetime.datetime = strawberry.field(description="When.")
    actor_name: str = strawberry.field(description="Who, as they were named at the time.")
    action: str = strawberry.field(description="What was done, e.g. staff.updated.")
    object_type: str = strawberry.field(description="What kind of thing, e.g. Access level.")
    object_name: str = strawberry.field(description="Which one, by its name (now or last).")
    changes: list[SettingsChangeFieldType] = strawberry.field(
        description="The fields that changed, each from/to, in the order the forms show them. "
        "For a refused change (e.g. staff.sync_refused), what was asked for."
    )
    note: str | None = strawberry.field(
        description="Why a change was refused (e.g. an MIS sync may not change the e-mail "
        "address of an account that has signed in); null otherwise."
    )

    @classmethod
    def from_model(cls, event: AuditEvent, names: dict[tuple[str, str], str]) -> SettingsChangeType:
        detail = event.detail if isinstance(event.detail, dict) else {}
        raw = detail.get("changes")
        changes = raw if isinstance(raw, dict) else {}
        name = names.get((event.object_type, event.object_id))
        if name is None:
            # Deleted since: the name it had, from the change itself.
            for key in ("name", "email"):
                pair = changes.get(key)
                if isinstance(pair, list) and pair:
                    name = str(pair[0] if pair[0] is not None else pair[-1])
                    break
        kind = OBJECT_KINDS.get(event.object_type, (event.object_type, None))[0]
        reason = detail.get("reason")
        if reason and detail.get("mis_id"):
            reason = f"MIS record {detail['mis_id']}: {reason}"
        return cls(
            id=global_id("SettingsChange", event.pk),
            at=event.at,
            actor_name=event.actor_label,
            action=event.action,
            object_type=kind,
            object_name=name or "",
            changes=[
                SettingsChangeFieldType(
                    field=str(field), from_value=_shown(pair[0]), to_value=_shown(pair[1])
                )
                for field, pair in sorted(changes.items(), key=lambda item: _field_rank(item[0]))
                if isinstance(pair, list) and len(pair) == 2
            ],
            note=str(reason) if reason else None,
        )


@strawberry.type(name="SettingsChangeEdge", description="One change and its cursor.")
class SettingsChangeEdge:
    node: SettingsChangeType = strawberry.field(description="The change.")
    cursor: str = strawberry.field(description="Opaque position of this change.")


@strawberry.type(
    name="SettingsChangeConnection", description="A page of settings changes (at most 100)."
)
class SettingsChangeConnection:
    edges: list[SettingsChangeEdge] = strawberry.field(description="The changes of this page.")
    nodes: list[SettingsChangeType] = strawberry.field(description="The same, without cursors.")
    page_info: PageInfo = strawberry.field(description="Paging details.")


@strawberry.type
class SettingsChangesQuery:
    @strawberry.field(
        description="Changes to the school's settings, newest first; null unless you are a "
        "school admin."
    )
    def settings_changes(
        self,
        info: Info,
        first: Annotated[
            int | None, strawberry.argument(description="Page size (at most 100).")
        ] = None,
        after: Annotated[
            str | None, strawberry.argument(description="Cursor of the page before.")
        ] = None,
    ) -> SettingsChangeConnection | None:
        if settings_admin(info) is None:
            return None
        items, page_info = page_slice(
            settings_changes(), first=first, after=after, max_size=MAX_CHANGES_PAGE
        )
        names = object_names([event for _, event in items])
        edges = [
            SettingsChangeEdge(node=SettingsChangeType.from_model(event, names), cursor=cursor)
            for cursor, event in items
        ]
        return SettingsChangeConnection(
            edges=edges, nodes=[edge.node for edge in edges], page_info=page_info
        )
