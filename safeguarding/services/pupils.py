"""Opening a pupil's record (audited)."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest

from safeguarding.models import Pupil
from safeguarding.permissions import Actor
from safeguarding.selectors.pupils import pupil_get_visible
from safeguarding.services.audit import audit_record


def pupil_read(*, actor: Actor, pupil_id: int, request: HttpRequest | None = None) -> Pupil | None:
    pupil = pupil_get_visible(actor=actor, pupil_id=pupil_id)
    if pupil is None:
        return None
    with transaction.atomic():
        audit_record(action="pupil.read", actor=actor.staff, request=request, target=pupil)
    return pupil
