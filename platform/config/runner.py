"""``make run``: one command that brings up a whole development Haven.

Starts the embedded services (unless the environment names real ones), a local SMTP sink,
migrates every schema, creates the demo school if it is missing, then runs the web server,
a Celery worker and Celery beat until Ctrl-C, when everything it started is stopped.
"""

from __future__ import annotations

import mailbox
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import FrameType
from typing import IO

from config import embedded

WEB_ADDRESS = os.environ.get("HAVEN_RUN_ADDRESS", "127.0.0.1:8000")
#: Worker log lines shown in the console as well as the log: e-mail that failed or waits.
#: The worker logs them at WARNING (``e-mail 12 failed permanently: 550 ...``) and above.
NOTIFICATION_PROBLEM = re.compile(r" (WARNING|ERROR|CRITICAL) notifications\.")


def _manage(*arguments: str) -> None:
    subprocess.run(
        [sys.executable, str(embedded.REPOSITORY_ROOT / "manage.py"), *arguments], check=True
    )


def _spawn(
    name: str, command: list[str], log_dir: Path, *, echo: re.Pattern[str] | None = None
) -> subprocess.Popen[bytes]:
    """Start a process logging to ``<log_dir>/<name>.log``; lines matching ``echo`` are also
    printed to the console as they come."""
    print(f"  starting {name}: logs in {log_dir / (name + '.log')}")
    log = (log_dir / f"{name}.log").open("ab")
    if echo is None:
        return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert process.stdout is not None
    threading.Thread(
        target=_copy_lines, args=(process.stdout, log, name, echo), daemon=True
    ).start()
    return process


def _copy_lines(source: IO[bytes], log: IO[bytes], name: str, echo: re.Pattern[str]) -> None:
    with source, log:
        for line in source:
            text = line.decode(errors="replace").rstrip()
            if echo.search(text):
                print(f"Haven ({name}): {text}")
            log.write(line)
            log.flush()


def mail_dir_prepare(mail_dir: Path) -> None:
    """Make ``mail_dir`` a Maildir. ``mailbox.Maildir(create=True)``, which aiosmtpd's handler
    uses, makes ``tmp/ new/ cur/`` only when the folder itself is missing, and a folder
    without them refuses every message."""
    for subfolder in ("tmp", "new", "cur"):
        (mail_dir / subfolder).mkdir(parents=True, exist_ok=True)


def mail_waiting(mail_dir: Path) -> int:
    """How many messages the sink holds (read or not)."""
    return len(mailbox.Maildir(mail_dir, create=False))


def smtp_sink_start(*, data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    """The local SMTP sink: aiosmtpd keeping every message it accepts in ``<data_dir>/mail``."""
    mail_dir, log_dir = data_dir / "mail", data_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    mail_dir_prepare(mail_dir)
    return _spawn(
        "smtp-sink",
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"127.0.0.1:{port}",
            "-c",
            "aiosmtpd.handlers.Mailbox",
            str(mail_dir),
        ],
        log_dir,
    )


def main() -> int:
    # Lines appear as they are printed, also when the console is a pipe (CI, a test).
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    os.environ.setdefault("HAVEN_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    print(
        "Haven: starting services (embedded where DATABASE_URL, REDIS_URL, S3_ENDPOINT_URL unset)"
    )
    embedded.ensure_services()
    log_dir = embedded.data_dir() / "logs"
    mail_dir = embedded.data_dir() / "mail"
    log_dir.mkdir(parents=True, exist_ok=True)

    children: list[subprocess.Popen[bytes]] = []
    try:
        return _run(children, log_dir=log_dir, mail_dir=mail_dir)
    finally:
        # Whatever ended the run (Ctrl-C, a failed migration, a crashed process), nothing
        # it started is left behind.
        print("Haven: stopping")
        _stop(children)
        embedded.stop_services()
        print("Haven: stopped")


def _mail_note(mail_dir: Path, *, sink: bool) -> str:
    if not sink:
        return f"  E-mail:       sent through {os.environ.get('SMTP_HOST')}\n"
    count = mail_waiting(mail_dir)
    return (
        f"  E-mail sink:  {count} message{'' if count == 1 else 's'} waiting in {mail_dir}\n"
        f"                (a Maildir: each file in new/ is one e-mail; `mutt -f {mail_dir}`"
        f" reads them)\n"
        f"                Failed deliveries are shown here as they happen.\n"
    )


def _stop(children: list[subprocess.Popen[bytes]]) -> None:
    for child in children:
        if child.poll() is None:
            child.terminate()
    for child in children:
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()


def _run(children: list[subprocess.Popen[bytes]], *, log_dir: Path, mail_dir: Path) -> int:
    sink = not os.environ.get("SMTP_HOST")
    if sink:
        os.environ["SMTP_HOST"] = "127.0.0.1"
        os.environ.setdefault("SMTP_PORT", "1025")
        os.environ["SMTP_STARTTLS"] = "0"
        children.append(
            smtp_sink_start(data_dir=embedded.data_dir(), port=int(os.environ["SMTP_PORT"]))
        )

    print("Haven: migrating")
    _manage("migrate_schemas", "--shared", "-v", "0")
    _manage("migrate_schemas", "--tenant", "-v", "0")
    _manage("seed_demo")

    port = WEB_ADDRESS.rpartition(":")[2]
    # Links in e-mails name the port this run serves on (HAVEN_RUN_ADDRESS may move it).
    os.environ.setdefault("HAVEN_SITE_PORT", port)
    children += [
        _spawn(
            "web",
            [
                sys.executable,
                str(embedded.REPOSITORY_ROOT / "manage.py"),
                "runserver",
                "--noreload",
                WEB_ADDRESS,
            ],
            log_dir,
        ),
        _spawn(
            "worker",
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-l", "info", "-c", "2"],
            log_dir,
            echo=NOTIFICATION_PROBLEM,
        ),
        _spawn(
            "beat",
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "beat",
                "-l",
                "info",
                "-s",
                str(embedded.data_dir() / "celerybeat-schedule"),
            ],
            log_dir,
        ),
    ]

    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    print(
        f"\nHaven is running.\n"
        f"  Demo school:  http://montsaye.localhost:{port}/\n"
        f"  GraphQL:      http://montsaye.localhost:{port}/graphql\n"
        f"  Platform:     http://localhost:{port}/\n"
        f"{_mail_note(mail_dir, sink=sink)}"
        f"Press Ctrl-C to stop.\n"
    )
    _manage("seed_demo", "--print-logins")
    while not stopping:
        for child in children:
            if child.poll() is not None:
                print(f"Haven: a process exited ({child.args!r}); stopping.")
                stopping = True
        time.sleep(0.5)

    return 0


if __name__ == "__main__":
    sys.exit(main())
