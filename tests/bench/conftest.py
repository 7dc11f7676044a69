"""Benchmarks reuse the e-mail delivery fixtures (committed rows, a private broker), and seed
schools of their own: a benchmark never depends on what another one left behind (the
provisioning benchmarks migrate every school back and forth, which empties the test schools'
later tables)."""

from collections.abc import Iterator

import pytest

from safeguarding.services.defaults import school_defaults_install
from tenants.models import School
from tenants.schemas import use_public_schema
from tenants.schools import school_create
from tests.notifications.conftest import committed, private_redis, transactional_db

__all__ = ["committed", "fresh_school", "private_redis", "transactional_db"]


@pytest.fixture
def fresh_school(db: None) -> Iterator[School]:
    """A newly provisioned school with the guide's defaults, inside the test's transaction
    (rolled back afterwards, schema and all)."""
    use_public_schema()
    school = school_create(
        defaults_install=school_defaults_install,
        name="Bench Academy",
        subdomain="benchfresh",
        urn="799999",
        dsl_email="dsl@bench.example",
    )
    with school:
        yield school
