"""Every server-rendered page carries one strict Content Security Policy: nothing inline runs,
nothing loads from another host, and the pages themselves keep to it."""

from __future__ import annotations

from html.parser import HTMLParser

from django.http import HttpResponseBase
from django.test import Client

from tenants.models import Operator, School
from tests.conftest import SchoolClient
from tests.tenants.test_operators import PASSWORD, code_for, operator  # noqa: F401

HTML = "text/html"


def _policy(response: HttpResponseBase) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy")
    assert header, "no Content-Security-Policy header"
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


class _InlineContent(HTMLParser):
    """Inline scripts, inline style sheets (with their nonce) and style attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.inline_scripts = 0
        self.style_nonces: list[str | None] = []
        self.style_attributes = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if "style" in attributes:
            self.style_attributes += 1
        # A JSON data block is not run, so no policy governs it.
        runs = attributes.get("type") != "application/json"
        if tag == "script" and "src" not in attributes and runs:
            self.inline_scripts += 1
        if tag == "style":
            self.style_nonces.append(attributes.get("nonce"))


def assert_strict(response: HttpResponseBase, page: str) -> None:
    policy = _policy(response)
    assert policy.get("default-src") in (["'self'"], ["'none'"]), page
    scripts = policy.get("script-src", policy["default-src"])
    assert all(source in {"'self'", "'none'"} for source in scripts), (page, scripts)
    styles = policy.get("style-src", policy["default-src"])
    assert "'unsafe-inline'" not in styles, page
    assert policy.get("object-src") == ["'none'"], page
    assert policy.get("frame-ancestors") == ["'none'"], page
    if response.get("Content-Type", "").startswith(HTML):
        # The page keeps to its own policy, so the browser refuses nothing it needs.
        content = _InlineContent()
        content.feed(response.content.decode())  # type: ignore[attr-defined]
        assert content.inline_scripts == 0, page
        assert content.style_attributes == 0, page
        for nonce in content.style_nonces:
            assert nonce is not None, page
            assert f"'nonce-{nonce}'" in styles, page


def test_every_page_of_the_public_host_has_a_strict_policy(
    operator: Operator,  # noqa: F811
) -> None:
    visitor = Client(HTTP_HOST="localhost")
    pages = {
        "platform home": visitor.get("/"),
        "console sign-in": visitor.get("/console/sign-in"),
        "console sign-in refused": visitor.post(
            "/console/sign-in", {"email": operator.email, "password": "x", "code": "1"}
        ),
        "404": visitor.get("/no-such-page"),
        "graphql by GET": visitor.get("/graphql"),
        "user guide": visitor.get("/help/guide"),
        "FAQ": visitor.get("/help/faq"),
        "cookie policy": visitor.get("/cookies"),
        "privacy notice": visitor.get("/privacy"),
    }
    signed_in = Client(HTTP_HOST="localhost")
    assert (
        signed_in.post(
            "/console/sign-in",
            {"email": operator.email, "password": PASSWORD, "code": code_for(operator)},
        ).status_code
        == 302
    )
    pages["console schools"] = signed_in.get("/console/")
    pages["console onboarding form"] = signed_in.get("/console/schools/new")
    pages["console invite form"] = signed_in.get("/console/schools/alpha/invite")
    pages["console archive form"] = signed_in.get("/console/schools/alpha/archive")
    for page, response in pages.items():
        assert response.status_code in {200, 400, 404, 405}, (page, response.status_code)
        assert_strict(response, page)
    # Two requests, two nonces: a nonce is never reused.
    first, second = (_policy(signed_in.get("/console/"))["style-src"] for _ in range(2))
    assert first != second


def test_every_page_of_a_school_host_has_a_strict_policy(school_a: School) -> None:
    client = SchoolClient(school_a)
    pages = {
        "app shell": client.get("/"),
        "sign-in route": client.get("/login"),
        "settings route": client.get("/settings/api-clients"),
        "404": client.get("/no-such-page"),
        "attachment 404": client.get("/attachments/nothing/download"),
        "user guide": client.get("/help/guide"),
        "FAQ": client.get("/help/faq"),
        "cookie policy": client.get("/cookies"),
        "privacy notice": client.get("/privacy"),
        "unknown school": Client(HTTP_HOST="nosuchschool.localhost").get("/"),
    }
    school_a.status = School.Status.SUSPENDED
    school_a.save()
    pages["suspended school"] = client.get("/")
    for page, response in pages.items():
        assert response.status_code in {200, 404, 503}, (page, response.status_code)
        assert_strict(response, page)
    assert b"suspended" in pages["suspended school"].content
