"""Behind the ingress, the client's address comes from X-Forwarded-For as the trusted proxy
wrote it, and from nowhere else.

Every request reaches the web pods from the ingress controller. Keyed on that address, a
lockout after five wrong passwords locked the account for everybody (anyone could lock the
DSL out), and the audit log recorded the proxy for every event.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import RequestFactory, override_settings

from safeguarding.models import AuditEvent
from tenants.models import School
from tenants.network import client_address, trusted_networks
from tests.conftest import SchoolClient
from tests.graphql_api.accounts import error_codes, login, me, staff_create

INGRESS = "10.42.0.0/16"
INGRESS_POD = "10.42.3.7"
OUTSIDER = "203.0.113.50"
ADDRESS_A = "198.51.100.10"
ADDRESS_B = "198.51.100.20"
DSL = "lead@alpha.example"
WRONG = "not the password at all"


def through_the_ingress(school: School, client: str) -> SchoolClient:
    """A browser at ``client``, as the ingress forwards it: the header ends with the address
    the ingress saw (whatever the browser itself put before it)."""
    return SchoolClient(
        school, REMOTE_ADDR=INGRESS_POD, HTTP_X_FORWARDED_FOR=f"192.0.2.99, {client}"
    )


@override_settings(HAVEN_TRUSTED_PROXIES=(INGRESS,))
def test_the_audit_records_the_address_the_trusted_proxy_saw(school_a: School) -> None:
    staff = staff_create(DSL, is_key_holder=True)
    login(through_the_ingress(school_a, ADDRESS_A), DSL, WRONG)

    [event] = AuditEvent.objects.filter(action="login.failed", actor=staff)
    assert event.ip_address == ADDRESS_A


@override_settings(HAVEN_TRUSTED_PROXIES=(INGRESS,))
def test_a_forwarded_address_from_anyone_else_is_ignored(school_a: School) -> None:
    staff = staff_create(DSL, is_key_holder=True)
    # Straight to the pod, claiming to be someone else.
    spoofer = SchoolClient(school_a, REMOTE_ADDR=OUTSIDER, HTTP_X_FORWARDED_FOR=ADDRESS_B)
    login(spoofer, DSL, WRONG)

    [event] = AuditEvent.objects.filter(action="login.failed", actor=staff)
    assert event.ip_address == OUTSIDER


@override_settings(HAVEN_TRUSTED_PROXIES=(INGRESS,))
def test_failures_from_one_address_do_not_lock_the_dsl_out_elsewhere(school_a: School) -> None:
    staff_create(DSL, is_key_holder=True)
    attacker = through_the_ingress(school_a, ADDRESS_A)
    codes = [error_codes(login(attacker, DSL, WRONG)) for _ in range(5)]
    assert codes == [["invalid_credentials"]] * 4 + [["locked_out"]]
    # The attacker's address is locked out of the account, even with the right password ...
    assert error_codes(login(attacker, DSL)) == ["locked_out"]
    assert me(attacker) is None

    # ... but the DSL, at school, signs in as usual.
    dsl = through_the_ingress(school_a, ADDRESS_B)
    assert login(dsl, DSL)["errors"] == []
    assert me(dsl) is not None


@override_settings(HAVEN_TRUSTED_PROXIES=(INGRESS,))
def test_a_client_cannot_pick_its_address_by_writing_the_header_itself() -> None:
    factory = RequestFactory()
    # The client's own header is kept by the ingress and the real address appended.
    request = factory.get(
        "/", REMOTE_ADDR=INGRESS_POD, HTTP_X_FORWARDED_FOR=f"{ADDRESS_B}, {INGRESS_POD}, {OUTSIDER}"
    )
    assert client_address(request) == OUTSIDER
    # Chained trusted proxies are walked through; garbage stops at the last proxy known.
    request = factory.get(
        "/", REMOTE_ADDR=INGRESS_POD, HTTP_X_FORWARDED_FOR=f"{ADDRESS_A}, 10.42.9.9"
    )
    assert client_address(request) == ADDRESS_A
    request = factory.get("/", REMOTE_ADDR=INGRESS_POD, HTTP_X_FORWARDED_FOR="not-an-address")
    assert client_address(request) == INGRESS_POD


def test_without_trusted_proxies_the_header_is_ignored() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR=ADDRESS_A, HTTP_X_FORWARDED_FOR=ADDRESS_B)
    assert client_address(request) == ADDRESS_A


@pytest.mark.parametrize("value", ["*", "0.0.0.0/0", "::/0", "ingress", "10.42.0.0/33"])
def test_a_proxy_setting_that_would_trust_anyone_is_refused(value: str) -> None:
    with pytest.raises(ValueError, match=r"."):
        trusted_networks([value])


def test_the_web_process_refuses_to_start_trusting_every_peer() -> None:
    env = {**os.environ, "HAVEN_TRUSTED_PROXIES": "10.42.0.0/16, *"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=settings.BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONPATH": "platform:."},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "HAVEN_TRUSTED_PROXIES" in result.stderr
