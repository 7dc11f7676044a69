"""The Helm chart: linted and rendered by Helm's own engine (helm-python-sdk binds Helm's Go
SDK), every rendered object validated against the Kubernetes API schemas, and the promises of
the runbook checked on what a cluster would receive."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import helm_python as helm
import kubernetes_validate
import pytest
import yaml

from tests.infra.conftest import INFRA
from tests.infra.environment import variables_read

CHART = INFRA / "helm" / "haven"
EXAMPLES = INFRA / "helm" / "examples"
KUBERNETES_VERSION = "1.33.0"
BASE = "haven.example.org"
INGRESS_RANGE = "10.42.0.0/16"
MINIMAL = {"baseDomain": BASE, "existingSecret": "haven", "trustedProxies": [INGRESS_RANGE]}


def render(values: dict[str, Any], *, upgrade: bool = False) -> list[dict[str, Any]]:
    with helm.Chart.load(CHART) as chart:
        manifests = chart.render(
            values, name="haven", namespace="haven", is_install=not upgrade, is_upgrade=upgrade
        )
    objects = []
    for path, text in sorted(manifests.items()):
        if path.endswith(".yaml"):
            objects += [doc for doc in yaml.safe_load_all(text) if doc]
    return objects


def production_values() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((EXAMPLES / "values-production.yaml").read_text())
    return loaded


@pytest.fixture(scope="module")
def objects() -> list[dict[str, Any]]:
    return render(production_values(), upgrade=True)


def find(objects: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    [found] = [o for o in objects if o["kind"] == kind and o["metadata"]["name"] == name]
    return found


def pod_specs(objects: list[dict[str, Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    for item in objects:
        if item["kind"] in {"Deployment", "Job"}:
            yield item["metadata"]["name"], item["spec"]["template"]["spec"]


def test_helm_lint_strict_finds_no_warning_or_error() -> None:
    for values in (MINIMAL, production_values()):
        report = helm.lint(CHART, values, strict=True, kube_version=f"v{KUBERNETES_VERSION}")
        assert report["errors"] == []
        assert [m for m in report["messages"] if m["severity"] >= 2] == []


def test_rendered_objects_are_valid_kubernetes_resources(objects: list[dict[str, Any]]) -> None:
    checked = 0
    for item in objects:
        if item["apiVersion"].startswith("cert-manager.io/"):
            continue  # a custom resource: checked in its own test
        kubernetes_validate.validate(item, KUBERNETES_VERSION, strict=True)
        checked += 1
    assert checked >= 12


def test_the_chart_refuses_to_render_without_a_domain_or_a_secret() -> None:
    with pytest.raises(helm.HelmError, match="baseDomain"):
        render({"existingSecret": "haven", "trustedProxies": [INGRESS_RANGE]})
    with pytest.raises(helm.HelmError, match="existingSecret"):
        render({"baseDomain": BASE, "trustedProxies": [INGRESS_RANGE]})
    # The values schema rejects a secret put into the ConfigMap's values.
    with pytest.raises(helm.HelmError, match="DATABASE_URL"):
        render({**MINIMAL, "config": {"DATABASE_URL": "postgres://u:p@db/haven"}})


def test_web_is_autoscaled_disruption_budgeted_and_probed(objects: list[dict[str, Any]]) -> None:
    web = find(objects, "Deployment", "haven-web")
    # The autoscaler owns the replica count; a fixed one would fight it on every upgrade.
    assert "replicas" not in web["spec"]
    hpa = find(objects, "HorizontalPodAutoscaler", "haven-web")
    assert hpa["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": "haven-web",
    }
    assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (3, 20)
    pdb = find(objects, "PodDisruptionBudget", "haven-web")
    labels = web["spec"]["template"]["metadata"]["labels"]
    assert pdb["spec"]["selector"]["matchLabels"].items() <= labels.items()
    service = find(objects, "Service", "haven-web")
    assert service["spec"]["selector"].items() <= labels.items()
    [container] = web["spec"]["template"]["spec"]["containers"]
    assert container["args"] == ["web"]
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert web["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0


def test_workers_scale_and_exactly_one_beat_is_recreated(objects: list[dict[str, Any]]) -> None:
    worker = find(objects, "Deployment", "haven-worker")
    assert worker["spec"]["replicas"] == 3
    assert worker["spec"]["template"]["spec"]["containers"][0]["args"] == ["worker"]
    find(objects, "PodDisruptionBudget", "haven-worker")
    beat = find(objects, "Deployment", "haven-beat")
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"] == {"type": "Recreate"}
    containers = {c["name"]: c for c in beat["spec"]["template"]["spec"]["containers"]}
    assert containers["beat"]["args"] == ["beat"]
    assert containers["metrics"]["args"][0] == "metrics"
    # A PodDisruptionBudget on the single beat would block every node drain.
    assert not [o for o in objects if o["kind"] == "PodDisruptionBudget" and "beat" in str(o)]


def test_migrations_run_before_install_and_upgrade_shared_first_then_schools_in_parallel(
    objects: list[dict[str, Any]],
) -> None:
    job = find(objects, "Job", "haven-migrate")
    annotations = job["metadata"]["annotations"]
    assert annotations["helm.sh/hook"] == "pre-install,pre-upgrade"
    [container] = job["spec"]["template"]["spec"]["containers"]
    assert container["args"] == ["migrate"]
    assert {"name": "TENANT_MULTIPROCESSING_MAX_PROCESSES", "value": "8"} in container["env"]
    # The hook's own ConfigMap exists before the job (hooks run before release resources).
    config = find(objects, "ConfigMap", "haven-migrate")
    assert int(config["metadata"]["annotations"]["helm.sh/hook-weight"]) < int(
        annotations["helm.sh/hook-weight"]
    )
    assert container["envFrom"] == [{"configMapRef": {"name": "haven-migrate"}}]
    assert config["data"] == find(objects, "ConfigMap", "haven")["data"]
    # What `migrate` runs in the image: the shared schema, then the schools in parallel.
    script = (INFRA / "docker-entrypoint.sh").read_text()
    branch = script[script.index("  migrate)") : script.index(";;", script.index("  migrate)"))]
    shared = branch.index("migrate_schemas --shared")
    tenants = branch.index("migrate_schemas --tenant")
    assert shared < tenants
    assert "--executor=multiprocessing" in branch[tenants:]


def test_ingress_serves_the_base_and_every_school_with_the_wildcard_certificate(
    objects: list[dict[str, Any]],
) -> None:
    ingress = find(objects, "Ingress", "haven")
    hosts = [rule["host"] for rule in ingress["spec"]["rules"]]
    assert hosts == [BASE, f"*.{BASE}"]
    [tls] = ingress["spec"]["tls"]
    assert tls["hosts"] == hosts
    certificate = find(objects, "Certificate", "haven-wildcard")
    assert certificate["spec"]["secretName"] == tls["secretName"]
    assert certificate["spec"]["dnsNames"] == hosts
    assert certificate["spec"]["issuerRef"]["kind"] == "ClusterIssuer"
    issuer = yaml.safe_load((EXAMPLES / "cluster-issuer-dns01.yaml").read_text())
    assert issuer["kind"] == "ClusterIssuer"
    assert issuer["metadata"]["name"] == certificate["spec"]["issuerRef"]["name"]
    assert "dns01" in issuer["spec"]["acme"]["solvers"][0]
    for rule in ingress["spec"]["rules"]:
        backend = rule["http"]["paths"][0]["backend"]["service"]
        assert backend["name"] == "haven-web"


def test_every_container_is_locked_down_and_sized(objects: list[dict[str, Any]]) -> None:
    seen = 0
    for name, spec in pod_specs(objects):
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        assert spec["automountServiceAccountToken"] is False, name
        for container in spec["containers"]:
            security = container["securityContext"]
            assert security["readOnlyRootFilesystem"] is True, name
            assert security["allowPrivilegeEscalation"] is False, name
            assert security["capabilities"]["drop"] == ["ALL"], name
            resources = container["resources"]
            assert set(resources["requests"]) == {"cpu", "memory"}, name
            assert set(resources["limits"]) == {"cpu", "memory"}, name
            # The only writable path: an emptyDir scratch volume.
            assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"], name  # noqa: S108
            seen += 1
    assert seen == 5  # web, worker, beat, metrics, migrate


def test_configuration_comes_from_the_configmap_and_the_secret_by_known_names(
    objects: list[dict[str, Any]],
) -> None:
    known = variables_read()
    config = find(objects, "ConfigMap", "haven")["data"]
    assert config["HAVEN_BASE_DOMAIN"] == BASE
    assert set(config) <= known, set(config) - known
    for name, spec in pod_specs(objects):
        for container in spec["containers"]:
            names = {e["name"] for e in container["env"]}
            assert names <= known, (name, names - known)
            secret_refs = {
                e["valueFrom"]["secretKeyRef"]["name"] for e in container["env"] if "valueFrom" in e
            }
            assert secret_refs == {"haven"}, name
            for required in ("HAVEN_SECRET_KEY", "DATABASE_URL", "REDIS_URL"):
                assert required in names, (name, required)
    # No value in any rendered object looks like a credential.
    text = yaml.safe_dump_all(objects)
    assert not re.search(r"(postgres|redis)://[^\s\"']*:[^\s\"'@]+@", text)


def test_only_the_ingress_controller_reaches_web_pods(objects: list[dict[str, Any]]) -> None:
    policy = find(objects, "NetworkPolicy", "haven-web")
    web_port_rule = policy["spec"]["ingress"][0]
    assert web_port_rule["ports"] == [{"port": 8000, "protocol": "TCP"}]
    assert web_port_rule["from"][0]["namespaceSelector"]["matchLabels"] == {
        "kubernetes.io/metadata.name": "ingress-nginx"
    }
    # Forwarded headers are believed from the ingress controller's range only, never "*":
    # the client's address (lockouts, audit) and the scheme come from nowhere else.
    config = find(objects, "ConfigMap", "haven")["data"]
    assert config["HAVEN_TRUSTED_PROXIES"] == INGRESS_RANGE
    assert config["FORWARDED_ALLOW_IPS"] == INGRESS_RANGE


def test_the_chart_refuses_to_trust_every_peer_or_no_named_proxy() -> None:
    with pytest.raises(helm.HelmError, match="trustedProxies"):
        render({**MINIMAL, "trustedProxies": []})
    for everyone in ("*", "0.0.0.0/0", "::/0"):
        with pytest.raises(helm.HelmError, match="trustedProxies"):
            render({**MINIMAL, "trustedProxies": [everyone]})
    # One source for both settings: the config map's own values may not set them.
    with pytest.raises(helm.HelmError, match="FORWARDED_ALLOW_IPS"):
        render({**MINIMAL, "config": {"FORWARDED_ALLOW_IPS": "*"}})


def test_non_templated_files_are_valid_yaml() -> None:
    for path in [CHART / "Chart.yaml", CHART / "values.yaml", *EXAMPLES.glob("*.yaml")]:
        assert isinstance(yaml.safe_load(Path(path).read_text()), dict), path
    chart = yaml.safe_load((CHART / "Chart.yaml").read_text())
    assert chart["apiVersion"] == "v2"
