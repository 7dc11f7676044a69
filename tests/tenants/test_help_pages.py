"""Haven's own help and legal pages: the header's links work with no configuration, every
page has the footer, and the cookie policy names exactly the cookies Haven sets."""

from __future__ import annotations

import datetime
import importlib.metadata
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper

from tenants.models import School
from tests.conftest import SchoolClient

YEAR = datetime.date.today().year
VERSION = importlib.metadata.version("haven")
PAGES = {
    "/help/guide": "Haven User Guide",
    "/help/faq": "Haven FAQ",
    "/cookies": "Cookie policy",
    "/privacy": "Privacy notice",
}


def shell_config(client: Client) -> dict[str, object]:
    html = client.get("/").content.decode()
    match = re.search(r'<script id="haven-config" type="application/json">(.*?)</script>', html)
    assert match is not None, html
    config: dict[str, object] = json.loads(match.group(1))
    return config


def footer(html: str) -> str:
    match = re.search(r'<footer class="site-footer">(.*?)</footer>', html, re.S)
    assert match is not None, html
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(1))).strip()


def test_header_links_work_without_configuration(school_a: School) -> None:
    client = SchoolClient(school_a)
    links = {link["label"]: link["href"] for link in shell_config(client)["headerLinks"]}  # type: ignore[attr-defined]
    assert links["Haven User Guide"] == "/help/guide"
    assert links["Haven FAQ"] == "/help/faq"
    assert links["Contact Support"] == f"mailto:support@{settings.BASE_DOMAIN}"
    for path in (links["Haven User Guide"], links["Haven FAQ"]):
        response = client.get(path)
        assert response.status_code == 200
        assert PAGES[path] in response.content.decode()


def test_operators_can_point_the_links_elsewhere(
    school_a: School, settings: SettingsWrapper
) -> None:
    settings.HAVEN_USER_GUIDE_URL = "https://help.haven.example/guide"
    settings.HAVEN_FAQ_URL = "https://help.haven.example/faq"
    settings.HAVEN_SUPPORT_EMAIL = "help@haven.example"
    links = {
        link["label"]: link["href"]
        for link in shell_config(SchoolClient(school_a))["headerLinks"]  # type: ignore[attr-defined]
    }
    assert links["Haven User Guide"] == "https://help.haven.example/guide"
    assert links["Haven FAQ"] == "https://help.haven.example/faq"
    assert links["Contact Support"] == "mailto:help@haven.example"


@pytest.mark.parametrize("path", PAGES)
def test_each_page_is_served_with_the_footer_on_a_school_host(school_a: School, path: str) -> None:
    response = SchoolClient(school_a).get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{PAGES[path]}</h1>" in html
    assert footer(html) == (
        f"© {YEAR} Alpha Academy · Haven {VERSION} · Cookie policy · Privacy notice"
    )
    assert 'href="/cookies"' in html
    assert 'href="/privacy"' in html


@pytest.mark.parametrize("path", ["/", "/console/sign-in", *PAGES])
def test_platform_pages_carry_the_footer(db: None, path: str) -> None:
    response = Client(HTTP_HOST=settings.BASE_DOMAIN).get(path, follow=True)
    assert response.status_code == 200
    assert footer(response.content.decode()) == (
        f"© {YEAR} Haven · Haven {VERSION} · Cookie policy · Privacy notice"
    )


def test_the_web_app_is_told_havens_version(school_a: School) -> None:
    assert shell_config(SchoolClient(school_a))["version"] == VERSION


def test_the_cookie_policy_names_the_session_and_csrf_cookies_and_nothing_else(
    school_a: School,
) -> None:
    html = SchoolClient(school_a).get("/cookies").content.decode()
    listed = set(re.findall(r"<code data-cookie>([^<]+)</code>", html))
    # Production names: the tests run with debug off.
    assert listed == {"__Host-sessionid", "__Host-csrftoken"}
    assert listed == {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME}


def test_an_operator_can_replace_the_wording(
    school_a: School, settings: SettingsWrapper, tmp_path: Path
) -> None:
    cookies = tmp_path / "cookies.html"
    cookies.write_text("<p>Our own cookie wording.</p>", encoding="utf-8")
    privacy = tmp_path / "privacy.html"
    privacy.write_text("<p>Our own privacy wording.</p>", encoding="utf-8")
    settings.HAVEN_COOKIE_POLICY_FILE = str(cookies)
    settings.HAVEN_PRIVACY_NOTICE_FILE = str(privacy)
    client = SchoolClient(school_a)
    assert "<p>Our own cookie wording.</p>" in client.get("/cookies").content.decode()
    assert "<p>Our own privacy wording.</p>" in client.get("/privacy").content.decode()


def test_the_guide_shows_the_screenshots_the_e2e_tests_take(school_a: School) -> None:
    client = SchoolClient(school_a)
    html = client.get("/help/guide").content.decode()
    shown = re.findall(r'<img src="(/help/screenshots/[a-z0-9-]+\.png)"', html)
    assert shown, "the guide shows no screenshots: run the end-to-end tests"
    for src in shown:
        response = client.get(src)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
    assert client.get("/help/screenshots/..%2Fhelp_pages.py").status_code == 404
    assert client.get("/help/screenshots/missing.png").status_code == 404
