"""The staff web app on every school host: the HTML shell and its built assets.

Vite builds ``frontend/`` into ``HAVEN_FRONTEND_DIST`` with content-hashed file names and a
manifest. The shell is rendered here on each request (never cached: it is the page a person
signs in and out on, and it names the school); it points at the hashed files, which are served
under ``/static/app/`` by WhiteNoise and cached by browsers for a year, since a new build gives
new names.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, re_path
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_safe
from whitenoise.middleware import WhiteNoiseMiddleware

from tenants.help_pages import haven_version
from tenants.schemas import current_school

logger = logging.getLogger(__name__)

#: Where the browser finds the built files.
ASSETS_URL_PREFIX = f"{settings.STATIC_URL}app/"
#: The entry Vite's manifest is keyed by (``build.rollupOptions.input`` in vite.config.ts).
ENTRY = "src/main.tsx"
IMMUTABLE_CACHE_CONTROL = "public, max-age=31536000, immutable"

#: The web app's client-side routes, in React Router's path syntax, the one list that
#: frontend/src/App.tsx also uses. A reload or a link from an e-mail on any of them must get the
#: shell too; anything else is a plain 404, not an empty app page.
APP_ROUTES_FILE = settings.BASE_DIR / "frontend" / "src" / "routes.json"


def route_pattern(route: str) -> str:
    """A regular expression for a React Router path: ``:name`` is one segment, a final ``*``
    anything below (or nothing: ``library/*`` matches ``library`` too)."""
    parts = route.split("/")
    splat = parts[-1] == "*"
    if splat:
        parts.pop()
    pattern = "/".join("[^/]+" if part.startswith(":") else re.escape(part) for part in parts)
    return pattern + ("(?:/.*)?" if splat else "")


def app_routes() -> dict[str, str]:
    routes: dict[str, str] = json.loads(APP_ROUTES_FILE.read_text(encoding="utf-8"))
    return routes


@dataclass(frozen=True)
class ShellAssets:
    """URLs of the built entry script, its styles and the chunks it imports at once."""

    script: str
    styles: tuple[str, ...]
    preloads: tuple[str, ...]


_manifest_cache: dict[Path, tuple[float, ShellAssets | None]] = {}


def _manifest_path() -> Path:
    return Path(settings.HAVEN_FRONTEND_DIST) / ".vite" / "manifest.json"


def _assets_from_manifest(manifest: dict[str, Any]) -> ShellAssets | None:
    entry = manifest.get(ENTRY)
    if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
        return None
    styles: list[str] = list(entry.get("css", []))
    preloads: list[str] = []
    # Imported chunks load straight after the entry: preloading them saves a round trip each,
    # and their styles must be on the page too.
    pending = list(entry.get("imports", []))
    seen: set[str] = set()
    while pending:
        key = pending.pop(0)
        if key in seen or key not in manifest:
            continue
        seen.add(key)
        chunk = manifest[key]
        preloads.append(chunk["file"])
        styles.extend(css for css in chunk.get("css", []) if css not in styles)
        pending.extend(chunk.get("imports", []))
    return ShellAssets(
        script=ASSETS_URL_PREFIX + entry["file"],
        styles=tuple(ASSETS_URL_PREFIX + css for css in styles),
        preloads=tuple(ASSETS_URL_PREFIX + file for file in preloads),
    )


def shell_assets() -> ShellAssets | None:
    """The current build's assets, or None when the web app has not been built.

    Read again whenever the manifest changes, so a rebuild shows without a restart.
    """
    manifest_path = _manifest_path()
    try:
        modified = manifest_path.stat().st_mtime
    except FileNotFoundError:
        return None
    cached = _manifest_cache.get(manifest_path)
    if cached is not None and cached[0] == modified:
        return cached[1]
    try:
        assets = _assets_from_manifest(json.loads(manifest_path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        logger.exception("unreadable web app manifest at %s", manifest_path)
        assets = None
    _manifest_cache[manifest_path] = (modified, assets)
    return assets


def _header_links(request: HttpRequest) -> list[dict[str, str]]:
    """The small links above the header: Haven's own guide, FAQ and support address unless
    the deployment names others (a link set to nothing is left out)."""
    _, _, port = request.get_host().partition(":")
    website = f"{request.scheme}://{settings.BASE_DOMAIN}{':' + port if port else ''}/"
    links = [{"label": "Haven Website", "href": website}]
    if settings.HAVEN_USER_GUIDE_URL:
        links.append({"label": "Haven User Guide", "href": settings.HAVEN_USER_GUIDE_URL})
    if settings.HAVEN_SUPPORT_EMAIL:
        links.append({"label": "Contact Support", "href": f"mailto:{settings.HAVEN_SUPPORT_EMAIL}"})
    if settings.HAVEN_FAQ_URL:
        links.append({"label": "Haven FAQ", "href": settings.HAVEN_FAQ_URL})
    return links


@require_safe
@ensure_csrf_cookie
def app_shell(request: HttpRequest, **kwargs: str) -> HttpResponse:
    """The HTML page every screen of the web app starts from."""
    school = current_school()
    assets = shell_assets()
    # Only the school, the CSRF cookie's name and a few settings: the shell is the same for
    # everyone on a host, and who is signed in is asked of the API.
    config = {
        "schoolName": school.name if school is not None else "",
        "csrfCookieName": settings.CSRF_COOKIE_NAME,
        "graphqlUrl": "/graphql",
        "blankScreenIdleSeconds": settings.HAVEN_BLANK_SCREEN_IDLE_SECONDS,
        "headerLinks": _header_links(request),
        "version": haven_version(),
    }
    response = render(
        request, "tenants/app_shell.html", {"school": school, "assets": assets, "config": config}
    )
    # Never stored anywhere: it carries the CSRF cookie and must always name the newest build.
    response["Cache-Control"] = "no-store"
    # Its Content Security Policy is every page's (SECURE_CSP): nothing inline, no CDN.
    return response


urlpatterns: list[URLPattern] = [
    path("", app_shell, name="home"),
    re_path(
        rf"^(?:{'|'.join(route_pattern(route) for route in app_routes().values())})/?$",
        app_shell,
        name="app",
    ),
]


class AppAssetsMiddleware(WhiteNoiseMiddleware):  # type: ignore[misc]
    """WhiteNoise, also serving the web app's build under ``/static/app/``.

    Hashed build output is cached for a year and marked immutable; precompressed ``.br`` and
    ``.gz`` files written by the build are served to browsers that accept them.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # In development (autorefresh) files are looked up per request, so a later build is
        # found; otherwise they are indexed now and the build must come first.
        self.add_files(str(settings.HAVEN_FRONTEND_DIST), prefix=ASSETS_URL_PREFIX)

    def add_files(self, root: str, prefix: str | None = None) -> None:
        # STATIC_ROOT exists only where collectstatic ran, the build only after `make
        # frontend`; neither missing is worth a warning on every start.
        if self.autorefresh or Path(root).is_dir():
            super().add_files(root, prefix)

    def add_cache_headers(self, headers: Any, path: str, url: str) -> None:
        if url.startswith(f"{ASSETS_URL_PREFIX}assets/"):
            headers["Cache-Control"] = IMMUTABLE_CACHE_CONTROL
            return
        super().add_cache_headers(headers, path, url)
