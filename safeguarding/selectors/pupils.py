"""Reading pupils: the typeahead and the records a key holder may open."""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery
from django.db.models import Q, QuerySet

from safeguarding.models import Pupil, TutorGroup, YearGroup
from safeguarding.permissions import Actor, can_view_student

_WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")
_PART = re.compile(r"[^\W_]+")


def pupils_search(*, search: str) -> QuerySet[Pupil]:
    """Pupils on roll whose names (or tutor group) contain every word typed.

    Open to all staff: anyone may add an incident and must find the child first. It returns
    names and groups only; the record itself needs ``can_view_student``.
    """
    queryset = Pupil.objects.filter(left_on__isnull=True).select_related(
        "tutor_group", "year_group"
    )
    # Letters and digits only: each part is a safe prefix term of a raw text-search query
    # ("o'neil" is searched as "o" and "neil", the words PostgreSQL makes of the name).
    parts = [part for word in _WORD.findall(search.lower())[:5] for part in _PART.findall(word)]
    for part in parts[:8]:
        words_start_with = SearchQuery(f"{part}:*", search_type="raw", config="simple")
        queryset = queryset.filter(
            Q(search_vector=words_start_with) | Q(tutor_group__name__iexact=part)
        )
    return queryset.order_by("legal_last_name", "legal_first_name", "id")


def pupil_get_visible(*, actor: Actor, pupil_id: int) -> Pupil | None:
    pupil = Pupil.objects.select_related("tutor_group", "year_group").filter(pk=pupil_id).first()
    if pupil is None or not can_view_student(actor, pupil):
        return None
    return pupil


def pupil_get(*, pupil_id: int) -> Pupil | None:
    """Any pupil by id: for deciding who could see an incident about them, not for display."""
    return Pupil.objects.filter(pk=pupil_id).first()


def year_groups_all(*, limit: int) -> QuerySet[YearGroup]:
    return YearGroup.objects.order_by("order", "name", "pk")[:limit]


def tutor_groups_all(*, limit: int) -> QuerySet[TutorGroup]:
    return TutorGroup.objects.order_by("name", "pk")[:limit]
