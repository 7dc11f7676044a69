"""Haven through PgBouncer with infra/pgbouncer/pgbouncer.ini (session pooling): with fewer
server connections than clients, every request still sees its own school."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from tests.infra.conftest import (
    INFRA,
    Running,
    answers,
    entrypoint_env,
    free_port,
    http_get,
    start,
    wait_for,
)

pytestmark = pytest.mark.django_db


def _as_postgres_user() -> list[str]:
    # PgBouncer refuses to run as root.
    return ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []


@pytest.fixture
def pgbouncer(django_db_setup: None) -> Iterator[int]:
    # Readable by the postgres user, unlike pytest's private temporary directories.
    with tempfile.TemporaryDirectory(prefix="haven-pgbouncer-") as directory:
        tmp_path = Path(directory)
        tmp_path.chmod(0o755)
        yield from _run_pgbouncer(tmp_path)


def _run_pgbouncer(tmp_path: Path) -> Iterator[int]:
    database = settings.DATABASES["default"]
    port = free_port()
    config = configparser.ConfigParser(delimiters=("=",), comment_prefixes=(";",))
    config.optionxform = str  # type: ignore[assignment,method-assign]
    config.read(INFRA / "pgbouncer" / "pgbouncer.ini")
    assert config["pgbouncer"]["pool_mode"] == "session"
    config["databases"] = {
        database["NAME"]: f"host={database['HOST']} port={database['PORT'] or 5432} "
        f"dbname={database['NAME']}"
    }
    local = config["pgbouncer"]
    local.update(
        {
            "listen_addr": "127.0.0.1",
            "listen_port": str(port),
            # Fewer server connections than gunicorn workers: connections are shared.
            "default_pool_size": "1",
            "min_pool_size": "0",
            "reserve_pool_size": "0",
            "auth_type": "trust",
            "auth_file": str(tmp_path / "userlist.txt"),
            "server_tls_sslmode": "disable",
            "logfile": str(tmp_path / "pgbouncer.log"),
        }
    )
    for key in ("server_tls_ca_file", "unix_socket_dir"):
        local.pop(key, None)
    (tmp_path / "userlist.txt").write_text(f'"{database["USER"]}" ""\n')
    with (tmp_path / "pgbouncer.ini").open("w") as handle:
        config.write(handle)
    (tmp_path / "pgbouncer.log").touch()
    for path in tmp_path.iterdir():
        path.chmod(0o666)
    binary = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
    process = subprocess.Popen([*_as_postgres_user(), binary, str(tmp_path / "pgbouncer.ini")])
    try:
        deadline = time.monotonic() + 20
        while not answers_tcp(port):
            assert process.poll() is None, (tmp_path / "pgbouncer.log").read_text()
            assert time.monotonic() < deadline
            time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def answers_tcp(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_each_request_sees_its_own_school_through_session_pooling(
    pgbouncer: int, tmp_path: Path
) -> None:
    database = settings.DATABASES["default"]
    port = free_port()
    env = entrypoint_env(
        PORT=str(port),
        HAVEN_WEB_ADDRESS="127.0.0.1",
        WEB_CONCURRENCY="2",
        DATABASE_URL=f"postgres://{database['USER']}@127.0.0.1:{pgbouncer}/{database['NAME']}",
        # As infra/pgbouncer/pgbouncer.ini says: give the connection back after each request.
        HAVEN_DB_CONN_MAX_AGE="0",
    )
    env.pop("HAVEN_DATABASE_NAME")
    running: Running = start(["web"], env, tmp_path / "web.log")
    try:
        wait_for(running, lambda: answers(f"http://127.0.0.1:{port}/healthz"), "gunicorn")
        assert http_get(f"http://127.0.0.1:{port}/readyz")[::2] == (200, "ok")
        for _ in range(10):
            for school, name in (("alpha", "Alpha Academy"), ("beta", "Beta High School")):
                status, _, body = http_get(
                    f"http://127.0.0.1:{port}/", {"Host": f"{school}.{settings.BASE_DOMAIN}"}
                )
                assert status == 200
                assert name in body
    finally:
        running.stop()
