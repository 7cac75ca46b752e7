"""Vietnamese text helpers shared by reading and parsing: normalisation and folding."""

from __future__ import annotations

import re
import unicodedata

_FOLD_TABLE = str.maketrans({"đ": "d", "Đ": "D"})
_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# Characters with no ASCII decomposition that Vietnamese documents use all the time.
# (Ð, the Icelandic eth, stands in for Đ in OCR output and in text from legacy Vietnamese fonts.)
_NON_ASCII_PUNCTUATION = {
    "đ": "d",
    "Đ": "D",
    "Ð": "D",
    "ð": "d",
    "\u00a0": " ",
    "–": "-",
    "—": "-",
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "…": ".",
}


def _fold_char(char: str) -> str:
    base = "".join(
        c for c in unicodedata.normalize("NFD", char.translate(_FOLD_TABLE)) if not unicodedata.combining(c)
    )
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
_FOLD.update(dict.fromkeys(range(768, 880)))
_FOLD.update({ord(printed): stand_in.lower() for printed, stand_in in _NON_ASCII_PUNCTUATION.items()})


def fold(text: str) -> str:
    """Lower case without diacritics, for matching: "Tổ chức" → "to chuc"; keeps the length of NFC text.

    Common punctuation folds to ASCII too ("–" → "-", "“" → '"')."""
    folded = fold_by_character(text)
    # where a character has no ASCII base (CJK, emoji …), the table does it one character at a time
    return text.translate(_FOLD) if folded is None else folded


def fold_by_character(text: str) -> str | None:
    """fold(text) by the fast path, in C (decompose, drop the marks), which serves where every character
    folds to one ASCII character: then the fold of a slice of text is that slice of the result. None
    where a character has no ASCII base."""
    if text.isascii():
        return text.lower()
    plain = text
    for printed, stand_in in _NON_ASCII_PUNCTUATION.items():
        if printed in plain:
            plain = plain.replace(printed, stand_in)
    ascii_text = unicodedata.normalize("NFD", plain).encode("ascii", "ignore").decode("ascii")
    return ascii_text.lower() if len(ascii_text) == len(text) else None


def collapse_spaces(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def uppercase_ratio(text: str) -> float:
    """The share of its letters in capitals (0.0 without letters): header and signature lines are set in
    capitals."""
    letters = sum(map(str.isalpha, text))
    if not letters:
        return 0.0
    lower = text.lower()
    if len(lower) != len(text):  # a letter whose small form is longer ("İ"): count one by one
        return sum(c.isupper() for c in text if c.isalpha()) / letters
    # the capitals are the characters that lower() changes; map and sum run in C
    return sum(map(str.__ne__, text, lower)) / letters


TONES = ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323")  # huyền, sắc, hỏi, ngã, nặng
_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?"
_SYLLABLE = re.compile(rf"{_ONSET}[aeiouy]{{1,3}}(?:ch|ng|nh|[cmnpt])?")


def is_syllable(word: str) -> bool:
    """A plausible single Vietnamese syllable: one onset, one vowel group, one coda, one tone."""
    tones = sum(1 for char in unicodedata.normalize("NFD", word) if char in TONES)
    return tones <= 1 and bool(_SYLLABLE.fullmatch(fold(word)))
