"""infra/compose.yaml: valid against the Compose specification, every process of the image
present and started in the right order, and configured with names Haven actually reads."""

from __future__ import annotations

import json
import subprocess
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from tests.infra.conftest import INFRA
from tests.infra.environment import REQUIRED, variables_read
from tests.infra.test_dockerfile import tool

COMPOSE = INFRA / "compose.yaml"
HAVEN_SERVICES = {"migrate", "web", "worker", "beat", "metrics"}
BACKING_SERVICES = {"postgres", "redis", "s3", "mailpit"}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return loaded


def test_compose_file_matches_the_compose_specification() -> None:
    result = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", str(COMPOSE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_process_runs_from_the_one_image(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) >= HAVEN_SERVICES | BACKING_SERVICES
    for name in HAVEN_SERVICES:
        service = services[name]
        assert service["image"] == "haven:local"
        assert service["build"]["dockerfile"] == "infra/Dockerfile"
        assert service["command"] == [name]
        assert service["user"] == "10001:10001"
        assert service["read_only"] is True


def test_processes_wait_for_healthy_services_and_the_migration(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name in ("postgres", "redis", "s3"):
        assert "test" in services[name]["healthcheck"], name
    for name in HAVEN_SERVICES:
        depends = services[name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"
        assert depends["s3-bucket"]["condition"] == "service_completed_successfully"
        if name != "migrate":
            assert depends["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["restart"] == "no"
    assert "/readyz" in json.dumps(services["web"]["healthcheck"]["test"])


def test_environment_names_are_ones_haven_reads(compose: dict[str, Any]) -> None:
    environment = compose["services"]["web"]["environment"]
    assert set(environment) >= REQUIRED
    unknown = set(environment) - variables_read()
    assert not unknown, f"Haven never reads {sorted(unknown)}"


def test_addresses_point_at_services_of_this_file(compose: dict[str, Any]) -> None:
    services = compose["services"]
    environment = services["web"]["environment"]
    for variable in ("DATABASE_URL", "REDIS_URL", "S3_ENDPOINT_URL"):
        host = urlsplit(environment[variable]).hostname
        assert host in services, f"{variable} names {host}"
    assert environment["SMTP_HOST"] in services
    database = urlsplit(environment["DATABASE_URL"])
    postgres = services["postgres"]["environment"]
    assert (database.username, database.password, database.path.lstrip("/")) == (
        postgres["POSTGRES_USER"],
        postgres["POSTGRES_PASSWORD"],
        postgres["POSTGRES_DB"],
    )


def test_s3_credentials_match_the_s3_servers_identities(compose: dict[str, Any]) -> None:
    environment = compose["services"]["web"]["environment"]
    identities = json.loads((INFRA / "compose" / "seaweedfs-s3.json").read_text())["identities"]
    keys = {(c["accessKey"], c["secretKey"]) for i in identities for c in i["credentials"]}
    assert (environment["S3_ACCESS_KEY_ID"], environment["S3_SECRET_ACCESS_KEY"]) in keys
    assert environment["S3_BUCKET"] in json.dumps(compose["services"]["s3-bucket"]["command"])
