"""haven-sync end to end: the real console program against a real Haven web server (a
`manage.py runserver` process on the test database) at a school's own host."""

from __future__ import annotations

import datetime
import importlib
import os
import socket
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import urllib3
from django.conf import settings

from safeguarding.models import ApiClient, Pupil, Staff, TutorGroup, YearGroup
from safeguarding.services.api_clients import api_client_create
from safeguarding.services.defaults import school_defaults_install
from tenants.models import School
from tenants.schools import school_create
from tests.safeguarding.factories import admin_request

# Asks pytest-django for the test database; what the server must see is committed by the
# module's fixtures, outside each test's transaction.
pytestmark = pytest.mark.django_db

EXAMPLES = Path(settings.BASE_DIR) / "graphql_api" / "examples"
SUBDOMAIN = "gamma"
# Low enough that one run of the program meets the limit and must wait for Retry-After.
RATE_LIMIT = "2/4s"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["HAVEN_DATABASE_NAME"] = str(settings.DATABASES["default"]["NAME"])
    # This checkout's code, even when the virtualenv's editable install points elsewhere.
    env["PYTHONPATH"] = os.pathsep.join(
        [str(settings.BASE_DIR), str(settings.BASE_DIR / "platform")]
    )
    return env


@pytest.fixture(scope="module")
def gamma(django_db_setup: None, django_db_blocker: Any) -> Iterator[School]:
    """A school of its own, committed, so the server process sees it; dropped afterwards."""
    with django_db_blocker.unblock():
        stale = School.objects.filter(schema_name=SUBDOMAIN).first()
        if stale is not None:
            stale.delete(force_drop=True)
        school = school_create(
            defaults_install=school_defaults_install,
            name="Gamma Grammar",
            subdomain=SUBDOMAIN,
            urn="100093",
            dsl_email="dsl@gamma.example",
        )
    yield school
    with django_db_blocker.unblock():
        school.delete(force_drop=True)


@pytest.fixture(scope="module")
def server(gamma: School) -> Iterator[str]:
    """The school's GraphQL URL on a running web server."""
    port = _free_port()
    env = _environment()
    env["HAVEN_API_RATE_LIMIT"] = RATE_LIMIT
    log_path = Path(settings.BASE_DIR) / ".haven" / "test-runserver.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                str(Path(settings.BASE_DIR) / "manage.py"),
                "runserver",
                "--noreload",
                "--nothreading",
                f"127.0.0.1:{port}",
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        http = urllib3.PoolManager(retries=False)
        deadline = time.monotonic() + 60
        while True:
            try:
                answer = http.request(
                    "GET", f"http://127.0.0.1:{port}/healthz", headers={"Host": f"localhost:{port}"}
                )
                if answer.status == 200:
                    break
            except urllib3.exceptions.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the web server did not start; see {log_path}")
            time.sleep(0.2)
        yield f"http://{SUBDOMAIN}.localhost:{port}/graphql"
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture
def in_gamma(gamma: School, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), gamma:
        yield


@pytest.fixture(scope="module")
def token(gamma: School, django_db_blocker: Any) -> str:
    with django_db_blocker.unblock(), gamma:
        dsl = Staff.objects.get(email="dsl@gamma.example")
        return api_client_create(
            actor=dsl,
            name="Nightly MIS sync",
            scopes=["pupils:write", "staff:write", "groups:write"],
            request=admin_request(dsl),
        ).token


def haven_sync(*arguments: str, token: str) -> subprocess.CompletedProcess[str]:
    env = _environment()
    env["HAVEN_SYNC_TOKEN"] = token
    return subprocess.run(
        [sys.executable, "-m", "haven_sync", *arguments],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_console_script_is_declared() -> None:
    pyproject = tomllib.loads((Path(settings.BASE_DIR) / "pyproject.toml").read_text())
    target = pyproject["project"]["scripts"]["haven-sync"]
    module_name, _, function = target.partition(":")
    assert callable(getattr(importlib.import_module(module_name), function))


def test_haven_sync_loads_the_example_files_then_finds_nothing_to_change(
    server: str, token: str, in_gamma: None
) -> None:
    groups = haven_sync(
        "groups", str(EXAMPLES / "groups-example.csv"), "--url", server, token=token
    )
    assert groups.returncode == 0, groups.stderr
    assert "Groups: 6 created, 0 updated, 0 unchanged, 0 left, 0 refused" in groups.stdout

    staff = haven_sync("staff", str(EXAMPLES / "staff-example.csv"), "--url", server, token=token)
    assert staff.returncode == 0, staff.stderr
    assert "Staff: 3 created" in staff.stdout

    pupils = haven_sync(
        "pupils",
        str(EXAMPLES / "pupils-example.csv"),
        "--url",
        server,
        "--full",
        "--batch-size",
        "3",
        token=token,
    )
    assert pupils.returncode == 0, pupils.stderr
    assert "Pupils: 8 created, 0 updated, 0 unchanged, 0 left, 0 refused (3 batches" in (
        pupils.stdout
    )
    # Five calls (start, three batches, finish) against a limit of two per window: at least
    # one call was refused with 429 and sent again after Retry-After.
    retries = int(pupils.stdout.split(" retries")[0].rsplit(" ", 1)[1])
    assert retries >= 1
    assert "100%" in pupils.stderr  # the progress bar

    assert YearGroup.objects.filter(mis_id__isnull=False).count() == 2
    assert TutorGroup.objects.get(name="8B").year_group == YearGroup.objects.get(name="Year 8")
    assert not Staff.objects.get(mis_id="STF-1002").has_usable_password()
    freya = Pupil.objects.get(mis_id="EX-2007")
    # The example's UK-style date reached Haven as the right day.
    assert freya.date_of_birth == datetime.date(2012, 5, 17)
    assert freya.display_name == "Freya Thompson (8B)"
    assert Pupil.objects.get(mis_id="EX-2002").first_name == "Ollie"

    again = haven_sync(
        "pupils", str(EXAMPLES / "pupils-example.csv"), "--url", server, "--full", token=token
    )
    assert again.returncode == 0, again.stderr
    assert "Pupils: 0 created, 0 updated, 8 unchanged, 0 left, 0 refused" in again.stdout


def test_haven_sync_reports_refused_lines_leavers_and_dry_runs(
    server: str, token: str, in_gamma: None, tmp_path: Path
) -> None:
    haven_sync("groups", str(EXAMPLES / "groups-example.csv"), "--url", server, token=token)
    haven_sync("pupils", str(EXAMPLES / "pupils-example.csv"), "--url", server, token=token)
    lines = (EXAMPLES / "pupils-example.csv").read_text().splitlines()
    # Drop one pupil (they left), break another's date and group, rename a third.
    changed = [
        lines[0],
        *lines[1:7],
        "EX-2008,Leo,Nowak,,,2012-02-30,X,Year 8,9Z",
        "EX-2009,Ava,Lewis,,,2013-06-01,F,Year 7,7A",
    ]
    changed[1] = changed[1].replace("Hannah,Greenwood", "Hannah,Greenwood-Smith")
    export = tmp_path / "pupils.csv"
    export.write_text("\n".join(changed) + "\n")
    before = sorted(Pupil.objects.values_list("mis_id", "legal_last_name", "left_on"))

    dry = haven_sync("pupils", str(export), "--url", server, "--full", "--dry-run", token=token)
    assert dry.returncode == 1
    assert dry.stdout.startswith("Dry run: nothing was written.")
    assert "1 created, 1 updated, 5 unchanged, 1 left, 1 refused" in dry.stdout
    assert sorted(Pupil.objects.values_list("mis_id", "legal_last_name", "left_on")) == before

    real = haven_sync("pupils", str(export), "--url", server, "--full", token=token)
    assert real.returncode == 1
    assert "1 created, 1 updated, 5 unchanged, 1 left, 1 refused" in real.stdout
    assert "pupils.csv line 8: dateOfBirth: 2012-02-30 is not a real date." in real.stdout
    assert "pupils.csv line 8: tutorGroup: Tutor group '9Z' is not known" in real.stdout
    assert Pupil.objects.get(mis_id="EX-2001").legal_last_name == "Greenwood-Smith"
    assert not Pupil.objects.get(mis_id="EX-2007").on_roll
    # Leo's record was refused, but he is still in the export, so he has not left.
    assert Pupil.objects.get(mis_id="EX-2008").on_roll


def test_haven_sync_prints_a_refused_change_to_a_protected_account(
    server: str, token: str, in_gamma: None, tmp_path: Path
) -> None:
    export = tmp_path / "staff.csv"
    header = "mis_id,email,first_name,last_name,job_title"
    # The DSL, added at onboarding, is matched by e-mail; a new teacher is created.
    export.write_text(
        f"{header}\nSTF-9000,dsl@gamma.example,Dee,Lead,DSL\n"
        "STF-9001,t.new@example.org,Tom,New,Teacher\n"
    )
    first = haven_sync("staff", str(export), "--url", server, token=token)
    assert first.returncode == 0, first.stdout + first.stderr

    export.write_text(
        f"{header}\nSTF-9000,someone@elsewhere.example,Dee,Lead,DSL\n"
        "STF-9001,t.moved@example.org,Tom,New,Teacher\n"
    )
    result = haven_sync("staff", str(export), "--url", server, token=token)

    assert result.returncode == 1
    assert "0 created, 1 updated, 0 unchanged, 0 left, 1 refused" in result.stdout
    assert "staff.csv line 2: email: This record would change the e-mail address" in result.stdout
    assert Staff.objects.get(mis_id="STF-9000").email == "dsl@gamma.example"
    assert Staff.objects.get(mis_id="STF-9001").email == "t.moved@example.org"


def test_haven_sync_stops_on_a_refused_token(server: str, token: str, in_gamma: None) -> None:
    client = ApiClient.objects.get(name="Nightly MIS sync")
    result = haven_sync(
        "pupils",
        str(EXAMPLES / "pupils-example.csv"),
        "--url",
        server,
        token=token.replace(client.key_id, "0" * len(client.key_id)),
    )
    assert result.returncode == 2
    assert "The token was refused" in result.stderr


def test_haven_sync_reads_json_and_header_spellings(tmp_path: Path) -> None:
    from haven_sync.cli import read_records

    export = tmp_path / "pupils.csv"
    export.write_text(
        "\ufeffMIS id,legalFirstName,Legal last name,Date of birth,Gender,Tutor group,Notes\n"
        "A1,Hannah,Greenwood,14/03/2013,f,7A,ignored\n"
        "A2,Noah,Williams,31/02/2013,,,\n"
    )
    errors: list[str] = []
    refused: set[str] = set()
    rows = read_records("pupils", export, errors, refused)
    assert [row.record["misId"] for row in rows] == ["A1", "A2"]
    assert rows[0].record["dateOfBirth"] == "2013-03-14"
    assert rows[0].record["tutorGroup"] == "7A"
    # An impossible UK date goes as it is, for Haven to refuse with its reason.
    assert rows[1].record["dateOfBirth"] == "31/02/2013"
    assert rows[1].record["gender"] is None
    assert rows[1].where == "pupils.csv line 3"

    groups = tmp_path / "groups.json"
    groups.write_text(
        '{"records": [{"kind": "year", "misId": "Y7", "name": "Year 7", "order": "7"},'
        ' {"kind": "house", "mis_id": "H1", "name": "Red"}]}'
    )
    rows = read_records("groups", groups, errors, refused)
    assert [row.record for row in rows] == [
        {"kind": "YEAR", "misId": "Y7", "name": "Year 7", "order": 7, "yearGroup": None}
    ]
    assert errors == ["groups.json record 2: kind: 'house' is neither year nor tutor."]
    assert refused == {"groups.json record 2"}


def test_haven_sync_waits_at_most_a_minute_for_retry_after() -> None:
    from haven_sync.cli import MAX_RETRY_AFTER, HavenApi

    api = HavenApi("http://alpha.localhost:8000/graphql", "token", retries=3, backoff=0.5)
    # *.localhost is reached on the loopback address, with the school named in Host.
    assert api.url == "http://127.0.0.1:8000/graphql"
    assert api.headers["Host"] == "alpha.localhost:8000"
    assert set(api.retry.status_forcelist or ()) >= {429, 500, 502, 503, 504}
    suspended = urllib3.HTTPResponse(status=503, headers={"Retry-After": "3600"})
    limited = urllib3.HTTPResponse(status=429, headers={"Retry-After": "7"})
    assert api.retry.get_retry_after(suspended) == MAX_RETRY_AFTER
    assert api.retry.get_retry_after(limited) == 7
