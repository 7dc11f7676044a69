"""The student typeahead, pupil records and Hide Names spans."""

from __future__ import annotations

import datetime

from safeguarding.models import AuditEvent, Pupil
from safeguarding.names import name_spans
from tenants.models import School
from tests.conftest import SchoolClient
from tests.safeguarding import factories as f

SEARCH = """query($s: String!, $n: Int) { students(search: $s, first: $n) {
  edges { node { displayName } } pageInfo { hasNextPage endCursor } } }"""


def names(client: SchoolClient, search: str, first: int | None = None) -> list[str]:
    result = client.graphql(SEARCH, {"s": search, "n": first})["data"]["students"]
    return [edge["node"]["displayName"] for edge in result["edges"]]


def test_typeahead_matches_names_and_tutor_group(school_a: School) -> None:
    f.pupil("Hannah", "Greenwood", "1B")
    f.pupil("Matthew", "Greenwood", "5B")
    f.pupil("Leah", "Simpson", "1B")
    f.pupil("Gregory", "Ash", "2A")
    f.pupil("Old", "Greaves", "3C", left_on=datetime.date(2020, 7, 20))
    client = f.signed_in(SchoolClient(school_a), f.staff("Chloe", "Kelan"))
    assert names(client, "gre") == [
        "Gregory Ash (2A)",
        "Hannah Greenwood (1B)",
        "Matthew Greenwood (5B)",
    ]
    assert names(client, "GREENWOOD han") == ["Hannah Greenwood (1B)"]
    assert names(client, "1b") == ["Hannah Greenwood (1B)", "Leah Simpson (1B)"]
    assert names(client, "   ") == []


def test_pages_are_capped(school_a: School) -> None:
    Pupil.objects.bulk_create(
        Pupil(mis_id=f"P{n}", legal_first_name=f"Grey{n:03d}", legal_last_name="Pupil")
        for n in range(60)
    )
    client = f.signed_in(SchoolClient(school_a), f.staff("Chloe", "Kelan"))
    page = client.graphql(SEARCH, {"s": "grey", "n": 500})["data"]["students"]
    assert len(page["edges"]) == 50
    assert page["pageInfo"]["hasNextPage"] is True
    rest = client.graphql(
        """query($after: String) { students(search: "grey", after: $after) {
            edges { node { displayName } } pageInfo { hasNextPage } } }""",
        {"after": page["pageInfo"]["endCursor"]},
    )["data"]["students"]
    assert len(rest["edges"]) == 10
    assert rest["pageInfo"]["hasNextPage"] is False


def test_pupil_record_needs_key_access_and_is_audited(school_a: School) -> None:
    hannah = f.pupil("Hannah", "Greenwood", "1B", year="Year 7")
    pastoral = f.staff("Pat", "Oral", level="Pastoral", key_holder=True)
    limited_level = f.staff("Yvonne", "Eight", level="Pastoral", key_holder=True)
    from safeguarding.models import AccessLevel, YearGroup

    year_8 = YearGroup.objects.get_or_create(name="Year 8")[0]
    level = AccessLevel.objects.create(name="Year 8 pastoral")
    level.year_groups.add(year_8)
    for grant in AccessLevel.objects.get(name="Pastoral").grants.all():
        grant.pk = None
        grant.access_level = level
        grant.save()
    limited_level.access_level = level
    limited_level.save()
    query = f'{{ student(id: "{f.gid("Student", hannah.pk)}") {{ student {{ displayName }} }} }}'
    seen = f.signed_in(SchoolClient(school_a), pastoral, second_factor=True).graphql(query)
    assert seen["data"]["student"] == {"student": {"displayName": "Hannah Greenwood (1B)"}}
    other_year = f.signed_in(SchoolClient(school_a), limited_level, second_factor=True)
    assert other_year.graphql(query)["data"]["student"] is None
    reads = AuditEvent.objects.filter(action="pupil.read")
    assert list(reads.values_list("actor_id", "object_id")) == [(pastoral.pk, str(hannah.pk))]


def test_name_spans_are_whole_words_case_insensitive(school_a: School) -> None:
    hannah = f.pupil("Hannah", "Greenwood", "1B")
    matthew = f.pupil("Matthew", "Greenwood", "5B")
    text = "hannah's brother MATTHEW met Hannahville staff; Greenwood family 🙂 Hannah"
    spans = name_spans(text, [hannah, matthew])
    assert [text_slice(text, s) for s in spans] == [
        "hannah",
        "MATTHEW",
        "Greenwood",
        "Hannah",
    ]
    # Offsets count UTF-16 code units: the emoji counts as two.
    assert spans[-1] == (len(text) + 1 - len("Hannah"), len(text) + 1)


def text_slice(text: str, span: tuple[int, int]) -> str:
    encoded = text.encode("utf-16-le")
    return encoded[span[0] * 2 : span[1] * 2].decode("utf-16-le")
