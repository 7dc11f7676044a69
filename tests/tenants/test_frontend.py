"""The web app's HTML shell and built assets on school hosts."""

from __future__ import annotations

import gzip
import json
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from pytest_django.fixtures import Settings as SettingsWrapper

from tenants.frontend import app_routes
from tenants.models import School
from tests.conftest import SchoolClient

NOTICE = "It is your responsibility to log out and protect the security of student information."
SCRIPT = "assets/main-AbC123xy.js"
STYLE = "assets/main-Zz9Yy8Xx.css"
CHUNK = "assets/vendor-Qq7Ww6Ee.js"
CHUNK_STYLE = "assets/vendor-Rr5Tt4Uu.css"


@pytest.fixture
def built_app(tmp_path: Path, settings: SettingsWrapper) -> Path:
    """A build as Vite lays it out: hashed files, precompressed copies and the manifest."""
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / ".vite").mkdir()
    body = b"console.log('Haven');\n" * 200
    (dist / SCRIPT).write_bytes(body)
    (dist / (SCRIPT + ".gz")).write_bytes(gzip.compress(body))
    (dist / STYLE).write_text("body{margin:0}")
    (dist / CHUNK).write_text("export const v=1;")
    (dist / CHUNK_STYLE).write_text("p{margin:0}")
    manifest = {
        "src/main.tsx": {
            "file": SCRIPT,
            "isEntry": True,
            "css": [STYLE],
            "imports": ["_vendor.js"],
        },
        "_vendor.js": {"file": CHUNK, "css": [CHUNK_STYLE]},
    }
    (dist / ".vite" / "manifest.json").write_text(json.dumps(manifest))
    settings.HAVEN_FRONTEND_DIST = dist
    return dist


def shell_config(html: str) -> dict[str, object]:
    match = re.search(r'<script id="haven-config" type="application/json">(.*?)</script>', html)
    assert match, html
    config: dict[str, object] = json.loads(match.group(1))
    return config


def test_shell_points_at_the_hashed_build(built_app: Path, school_a: School) -> None:
    response = SchoolClient(school_a).get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<script type="module" src="/static/app/{SCRIPT}"></script>' in html
    assert f'<link rel="stylesheet" href="/static/app/{STYLE}">' in html
    # Styles of imported chunks are on the page, and the chunks are fetched at once.
    assert f'<link rel="stylesheet" href="/static/app/{CHUNK_STYLE}">' in html
    assert f'<link rel="modulepreload" href="/static/app/{CHUNK}">' in html
    assert "<title>Alpha Academy - Haven</title>" in html
    assert NOTICE in html
    assert "has not been built" not in html


def test_shell_is_never_cached_and_sets_the_csrf_cookie(built_app: Path, school_a: School) -> None:
    response = SchoolClient(school_a).get("/")
    assert response["Cache-Control"] == "no-store"
    assert settings.CSRF_COOKIE_NAME in response.cookies
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_shell_tells_the_app_the_school_and_the_production_cookie_name(
    built_app: Path, school_a: School, school_b: School
) -> None:
    config = shell_config(SchoolClient(school_a).get("/").content.decode())
    assert config["schoolName"] == "Alpha Academy"
    # Tests run with production settings: browsers only accept this name over HTTPS.
    assert config["csrfCookieName"] == "__Host-csrftoken"
    assert config["graphqlUrl"] == "/graphql"
    assert config["blankScreenIdleSeconds"] == 15 * 60
    assert shell_config(SchoolClient(school_b).get("/").content.decode())["schoolName"] == (
        "Beta High School"
    )


def test_a_header_link_set_to_nothing_is_left_out(
    built_app: Path, school_a: School, settings: SettingsWrapper
) -> None:
    settings.HAVEN_SUPPORT_EMAIL = "support@haven.example"
    settings.HAVEN_FAQ_URL = ""
    config = shell_config(SchoolClient(school_a).get("/").content.decode())
    labels = {link["label"]: link["href"] for link in config["headerLinks"]}  # type: ignore[attr-defined]
    assert labels["Contact Support"] == "mailto:support@haven.example"
    assert labels["Haven Website"].startswith("http://localhost")
    assert "Haven FAQ" not in labels


@pytest.mark.parametrize(
    "path",
    [
        "/login",
        "/forgotten-password",
        "/set-password/MQ/c3x8a7-0f1e2d3c4b5a",
        "/second-factor",
        "/add-incident",
        "/incidents/42",
        "/incidents/42/add-action",
        "/library",
        "/library/folders/3",
        "/account",
        "/students",
        "/students/U3R1ZGVudDphbHBoYTo3",
    ],
)
def test_client_side_routes_get_the_shell(built_app: Path, school_a: School, path: str) -> None:
    response = SchoolClient(school_a).get(path)
    assert response.status_code == 200
    assert f"/static/app/{SCRIPT}" in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def _example(route: str) -> str:
    """A path the React Router pattern ``route`` matches: ``students/:id`` → ``/students/7``."""
    parts = ["7" if part.startswith(":") else part for part in route.split("/")]
    return "/" + "/".join("folders/3" if part == "*" else part for part in parts)


@pytest.mark.parametrize("route", sorted(app_routes().values()))
def test_every_route_of_the_web_app_gets_the_shell(
    built_app: Path, school_a: School, route: str
) -> None:
    """routes.json is the web app's router (frontend/src/routes.test.tsx checks that side);
    the server must answer each of its routes with the shell."""
    response = SchoolClient(school_a).get(_example(route))
    assert response.status_code == 200
    assert f"/static/app/{SCRIPT}" in response.content.decode()


@pytest.mark.parametrize(
    "path", ["/nothing-here", "/set-password/MQ", "/incidents/", "/admin", "/pupils/7"]
)
def test_other_paths_are_not_found(built_app: Path, school_a: School, path: str) -> None:
    assert SchoolClient(school_a).get(path).status_code == 404


def test_shell_refuses_posts(built_app: Path, school_a: School) -> None:
    assert SchoolClient(school_a).post("/login", {"email": "x"}).status_code == 405


def test_shell_explains_a_missing_build(
    tmp_path: Path, settings: SettingsWrapper, school_a: School
) -> None:
    settings.HAVEN_FRONTEND_DIST = tmp_path / "never-built"
    response = SchoolClient(school_a).get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "web app has not been built on this server" in html
    assert "make frontend" in html
    assert '<script type="module"' not in html
    assert "Alpha Academy" in html
    assert NOTICE in html


def test_a_new_build_is_picked_up_without_a_restart(built_app: Path, school_a: School) -> None:
    client = SchoolClient(school_a)
    assert f"/static/app/{SCRIPT}" in client.get("/").content.decode()
    manifest_path = built_app / ".vite" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["src/main.tsx"]["file"] = "assets/main-NewBuild.js"
    manifest_path.write_text(json.dumps(manifest))
    # A later modification time, as a real rebuild would give.
    stat = manifest_path.stat()
    os.utime(manifest_path, (stat.st_atime, stat.st_mtime + 10))
    assert "/static/app/assets/main-NewBuild.js" in client.get("/").content.decode()


def test_hashed_assets_are_cached_for_a_year(built_app: Path, school_a: School) -> None:
    response = SchoolClient(school_a).get(f"/static/app/{SCRIPT}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["Content-Type"].startswith("text/javascript")
    assert b"".join(response.streaming_content) == b"console.log('Haven');\n" * 200  # type: ignore[attr-defined]


def test_assets_are_sent_compressed_to_browsers_that_accept_it(
    built_app: Path, school_a: School
) -> None:
    response = SchoolClient(school_a).get(
        f"/static/app/{SCRIPT}", HTTP_ACCEPT_ENCODING="gzip, deflate"
    )
    assert response["Content-Encoding"] == "gzip"
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert gzip.decompress(body) == b"console.log('Haven');\n" * 200


def test_missing_asset_is_404(built_app: Path, school_a: School) -> None:
    assert SchoolClient(school_a).get("/static/app/assets/main-Gone.js").status_code == 404
