"""The operator console: the same operations as the operator API, as pages."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tenants.utils import schema_exists

from tenants.models import Operator, School
from tests.tenants.test_operators import PASSWORD, code_for, operator  # noqa: F401


@pytest.fixture
def console(operator: Operator) -> Client:  # noqa: F811
    client = Client(HTTP_HOST="localhost")
    response = client.post(
        "/console/sign-in",
        {"email": operator.email, "password": PASSWORD, "code": code_for(operator)},
    )
    assert response.status_code == 302
    return client


def test_console_requires_signing_in(db: None) -> None:
    response = Client(HTTP_HOST="localhost").get("/console/")
    assert response.status_code == 302
    assert response["Location"].endswith("/console/sign-in")


def test_wrong_details_show_one_message(operator: Operator) -> None:  # noqa: F811
    response = Client(HTTP_HOST="localhost").post(
        "/console/sign-in", {"email": operator.email, "password": "wrong", "code": "123456"}
    )
    assert response.status_code == 200
    assert "Those details are not right" in response.content.decode()


def test_console_lists_schools_with_counts(console: Client) -> None:
    page = console.get("/console/?q=alpha").content.decode()
    assert "Alpha Academy" in page
    assert "alpha.localhost" in page
    assert "Beta High School" not in page


def test_onboard_suspend_and_archive_from_the_console(console: Client) -> None:
    bad = console.post(
        "/console/schools/new",
        {"name": "Epsilon", "subdomain": "www", "urn": "300010", "dsl_email": "d@e.example"},
    )
    assert "is reserved" in bad.content.decode()
    assert not School.objects.filter(urn="300010").exists()

    created = console.post(
        "/console/schools/new",
        {"name": "Epsilon", "subdomain": "epsilon", "urn": "300010", "dsl_email": "d@e.example"},
        follow=True,
    )
    assert "Epsilon is ready" in created.content.decode()
    assert schema_exists("epsilon")

    console.post("/console/schools/epsilon/status", {"status": "suspended"})
    assert School.objects.get(schema_name="epsilon").status == "suspended"
    assert Client(HTTP_HOST="epsilon.localhost").get("/").status_code == 503

    archived = console.post(
        "/console/schools/epsilon/archive", {"confirm_subdomain": "epsilon"}, follow=True
    )
    assert "was archived to _archives/epsilon/" in archived.content.decode()
    assert not schema_exists("epsilon")
    from tenants.storage import SchoolStorage

    bucket = SchoolStorage(school_schema="alpha").bucket
    for obj in bucket.objects.filter(Prefix="_archives/epsilon/"):
        obj.delete()


def test_console_pages_are_not_on_school_hosts(school_a: School) -> None:
    school_host = Client(HTTP_HOST="alpha.localhost")
    assert school_host.get("/console/").status_code == 404
    assert school_host.post("/console/sign-in", {"email": "x"}).status_code in {403, 404, 405}
