"""Kính gửi (who must act) and Nơi nhận (who receives a copy, and why)."""

from __future__ import annotations

import re

from dondoc.parsing.agencies import correct_ocr_name, find_names, starts_with_head
from dondoc.parsing.lines import split_columns
from dondoc.parsing.model import DistributionEntry, Field
from dondoc.parsing.patterns import TYPE_BY_FOLDED
from dondoc.parsing.signer import NOI_NHAN, signature_tail, starts_signature
from dondoc.parsing.snippet import Snippet

_KINH_GUI = re.compile(r"^[\s\-–•*_]*(?:dong\s+)?kinh\s*gui\s*[:.]?\s*")
# a scan's specks before the label ("Ce na Kính gửi:"): only with its colon
_NOISY_KINH_GUI = re.compile(r"^\W*(?:\w{1,3}\W+){0,2}kinh\s*gui\s*:\s*")
# a news lead names them after the document: "… có Công văn số 6411/VPCP-KTTH gửi: Bộ trưởng các Bộ, …"
_KINDS = "|".join(sorted((re.escape(n) for n in TYPE_BY_FOLDED), key=len, reverse=True))
_SENT_TO = re.compile(rf"\b(?:{_KINDS}|van ban)\s+so\s+\d[^\s.;:]*[^.;:]{{0,80}}?\sgui\s*:\s*")
_LEAD_LINES = 5  # a news item opens with its headline and lead
_BULLET = re.compile(r"^\s*[\-–—•+*]+\s*")
_ITEM = re.compile(r"^\s*[\-–—•+*]+\s*[\"“]?[^\W\d_]")  # a bullet, then a word: "———" is a rule
_PURPOSE = re.compile(
    r"\(\s*(?:de\s+)?(b/c|bc|bao cao|thuc hien|t/h|phoi hop[^)]*|biet|theo doi|chi dao|giam sat)[^)]*\)"
)
_SAME_AS = re.compile(r"^nhu\s+(tren|kinh gui|dieu\s+\d+|khoan\s+\d+)")
_ARCHIVE = re.compile(r"^luu\b")
# the person heading a body, addressed with the body: "Chủ tịch UBND tỉnh", "Bộ trưởng các Bộ"
_TITLE = re.compile(
    r"(?:cac\s+)?(?:pho\s+)?(?:chu tich|bo truong|thu truong|bi thu|giam doc|tong giam doc|thong doc|"
    r"chanh an|vien truong|truong ban|tong cuc truong|cuc truong|vu truong|chu nhiem|nguoi dung dau|"
    r"thu tuong|tong thu ky|hieu truong|thanh vien|chanh van phong|tong kiem toan)\b"
)
# "Chủ tịch UBND các tỉnh, thành phố: Hà Tĩnh, Nghệ An": a shared head over local government units
_UNIT = r"(?:tinh|thanh pho|huyen|quan|thi xa|thi tran|xa|phuong)"
_UNIT_WORD = re.compile(rf"\b{_UNIT}\b")
_UNITS_HEAD = re.compile(rf"\bcac\s+({_UNIT}(?:\s*,\s*{_UNIT})*)\s*$")
# the cities under the central government: "thành phố Hải Phòng" where the head says "các tỉnh, thành phố"
_CITIES = {"ha noi", "hai phong", "da nang", "can tho", "ho chi minh", "hue"}
_MEMBER_SEPARATOR = re.compile(r",|\s+và\s+|\s+va\s+")
_SENTENCE_END = re.compile(r"(?<![A-ZĐ])\.(?=\s|$)")  # not the dot of "TP. Hồ Chí Minh"


def _opener(line: Snippet, index: int) -> tuple[Snippet, bool] | None:
    """What follows the label of an addressee list on line `index`, and whether the list runs inside a
    sentence of the body (a news lead) rather than on lines of its own."""
    folded = line.folded
    label = _KINH_GUI.match(folded) or _NOISY_KINH_GUI.match(folded)
    if label:
        return line.slice(label.end()).strip(" *"), False
    if _sends_cable(line.text):
        return line.slice(len(line.text)), False
    if index < _LEAD_LINES and "gui" in folded:
        sent = _SENT_TO.search(folded)
        if sent:
            rest = line.slice(sent.end())
            end = _SENTENCE_END.search(rest.text)
            return rest.slice(0, end.start() if end else len(rest.text)).strip(), True
    return None


def _sends_cable(text: str) -> bool:
    """A công điện names its sender in capitals, then its addressees: "THỦ TƯỚNG CHÍNH PHỦ điện:";
    "… ngành điện:" in a sentence is no sender."""
    head = text.rstrip().removesuffix(":").rstrip()
    if not head.endswith(" điện"):
        return False
    words = head[:-5].split()
    return len(words) >= 2 and all(w.isupper() for w in words[-2:])


def find_addressee_block(lines: list[Snippet], start: int, stop: int) -> tuple[int, int] | None:
    """Line range [first, end) of the Kính gửi block, searched in lines[start:stop]. A list inside a
    sentence of the body ("… Công văn số … gửi: …") gives end == first: that line stays in the body."""
    for i in range(start, min(stop, len(lines))):
        opened = _opener(lines[i], i)
        if opened is None:
            continue
        rest, inline = opened
        if inline:
            return (i, i) if rest.text else None
        end = i + 1
        previous = rest.text.strip()
        j = i + 1
        while j < len(lines):
            line = lines[j]
            text = line.text.strip()
            if not text:
                j += 1
                continue
            if (
                _ITEM.match(line.text)
                or _KINH_GUI.match(line.folded)
                or _only_names(text)
                or (previous and _continues(previous, text))
            ):
                end = j + 1
                previous = text
                j += 1
                continue
            if not previous:
                # a received stamp between the label and the list: "Ngày...40.L4O(-2Q25......"
                ahead = [k for k in range(j + 1, min(len(lines), j + 8)) if lines[k].text.strip()][:3]
                first_item = next((k for k in ahead if _ITEM.match(lines[k].text)), None)
                if first_item is not None:
                    j = first_item
                    continue
            break
        return i, end
    return None


def _continues(previous: str, text: str) -> bool:
    """Does this line carry on the addressee of the line before ("… Hà Tĩnh, Nghệ An," / "Thanh Hóa …")?"""
    if previous.endswith((",", ":")):
        return True
    if previous.endswith((".", ";")):
        return False
    return text[:1].islower() or previous.rsplit(None, 1)[-1].lower() in ("các", "và", "của", "thuộc")


def _only_names(text: str) -> bool:
    """An unbulleted addressee line holds names and nothing else ("Sở Tài chính;")."""
    stripped = text.strip().rstrip(",;.")
    if len(stripped) > 160 or not starts_with_head(stripped):
        return False
    _, end = find_names(Snippet.at(stripped, 0))
    return end >= len(stripped) - 1


def parse_addressees(lines: list[Snippet], block: tuple[int, int]) -> list[Field]:
    first, end = block
    opened = _opener(lines[first], first)
    assert opened is not None
    items: list[Snippet] = [opened[0]] if opened[0].text else []
    for line in lines[first + 1 : end]:
        text = line.strip()
        if not text.text:
            continue
        label = _KINH_GUI.match(text.folded)
        bullet = label or _BULLET.match(text.text)
        item = text.slice(bullet.end()) if bullet else text
        if not items and not label and not _ITEM.match(text.text) and not _only_names(text.text):
            continue  # a stamp read before the first addressee
        if not bullet and items:
            items[-1] = Snippet.join([items[-1], item])
        elif item.text:
            items.append(item)
    fields: list[Field] = []
    for item in items:
        start = 0
        # addressees on one line are apart by ";" ("Bộ trưởng các Bộ, …; Chủ tịch UBND các tỉnh, …")
        for piece_end in [k for k, c in enumerate(item.text) if c == ";"] + [len(item.text)]:
            fields.extend(_addressees_in(item.slice(start, piece_end)))
            start = piece_end + 1
    return fields


def _addressees_in(piece: Snippet) -> list[Field]:
    piece = piece.strip(' ,;.*"“”')
    if not piece.text:
        return []
    fields: list[Field] = []
    for part in _split_titles(piece):
        units = _expand_units(part)
        if units:
            fields.extend(units)
            continue
        if _TITLE.match(part.folded) and ":" not in part.text:
            fields.append(_fix(part))  # "Bí thư Tỉnh ủy, Thành ủy các tỉnh": one title over both bodies
            continue
        names, end_at = find_names(part)
        if names and end_at >= len(part.text.rstrip(" ,;.")) - 1:
            fields.extend(_fix(name) for name in names)
        else:
            fields.append(_fix(part))
    return fields


def _split_titles(piece: Snippet) -> list[Snippet]:
    """ "Bộ trưởng các Bộ, Thủ trưởng các cơ quan ngang Bộ" → two addressees: after a comma, a new title
    opens a new one, unless the title before stood bare ("Bộ trưởng, Thủ trưởng cơ quan ngang bộ")."""
    if not _TITLE.match(piece.folded):
        return [piece]
    parts: list[Snippet] = []
    start = 0
    folded = piece.folded
    for comma in re.finditer(r",\s*", folded):
        title = _TITLE.match(folded, comma.end())
        before = _TITLE.match(folded, start)
        if title and not (before and before.end() >= comma.start()):
            parts.append(piece.slice(start, comma.start()))
            start = comma.end()
    parts.append(piece.slice(start))
    return parts


def _expand_units(part: Snippet) -> list[Field]:
    """ "Chủ tịch Ủy ban nhân dân các tỉnh, thành phố: Hà Tĩnh, Hải Phòng và Nghệ An" → "Chủ tịch Ủy ban
    nhân dân tỉnh Hà Tĩnh", "… thành phố Hải Phòng", "… tỉnh Nghệ An"."""
    colon = part.text.find(":")
    if colon < 0:
        return []
    head = _UNITS_HEAD.search(part.folded, 0, colon)
    if not head:
        return []
    # each unit as printed ("tỉnh", "thành phố"), by its folded form
    printed = {
        m.group(): part.text[m.start() : m.end()] for m in _UNIT_WORD.finditer(part.folded, *head.span(1))
    }
    units = list(printed)
    prefix = " ".join(part.text[: head.start()].split())
    fields: list[Field] = []
    pos = colon + 1
    for separator in [*_MEMBER_SEPARATOR.finditer(part.text, pos), None]:
        stop = separator.start() if separator else len(part.text)
        member = part.slice(pos, stop).strip(" .;")
        if member.text and member.text[:1].isupper():
            folded = member.folded.strip()
            unit = "thanh pho" if folded in _CITIES and "thanh pho" in units else units[0]
            name = " ".join(x for x in (prefix, printed[unit], " ".join(member.text.split())) if x)
            fields.append(Field(correct_ocr_name(name[:1].upper() + name[1:]), member.span()))
        if separator:
            pos = separator.end()
    return fields


def _fix(name: Snippet) -> Field:
    text = correct_ocr_name(" ".join(name.text.split()).strip(" ,;."))
    return Field(text[:1].upper() + text[1:], name.span())


def find_distribution_block(lines: list[Snippet], start: int) -> tuple[int, int] | None:
    for i in range(start, len(lines)):
        if NOI_NHAN.match(lines[i].folded):
            end = i + 1
            j = i + 1
            previous = ""
            while j < len(lines):
                cell = _first_cell(lines[j])
                text = cell.text.strip()
                if not text:
                    j += 1
                    continue
                if (
                    _BULLET.match(cell.text)
                    or text.startswith("(")
                    or _ARCHIVE.match(cell.folded.strip())
                    or text[:1].islower()
                    or previous.endswith((",", ":"))  # "- VPCP: BTCN, các PCN," / "Trợ lý TTg;"
                ):
                    end = j + 1
                    j += 1
                    previous = text
                    continue
                break
            return i, end
    return None


def _first_cell(line: Snippet) -> Snippet:
    """The left cell of a line flattened from the two-column closing (Nơi nhận | signature)."""
    cells = split_columns(line)
    cell = cells[0] if cells else line.strip()
    tail = signature_tail(cell)  # "- Các thành viên Chính phủ; KT. THỦ TƯỚNG"
    return cell.slice(0, cell.text.rfind(tail.text)) if tail else cell


def parse_distribution(lines: list[Snippet], block: tuple[int, int]) -> list[DistributionEntry]:
    first, end = block
    raw_items: list[tuple[Snippet, bool]] = []  # (item, bracketed with the lines around it by "|")
    opener = lines[first]
    match = NOI_NHAN.match(opener.folded)
    assert match is not None
    after = opener.slice(match.end())
    # "Nơi nhận:      KT. BỘ TRƯỞNG": what stands far to the right is the signature column
    rest = _first_cell(after) if not re.match(r"\s{3,}", after.text) else after.slice(0, 0)
    if rest.text.strip() and not starts_signature(rest.strip()):
        raw_items.append((rest, False))
    for line in lines[first + 1 : end]:
        cell = _first_cell(line)
        if not cell.text.strip():
            continue
        bullet = _BULLET.match(cell.text)
        if not bullet and raw_items:
            previous, bracket = raw_items[-1]
            raw_items[-1] = (Snippet.join([previous, cell]), bracket)
            continue
        item = cell.slice(bullet.end()) if bullet else cell
        raw_items.append((item, "|" in item.text))
    # a "|" bracket groups lines that share one purpose: "- A, | (b/c)" / "- B, |"
    purposes: list[str | None] = [_purpose(item.folded) for item, _ in raw_items]
    k = 0
    while k < len(raw_items):
        if raw_items[k][1]:
            j = k
            while j < len(raw_items) and raw_items[j][1]:
                j += 1
            shared = next((p for p in purposes[k:j] if p), None)
            for m in range(k, j):
                purposes[m] = purposes[m] or shared
            k = j
        else:
            k += 1
    entries: list[DistributionEntry] = []
    for (item, _), purpose in zip(raw_items, purposes, strict=True):
        entries.extend(_entries(item, purpose))
    return entries


def _purpose(folded: str) -> str | None:
    match = _PURPOSE.search(folded)
    if not match:
        return None
    word = match.group(1)
    if word in ("b/c", "bc", "bao cao"):
        return "report"
    if word.startswith(("thuc hien", "t/h", "phoi hop", "chi dao")):
        return "act"
    return None


def _entries(item: Snippet, purpose: str | None) -> list[DistributionEntry]:
    cleaned = item.slice(0, item.text.index("|")) if "|" in item.text else item
    paren = _PURPOSE.search(cleaned.folded)
    if paren:
        cleaned = Snippet.join([cleaned.slice(0, paren.start()), cleaned.slice(paren.end())], sep="")
    cleaned = cleaned.strip(" ,;.")
    folded = cleaned.folded.strip()
    if not folded:
        return []
    if _ARCHIVE.match(folded):
        return [DistributionEntry(" ".join(item.text.split()).strip(" ,;.|"), "archive", item.span())]
    if _SAME_AS.match(folded):
        return [DistributionEntry(" ".join(cleaned.text.split()), "addressees", cleaned.span())]
    names, end = find_names(cleaned)
    if names and end >= len(cleaned.text) - 1:
        texts = _share_tail([" ".join(n.text.split()) for n in names])
        return [
            DistributionEntry(text[:1].upper() + text[1:], purpose, name.span())
            for text, name in zip(texts, names, strict=True)
        ]
    text = " ".join(cleaned.text.split())
    return [DistributionEntry(text[:1].upper() + text[1:], purpose, cleaned.span())]


_BARE_TITLES = {"ct", "pct", "chủ tịch", "phó chủ tịch", "giám đốc", "phó giám đốc", "thủ tướng", "bộ trưởng"}


def _share_tail(names: list[str]) -> list[str]:
    """ "CT, các PCT UBND tỉnh" → "CT UBND tỉnh", "các PCT UBND tỉnh": a bare title takes the body
    named after the next title."""
    out = list(names)
    for i in range(len(names) - 1):
        if names[i].lower() in _BARE_TITLES:
            words = names[i + 1].split()
            for k in range(1, len(words)):
                if words[k - 1].lower() in _BARE_TITLES or words[k - 1] in ("PCT", "CT"):
                    out[i] = f"{names[i]} {' '.join(words[k:])}"
                    break
    return out
