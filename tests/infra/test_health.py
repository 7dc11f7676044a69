"""Liveness and readiness answer on every host, alike, and name nothing about schools."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, override_settings

from tenants.models import School
from tests.conftest import SchoolClient


@pytest.fixture
def public_client(db: None) -> Client:
    return Client(HTTP_HOST=settings.BASE_DOMAIN)


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_answer_alike_on_the_public_host_and_every_school(
    path: str, public_client: Client, client_a: SchoolClient, client_b: SchoolClient
) -> None:
    answers = [c.get(path) for c in (public_client, client_a, client_b)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert {a.content for a in answers} == {b"ok"}
    for answer in answers:
        assert answer["Content-Type"].startswith("text/plain")
        # No school's name, and no cookie that would start a session.
        assert b"Alpha" not in answer.content
        assert b"Beta" not in answer.content
        assert not answer.cookies


def test_readiness_is_never_cached(public_client: Client) -> None:
    assert "no-cache" in public_client.get("/readyz")["Cache-Control"]


def test_probes_do_not_redirect_to_https_so_a_failure_is_seen(public_client: Client) -> None:
    with override_settings(SECURE_SSL_REDIRECT=True):
        assert public_client.get("/readyz").status_code == 200
        # Everything else still goes to https.
        assert public_client.get("/").status_code == 301


def test_probes_answer_on_the_pods_own_address(db: None) -> None:
    """The kubelet sends the pod's IP as Host, which names no school and no allowed host."""
    pod = Client(HTTP_HOST="10.1.2.3:8000")
    assert pod.get("/healthz").content == b"ok"
    assert pod.get("/readyz").content == b"ok"
    # Any other page on that host is still refused.
    assert pod.get("/").status_code in {400, 404}


def test_suspended_school_hosts_still_answer_probes_like_any_other(school_b: School) -> None:
    school_b.status = School.Status.SUSPENDED
    school_b.save(update_fields=["status"])
    assert SchoolClient(school_b).get("/readyz").content == b"ok"
    assert SchoolClient(school_b).get("/").status_code == 503


def test_readiness_fails_when_redis_does_not_answer(client_a: SchoolClient) -> None:
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        answer = client_a.get("/readyz")
    assert answer.status_code == 503
    assert answer.content == b"unavailable: redis"


def test_readiness_fails_when_the_bucket_is_missing(client_a: SchoolClient) -> None:
    with override_settings(AWS_STORAGE_BUCKET_NAME="haven-no-such-bucket"):
        answer = client_a.get("/readyz")
    assert answer.status_code == 503
    # The bucket's name and the storage's address stay inside.
    assert answer.content == b"unavailable: storage"
