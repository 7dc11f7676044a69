"""Second factors over GraphQL: enrolment, one-time codes, recovery codes, security keys,
and re-authentication before any change to them."""

from __future__ import annotations

import datetime as dt
from base64 import b32decode
from io import BytesIO
from typing import Any
from urllib.parse import parse_qs, urlparse

import segno
import time_machine
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.models import AuditEvent, Staff, WebAuthnCredential
from tenants.models import School
from tests.conftest import SchoolClient
from tests.graphql_api.accounts import (
    PASSWORD,
    REAUTHENTICATE,
    VERIFY,
    error_codes,
    login,
    me,
    staff_create,
)
from tests.graphql_api.webauthn_authenticator import SoftwareSecurityKey

START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
ORIGIN = "https://alpha.localhost"

BEGIN_TOTP = "mutation { beginTotpEnrolment { otpauthUri secret errors { code } } }"
BEGIN_TOTP_QR = "mutation { beginTotpEnrolment { otpauthUri qrCodeSvg errors { code } } }"
CONFIRM_TOTP = """
mutation($code: String!) { confirmTotpEnrolment(code: $code) { ok errors { field code } } }
"""
RECOVERY = "mutation { generateRecoveryCodes { codes errors { code } } }"
FACTORS = "{ mySecondFactors { id kind name remainingCodes } }"
REMOVE = "mutation($id: ID!) { removeSecondFactor(id: $id) { ok errors { code } } }"
BEGIN_KEY = "mutation { beginSecurityKeyRegistration { optionsJson errors { code } } }"
COMPLETE_KEY = """
mutation($c: String!) {
  completeSecurityKeyRegistration(credentialJson: $c, name: "Blue key") { ok errors { code } }
}
"""
BEGIN_KEY_AUTH = "mutation { beginSecurityKeyAuthentication { optionsJson errors { code } } }"
COMPLETE_KEY_AUTH = """
mutation($c: String!) {
  completeSecurityKeyAuthentication(credentialJson: $c) { ok errors { code } }
}
"""


def _data(client: SchoolClient, query: str, variables: dict[str, Any] | None = None) -> Any:
    result = client.graphql(query, variables)
    assert "errors" not in result, result
    return next(iter(result["data"].values()))


def _key_holder_with_app(email: str = "deputy@alpha.example") -> tuple[Staff, TOTPDevice]:
    staff = staff_create(email, is_key_holder=True)
    device = TOTPDevice.objects.create(user=staff, name="Authenticator app", confirmed=True)
    return staff, device


def test_key_holder_without_a_factor_is_led_to_enrol_an_app(client_a: SchoolClient) -> None:
    staff_create("deputy@alpha.example", is_key_holder=True)
    signed_in = login(client_a, "deputy@alpha.example")
    assert signed_in["mustEnrolSecondFactor"] is True
    assert signed_in["secondFactorRequired"] is False

    enrolment = _data(client_a, BEGIN_TOTP)
    uri = urlparse(enrolment["otpauthUri"])
    assert uri.scheme == "otpauth"
    assert uri.netloc == "totp"
    secret = parse_qs(uri.query)["secret"][0]
    assert secret == enrolment["secret"]

    assert error_codes(_data(client_a, CONFIRM_TOTP, {"code": "000000"})) == ["invalid_code"]
    assert me(client_a)["mustEnrolSecondFactor"] is True  # type: ignore[index]

    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(seconds=5), tick=False):
        code = f"{totp(b32decode(secret)):06d}"
        assert _data(client_a, CONFIRM_TOTP, {"code": code}) == {"ok": True, "errors": []}

    assert me(client_a) == {
        "email": "deputy@alpha.example",
        "isKeyHolder": True,
        "secondFactorPassed": True,
        "mustEnrolSecondFactor": False,
    }
    assert [f["kind"] for f in _data(client_a, FACTORS)] == ["TOTP"]
    assert AuditEvent.objects.filter(action="second_factor.added").count() == 1


def _segno_svg(data: str) -> str:
    buffer = BytesIO()
    segno.make(data, error="m").save(
        buffer, kind="svg", xmldecl=False, scale=4, dark="#000", light="#fff"
    )
    return buffer.getvalue().decode("utf-8")


def test_enrolment_shows_the_secret_as_a_qr_code(school_a: School) -> None:
    signed_out = _data(SchoolClient(school_a), BEGIN_TOTP_QR)
    assert signed_out == {
        "otpauthUri": None,
        "qrCodeSvg": None,
        "errors": [{"code": "not_signed_in"}],
    }

    client = SchoolClient(school_a)
    staff_create("deputy@alpha.example", is_key_holder=True)
    login(client, "deputy@alpha.example")
    enrolment = _data(client, BEGIN_TOTP_QR)
    svg = enrolment["qrCodeSvg"]
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert enrolment["otpauthUri"].startswith("otpauth://totp/")
    assert svg == _segno_svg(enrolment["otpauthUri"])
    assert svg != _segno_svg(enrolment["otpauthUri"].replace("secret=", "secret=A"))


def test_a_totp_code_works_once(school_a: School) -> None:
    _, device = _key_holder_with_app()
    first, second = SchoolClient(school_a), SchoolClient(school_a)
    with time_machine.travel(START, tick=False):
        code = f"{totp(device.bin_key):06d}"
        assert login(first, "deputy@alpha.example")["secondFactorRequired"] is True
        assert me(first)["secondFactorPassed"] is False  # type: ignore[index]
        assert _data(first, VERIFY, {"code": code}) == {"ok": True, "errors": []}
        assert me(first)["secondFactorPassed"] is True  # type: ignore[index]

        login(second, "deputy@alpha.example")
        replay = _data(second, VERIFY, {"code": code})
        assert error_codes(replay) == ["invalid_code"]
        assert me(second)["secondFactorPassed"] is False  # type: ignore[index]
    assert AuditEvent.objects.filter(action="second_factor.failed").count() == 1


def test_passing_the_second_factor_gives_a_new_session_key(client_a: SchoolClient) -> None:
    _, device = _key_holder_with_app()
    with time_machine.travel(START, tick=False):
        login(client_a, "deputy@alpha.example")
        before = client_a.session.session_key
        _data(client_a, VERIFY, {"code": f"{totp(device.bin_key):06d}"})
        assert client_a.session.session_key != before
        assert me(client_a)["secondFactorPassed"] is True  # type: ignore[index]


def test_a_recovery_code_works_once(school_a: School) -> None:
    _, device = _key_holder_with_app()
    owner = SchoolClient(school_a)
    with time_machine.travel(START, tick=False) as clock:
        login(owner, "deputy@alpha.example")
        _data(owner, VERIFY, {"code": f"{totp(device.bin_key):06d}"})
        codes = _data(owner, RECOVERY)["codes"]
        assert len(codes) == 10
        assert len(set(codes)) == 10

        lost_phone = SchoolClient(school_a)
        login(lost_phone, "deputy@alpha.example")
        assert _data(lost_phone, VERIFY, {"code": codes[0].upper()})["ok"] is True
        assert me(lost_phone)["secondFactorPassed"] is True  # type: ignore[index]

        again = SchoolClient(school_a)
        login(again, "deputy@alpha.example")
        assert error_codes(_data(again, VERIFY, {"code": codes[0]})) == ["invalid_code"]
        clock.shift(dt.timedelta(seconds=5))  # past django-otp's throttle after a failure
        assert _data(again, VERIFY, {"code": codes[1]})["ok"] is True

        recovery = [f for f in _data(owner, FACTORS) if f["kind"] == "RECOVERY_CODES"]
        assert [f["remainingCodes"] for f in recovery] == [8]


def test_changing_factors_needs_a_recent_password(client_a: SchoolClient) -> None:
    staff_create("deputy@alpha.example", is_key_holder=True)
    with time_machine.travel(START, tick=False) as clock:
        login(client_a, "deputy@alpha.example")
        clock.shift(dt.timedelta(minutes=6))
        assert error_codes(_data(client_a, BEGIN_TOTP)) == ["reauthentication_required"]

        wrong = _data(client_a, REAUTHENTICATE, {"password": "not my password at all"})
        assert wrong == {"ok": False, "errors": [{"field": "password", "code": "invalid_password"}]}
        assert error_codes(_data(client_a, BEGIN_TOTP)) == ["reauthentication_required"]

        assert _data(client_a, REAUTHENTICATE, {"password": PASSWORD})["ok"] is True
        assert _data(client_a, BEGIN_TOTP)["otpauthUri"].startswith("otpauth://totp/")


def test_changing_factors_needs_the_second_factor_once_one_exists(client_a: SchoolClient) -> None:
    _, device = _key_holder_with_app()
    with time_machine.travel(START, tick=False):
        login(client_a, "deputy@alpha.example")
        # A password alone (say, a phished one) cannot swap or remove the factor.
        assert error_codes(_data(client_a, BEGIN_TOTP)) == ["second_factor_required"]
        factor_id = _data(client_a, FACTORS)[0]["id"]
        assert error_codes(_data(client_a, REMOVE, {"id": factor_id})) == ["second_factor_required"]
        assert error_codes(_data(client_a, RECOVERY)) == ["second_factor_required"]

        _data(client_a, VERIFY, {"code": f"{totp(device.bin_key):06d}"})
        assert _data(client_a, REMOVE, {"id": factor_id}) == {"ok": True, "errors": []}

        assert _data(client_a, FACTORS) == []
        assert me(client_a)["mustEnrolSecondFactor"] is True  # type: ignore[index]
    removed = AuditEvent.objects.get(action="second_factor.removed")
    assert removed.detail["kind"] == "totp"


def test_someone_elses_factor_cannot_be_removed(school_a: School) -> None:
    _, device = _key_holder_with_app("other@alpha.example")
    staff_create("deputy@alpha.example", is_key_holder=True)
    client = SchoolClient(school_a)
    login(client, "deputy@alpha.example")
    answer = _data(client, REMOVE, {"id": device.persistent_id})
    assert error_codes(answer) == ["not_found"]
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_security_key_registers_and_then_passes_the_second_factor(school_a: School) -> None:
    staff_create("deputy@alpha.example", is_key_holder=True)
    key = SoftwareSecurityKey()
    first = SchoolClient(school_a)
    login(first, "deputy@alpha.example")

    options = _data(first, BEGIN_KEY)["optionsJson"]
    assert _data(first, COMPLETE_KEY, {"c": key.create(options, origin=ORIGIN)}) == {
        "ok": True,
        "errors": [],
    }
    assert me(first)["secondFactorPassed"] is True  # type: ignore[index]
    assert [(f["kind"], f["name"]) for f in _data(first, FACTORS)] == [("SECURITY_KEY", "Blue key")]

    second = SchoolClient(school_a)
    assert login(second, "deputy@alpha.example")["secondFactorRequired"] is True
    options = _data(second, BEGIN_KEY_AUTH)["optionsJson"]
    answer = key.get(options, origin=ORIGIN)
    assert _data(second, COMPLETE_KEY_AUTH, {"c": answer}) == {"ok": True, "errors": []}
    assert me(second)["secondFactorPassed"] is True  # type: ignore[index]
    assert WebAuthnCredential.objects.get().sign_count == 1

    # A recorded answer is useless in another session: its challenge was for that one.
    third = SchoolClient(school_a)
    login(third, "deputy@alpha.example")
    _data(third, BEGIN_KEY_AUTH)
    assert error_codes(_data(third, COMPLETE_KEY_AUTH, {"c": answer})) == ["invalid_credential"]
    assert me(third)["secondFactorPassed"] is False  # type: ignore[index]


def test_security_key_answer_for_another_site_is_refused(school_a: School) -> None:
    staff_create("deputy@alpha.example", is_key_holder=True)
    key = SoftwareSecurityKey()
    client = SchoolClient(school_a)
    login(client, "deputy@alpha.example")
    _data(
        client,
        COMPLETE_KEY,
        {"c": key.create(_data(client, BEGIN_KEY)["optionsJson"], origin=ORIGIN)},
    )

    phished = SchoolClient(school_a)
    login(phished, "deputy@alpha.example")
    options = _data(phished, BEGIN_KEY_AUTH)["optionsJson"]
    answer = key.get(options, origin="https://alpha.localhost.evil.example", rp_id="evil.example")
    assert error_codes(_data(phished, COMPLETE_KEY_AUTH, {"c": answer})) == ["invalid_credential"]
    assert me(phished)["secondFactorPassed"] is False  # type: ignore[index]


def test_me_says_whether_key_access_is_effective(school_a: School) -> None:
    """`me.hasKeyAccess` is the rule the records apply: a key holder whose session passed
    the second factor; not before it, and never for someone without key access."""
    query = "{ me { hasKeyAccess } }"
    _, device = _key_holder_with_app()
    staff_create("teacher@alpha.example")
    deputy, teacher = SchoolClient(school_a), SchoolClient(school_a)
    with time_machine.travel(START, tick=False):
        login(deputy, "deputy@alpha.example")
        assert _data(deputy, query) == {"hasKeyAccess": False}
        assert _data(deputy, VERIFY, {"code": f"{totp(device.bin_key):06d}"})["ok"] is True
        assert _data(deputy, query) == {"hasKeyAccess": True}
    login(teacher, "teacher@alpha.example")
    assert _data(teacher, query) == {"hasKeyAccess": False}
