from __future__ import annotations

from tests.conftest import SchoolClient


def test_school_query_answers_with_this_hosts_school(client_a: SchoolClient) -> None:
    result = client_a.graphql("{ school { name urn subdomain } }")
    assert result == {
        "data": {"school": {"name": "Alpha Academy", "urn": "100001", "subdomain": "alpha"}}
    }


def test_me_is_null_when_signed_out(client_a: SchoolClient) -> None:
    assert client_a.graphql("{ me { email } }") == {"data": {"me": None}}
