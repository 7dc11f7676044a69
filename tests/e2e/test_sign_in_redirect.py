"""After signing in, the browser goes to the `next` page only if it is on the school's own host.

A link to ``/login?next=/%09/example.org`` used to send a teacher, password typed in, to
another site (the browser drops the tab and reads ``//example.org``): a page dressed as
Haven's could then ask for the password again.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from django.db.models import ProtectedError
from playwright.sync_api import BrowserContext, Page, Route, expect

from safeguarding.models import Staff
from tenants.models import School
from tests.conftest import ALPHA
from tests.e2e.conftest import HavenServer

pytestmark = pytest.mark.django_db

EMAIL = "redirect.teacher@alpha.example"
PASSWORD = "a long and private passphrase for the redirect test"
ELSEWHERE = "You have left Haven"


@pytest.fixture(scope="module")
def teacher_with_password(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """A committed member of staff at Alpha who signs in with a password."""
    with django_db_blocker.unblock():
        school = School.objects.get(schema_name=ALPHA.subdomain)
        with school:
            staff = Staff.objects.filter(email=EMAIL).first() or Staff.objects.create_user(
                email=EMAIL, password=PASSWORD, first_name="Rhys", last_name="Redirect"
            )
    yield EMAIL
    # The sign-ins are in the audit log, which keeps its actors.
    with django_db_blocker.unblock(), school, contextlib.suppress(ProtectedError):
        staff.delete()


@pytest.fixture
def off_site(context: BrowserContext, haven_server: HavenServer) -> None:
    """Any other host answers with a page of its own, so leaving is seen, not a network error."""
    school_host = urlsplit(haven_server.url(ALPHA.subdomain)).netloc

    def answer(route: Route) -> None:
        route.fulfill(status=200, content_type="text/plain", body=ELSEWHERE)

    context.route(re.compile(rf"^https?://(?!{re.escape(school_host)}/)"), answer)


def sign_in_with(page: Page, server: HavenServer, query: str) -> None:
    page.goto(server.url(ALPHA.subdomain, f"/login?{query}"))
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Login").click()


@pytest.mark.parametrize(
    "query",
    [
        "next=/%09/example.org",
        f"next={quote('//evil.example/', safe='')}",
        f"next={quote('/' + chr(92) + 'evil.example/', safe='')}",
        f"next={quote('javascript:alert(document.domain)', safe='')}",
        f"next={quote('https://evil.example/', safe='')}",
    ],
)
@pytest.mark.usefixtures("off_site")
def test_a_crafted_next_lands_on_the_school_dashboard(
    page: Page, haven_server: HavenServer, teacher_with_password: str, query: str
) -> None:
    sign_in_with(page, haven_server, query)

    expect(page.get_by_role("heading", level=1, name="Dashboard")).to_be_visible()
    expect(page.get_by_text(ELSEWHERE)).to_have_count(0)
    assert page.url == haven_server.url(ALPHA.subdomain, "/")


@pytest.mark.usefixtures("off_site")
def test_a_page_of_the_school_is_where_sign_in_goes_next(
    page: Page, haven_server: HavenServer, teacher_with_password: str
) -> None:
    sign_in_with(page, haven_server, "next=%2Flibrary")

    expect(page.get_by_role("heading", level=1, name="Library")).to_be_visible()
    assert page.url == haven_server.url(ALPHA.subdomain, "/library")
