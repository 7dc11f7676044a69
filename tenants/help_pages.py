"""Pages Haven serves itself on every host: its user guide and FAQ, the cookie policy and
the privacy notice, and the footer every page carries.

The guide's screenshots are taken by the end-to-end tests (``tests/e2e/test_guide_scenario.py``
writes them into ``HELP_SCREENSHOT_DIR``, a committed folder), so each e2e run refreshes them
and they never show screens Haven no longer has. The cookie policy names the cookies from the
settings that set them, so it cannot drift either. An operator can replace the cookie policy's
and the privacy notice's wording with a file of their own (``HAVEN_COOKIE_POLICY_FILE``,
``HAVEN_PRIVACY_NOTICE_FILE``: an HTML fragment).
"""

from __future__ import annotations

import datetime
import functools
import importlib.metadata
import logging
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from tenants.schemas import current_school

logger = logging.getLogger(__name__)

HELP_SCREENSHOT_DIR = Path(__file__).resolve().parent / "help_screenshots"
_SCREENSHOT_NAME = re.compile(r"^[a-z0-9-]+\.png\Z")


@functools.cache
def haven_version() -> str:
    """Haven's version, from the installed package's metadata (pyproject.toml)."""
    try:
        return importlib.metadata.version("haven")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def site_name() -> str:
    school = current_school()
    return school.name if school is not None else "Haven"


def site_footer(request: HttpRequest) -> dict[str, Any]:
    """Template context for the footer of every server-rendered page."""
    return {
        "site_footer": {
            "year": datetime.date.today().year,
            "name": site_name(),
            "version": haven_version(),
        }
    }


def cookies() -> list[dict[str, str]]:
    """Every cookie Haven sets, with the names the settings give them."""
    hours = settings.SESSION_COOKIE_AGE // 3600
    return [
        {
            "name": settings.SESSION_COOKIE_NAME,
            "purpose": "Keeps you signed in as you move from page to page.",
            "lifetime": (
                f"Until you log out, your session times out, or at most {hours} hours "
                "after you signed in."
            ),
        },
        {
            "name": settings.CSRF_COOKIE_NAME,
            "purpose": (
                "Proves that a change (adding an incident, for example) comes from Haven's own "
                "pages and not from another website."
            ),
            "lifetime": "One year; it holds no information about you.",
        },
    ]


def _operator_text(file_name: str) -> str | None:
    """An operator's own wording, or None to use Haven's."""
    if not file_name:
        return None
    try:
        return Path(file_name).read_text(encoding="utf-8")
    except OSError:
        logger.exception("cannot read %s; showing Haven's own text instead", file_name)
        return None


def _page(request: HttpRequest, template: str, **context: Any) -> HttpResponse:
    return render(request, f"tenants/help/{template}", {"site_name": site_name(), **context})


@require_safe
def user_guide(request: HttpRequest) -> HttpResponse:
    shots = {p.stem for p in HELP_SCREENSHOT_DIR.glob("*.png")}
    return _page(request, "guide.html", screenshots=shots)


@require_safe
def faq(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        "faq.html",
        support_email=settings.HAVEN_SUPPORT_EMAIL,
        idle_minutes=settings.HAVEN_BLANK_SCREEN_IDLE_SECONDS // 60,
    )


@require_safe
def cookie_policy(request: HttpRequest) -> HttpResponse:
    own = _operator_text(settings.HAVEN_COOKIE_POLICY_FILE)
    return _page(
        request,
        "cookies.html",
        cookies=cookies(),
        # The operator's file is configuration, written by whoever deploys Haven.
        operator_text=mark_safe(own) if own is not None else None,  # noqa: S308
    )


@require_safe
def privacy_notice(request: HttpRequest) -> HttpResponse:
    own = _operator_text(settings.HAVEN_PRIVACY_NOTICE_FILE)
    return _page(
        request,
        "privacy.html",
        support_email=settings.HAVEN_SUPPORT_EMAIL,
        operator_text=mark_safe(own) if own is not None else None,  # noqa: S308
    )


@require_safe
def screenshot(request: HttpRequest, name: str) -> FileResponse:
    file = HELP_SCREENSHOT_DIR / name
    if not _SCREENSHOT_NAME.match(name) or not file.is_file():
        raise Http404
    response = FileResponse(file.open("rb"), content_type="image/png")
    response["Cache-Control"] = "public, max-age=3600"
    return response


urlpatterns: list[URLPattern] = [
    path("help/guide", user_guide, name="help-guide"),
    path("help/faq", faq, name="help-faq"),
    path("help/screenshots/<str:name>", screenshot, name="help-screenshot"),
    path("cookies", cookie_policy, name="cookie-policy"),
    path("privacy", privacy_notice, name="privacy-notice"),
]
