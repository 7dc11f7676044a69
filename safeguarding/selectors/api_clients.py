"""Reading API clients: only school admins see them."""

from __future__ import annotations

from django.db.models import QuerySet

from safeguarding.models import ApiClient, Staff


def api_client_list(*, actor: Staff | None) -> QuerySet[ApiClient]:
    if actor is None or not (actor.is_active and actor.is_school_admin):
        return ApiClient.objects.none()
    return ApiClient.objects.select_related("created_by").order_by("name", "id")
