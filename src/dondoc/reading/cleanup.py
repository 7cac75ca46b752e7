"""Clean-up every document gets, whatever its format: pure text → text functions.

Page ends are marked with document.PAGE_BREAK ("\\f"), alone on a line between pages.
"""

from __future__ import annotations

import re
import unicodedata

from dondoc.reading.document import PAGE_BREAK
from dondoc.text import TONES, is_syllable, nfc

_LETTER = r"[^\W\d_]"


def _old_to_new_tone_placement() -> dict[str, str]:
    """ "oà" → "òa", "uỷ" → "ủy"…: the corpus and today's government documents mark the first vowel."""
    table: dict[str, str] = {}
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
        for tone in TONES:
            for upper_first, upper_second in ((False, False), (True, False), (True, True)):
                a = first.upper() if upper_first else first
                b = second.upper() if upper_second else second
                old = a + unicodedata.normalize("NFC", b + tone)
                table[old] = unicodedata.normalize("NFC", a + tone) + b
    return table


_NEW_TONE = _old_to_new_tone_placement()
# Only where the pair ends the syllable ("hoàng" is right as it is) and is not "qu" + vowel ("quý").
_OLD_TONE = re.compile(rf"(?<![qQ])({'|'.join(sorted(_NEW_TONE, key=len, reverse=True))})(?!{_LETTER})")
_STRAY_MARKS = re.compile("[\u0300-\u036f]")


def normalize_unicode(text: str) -> str:
    """NFC, then drop combining marks NFC could not attach to a letter (OCR and PDF debris)."""
    return _STRAY_MARKS.sub("", nfc(text))


def normalize_tone_marks(text: str) -> str:
    return _OLD_TONE.sub(lambda match: _NEW_TONE[match.group(1)], text)


_CODE_HYPHEN = re.compile(r"(?<=[A-ZĐ0-9])-[ \t]*\n[ \t]*(?=[A-ZĐ0-9])")
_WORD_HYPHEN = re.compile(r"(?<=[a-zđ\u00e0-\u1ef9])-[ \t]*\n[ \t]*(?=[a-zđ\u00e0-\u1ef9])")


def join_hyphenated_lines(text: str) -> str:
    """ "2874/UBND-⏎NC" → "2874/UBND-NC"; "tổ-⏎chức" → "tổ chức" (Vietnamese syllables are words)."""
    text = _CODE_HYPHEN.sub("-", text)
    return _WORD_HYPHEN.sub(" ", text)


_SENTENCE_END = ".;:!?"
_PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?(?:trang\s+)?\d{1,3}(?:\s*-)?(?:\s*/\s*\d{1,3})?\s*$", re.IGNORECASE)
# "a) …", "b. …" start list items, not the rest of a sentence.
_ITEM_LABEL = re.compile(r"^\s*[a-zđ][).]\s")


def is_page_number(line: str) -> bool:
    return bool(_PAGE_NUMBER.match(line))


def join_page_breaks(text: str) -> str:
    """Join a sentence cut by a page break: the gap is two or more blank lines, a lone page
    number or a page end, the line before does not end a sentence and the next starts in
    lower case. The page end, if any, moves to the end of the joined line."""
    lines = text.split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        out.append(line)
        index += 1
        if not line.strip() or line.rstrip()[-1] in _SENTENCE_END or PAGE_BREAK in line:
            continue
        gap_end, blanks, page_breaks, page_numbers = index, 0, 0, 0
        while gap_end < len(lines):
            candidate = lines[gap_end].strip(" \t")
            if candidate == PAGE_BREAK:
                page_breaks += 1
            elif not candidate:
                blanks += 1
            elif is_page_number(candidate) and page_numbers == 0:
                page_numbers += 1
            else:
                break
            gap_end += 1
        if gap_end == len(lines) or not (blanks >= 2 or page_breaks or page_numbers):
            continue
        following = lines[gap_end].lstrip()
        if not following[:1].islower() or _ITEM_LABEL.match(following):
            continue
        out[-1] = line.rstrip() + " " + following + PAGE_BREAK * page_breaks
        index = gap_end + 1
    return "\n".join(out)


# Words so common that a syllable glued to them is almost surely two words ("vụlà").
FUNCTION_WORDS = frozenset(
    [
        "là",
        "và",
        "của",
        "được",
        "về",
        "theo",
        "năm",
        "tháng",
        "ngày",
        "các",
        "những",
        "cho",
        "với",
        "trong",
        "tại",
        "để",
        "từ",
        "đến",
        "có",
        "không",
        "đã",
        "sẽ",
        "đang",
        "này",
        "đó",
        "thì",
        "mà",
        "hoặc",
        "nhưng",
    ]
)
_GLUED_NUMBER = re.compile(r"\b(ngày|tháng|năm|quý|số)(\d)", re.IGNORECASE)
_WORD = re.compile(rf"{_LETTER}+")


def _split_glued(word: str) -> str:
    if is_syllable(word) or not word[1:].islower():
        return word
    for cut in range(1, len(word)):
        head, tail = word[:cut], word[cut:]
        if (
            (tail in FUNCTION_WORDS or head.lower() in FUNCTION_WORDS)
            and is_syllable(head)
            and is_syllable(tail)
        ):
            return f"{head} {tail}"
    return word


def split_glued_words(text: str) -> str:
    """ "tháng7" → "tháng 7", "vụlà" → "vụ là"; only where both halves are syllables and one
    is a common function word, so no real word is ever split."""
    text = _GLUED_NUMBER.sub(r"\1 \2", text)
    return _WORD.sub(lambda match: _split_glued(match.group(0)), text)


def strip_line_ends(text: str) -> str:
    return "\n".join(line.rstrip(" \t\r\u00a0") for line in text.split("\n"))


def clean_text(text: str) -> str:
    """All of the above, in the order that lets each step see what the previous one fixed."""
    text = normalize_unicode(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = normalize_tone_marks(text)
    text = strip_line_ends(text)
    text = join_hyphenated_lines(text)
    text = join_page_breaks(text)
    return split_glued_words(text)
