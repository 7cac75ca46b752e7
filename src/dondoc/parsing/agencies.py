"""Recognising the names of bodies in running text: "Sở Nội vụ", "UBND các huyện, thị xã, thành phố",
"các cơ quan, đơn vị liên quan", "Các Bộ: Công an, Tư pháp" (a shared head, expanded).

The grammar is small and general: a name starts with a head word (Ban, Bộ, Sở, Ủy ban, UBND, các
cơ quan …), goes on through capitalised words, abbreviations and the few lowercase words that
occur inside names (tỉnh, huyện, các, cơ quan, trực thuộc …), and stops at the first other word,
usually the verb of the sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import overload

from dondoc.parsing.snippet import Snippet
from dondoc.text import fold

# Words that begin the name of a body, in lower case.
_HEAD_WORDS = [
    "ban",
    "bộ",
    "sở",
    "ủy ban",
    "ubnd",
    "hđnd",
    "ubmttq",
    "mttq",
    "ub",
    "đảng ủy",
    "đảng đoàn",
    "đảng bộ",
    "chi bộ",
    "cấp ủy",
    "văn phòng",
    "thanh tra",
    "kho bạc",
    "bảo hiểm",
    "báo",
    "đài",
    "hội",
    "hội đồng",
    "liên đoàn",
    "đoàn",
    "công an",
    "tòa án",
    "viện",
    "trường",
    "trung tâm",
    "cục",
    "tổng cục",
    "vụ",
    "phòng",
    "chi cục",
    "huyện ủy",
    "tỉnh ủy",
    "thành ủy",
    "thị ủy",
    "quận ủy",
    "thường trực",
    "tt",
    "btv",
    "bch",
    "chính phủ",
    "thủ tướng",
    "quốc hội",
    "cơ quan",
    "đơn vị",
    "địa phương",
    "tổ chức",
    "chi ủy",
    "công đoàn",
    "thủ trưởng",
    "chủ tịch",
    "phó chủ tịch",
    "giám đốc",
    "phó giám đốc",
    "bí thư",
    "phó bí thư",
    "ct",
    "pct",
    "người đứng đầu",
    "bộ trưởng",
    "thứ trưởng",
    "tổng công ty",
    "tập đoàn",
    "doanh nghiệp",
    "bệnh viện",
    "ngân hàng",
    "đại học",
    "học viện",
    "viện kiểm sát",
    "btc",
    "btctu",
    "ubkt",
    "hạt",
    "các đồng chí",
    "trạm",
    "trạm y tế",
    "công chức",
    "trưởng",
    "ủy ban kiểm tra",
    "đài truyền thanh",
    "đài phát thanh",
    "đồng chí",
    "thường vụ",
    "các",
    "những",
    "ủy",
    "uỷ ban",
    "uỷ",
]
# Titles that name the person heading a body: the lead is the body itself.
_TITLE_WORDS = [
    "thủ trưởng",
    "chủ tịch",
    "phó chủ tịch",
    "giám đốc",
    "phó giám đốc",
    "người đứng đầu",
    "bí thư",
    "phó bí thư",
    "trưởng ban",
    "bộ trưởng",
]
# Lowercase words that may sit inside a name.
_INNER_WORDS = [
    "cơ quan",
    "đơn vị",
    "địa phương",
    "liên quan",
    "có liên quan",
    "ban",
    "ngành",
    "sở",
    "cấp",
    "tỉnh",
    "huyện",
    "xã",
    "thành phố",
    "thị xã",
    "thị trấn",
    "quận",
    "phường",
    "trực thuộc",
    "thuộc",
    "trung ương",
    "đảng ủy",
    "đảng bộ",
    "chi bộ",
    "cơ sở",
    "tổ chức",
    "chính trị",
    "xã hội",
    "tương đương",
    "ngang",
    "bộ",
    "nhà nước",
    "doanh nghiệp",
    "khối",
    "đoàn thể",
    "mặt trận",
    "tổ quốc",
    "thường vụ",
    "sự nghiệp",
    "công lập",
    "hành chính",
    "thôn",
    "tổ dân phố",
    "các",
    "cùng cấp",
    "huyện ủy",
    "thành ủy",
    "thị ủy",
    "tỉnh ủy",
    "quận ủy",
    "đảng",
    "hội",
    "quần chúng",
    "chính quyền",
    "các cấp",
    "ủy ban",
    "nhân dân",
    "đoàn",
    "thành viên",
    "thường trực",
    "cán sự",
    "chấp hành",
    "chuyên môn",
    "công ty",
    "tổng công ty",
    "tập đoàn",
    "ngân hàng",
    "công an",
    "quân đội",
    "biên phòng",
    "đồng chí",
    "ủy viên",
    "ngành dọc",
    "ủy",
    "uỷ",
    "tw",
    "nông thôn",
    "miền núi",
    "khu vực",
    "bệnh tật",
    "dự án",
    "khu công nghiệp",
    "khu kinh tế",
    "quỹ đất",
    "đa khoa",
    "truyền thanh",
    "bảo vệ chính trị nội bộ",
    "nội bộ",
    "y tế",
]
# Words a name never ends with: the start of a verb or a dangling connective.
_TRAILING_WORDS = ["tổ chức", "và", "các", "cấp", "thuộc", "có", "ban", "đoàn", "hội"]


_Phrase = tuple[tuple[str, ...], tuple[str, ...]]


class _PhraseTable:
    """Phrases (syllables and their folded forms), indexed by first syllable, longest first."""

    def __init__(self, phrases: list[_Phrase]) -> None:
        self.phrases = phrases
        self.by_first: dict[str, list[_Phrase]] = {}
        self.by_first_folded: dict[str, list[_Phrase]] = {}
        for phrase in phrases:
            self.by_first.setdefault(phrase[0][0], []).append(phrase)
            self.by_first_folded.setdefault(phrase[1][0], []).append(phrase)

    def __add__(self, other: _PhraseTable) -> _PhraseTable:
        merged = sorted(set(self.phrases) | set(other.phrases), key=lambda p: len(p[0]), reverse=True)
        return _PhraseTable(merged)

    def __iter__(self) -> Iterator[_Phrase]:
        return iter(self.phrases)


def _phrases(words: list[str]) -> _PhraseTable:
    unique = {tuple(w.split()) for w in words}
    return _PhraseTable([(p, tuple(fold(x) for x in p)) for p in sorted(unique, key=len, reverse=True)])


_HEAD_PHRASES = _phrases(_HEAD_WORDS)
_TITLES = _phrases(_TITLE_WORDS)
_INNER = _phrases(_INNER_WORDS)
_TRAILING = {p for p, _ in _phrases(_TRAILING_WORDS).phrases}
_HEAD_OR_INNER = _HEAD_PHRASES + _INNER
_NEW_ITEM_ABBREVIATIONS = ("ubnd", "hdnd", "ubmttq", "mttq", "tt", "ct", "pct")
# Words that never finish a capitalised name as its second syllable ("Phú Yên vừa ký"), among them
# the first syllables of the verbs that follow a name (chủ trì, phối hợp, hướng dẫn, tham mưu …).
_FUNCTION_WORDS = frozenset(
    [
        "và",
        "các",
        "là",
        "có",
        "vừa",
        "đã",
        "sẽ",
        "đang",
        "được",
        "bị",
        "cũng",
        "về",
        "tại",
        "trong",
        "theo",
        "để",
        "với",
        "của",
        "cho",
        "từ",
        "đến",
        "nay",
        "này",
        "đó",
        "khi",
        "thì",
        "mà",
        "như",
        "nên",
        "phải",
        "cần",
        "không",
        "chưa",
        "rất",
        "đều",
        "cùng",
        "hoặc",
        "hay",
        "sau",
        "trước",
        "chủ",
        "phối",
        "hướng",
        "tham",
        "thực",
        "xây",
        "rà",
        "báo",
        "kiểm",
        "đôn",
        "chỉ",
        "lãnh",
        "hoàn",
        "tổng",
        "nghiên",
        "đề",
        "quán",
        "phổ",
        "tuyên",
        "giám",
        "thẩm",
        "trình",
        "gửi",
        "cập",
        "chịu",
        "phụ",
        "bảo",
        "tiếp",
        "khẩn",
        "kịp",
        "sắp",
        "bố",
        "giải",
        "căn",
    ]
)
_SENTENCE_OPENERS = frozenset(
    [
        "trước",
        "sau",
        "trong",
        "theo",
        "để",
        "với",
        "của",
        "cho",
        "từ",
        "đến",
        "khi",
        "nếu",
        "chậm",
        "hằng",
        "định",
    ]
)
_DOCUMENT_WORDS = _phrases(
    [
        "kế hoạch",
        "nghị quyết",
        "quyết định",
        "chỉ thị",
        "kết luận",
        "công văn",
        "hướng dẫn",
        "quy định",
        "thông báo",
        "chương trình",
        "nghị định",
        "thông tư",
        "luật",
        "đề án",
        "tờ trình",
        "báo cáo",
    ]
)
# Names that themselves contain a comma.
_COMMA_NAMES = (
    "lao dong, thuong binh va xa hoi",
    "van hoa, the thao va du lich",
    "van hoa, khoa hoc va thong tin",
    "van hoa, thong tin, the thao va du lich",
)
_LOCALITY_ENDINGS = ("tinh", "trung uong", "tinh uy", "thanh pho")
_COLLECTIVE_STARTS = ("co quan", "don vi", "dia phuong", "to chuc", "doanh nghiep")

_OCR_U = re.compile(r"Ư(?=[A-ZĐ]{2,})")
_OCR_U_IN_TEXT = re.compile(r"\bƯ(?=[A-ZĐ]{2,}\b)")


def correct_ocr_name(name: str) -> str:
    """A body's name as it should read: "ƯBND tỉnh" → "UBND tỉnh" (task text keeps what OCR printed)."""
    return _OCR_U_IN_TEXT.sub("U", name) if "Ư" in name else name


_WORD = re.compile(r"[^\s,;:.()\[\]\"“”'‘’!?]+|[,;:.()\[\]\"“”!?]")


# not frozen: a frozen dataclass's __init__ is about five times slower, and a document makes hundreds
@dataclass(slots=True)
class _Token:
    text: str
    lower: str
    folded: str
    start: int
    end: int
    abbreviation: bool  # "UBND", "HĐND", "TW": two or more letters, all capitals
    capitalised: bool  # "Sở", "UBND"; a plain field, read in the scanner's inner loop

    def is_word(self, syllable: str, folded: str) -> bool:
        # a token that lost its diacritics (OCR) may match on the folded form
        return self.lower == syllable or (self.lower == self.folded and self.folded == folded)


_CHUNK = 400  # characters of a text whose words are found at a time
_SPACE = re.compile(r"\s")


class _TokenIndex:
    """The words of one text, found a stretch at a time as lookups reach them (most lookups sit near
    the start of a task), each word's token made when first asked for."""

    __slots__ = ("ends", "folded", "made", "scanned", "starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded = _fold_once(text)
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.made: list[_Token | None] = []
        self.scanned = 0  # words are known up to here, which is at a space or the end

    def reach(self, offset: int) -> None:
        """Know every word that starts before `offset`."""
        text = self.text
        while self.scanned < len(text) and self.scanned <= offset:
            space = _SPACE.search(text, min(len(text), self.scanned + _CHUNK))
            end = space.start() if space else len(text)
            spans = [match.span() for match in _WORD.finditer(text, self.scanned, end)]
            self.starts.extend(start for start, _ in spans)
            self.ends.extend(stop for _, stop in spans)
            self.made.extend([None] * len(spans))
            self.scanned = end if end > self.scanned else len(text)

    def window(self, start: int, limit: int | None) -> tuple[int, int]:
        """The first word at or after `start`, and how many words follow it (at most `limit`)."""
        self.reach(start)
        first = bisect_left(self.starts, start)
        if limit is None:
            self.reach(len(self.text))
        else:
            while len(self.starts) - first < limit and self.scanned < len(self.text):
                self.reach(self.scanned)
        available = len(self.starts) - first
        return first, available if limit is None else min(available, limit)

    def token(self, k: int) -> _Token:
        made = self.made[k]
        if made is None:
            start, end = self.starts[k], self.ends[k]
            word = self.text[start:end]
            lower = word.lower()
            abbreviation = len(word) >= 2 and word.isupper() and sum(c.isalpha() for c in word) >= 2
            if abbreviation and _OCR_U.match(word):
                lower = "u" + lower[1:]  # OCR reads the U of "UBND" as Ư
            made = _Token(word, lower, self.folded[start:end], start, end, abbreviation, word[:1].isupper())
            self.made[k] = made
        return made


@lru_cache(maxsize=64)
def _index(text: str) -> _TokenIndex:
    """Parsing asks for names at many places of the same text: index each text once per document."""
    return _TokenIndex(text)


# fold() of each text names are looked for in, for the document being parsed (see forget_texts);
# find_names hands over the folding its Snippet has already done
_FOLDED: dict[str, str] = {}
_FOLDED_LIMIT = 256  # texts; a bound for callers that never call forget_texts


def _fold_once(text: str, folded: str | None = None) -> str:
    known = _FOLDED.get(text)
    if known is None:
        if len(_FOLDED) >= _FOLDED_LIMIT:
            _FOLDED.clear()
        known = _FOLDED[text] = fold(text) if folded is None else folded
    return known


class _Window(Sequence[_Token]):
    """The words of text[start:], each made only when the scanner reaches it (most names are short)."""

    __slots__ = ("first", "made", "size", "words")

    def __init__(self, words: _TokenIndex, first: int, size: int) -> None:
        self.words, self.first, self.size = words, first, size
        self.made = words.made

    def __len__(self) -> int:
        return self.size

    @overload
    def __getitem__(self, i: int) -> _Token: ...
    @overload
    def __getitem__(self, i: slice) -> list[_Token]: ...
    def __getitem__(self, i: int | slice) -> _Token | list[_Token]:
        if type(i) is int and 0 <= i < self.size:  # the hot path: a word already made
            return self.made[self.first + i] or self.words.token(self.first + i)
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(self.size))]
        if i < 0:
            i += self.size
        if not 0 <= i < self.size:
            raise IndexError(i)
        return self.words.token(self.first + i)


def _tokens(text: str, start: int = 0, limit: int | None = None) -> _Window:
    """The words of text[start:] (at most `limit` of them), with offsets into text."""
    words = _index(text)
    first, size = words.window(start, limit)
    return _Window(words, first, size)


def _match_phrase(tokens: Sequence[_Token], i: int, table: _PhraseTable) -> int:
    """Length (in tokens) of the longest phrase starting at tokens[i], or 0."""
    size = len(tokens)
    if i >= size:
        return 0
    first = tokens[i]
    candidates = table.by_first.get(first.lower)
    if candidates is None and first.lower == first.folded:
        candidates = table.by_first_folded.get(first.folded)
    if not candidates:
        return 0
    following: list[_Token] = [first]  # the words after the first, fetched once for all candidates
    for phrase, folded in candidates:  # longest first
        n = len(phrase)
        if n == 1:
            return 1
        if i + n > size:
            continue
        while len(following) < n:
            following.append(tokens[i + len(following)])
        for k in range(1, n):
            if not following[k].is_word(phrase[k], folded[k]):
                break
        else:
            return n
    return 0


# The first syllables (folded) that can open a name, for a cheap look before tokenising.
_HEAD_START = re.compile(
    r"\s*(?:"
    + "|".join(sorted({re.escape(folded[0]) for _, folded in _HEAD_PHRASES.phrases}, key=len, reverse=True))
    + r")(?![\w])"
)


def _may_start_a_name(text: str, start: int) -> bool:
    # the next 24 characters only, as if cut out: fold keeps positions
    return _HEAD_START.match(_fold_once(text), start, start + 24) is not None


def forget_texts() -> None:
    """Drop the words and names cached for earlier texts: the caches serve the many lookups in one
    document's texts, and must not make a second parse of the same document look faster."""
    _index.cache_clear()
    scan_names.cache_clear()
    _FOLDED.clear()


def starts_with_head(text: str, start: int = 0, *, folded: str | None = None) -> bool:
    """Does the name of a body begin at text[start:] (after spaces)? `folded`: fold(text), if the
    caller has it already."""
    _fold_once(text, folded)
    if not _may_start_a_name(text, start):
        return False
    tokens = _tokens(text, start, limit=6)
    return (
        bool(tokens)
        and not text[start : tokens[0].start].strip()
        and _match_phrase(tokens, 0, _HEAD_PHRASES) > 0
        and _head_ok(tokens, 0)
    )


# Capitalised at the start of a sentence, these open a verb or a common noun, not a body's name:
# "Báo cáo kết quả …", "Ban hành …", "Tổ chức hội nghị …", "Phòng, chống …", "Hội nghị …".
_NOT_NAMES = _phrases(
    [
        "báo cáo",
        "ban hành",
        "phòng chống",
        "phòng ngừa",
        "đoàn kết",
        "hội nghị",
        "hội thảo",
        "vụ việc",
        "trường hợp",
        "cục bộ",
        "viện dẫn",
        "đài thọ",
        "bộ máy",
        "bộ phận",
        "sở hữu",
        "sở tại",
        "ban đầu",
        "đơn vị tính",
        "thường xuyên",
        "cơ quan hóa",
        "hội đủ",
        "bảo hiểm y tế cho",
    ]
)


def _verb_not_head(tokens: Sequence[_Token], i: int) -> bool:
    if _match_phrase(tokens, i, _NOT_NAMES):
        return True
    # "Tổ chức quán triệt …" is a verb; "Tổ chức đảng các cấp", "Tổ chức Công đoàn" are bodies
    if tokens[i].lower == "tổ" and i + 2 < len(tokens) and tokens[i + 1].lower == "chức":
        nxt = tokens[i + 2]
        if _match_phrase(tokens, i + 2, _NOT_NAMES):
            return True  # "Tổ chức hội nghị"
        return not nxt.capitalised and not _match_phrase(tokens, i + 2, _INNER)
    return False


def _head_ok(tokens: Sequence[_Token], i: int) -> bool:
    """A head must be capitalised (Sở, Ban, UBND) or be a lowercase collective (các cơ quan)."""
    tok = tokens[i]
    if _verb_not_head(tokens, i):
        return False
    if tok.capitalised:
        if tok.folded in ("cac", "nhung"):
            return i + 1 < len(tokens) and _match_phrase(tokens, i + 1, _HEAD_OR_INNER) > 0
        return True
    if tok.folded in ("cac", "nhung"):
        return i + 1 < len(tokens) and _match_phrase(tokens, i + 1, _HEAD_OR_INNER) > 0
    title = _match_phrase(tokens, i, _TITLES)
    if title and i + title < len(tokens):
        # "thủ trưởng các sở", "chủ tịch UBND các huyện": a title in running text
        return _match_phrase(tokens, i + title, _HEAD_PHRASES) > 0 and _head_ok(tokens, i + title)
    return _match_phrase(tokens, i, _INNER) > 0 and tok.folded in ("co", "don", "dia", "cap", "to")


@dataclass(frozen=True, slots=True)
class NameMatch:
    start: int
    end: int


@lru_cache(maxsize=2048)
def scan_names(text: str, start: int = 0, *, expected: bool = False) -> tuple[tuple[NameMatch, ...], int]:
    """Read a list of body names beginning at `start` ("Sở Tài chính, Sở Nội vụ và các cơ quan liên
    quan …"); return each name's [start, end) and where the list stops. `expected`: the words before
    announce a body ("giao", "phối hợp với"), so a head in lower case ("công chức Văn phòng",
    "trưởng các thôn", "ủy ban kiểm tra cùng cấp") opens a name too."""
    if not _may_start_a_name(text, start):
        return (), start
    # a list of names is never longer than this many words
    tokens = _tokens(text, start, limit=40)
    names: list[NameMatch] = []
    i = 0
    n = len(tokens)
    if not tokens or _match_phrase(tokens, 0, _HEAD_PHRASES) == 0:
        return (), start
    if not _head_ok(tokens, 0) and not (expected and not _verb_not_head(tokens, 0)):
        return (), start
    item_start = 0
    last_word = -1  # index of the last token that belongs to the current name
    while i < n:
        if i == item_start:
            # step over the head itself ("thủ trưởng", "các cơ quan"), whatever its case
            head_len = _match_phrase(tokens, i, _HEAD_PHRASES)
            if head_len == 1 and tokens[i].folded in ("cac", "nhung"):
                head_len += _match_phrase(tokens, i + 1, _HEAD_PHRASES)  # "Các bệnh viện", "các trung tâm"
            if head_len and (
                not tokens[i].capitalised or tokens[i].folded in ("cac", "nhung") or head_len > 1
            ):
                last_word = i + head_len - 1
                i += head_len
                continue
        tok = tokens[i]
        if tok.text in (",", ";") or tok.folded == "va":
            # a separator: does a new name, or the same name, go on after it?
            j = i + 1
            if j < n and tok.text == "," and tokens[j].folded == "va":
                j += 1
            if j >= n:
                break
            nxt = tokens[j]
            head_len = _match_phrase(tokens, j, _HEAD_PHRASES)
            new_item = False
            joins_abbreviations = tok.folded == "va" and i > 0 and tokens[i - 1].abbreviation
            heads_a_name = (nxt.folded in ("cac", "nhung") or (nxt.capitalised and head_len)) and _head_ok(
                tokens, j
            )
            if heads_a_name or (nxt.abbreviation and nxt.folded in _NEW_ITEM_ABBREVIATIONS):
                new_item = True
            if new_item and joins_abbreviations and nxt.abbreviation:
                new_item = False  # "Văn phòng HĐND và UBND huyện" is one office
            if (
                tok.text == ","
                and not new_item
                and (_comma_name_continues(text, tokens, item_start, j) or _enumerated_name(tokens, j))
            ):
                i = j
                continue
            if tok.folded == "va" and not new_item:
                # "Kế hoạch và Đầu tư", "và tương đương": inside one name; "và Kế hoạch số …" is not
                if _match_phrase(tokens, j, _DOCUMENT_WORDS):
                    break
                if nxt.capitalised or _match_phrase(tokens, j, _INNER):
                    i = j
                    continue
                break
            if tok.text == ";" and not new_item:
                break
            if new_item:
                names.append(NameMatch(tokens[item_start].start, tokens[last_word].end))
                item_start = j
                last_word = j
                i = j
                continue
            # a comma followed by a lowercase inner word: "các sở, ban, ngành"
            if _match_phrase(tokens, j, _INNER) and not _splits_after_locality(
                tokens, item_start, last_word, j
            ):
                i = j
                continue
            if _match_phrase(tokens, j, _INNER):
                names.append(NameMatch(tokens[item_start].start, tokens[last_word].end))
                item_start = j
                last_word = j
                i = j
                continue
            break
        if tok.text == "-" or tok.text in ("–",):
            last_word = max(last_word, i)
            i += 1
            continue
        if tok.capitalised and i > item_start and tok.lower in _SENTENCE_OPENERS:
            break  # a full stop lost in OCR or layout: "… báo cáo Chính phủ Trước ngày 15/9"
        if tok.capitalised or tok.abbreviation:
            last_word = i
            i += 1
            # the second syllable of a capitalised word: "Tư pháp", "Nội vụ", "Tổ chức"
            if (
                not tok.abbreviation
                # not after two capitalised words ("Văn phòng Tỉnh ủy"), a head such as the "Bộ" of a
                # title's body not counting ("Bộ trưởng Bộ Tài chính")
                and not (
                    i >= 2
                    and tokens[i - 2].capitalised
                    and i - 2 > item_start
                    and not _match_phrase(tokens, i - 2, _HEAD_PHRASES)
                )
                and i < n
                and not tokens[i].capitalised
                and tokens[i].text[:1].isalpha()
                and tokens[i].lower not in _FUNCTION_WORDS
                and not _match_phrase(tokens, i, _INNER)
            ):
                last_word = i
                i += 1
            continue
        if tok.text == "." and i > 0 and tokens[i - 1].abbreviation and tokens[i - 1].end == tok.start:
            i += 1  # "TT. Huyện ủy": the period of an abbreviation
            continue
        if tok.text in '()[]:.!?"“”':
            break
        inner = _match_phrase(tokens, i, _INNER)
        if inner:
            # "có liên quan" is part of a name, "có" alone starts a qualifier
            i += inner
            last_word = i - 1
            continue
        if tok.folded == "-":
            i += 1
            continue
        break
    if last_word >= item_start:
        names.append(NameMatch(tokens[item_start].start, tokens[last_word].end))
    trimmed = [_trim(text, tokens, m) for m in names]
    trimmed = [m for m in trimmed if m.end > m.start]
    end = trimmed[-1].end if trimmed else start
    return tuple(trimmed), end


def _comma_name_continues(text: str, tokens: Sequence[_Token], item_start: int, j: int) -> bool:
    """True when the comma belongs to a name such as "Lao động, Thương binh và Xã hội"."""
    tail = fold(text[tokens[item_start].start : tokens[j].end + 40])
    return any(name in tail for name in _COMMA_NAMES)


def _enumerated_name(tokens: Sequence[_Token], j: int) -> bool:
    """ "Trung tâm Văn hóa, Thể thao và Truyền thanh huyện": after the comma a capitalised word that
    heads no body, and the enumeration closes with "và" and another capitalised word."""
    if not tokens[j].capitalised or _match_phrase(tokens, j, _HEAD_PHRASES):
        return False
    for k in range(j + 1, min(len(tokens), j + 8)):
        tok = tokens[k]
        if tok.folded == "va":
            return k + 1 < len(tokens) and tokens[k + 1].capitalised
        if tok.text in (";", ".", ":", "(", ")"):
            return False
        if (
            not tok.capitalised
            and tok.text != ","
            and not _match_phrase(tokens, k, _INNER)
            and not tokens[k - 1].capitalised
        ):
            return False
    return False


def _splits_after_locality(tokens: Sequence[_Token], item_start: int, last_word: int, j: int) -> bool:
    """ "sở, ban, ngành tỉnh, đơn vị sự nghiệp …": after a name closed by its locality, a new
    collective noun starts a new name."""
    before = " ".join(t.folded for t in tokens[item_start : last_word + 1])
    after = " ".join(t.folded for t in tokens[j : j + 2])
    return before.endswith(_LOCALITY_ENDINGS) and after.startswith(_COLLECTIVE_STARTS)


def _trim(text: str, tokens: Sequence[_Token], match: NameMatch) -> NameMatch:
    inside: list[_Token] = []
    for k in range(len(tokens)):  # tokens are in order: stop at the end of the match
        token = tokens[k]
        if token.start >= match.end:
            break
        if token.start >= match.start:
            inside.append(token)
    while inside:
        tail2 = tuple(t.lower for t in inside[-2:])
        if len(inside) >= 3 and tail2 in _TRAILING and not inside[-2].capitalised:
            inside = inside[:-2]
            continue
        if (
            (inside[-1].lower,) in _TRAILING
            and len(inside) > 1
            and not inside[-1].capitalised
            and not inside[-2].capitalised
        ):
            inside = inside[:-1]
            continue
        if inside[-1].text in ("-", "–", ",", ";"):
            inside = inside[:-1]
            continue
        break
    if not inside:
        return NameMatch(match.start, match.start)
    return NameMatch(inside[0].start, inside[-1].end)


def strip_title(name: Snippet) -> Snippet:
    """ "Thủ trưởng các sở, ban, ngành" → "các sở, ban, ngành";
    "Chủ tịch UBND các huyện" → "UBND các huyện"."""
    tokens = _tokens(name.text)
    n = _match_phrase(tokens, 0, _TITLES)
    if n and n < len(tokens):
        rest = tokens[n]
        if _match_phrase(tokens, n, _HEAD_PHRASES) and (rest.capitalised or rest.folded in ("cac", "nhung")):
            return name.slice(rest.start)
    return name


def find_names(snippet: Snippet, start: int = 0, *, expected: bool = False) -> tuple[list[Snippet], int]:
    """The body names listed at `start` of a snippet, shared heads expanded, and where they end."""
    _fold_once(snippet.text, snippet.folded)
    matches, end = scan_names(snippet.text, start, expected=expected)
    names: list[Snippet] = []
    for m in matches:
        piece = snippet.slice(m.start, m.end)
        expanded = _expand_in_text(snippet, m)
        if expanded:
            members, members_end = expanded
            names.extend(members)
            end = max(end, members_end)
        else:
            names.append(piece)
    return names, end


def _expand_in_text(snippet: Snippet, match: NameMatch) -> tuple[list[Snippet], int] | None:
    """ "Các Bộ: Công an, Tư pháp hướng dẫn …": the scanner stops at the colon; read the members."""
    after = snippet.text[match.end : match.end + 2]
    if not after.startswith(":"):
        return None
    name = snippet.text[match.start : match.end]
    head_tokens = _tokens(name)
    plural = [k for k, t in enumerate(head_tokens) if t.folded in ("cac", "nhung")]
    if not plural or len(head_tokens) - plural[-1] > 3:
        return None
    # "Các sở: …" → "Sở …"; "Ban Thường trực Ủy ban MTTQ Việt Nam các huyện: …" → "… huyện …"
    k = plural[-1]
    before = name[: head_tokens[k].start].strip()
    after = name[head_tokens[k].end :].strip()
    head = f"{before} {after}".strip() if before else after[:1].upper() + after[1:]
    member_start = match.end + 1
    # members are bare names ("Công an, Tư pháp"): capitalised words up to the first lowercase verb
    tokens = _tokens(snippet.text, member_start, limit=60)
    members: list[tuple[int, int]] = []
    current: list[_Token] = []
    folded = fold(snippet.text)
    for tok in tokens:
        if (
            tok.text == ","
            and current
            and any(
                folded.startswith(name, current[0].start) and tok.start < current[0].start + len(name)
                for name in _COMMA_NAMES
            )
        ):
            current.append(tok)  # "Lao động, Thương binh và Xã hội" is one member
            continue
        if tok.text == ",":
            if current:
                members.append((current[0].start, current[-1].end))
            current = []
            continue
        if tok.capitalised or (current and tok.folded in ("va",)) or (current and tok.text == "-"):
            current.append(tok)
            continue
        if (
            current
            and current[-1].capitalised
            and (len(current) == 1 or not current[-2].capitalised)
            and tok.text[:1].isalpha()
            and tok.lower not in _FUNCTION_WORDS
        ):
            current.append(tok)  # second syllable: "Công an", "Tư pháp"
            continue
        if current and _match_phrase([tok], 0, _INNER) and tok.folded not in ("co",):
            current.append(tok)
            continue
        break
    if current:
        members.append((current[0].start, current[-1].end))
    out = []
    for s, e in members:
        member = snippet.slice(s, e)
        out.append(Snippet(f"{head} {member.text}", (0, len(head) + 1), (member.origin(0), member.origin(0))))
    return (out, members[-1][1]) if out else None
