"""Host → school resolution, and what one school's session means at another."""

from __future__ import annotations

from django.test import Client

from safeguarding.models import Staff
from tenants.models import School
from tests.conftest import SchoolClient, host_of


def test_unknown_host_is_404(db: None) -> None:
    response = Client(HTTP_HOST="nowhere.localhost").get("/")
    assert response.status_code == 404


def test_school_home_names_the_school(client_a: SchoolClient) -> None:
    response = client_a.get("/")
    assert response.status_code == 200
    assert "Alpha Academy" in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def test_public_host_serves_the_platform_not_a_school(db: None) -> None:
    response = Client(HTTP_HOST="localhost").get("/")
    assert response.status_code == 200
    assert "Alpha Academy" not in response.content.decode()


def test_forged_forwarded_host_changes_nothing(client_a: SchoolClient, school_b: School) -> None:
    result = client_a.graphql("{ school { name } }", HTTP_X_FORWARDED_HOST=host_of(school_b))
    assert result["data"]["school"]["name"] == "Alpha Academy"


def test_session_from_one_school_is_not_a_login_at_another(
    school_a: School, school_b: School
) -> None:
    staff_a = Staff.objects.get(email="dsl@alpha.example")
    client = SchoolClient(school_a)
    client.force_login(staff_a)
    assert client.graphql("{ me { email } }")["data"]["me"] == {"email": "dsl@alpha.example"}

    # The same cookie jar sent to school B's host: B's schema has no such session.
    stolen = client.cookies
    other = SchoolClient(school_b)
    other.cookies = stolen
    assert other.graphql("{ me { email } }")["data"]["me"] is None
    # ...nor does forging the forwarded host make school A's session valid at B.
    forged = other.graphql(
        "{ me { email } school { name } }", HTTP_X_FORWARDED_HOST=host_of(school_a)
    )
    assert forged["data"] == {"me": None, "school": {"name": "Beta High School"}}


def test_session_cookie_is_host_only_and_http_only(school_a: School) -> None:
    from django.conf import settings
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.http import HttpRequest, HttpResponse
    from django.test import RequestFactory

    def view(request: HttpRequest) -> HttpResponse:
        request.session["seen"] = True
        return HttpResponse()

    request = RequestFactory(HTTP_HOST=host_of(school_a)).get("/")
    response = SessionMiddleware(view)(request)
    assert isinstance(response, HttpResponse)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["domain"] == ""
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    # Production settings (tests run with DEBUG off): secure, __Host- prefixed.
    assert cookie["secure"]
    assert settings.SESSION_COOKIE_NAME.startswith("__Host-")


def test_suspended_school_shows_a_plain_page_and_no_api(school_a: School) -> None:
    client = Client(HTTP_HOST=host_of(school_a))
    assert client.get("/").status_code == 200  # resolved (and cached) while active
    school_a.status = School.Status.SUSPENDED
    school_a.save()
    page = client.get("/")
    assert page.status_code == 503
    assert "suspended" in page.content.decode()
    api = client.post("/graphql", {"query": "{ school { name } }"}, content_type="application/json")
    assert api.status_code == 503
    assert b"Alpha Academy" in api.content  # the plain page, not the API's answer
    assert b'"data"' not in api.content
