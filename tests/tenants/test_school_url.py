"""A school's address is built in one place, from settings: e-mail links, set-password links
and the origin security keys are bound to all name the same host."""

from __future__ import annotations

from django.test import override_settings

from notifications.messages import school_login_url
from safeguarding.models import Staff
from safeguarding.services.password_resets import password_reset_link
from safeguarding.services.webauthn_credentials import expected_origin
from tenants.models import School
from tenants.schools import school_url


@override_settings(SITE_SCHEME="https", SITE_PORT="", BASE_DOMAIN="haven.example")
def test_a_school_url_is_its_subdomain_of_the_base_domain() -> None:
    assert school_url("montsaye") == "https://montsaye.haven.example/"
    assert school_url("montsaye", "/set-password/a/b") == (
        "https://montsaye.haven.example/set-password/a/b"
    )
    assert school_url("montsaye", path="") == "https://montsaye.haven.example"


@override_settings(SITE_SCHEME="http", SITE_PORT="8000", BASE_DOMAIN="localhost")
def test_in_development_the_url_carries_the_port() -> None:
    assert school_url("montsaye") == "http://montsaye.localhost:8000/"


@override_settings(SITE_SCHEME="https", SITE_PORT="8443", BASE_DOMAIN="haven.example")
def test_links_and_the_security_key_origin_point_at_the_same_school_url(school_a: School) -> None:
    staff = Staff.objects.create_user(email="url@alpha.example", first_name="Ada", last_name="Lee")
    origin = "https://alpha.haven.example:8443"
    assert school_url(school_a.schema_name, path="") == origin
    assert school_login_url(school_a) == origin + "/"
    assert password_reset_link(staff=staff).startswith(origin + "/set-password/")
    assert expected_origin() == origin
