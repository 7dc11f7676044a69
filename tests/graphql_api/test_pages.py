"""Connections page with cursors; a cursor the API never gave out is a typed error."""

from __future__ import annotations

import base64

from safeguarding.models import Pupil
from tenants.models import School
from tests.conftest import SchoolClient
from tests.safeguarding import factories as f

PAGE = """query($after: String) { students(search: "grey", first: 5, after: $after) {
  edges { node { displayName } } pageInfo { hasNextPage endCursor } } }"""


def _encoded(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def test_a_cursor_never_given_out_is_a_typed_error(school_a: School) -> None:
    Pupil.objects.bulk_create(
        Pupil(mis_id=f"P{n}", legal_first_name=f"Grey{n:03d}", legal_last_name="Pupil")
        for n in range(8)
    )
    client = f.signed_in(SchoolClient(school_a), f.staff("Chloe", "Kelan"))
    first = client.graphql(PAGE)["data"]["students"]
    assert len(first["edges"]) == 5
    following = client.graphql(PAGE, {"after": first["pageInfo"]["endCursor"]})
    assert len(following["data"]["students"]["edges"]) == 3

    bad_cursors = {
        "huge offset": _encoded(f"o:{10**30}"),
        "bigint overflow": _encoded(f"o:{2**63}"),
        "negative offset": _encoded("o:-5"),
        "not base64": "!!not a cursor!!",
        "base64 of garbage": _encoded("garbage"),
        "another kind": _encoded("x:3"),
        "non-ASCII digits": _encoded("o:²"),
        "binary": base64.b64encode(b"\xff\xfe").decode(),
    }
    for kind, cursor in bad_cursors.items():
        result = client.graphql(PAGE, {"after": cursor})
        assert result["data"] is None, kind
        [error] = result["errors"]
        assert error["extensions"] == {"code": "invalid_cursor"}, (kind, error)
        assert "cursor" in error["message"], kind
