"""Reading the library: the folders (and their documents) this person may see."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from safeguarding.models import LibraryDocument, LibraryFolder
from safeguarding.permissions import Actor


def library_folders_visible(*, actor: Actor) -> QuerySet[LibraryFolder]:
    """Folders open to everyone, or to this person's access level (admins see all)."""
    queryset = LibraryFolder.objects.all()
    if not actor.staff.is_school_admin:
        queryset = queryset.filter(
            Q(access_levels__isnull=True) | Q(access_levels=actor.staff.access_level_id)
        ).distinct()
    return queryset.prefetch_related(
        Prefetch(
            "documents",
            queryset=LibraryDocument.objects.select_related("attachment").order_by("title", "id"),
        )
    ).order_by("order", "name")
