"""The password rules (OWASP ASVS 5, 6.2.x): length only, common and breached lists."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from safeguarding.password_validation import password_in_breach_corpus


def _codes(password: str) -> set[str]:
    try:
        validate_password(password)
    except ValidationError as error:
        return {item.code or "" for item in error.error_list}
    return set()


def test_length_from_12_to_128_without_composition_rules() -> None:
    assert _codes("eleven chrs") == {"password_too_short"}
    # Lower-case letters and spaces only: no rule asks for digits or symbols.
    assert _codes("plain words are fine") == set()
    assert _codes("x" * 11 + " and some more words" + "y" * 97) == set()  # 128 characters
    assert _codes("q" * 60 + " and some more words " + "z" * 48) == {"password_too_long"}


@pytest.mark.parametrize("password", ["iloveyou1234", "manchesterunited", "passwordpassword"])
def test_passwords_from_a_breach_are_refused(password: str) -> None:
    assert password_in_breach_corpus(password)
    assert "password_breached" in _codes(password)


def test_breach_check_matches_whole_passwords_only() -> None:
    assert not password_in_breach_corpus("plain words are fine")
    # A breached password with something added is a different password.
    assert password_in_breach_corpus("iloveyou1234")
    assert not password_in_breach_corpus("iloveyou1234 and a kettle")


def test_first_line_of_the_corpus_is_found() -> None:
    assert password_in_breach_corpus("123456")
