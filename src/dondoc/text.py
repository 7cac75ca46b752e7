"""Vietnamese text helpers shared by reading and parsing: normalisation and folding."""

from __future__ import annotations

import re
import unicodedata

_FOLD_TABLE = str.maketrans({"đ": "d", "Đ": "D"})
_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _fold_char(char: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFD", char.translate(_FOLD_TABLE)) if not unicodedata.combining(c))
    base = base.lower()
    return base if len(base) == 1 else char.lower() if len(char.lower()) == 1 else char


# One table for every letter Vietnamese writes (Latin-1, Latin Extended-A/B, Latin Extended
# Additional), so folding is a single str.translate in C rather than a loop in Python.
_FOLD: dict[int, str | None] = {
    code: _fold_char(chr(code))
    for block in ((0x41, 0x5B), (0xC0, 0x250), (0x1E00, 0x1F00))
    for code in range(*block)
    if _fold_char(chr(code)) != chr(code)
}
# combining marks of decomposed (NFD) input fold away, as their precomposed forms do
_FOLD.update({code: None for code in range(0x300, 0x370)})


def fold(text: str) -> str:
    """Lower case without diacritics, for matching: "Tổ chức" → "to chuc"; keeps the length of NFC text."""
    return text.translate(_FOLD)


def collapse_spaces(text: str) -> str:
    return _SPACES.sub(" ", text).strip()
