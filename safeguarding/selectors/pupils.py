"""Reading pupils: the typeahead and the records a key holder may open."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery
from django.db.models import Q, QuerySet

from safeguarding.models import Pupil
from safeguarding.permissions import Actor, can_view_student

_WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")
_PART = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class PupilSummary:
    """A pupil as lists show them (names and groups), read without building model objects.

    The name rules are Pupil's: preferred names win over legal ones; "Hannah Greenwood (1B)".
    """

    pk: int
    legal_first_name: str
    legal_last_name: str
    preferred_first_name: str
    preferred_last_name: str
    tutor_group_name: str | None
    year_group_name: str | None

    @property
    def first_name(self) -> str:
        return self.preferred_first_name or self.legal_first_name

    @property
    def last_name(self) -> str:
        return self.preferred_last_name or self.legal_last_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def display_name(self) -> str:
        if self.tutor_group_name is None:
            return self.full_name
        return f"{self.full_name} ({self.tutor_group_name})"


class PupilSummaries:
    """Pupils of a queryset as ``PupilSummary`` rows; slice it for a page (one query a slice).

    Reads only the columns a list shows: not the search vector, not the record."""

    _COLUMNS = (
        "pk",
        "legal_first_name",
        "legal_last_name",
        "preferred_first_name",
        "preferred_last_name",
        "tutor_group__name",
        "year_group__name",
    )

    def __init__(self, queryset: QuerySet[Pupil]) -> None:
        self.queryset = queryset

    def __getitem__(self, page: slice) -> list[PupilSummary]:
        rows = self.queryset.values_list(*self._COLUMNS)[page]
        return [PupilSummary(*row) for row in rows]


def pupils_search(*, search: str) -> PupilSummaries:
    """Pupils on roll whose names (or tutor group) contain every word typed.

    Open to all staff: anyone may add an incident and must find the child first. It returns
    names and groups only; the record itself needs ``can_view_student``.
    """
    queryset = Pupil.objects.filter(left_on__isnull=True)
    # Letters and digits only: each part is a safe prefix term of a raw text-search query
    # ("o'neil" is searched as "o" and "neil", the words PostgreSQL makes of the name).
    parts = [part for word in _WORD.findall(search.lower())[:5] for part in _PART.findall(word)]
    for part in parts[:8]:
        words_start_with = SearchQuery(f"{part}:*", search_type="raw", config="simple")
        queryset = queryset.filter(
            Q(search_vector=words_start_with) | Q(tutor_group__name__iexact=part)
        )
    return PupilSummaries(queryset.order_by("legal_last_name", "legal_first_name", "id"))


def pupil_get_visible(*, actor: Actor, pupil_id: int) -> Pupil | None:
    pupil = Pupil.objects.select_related("tutor_group", "year_group").filter(pk=pupil_id).first()
    if pupil is None or not can_view_student(actor, pupil):
        return None
    return pupil


def pupil_get(*, pupil_id: int) -> Pupil | None:
    """Any pupil by id: for deciding who could see an incident about them, not for display."""
    return Pupil.objects.filter(pk=pupil_id).first()
