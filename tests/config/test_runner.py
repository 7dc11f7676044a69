"""``make run``'s own services, started by the runner's own functions.

A fresh clone has no ``.haven/`` at all; a working copy has one from earlier runs. The SMTP
sink must keep mail in both, or every alert e-mail of a first run fails for good.
"""

from __future__ import annotations

import mailbox
import smtplib
import socket
import sys
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from subprocess import Popen
from typing import Any

import pytest

from config import runner
from tests.notifications.harness import free_port, wait_until


def _listens(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture
def sink_of(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    started: list[Popen[bytes]] = []
    port = free_port()

    def start(data_dir: Path) -> None:
        started.append(runner.smtp_sink_start(data_dir=data_dir, port=port))
        wait_until(lambda: _listens(port), "the SMTP sink", timeout=30)

    yield start, port  # type: ignore[misc]
    for process in started:
        process.terminate()
        process.wait(timeout=10)


def _send(port: int, subject: str) -> None:
    message = EmailMessage()
    message["From"] = "Haven <no-reply@haven.test>"
    message["To"] = "wendy.abbott@montsaye.example"
    message["Subject"] = subject
    message.set_content("You have a new alert in Haven.")
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        smtp.send_message(message)


def _subjects(mail_dir: Path) -> list[str]:
    return sorted(str(message["Subject"]) for message in mailbox.Maildir(mail_dir, create=False))


def test_the_sink_keeps_mail_in_an_empty_data_directory(sink_of: Any, tmp_path: Path) -> None:
    start, port = sink_of
    data_dir = tmp_path / "fresh-clone" / ".haven"
    start(data_dir)
    _send(port, "New alert")
    assert _subjects(data_dir / "mail") == ["New alert"]


def test_the_sink_keeps_mail_next_to_earlier_runs_mail(sink_of: Any, tmp_path: Path) -> None:
    start, port = sink_of
    data_dir = tmp_path / ".haven"
    data_dir.mkdir()
    earlier = mailbox.Maildir(data_dir / "mail", create=True)
    earlier.add(b"Subject: From an earlier run\n\nHello\n")
    start(data_dir)
    _send(port, "New alert")
    assert _subjects(data_dir / "mail") == ["From an earlier run", "New alert"]


# What the worker writes when a delivery fails, through Haven's own logging configuration.
WORKER_LOGGING = """
import logging, logging.config
from config.observability import logging_config
logging.config.dictConfig(logging_config(level="INFO", json_format=False))
log = logging.getLogger("notifications.services.deliveries")
log.info("e-mail 13 sent")
log.warning("e-mail %s failed permanently: %s", 12, "550 5.1.1 Mailbox unavailable")
"""


def test_failed_deliveries_are_printed_in_the_console_as_well_as_logged(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    process = runner._spawn(
        "worker", [sys.executable, "-c", WORKER_LOGGING], tmp_path, echo=runner.NOTIFICATION_PROBLEM
    )
    assert process.wait(timeout=60) == 0
    log = tmp_path / "worker.log"
    wait_until(lambda: "failed permanently" in log.read_text(), "the worker's log")
    console = capfd.readouterr().out
    assert "e-mail 12 failed permanently: 550 5.1.1 Mailbox unavailable" in console
    assert "e-mail 13 sent" not in console
    assert "e-mail 13 sent" in log.read_text()
