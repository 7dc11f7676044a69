"""Who an e-mail is for, as the outbox sees a person.

The people are the school's accounts (``settings.AUTH_USER_MODEL``, defined by safeguarding, a
layer above): the outbox needs only their key, address and whether the account is active, so
it describes that much here and never imports the model.
"""

from __future__ import annotations

from typing import Any, Protocol


class Recipient(Protocol):
    @property
    def pk(self) -> Any: ...

    @property
    def email(self) -> str: ...

    @property
    def is_active(self) -> bool: ...
