"""Reading the audit log: the change history of the school's settings."""

from __future__ import annotations

from collections import defaultdict
from functools import reduce
from operator import or_

from django.db.models import Model, Q, QuerySet

from safeguarding.models import (
    AccessLevel,
    Agency,
    AlertGroup,
    AuditEvent,
    Category,
    Staff,
    Subcategory,
)

# Audit actions that are changes to settings; other areas' settings join by using these
# prefixes for their actions (e.g. "category.updated").
SETTINGS_ACTION_PREFIXES = (
    "access_level.",
    "staff.",
    "category.",
    "subcategory.",
    "agency.",
    "alert_group.",
    "school_settings.",
    # Reordering changes a whole list at once.
    "categories.",
    "subcategories.",
    "alert_groups.",
)
SETTINGS_ACTIONS = ("api_client.create", "api_client.revoke")

# What the history calls each kind of object, and where to find its current name.
OBJECT_KINDS: dict[str, tuple[str, type[Model]]] = {
    "safeguarding.accesslevel": ("Access level", AccessLevel),
    "safeguarding.staff": ("Staff", Staff),
    "safeguarding.category": ("Category", Category),
    "safeguarding.subcategory": ("Subcategory", Subcategory),
    "safeguarding.agency": ("Agency", Agency),
    "safeguarding.alertgroup": ("Alert group", AlertGroup),
}


def settings_changes() -> QuerySet[AuditEvent]:
    """Settings changes, newest first."""
    condition = reduce(
        or_,
        [Q(action__startswith=prefix) for prefix in SETTINGS_ACTION_PREFIXES],
        Q(action__in=SETTINGS_ACTIONS),
    )
    return AuditEvent.objects.filter(condition).order_by("-at", "-id")


def object_names(events: list[AuditEvent]) -> dict[tuple[str, str], str]:
    """Current names of the events' objects: one query per kind of object on the page."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for event in events:
        if event.object_type in OBJECT_KINDS and event.object_id.isdigit():
            wanted[event.object_type].add(int(event.object_id))
    names: dict[tuple[str, str], str] = {}
    for object_type, ids in wanted.items():
        model = OBJECT_KINDS[object_type][1]
        for obj in model._default_manager.filter(pk__in=ids):
            names[(object_type, str(obj.pk))] = str(obj)
    return names
