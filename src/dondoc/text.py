"""Vietnamese text helpers shared by reading and parsing: normalisation and folding."""

from __future__ import annotations

import re
import unicodedata

_FOLD_TABLE = str.maketrans({"đ": "d", "Đ": "D"})
_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower case without diacritics, for matching: "Tổ chức" → "to chuc"; keeps the length."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_TABLE))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped).lower()


def collapse_spaces(text: str) -> str:
    return _SPACES.sub(" ", text).strip()
