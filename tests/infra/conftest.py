"""Running the image's entry point outside a container: the same script and arguments the
Dockerfile uses, with this checkout as the application directory and the test database."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

REPOSITORY = Path(settings.BASE_DIR)
INFRA = REPOSITORY / "infra"
ENTRYPOINT = INFRA / "docker-entrypoint.sh"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def entrypoint_env(**overrides: str) -> dict[str, str]:
    env = dict(os.environ)
    # The virtualenv's tools (gunicorn, celery, python) come first, as in the image's PATH.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["HAVEN_DATABASE_NAME"] = str(settings.DATABASES["default"]["NAME"])
    env.pop("PYTHONPATH", None)
    env.update(overrides)
    return env


@dataclass
class Running:
    process: subprocess.Popen[bytes]
    log: Path
    port: int = 0
    metrics_port: int = 0

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return int(self.process.returncode)


def start(arguments: list[str], env: Mapping[str, str], log: Path) -> Running:
    handle = log.open("wb")
    process = subprocess.Popen(
        [str(ENTRYPOINT), *arguments],
        env=dict(env),
        stdout=handle,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    return Running(process, log)


def wait_for(running: Running, check: object, what: str, timeout: float = 60) -> None:
    assert callable(check)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        if running.process.poll() is not None:
            pytest.fail(f"{what}: the process exited.\n{running.output()[-4000:]}")
        time.sleep(0.2)
    pytest.fail(f"{what} did not happen in time.\n{running.output()[-4000:]}")


def http_get(url: str, headers: Mapping[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, headers=dict(headers or {}))  # noqa: S310 - loopback
    opener = urllib.request.build_opener(_NoRedirect())
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def answers(url: str) -> bool:
    try:
        http_get(url)
    except OSError:
        return False
    return True


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None
