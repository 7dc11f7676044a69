"""End-to-end fixtures: the real Haven server on the test database, and Debian's chromium.

The browser is the `chromium` of Debian's package, found on the PATH; nothing downloads a
browser. When it is missing these tests fail (they do not skip): `.ci/run` and `make test`
install it with apt.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import ProtectedError
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from safeguarding.models import Staff
from safeguarding.services.authentication import REAUTHENTICATED_AT_KEY
from tenants.models import School
from tests.conftest import ALPHA

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Every e2e run leaves a picture of each screen it visited here (named in README.md).
SCREENSHOT_DIR = settings.BASE_DIR / ".haven" / "e2e-screenshots"
SERVER_LOG = settings.BASE_DIR / ".haven" / "test-e2e-server.log"  # one per server: see below


@dataclass(frozen=True)
class HavenServer:
    port: int

    def url(self, subdomain: str, path: str = "/") -> str:
        return f"http://{subdomain}.localhost:{self.port}{path}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _answers(port: int) -> bool:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz", headers={"Host": f"{ALPHA.subdomain}.localhost"}
    )
    try:
        with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310 - loopback
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="session")
def built_frontend() -> Path:
    manifest = Path(settings.HAVEN_FRONTEND_DIST) / ".vite" / "manifest.json"
    if not manifest.is_file():
        pytest.fail(
            f"The web app is not built ({manifest} is missing): run `make frontend` "
            "(npm ci && npm run build in frontend/) before the end-to-end tests."
        )
    return manifest


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        pytest.fail(
            "Debian's chromium is not installed, so the end-to-end tests cannot run. "
            "Install it with `apt-get update && apt-get install -y chromium` "
            "(.ci/run and `make test` do this when run as root)."
        )
    return path


def _wait_for_other_sessions_to_end(database: str, timeout: float = 15) -> None:
    """PostgreSQL ends a closed connection's backend a moment after the client exits; the
    test database can only be dropped once the server's connections are all gone."""

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                [database],
            )
            row = cursor.fetchone()
        if row is None or row[0] == 0:
            return
        time.sleep(0.1)


@contextlib.contextmanager
def running_haven_server(
    django_db_blocker: Any, *, extra_env: dict[str, str] | None = None, log_name: str = "server"
) -> Iterator[HavenServer]:
    """Haven as it runs in production (DEBUG off), on a free port, on the test database."""
    port = _free_port()
    env = dict(os.environ)
    env["HAVEN_DATABASE_NAME"] = str(settings.DATABASES["default"]["NAME"])
    env["HAVEN_SSL_REDIRECT"] = "0"
    env.pop("HAVEN_DEBUG", None)
    env["HAVEN_FRONTEND_DIST"] = str(settings.HAVEN_FRONTEND_DIST)
    # This checkout's code, even when the virtualenv's editable install points elsewhere.
    env["PYTHONPATH"] = os.pathsep.join(
        [str(settings.BASE_DIR), str(settings.BASE_DIR / "platform")]
    )
    env.update(extra_env or {})
    if importlib.util.find_spec("gunicorn") is not None:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--access-logfile",
            "-",
        ]
    else:
        command = [
            sys.executable,
            str(settings.BASE_DIR / "manage.py"),
            "runserver",
            "--noreload",
            f"127.0.0.1:{port}",
        ]
    log_path = SERVER_LOG.with_name(f"test-e2e-{log_name}.log")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = log_path.open("wb")
    process = subprocess.Popen(
        command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=settings.BASE_DIR
    )
    deadline = time.monotonic() + 60
    while not _answers(port):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            tail = log_path.read_text(errors="replace")[-3000:]
            pytest.fail(f"the Haven server did not start; {log_path}:\n{tail}")
        time.sleep(0.2)
    try:
        yield HavenServer(port=port)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        with django_db_blocker.unblock():
            _wait_for_other_sessions_to_end(env["HAVEN_DATABASE_NAME"])


@pytest.fixture(scope="session")
def haven_server(
    django_db_setup: None, django_db_blocker: Any, built_frontend: Path
) -> Iterator[HavenServer]:
    """The server most end-to-end tests share (no Celery worker behind it).

    An admin's password entry counts for an hour rather than five minutes: the admin sessions
    below are made once per module, and a module can take longer than that on a busy machine.
    """
    with running_haven_server(
        django_db_blocker, extra_env={"HAVEN_REAUTHENTICATION_SECONDS": "3600"}
    ) as server:
        yield server


@pytest.fixture(scope="module")
def chloe_session(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """A committed staff account at Alpha with a signed-in session; returns the session key."""
    with django_db_blocker.unblock():
        school = School.objects.get(schema_name=ALPHA.subdomain)
        with school:
            staff = Staff.objects.filter(email="chloe.kelan@alpha.example").first()
            if staff is None:
                staff = Staff.objects.create_user(
                    email="chloe.kelan@alpha.example",
                    first_name="Chloe",
                    last_name="Kelan",
                    job_title="Teacher",
                )
            client = Client()
            client.force_login(staff)
            session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    yield session_key
    with django_db_blocker.unblock(), school:
        from django.contrib.sessions.models import Session

        Session.objects.filter(session_key=session_key).delete()
        # Someone who added a record stays, as authors do (records and audit rows protect them).
        with contextlib.suppress(ProtectedError):
            staff.delete()


@pytest.fixture(autouse=True)
def _patient_expectations() -> Iterator[None]:
    """Assertions wait up to 20 s for the page to get there (Playwright's default is 5 s): the
    first answers of a fresh school can take seconds on a busy two-core machine. A page that
    never gets there still fails."""
    expect.set_options(timeout=20_000)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def browser(haven_server: HavenServer, chloe_session: str, chromium_path: str) -> Iterator[Browser]:
    """A fresh headless chromium for each test.

    Playwright's sync API runs an event loop on this thread while it is started, and Django
    then neither allows database calls here nor shares its connections with that loop's
    context. So everything that touches the database (the fixtures above, and the test's own
    transaction, set up first because it is autouse) happens before Playwright starts or after
    it stops; the tests themselves only drive the browser.
    """
    with sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext, request: pytest.FixtureRequest) -> Iterator[Page]:
    page = context.new_page()
    yield page
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")
    with contextlib.suppress(Exception):
        page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=True)


def in_school_thread_of[T](
    django_db_blocker: Any, read: Callable[[], T], *, subdomain: str = ALPHA.subdomain
) -> T:
    """Run a database read in a school's schema on a thread of its own.

    While Playwright runs, the test's thread has an event loop and Django refuses database
    calls there; a plain thread has none, and its own connection sees what the server committed.
    """
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            with django_db_blocker.unblock(), School.objects.get(schema_name=subdomain):
                box["value"] = read()
        except BaseException as error:  # re-raised on the test's thread
            box["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]


def admin_session_key(
    admin: Staff, *, host: str | None = None, reauthenticated: bool = True
) -> str:
    """A committed session of a school admin as it is right after signing in: the second
    factor passed and (unless ``reauthenticated`` is false) the password entered just now.
    Call in the school's schema."""
    client = Client(HTTP_HOST=host) if host else Client()
    client.force_login(admin)
    device = TOTPDevice.objects.filter(user=admin, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=admin, name="Phone", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    if reauthenticated:
        session[REAUTHENTICATED_AT_KEY] = timezone.now().timestamp()
    session.save()
    return str(client.cookies[settings.SESSION_COOKIE_NAME].value)


def sign_in(context: BrowserContext, server: HavenServer, session_key: str) -> None:
    """Gives the browser the session cookie Haven would set at login."""
    # Chromium treats *.localhost as a secure origin and keeps Secure (and __Host-) cookies
    # from it over plain HTTP, but its cookie API takes a Secure cookie only for an https URL.
    url = server.url(ALPHA.subdomain)
    if settings.SESSION_COOKIE_SECURE:
        url = url.replace("http://", "https://", 1)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session_key,
                "url": url,
                "httpOnly": True,
                "secure": settings.SESSION_COOKIE_SECURE,
                "sameSite": "Lax",
            }
        ]
    )
