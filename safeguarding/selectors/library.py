"""Reading the library: the folders (and their documents) this person may see."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from safeguarding.models import AccessLevel, LibraryDocument, LibraryFolder
from safeguarding.permissions import Actor, can_manage_library


def library_folders_visible(*, actor: Actor) -> QuerySet[LibraryFolder]:
    """Folders open to everyone, or to this person's access level (admins see all)."""
    queryset = LibraryFolder.objects.all()
    if can_manage_library(actor):
        # Admins see (and manage) which levels each folder is limited to.
        queryset = queryset.prefetch_related("access_levels")
    else:
        queryset = queryset.filter(
            Q(access_levels__isnull=True) | Q(access_levels=actor.staff.access_level_id)
        ).distinct()
    return queryset.prefetch_related(
        Prefetch(
            "documents",
            queryset=LibraryDocument.objects.select_related("attachment").order_by("title", "id"),
        )
    ).order_by("order", "name")


def library_access_levels(*, actor: Actor) -> QuerySet[AccessLevel]:
    """The access levels a folder can be limited to: for the admins who manage the library."""
    if not can_manage_library(actor):
        return AccessLevel.objects.none()
    return AccessLevel.objects.order_by("name", "id")
