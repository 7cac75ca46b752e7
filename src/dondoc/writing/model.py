"""What an official document is made of, before it is written: plain values that the Django apps fill from
their data and `docx.write_document` lays out in the official layout of the issuer's system (Hướng dẫn
36-HD/VPTW for Party bodies, Nghị định 30/2020/NĐ-CP Phụ lục I for State bodies).

Everything here is text as it will be printed: the apps decide the words, this package decides the layout."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class System(StrEnum):
    """Which rules lay the document out: the Party's (HD 36-HD/VPTW) or the State's (NĐ 30/2020)."""

    PARTY = "party"
    STATE = "state"


class DocumentKind(StrEnum):
    """The kind of document, by its abbreviation in the number ("Số: …-BC/BTCTU", "Số: …/BC-SNV")."""

    REPORT = "BC"  # báo cáo: a title ("BÁO CÁO") and a subject under it
    LETTER = "CV"  # công văn: no title; its subject ("V/v …") under the number, then "Kính gửi"


@dataclass(frozen=True, slots=True)
class Issuer:
    """The issuing body as its header prints it.

    `parent` is the line above the body's name: the body it belongs to ("TỈNH ỦY ĐẮK NÔNG" above "BAN TỔ
    CHỨC"; "UBND TỈNH ĐẮK NÔNG" above "SỞ NỘI VỤ"), empty for a body printed alone ("TỈNH ỦY ĐẮK NÔNG").
    `symbol` is the body's abbreviation in the number ("BTCTU", "SNV"); `place` the place before the date
    ("Đắk Nông")."""

    system: System
    name: str
    symbol: str
    place: str
    parent: str = ""


@dataclass(frozen=True, slots=True)
class Signer:
    """The signature block: `authority` above the title when one signs for a collective or a superior
    ("T/M BAN THƯỜNG VỤ", "KT. TRƯỞNG BAN"), the `title` ("TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"), and the `name`,
    empty while the document is a draft for the clerk to complete."""

    title: str
    authority: str = ""
    name: str = ""


class BlockKind(StrEnum):
    HEADING = "heading"  # "I. KẾT QUẢ THỰC HIỆN": bold, upper case as given
    SUBHEADING = "subheading"  # "1. Nhiệm vụ 1 …": bold
    PARAGRAPH = "paragraph"  # body text, first line indented, justified
    ITEM = "item"  # one item of a list, first line indented; the writer prints its dash ("- …")
    QUOTE = "quote"  # a body's own words, cited: italic


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph of the body. `lead`, when given, is printed in bold before `text` ("Cư Jút: " then what
    it reported)."""

    kind: BlockKind
    text: str
    lead: str = ""


@dataclass(frozen=True, slots=True)
class Table:
    """A table in the body (the figures): a header row, then rows of the same length."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class OfficialDocument:
    """A report or a letter, ready to be laid out.

    `number` and `issued_on` are left empty for a draft: the header prints dots in their place ("Số: …-BC/
    BTCTU", "Đắk Nông, ngày … tháng … năm 2026") for the clerk to fill in when it is signed; `year` is the
    year printed then. `addressees` are the "Kính gửi" lines of a letter; `distribution` the "Nơi nhận"
    lines ("Như trên,", "Lưu VT."). `created` is the timestamp written inside the file, so that the same
    document gives the same bytes."""

    issuer: Issuer
    kind: DocumentKind
    subject: str
    year: int
    body: tuple[Block | Table, ...]
    signer: Signer
    created: date
    addressees: tuple[str, ...] = ()
    distribution: tuple[str, ...] = ()
    number: str = ""
    issued_on: date | None = None


@dataclass(frozen=True, slots=True)
class Sheet:
    """One sheet of a workbook: a title printed above the table, its header row and its rows. A cell is text,
    a number, a date, or None for an empty cell; `widths` are the columns' widths in characters (computed from
    the content when empty)."""

    name: str
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str | int | float | date | None, ...], ...]
    widths: tuple[int, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Workbook:
    """A workbook of sheets; `created` is written inside the file, so that the same data gives the same
    bytes."""

    sheets: tuple[Sheet, ...]
    created: date
    title: str = ""
