"""``make run``: one command that brings up a whole development Haven.

Starts the embedded services (unless the environment names real ones), a local SMTP sink,
migrates every schema, creates the demo school if it is missing, then runs the web server,
a Celery worker and Celery beat until Ctrl-C, when everything it started is stopped.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

from config import embedded

WEB_ADDRESS = os.environ.get("HAVEN_RUN_ADDRESS", "127.0.0.1:8000")


def _manage(*arguments: str) -> None:
    subprocess.run(
        [sys.executable, str(embedded.REPOSITORY_ROOT / "manage.py"), *arguments], check=True
    )


def _spawn(name: str, command: list[str], log_dir: Path) -> subprocess.Popen[bytes]:
    print(f"  starting {name}: logs in {log_dir / (name + '.log')}")
    log = (log_dir / f"{name}.log").open("ab")
    return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)


def main() -> int:
    os.environ.setdefault("HAVEN_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    print(
        "Haven: starting services (embedded where DATABASE_URL, REDIS_URL, S3_ENDPOINT_URL unset)"
    )
    embedded.ensure_services()
    log_dir = embedded.data_dir() / "logs"
    mail_dir = embedded.data_dir() / "mail"
    log_dir.mkdir(parents=True, exist_ok=True)
    mail_dir.mkdir(parents=True, exist_ok=True)

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
    if not os.environ.get("SMTP_HOST"):
        os.environ["SMTP_HOST"] = "127.0.0.1"
        os.environ.setdefault("SMTP_PORT", "1025")
        os.environ["SMTP_STARTTLS"] = "0"
        children.append(
            _spawn(
                "smtp-sink",
                [
                    sys.executable,
                    "-m",
                    "aiosmtpd",
                    "-n",
                    "-l",
                    f"127.0.0.1:{os.environ['SMTP_PORT']}",
                    "-c",
                    "aiosmtpd.handlers.Mailbox",
                    str(mail_dir),
                ],
                log_dir,
            )
        )

    print("Haven: migrating")
    _manage("migrate_schemas", "--shared", "-v", "0")
    _manage("migrate_schemas", "--tenant", "-v", "0")
    _manage("seed_demo")

    port = WEB_ADDRESS.rpartition(":")[2]
    children += [
        _spawn(
            "web", [sys.executable, "manage.py", "runserver", "--noreload", WEB_ADDRESS], log_dir
        ),
        _spawn(
            "worker",
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-l", "info", "-c", "2"],
            log_dir,
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
        f"  E-mail sink:  {mail_dir} (Maildir)\n"
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
