"""Reading pupils: the typeahead and the records a key holder may open."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet

from safeguarding.models import Pupil, TutorGroup, YearGroup
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


# The typeahead runs on every key press, so it is written as SQL: building the ORM query took
# longer than PostgreSQL took to answer it from the GIN index.
_SEARCH_SQL = """
SELECT p.id, p.legal_first_name, p.legal_last_name, p.preferred_first_name,
       p.preferred_last_name, tg.name, yg.name
  FROM safeguarding_pupil p
  LEFT JOIN safeguarding_tutorgroup tg ON tg.id = p.tutor_group_id
  LEFT JOIN safeguarding_yeargroup yg ON yg.id = p.year_group_id
 WHERE p.left_on IS NULL{conditions}
 ORDER BY p.legal_last_name, p.legal_first_name, p.id
 LIMIT %s OFFSET %s
"""
# One per part typed: a word of the names starts with it, or it is the tutor group's name.
_SEARCH_PART = (
    "\n   AND (p.search_vector @@ to_tsquery('simple', %s) OR upper(tg.name) = upper(%s))"
)


class PupilSearch:
    """The pupils a search finds, as ``PupilSummary`` rows, in name order; slice it for a
    page (one query a slice). Reads only what a list shows: not the search vector, not the
    record."""

    def __init__(self, parts: list[str]) -> None:
        self.parts = parts

    def __getitem__(self, page: slice) -> list[PupilSummary]:
        start = page.start or 0
        assert page.stop is not None, "a page has an end"
        assert page.step is None, "a page is every row in its range"
        if page.stop <= start:
            return []
        sql = _SEARCH_SQL.format(conditions=_SEARCH_PART * len(self.parts))
        params: list[str | int] = []
        for part in self.parts:
            params += [f"{part}:*", part]
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, page.stop - start, start])
            return [PupilSummary(*row) for row in cursor.fetchall()]


def pupils_search(*, search: str) -> PupilSearch:
    """Pupils on roll whose names (or tutor group) contain every word typed.

    Open to all staff: anyone may add an incident and must find the child first. It returns
    names and groups only; the record itself needs ``can_view_student``.
    """
    # Letters and digits only: each part is a safe prefix term of a text-search query
    # ("o'neil" is searched as "o" and "neil", the words PostgreSQL makes of the name).
    parts = [part for word in _WORD.findall(search.lower())[:5] for part in _PART.findall(word)]
    return PupilSearch(parts[:8])


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
