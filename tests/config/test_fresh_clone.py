"""The first hour of a fresh clone: ``make run``, then an incident that alerts a colleague.

The runner itself (``python -m config.runner``, what ``make run`` starts once Haven is
installed) runs in an empty data directory, on a database of its own that nothing has
migrated, with a private Redis, so its worker takes no task of any other test. Through the
API, the demo teacher adds an incident alerting Wendy; her e-mail must be in the sink. Then
Ctrl-C must stop everything the runner started.
"""

from __future__ import annotations

import json
import mailbox
import os
import re
import signal
import subprocess
import sys
import threading
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from tests.notifications.harness import PrivateRedis, free_port, wait_until

DEMO_PASSWORD = "montsaye-demo-password"
SCHOOL_HOST = "montsaye.localhost"


def _server_connection(database: str = "postgres") -> psycopg.Connection[Any]:
    """A connection to the server the tests use, made exactly as Django makes its own (the
    embedded server is reached by a socket named in the URL's query, not by a host)."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    params["dbname"] = database
    return psycopg.connect(**params, autocommit=True)


@dataclass
class Run:
    process: subprocess.Popen[str]
    data_dir: Path
    database: str
    web_port: int
    output: list[str] = field(default_factory=list)

    def printed(self) -> str:
        return "\n".join(self.output)

    def pending_emails(self) -> int:
        with _server_connection(self.database) as connection:
            row = connection.execute(
                "SELECT count(*) FROM montsaye.notifications_emaildelivery WHERE status = 'pending'"
            ).fetchone()
        assert row is not None
        return int(row[0])

    def mail(self) -> list[mailbox.MaildirMessage]:
        return list(mailbox.Maildir(self.data_dir / "mail", create=False))


@pytest.fixture
def run(tmp_path: Path) -> Iterator[Run]:
    database = f"haven_fresh_{uuid.uuid4().hex[:10]}"
    with _server_connection() as connection:
        connection.execute(f'CREATE DATABASE "{database}"')
    broker = PrivateRedis()
    broker.start()
    data_dir = tmp_path / ".haven"
    web_port = free_port()
    env = dict(os.environ)
    for variable in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "SMTP_HOST", "HAVEN_DEBUG"):
        env.pop(variable, None)
    env.update(
        {
            "HAVEN_DATA_DIR": str(data_dir),
            "HAVEN_DATABASE_NAME": database,
            "REDIS_URL": broker.url,
            "SMTP_PORT": str(free_port()),
            "HAVEN_RUN_ADDRESS": f"127.0.0.1:{web_port}",
            "PYTHONPATH": os.pathsep.join(
                [str(settings.BASE_DIR), str(settings.BASE_DIR / "platform")]
            ),
        }
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "config.runner"],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        # Its own process group, as a terminal's foreground job: Ctrl-C signals the group.
        start_new_session=True,
    )
    the_run = Run(process=process, data_dir=data_dir, database=database, web_port=web_port)

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            the_run.output.append(line.rstrip("\n"))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        yield the_run
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        reader.join(timeout=10)
        broker.close()
        with _server_connection() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


class Browser:
    """Just enough of a browser for the API: the host, cookies and the CSRF header."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def graphql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        headers = {"Host": f"{SCHOOL_HOST}:{self.port}", "Content-Type": "application/json"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/graphql",
            data=json.dumps({"query": query, "variables": variables or {}}).encode(),
            headers=headers,
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback
            for cookie in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = cookie.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
            result: dict[str, Any] = json.loads(response.read())
        assert "errors" not in result, result
        return result["data"]  # type: ignore[no-any-return]


def _answers(port: int) -> bool:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz", headers={"Host": SCHOOL_HOST}
    )
    try:
        with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310 - loopback
            return bool(response.status == 200)
    except OSError:
        return False


def test_make_run_on_a_fresh_clone_delivers_the_alert_email(run: Run) -> None:
    def running() -> bool:
        if run.process.poll() is not None:
            raise AssertionError(f"make run stopped:\n{run.printed()}")
        return "Press Ctrl-C to stop." in run.printed()

    wait_until(running, "make run to start", timeout=600)
    assert f"E-mail sink:  0 messages waiting in {run.data_dir / 'mail'}" in run.printed()
    wait_until(lambda: _answers(run.web_port), "the web server", timeout=120)
    # The demo's own incidents alert people too: let those e-mails go first.
    wait_until(lambda: run.pending_emails() == 0, "the demo's e-mails", timeout=180)
    before = {message["Message-ID"] for message in run.mail()}
    assert before, "the demo's own alert e-mails did not reach the sink"

    chloe = Browser(run.web_port)
    chloe.graphql("{ csrfToken }")
    signed_in = chloe.graphql(
        "mutation($e: String!, $p: String!) { login(email: $e, password: $p) "
        "{ me { email } errors { code } } }",
        {"e": "chloe.kelan@montsaye.example", "p": DEMO_PASSWORD},
    )["login"]
    assert signed_in["errors"] == [], signed_in
    leah = chloe.graphql('{ students(search: "Leah Simp") { edges { node { id } } } }')["students"][
        "edges"
    ][0]["node"]["id"]
    bullying = next(
        category["id"]
        for category in chloe.graphql("{ categories { id name } }")["categories"]
        if category["name"] == "Bullying"
    )
    wendy = chloe.graphql('{ staff(search: "wendy") { edges { node { id } } } }')["staff"]["edges"][
        0
    ]["node"]["id"]
    added = chloe.graphql(
        "mutation($input: AddIncidentInput!) { addIncident(input: $input) "
        "{ errors { field code message } } }",
        {
            "input": {
                "studentId": leah,
                "text": "Leah said older pupils took her lunch money again.",
                "categoryIds": [bullying],
                "alertStaffIds": [wendy],
            }
        },
    )["addIncident"]
    assert added["errors"] == []

    def new_mail() -> list[mailbox.MaildirMessage]:
        return [message for message in run.mail() if message["Message-ID"] not in before]

    wait_until(
        lambda: run.pending_emails() == 0 and bool(new_mail()), "Wendy's e-mail", timeout=120
    )
    assert [str(message["To"]) for message in new_mail()] == ["wendy.abbott@montsaye.example"]
    text = new_mail()[0].as_string()
    assert "Bullying" in text
    # Its link leads to this run's web server.
    assert f"http://{SCHOOL_HOST}:{run.web_port}/" in text

    # Ctrl-C: the runner stops, and with it everything it started.
    os.killpg(run.process.pid, signal.SIGINT)
    assert run.process.wait(timeout=120) == 0, run.printed()
    assert re.search(r"^Haven: stopped$", run.printed(), re.MULTILINE)
    with pytest.raises(ProcessLookupError):
        os.killpg(run.process.pid, 0)
    assert not _answers(run.web_port)
