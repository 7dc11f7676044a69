"""The hook through which new alerts reach people outside Haven (e-mail).

Called inside the transaction that created the alerts, so whatever it records (an outbox
row) commits or rolls back with them.
"""

from __future__ import annotations

from collections.abc import Sequence

from safeguarding.models import Alert


def alerts_created(alerts: Sequence[Alert]) -> None:
    """Alerts were just created; nothing is delivered outside Haven yet."""
    return
