"""Hide Names: where the names of the pupils of a record occur in a text.

Names are matched as spelt in the MIS, case-insensitively, as whole words. Offsets count
UTF-16 code units, as JavaScript strings do, so a browser can star them out directly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from safeguarding.models import Pupil


def _names(pupils: Iterable[Pupil]) -> list[str]:
    names: set[str] = set()
    for pupil in pupils:
        for name in (
            pupil.legal_first_name,
            pupil.legal_last_name,
            pupil.preferred_first_name,
            pupil.preferred_last_name,
        ):
            # A double-barrelled or two-word name is hidden whole and word by word.
            name = name.strip()
            if name:
                names.add(name)
                names.update(part for part in re.split(r"\s+", name) if part)
    # Longest first, so "Mary-Jane" wins over "Mary".
    return sorted(names, key=len, reverse=True)


def _utf16_offsets(text: str) -> list[int]:
    offsets = [0]
    for char in text:
        offsets.append(offsets[-1] + (2 if ord(char) > 0xFFFF else 1))
    return offsets


def name_spans(text: str, pupils: Iterable[Pupil]) -> list[tuple[int, int]]:
    names = _names(pupils)
    if not names or not text:
        return []
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)", re.IGNORECASE
    )
    offsets = _utf16_offsets(text)
    return [(offsets[m.start()], offsets[m.end()]) for m in pattern.finditer(text)]
