"""Onboarding from the command line: everything or nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_context, schema_exists

from safeguarding.models import Agency, AlertGroup, Category, Staff
from tenants.models import Domain, School
from tenants.schemas import use_public_schema
from tenants.schools import school_create


def _create(**overrides: str) -> str:
    options = {
        "name": "The Montsaye Academy",
        "subdomain": "montsaye",
        "urn": "137083",
        "dsl_email": "dsl@montsaye.example",
        **overrides,
    }
    out = io.StringIO()
    call_command("create_school", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def public(db: None) -> None:
    use_public_schema()


def test_create_school_installs_the_guides_defaults(public: None) -> None:
    assert "montsaye.localhost" in _create()
    school = School.objects.get(schema_name="montsaye")
    assert school.urn == "137083"
    assert Domain.objects.filter(domain="montsaye.localhost", tenant=school).exists()
    with schema_context("montsaye"):
        assert list(Category.objects.values_list("name", flat=True)) == [
            "Behaviour", "Bullying", "Child Protection", "Home Issues", "LAC",
            "Medical Issues", "Prevent", "SEND",
        ]  # fmt: skip
        child_protection = Category.objects.get(name="Child Protection")
        assert list(child_protection.subcategories.values_list("name", flat=True)) == [
            "CAF", "Cause for Concern", "Child Protection Plan", "CIN", "Early Help",
        ]  # fmt: skip
        assert list(AlertGroup.objects.values_list("name", flat=True)) == ["SLT", "Teachers"]
        assert Agency.objects.filter(name="Children's Social Care").exists()
        assert Agency.objects.filter(name="Police").exists()
        dsl = Staff.objects.get(email="dsl@montsaye.example")
        assert dsl.is_key_holder
        assert dsl.is_school_admin
        assert not dsl.has_usable_password()


def test_create_school_twice_fails_cleanly_and_keeps_the_first(public: None) -> None:
    _create()
    first = School.objects.get(schema_name="montsaye")
    with pytest.raises(CommandError, match="already taken"):
        _create(name="Impostor", urn="999999", dsl_email="x@impostor.example")
    assert School.objects.get(schema_name="montsaye").name == "The Montsaye Academy"
    assert not School.objects.filter(urn="999999").exists()
    assert School.objects.get(pk=first.pk).name == first.name
    with schema_context("montsaye"):
        assert Staff.objects.filter(email="dsl@montsaye.example").exists()
        assert not Staff.objects.filter(email="x@impostor.example").exists()


@pytest.mark.parametrize(
    ("subdomain", "message"),
    [
        ("Montsaye", "lowercase letters"),
        ("www", "reserved"),
        ("admin", "reserved"),
        ("ab", "3 to 63"),
        ("a" * 64, "3 to 63"),
        ("montsaye-", "start and end"),
        ("mont_saye", "lowercase letters"),
        ("pg-school", "reserved"),
    ],
)
def test_bad_subdomain_gets_a_clear_error_and_creates_nothing(
    public: None, subdomain: str, message: str
) -> None:
    schools_before = School.objects.count()
    with pytest.raises(CommandError, match=message):
        _create(subdomain=subdomain)
    assert School.objects.count() == schools_before
    assert not schema_exists(subdomain)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"urn": "12345"}, "exactly 6 digits"),
        ({"urn": "100001"}, "already exists"),  # Alpha Academy's URN
        ({"dsl_email": "not-an-address"}, "not a valid e-mail"),
    ],
)
def test_bad_urn_or_email_creates_nothing(
    public: None, overrides: dict[str, str], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        _create(**overrides)
    assert not School.objects.filter(schema_name="montsaye").exists()
    assert not schema_exists("montsaye")


def test_failure_midway_rolls_back_schema_domain_and_row(public: None) -> None:
    def broken_defaults(**kwargs: object) -> None:
        Category.objects.create(name="Half-written")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        school_create(
            defaults_install=broken_defaults,
            name="The Montsaye Academy",
            subdomain="montsaye",
            urn="137083",
            dsl_email="dsl@montsaye.example",
        )
    assert not School.objects.filter(schema_name="montsaye").exists()
    assert not Domain.objects.filter(domain="montsaye.localhost").exists()
    assert not schema_exists("montsaye")
