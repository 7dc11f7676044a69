"""Benchmarks reuse the e-mail delivery fixtures (committed rows, a private broker)."""

from tests.notifications.conftest import committed, private_redis, transactional_db

__all__ = ["committed", "private_redis", "transactional_db"]
