"""Reading API clients: only school admins (second factor passed) see them."""

from __future__ import annotations

from django.db.models import QuerySet

from safeguarding.models import ApiClient, Staff
from safeguarding.permissions import SessionAssurance, can_administer_school


def api_client_list(*, actor: Staff | None, session: SessionAssurance) -> QuerySet[ApiClient]:
    if not can_administer_school(actor, session):
        return ApiClient.objects.none()
    return ApiClient.objects.select_related("created_by").order_by("name", "id")
