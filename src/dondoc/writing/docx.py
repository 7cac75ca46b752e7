"""An OfficialDocument written as .docx in the official layout of its issuer's system: Hướng dẫn 36-HD/VPTW
(2018) for Party bodies, Nghị định 30/2020/NĐ-CP Phụ lục I for State bodies.

The page is A4 portrait with margins of 20 mm (top, bottom), 30 mm (left) and 15 mm (right), Times New Roman
throughout, page numbers centred at the top from page 2 on. The header is a borderless table of two rows, so
that the number sits level with the place and date: the body's name (under its parent) and the Party's title
or the national motto above, "Số …" and the date below. Then the title and subject of a report, or "Kính
gửi" for a letter, the body, and a borderless table with "Nơi nhận" on the left and the signer on the right.

The same document gives the same bytes: the properties inside carry `document.created`, and the archive is
rewritten with fixed entry times (archive.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENTATION
from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell, _Row
from docx.text.paragraph import Paragraph
from lxml.etree import _Element

from dondoc.writing.archive import reproducible_zip
from dondoc.writing.model import Block, BlockKind, DocumentKind, OfficialDocument, System, Table

FONT = "Times New Roman"
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
TOP_MARGIN, BOTTOM_MARGIN, LEFT_MARGIN, RIGHT_MARGIN = Mm(20), Mm(20), Mm(30), Mm(15)
TEXT_WIDTH = Mm(210 - 30 - 15)
FIRST_LINE_INDENT = Mm(12.7)
AUTHOR = "dondoc"

# room left for the number a clerk writes or stamps when the document is signed
_NUMBER_ROOM = "\u00a0" * 8
_DATE_ROOM = "…"

Align = WD_ALIGN_PARAGRAPH


@dataclass(frozen=True, slots=True)
class _Layout:
    """The sizes (points) and header columns (mm) of one system's layout."""

    columns: tuple[int, int]
    issuer: int  # the parent's and the body's names, and the number
    heading: int  # "ĐẢNG CỘNG SẢN VIỆT NAM" / "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    motto: int
    place_date: int
    letter_subject: int
    letter_subject_italic: bool
    title: int  # "BÁO CÁO"
    subject: int
    body: int
    table: int
    receivers_label: int
    receivers: int
    signer: int


_LAYOUTS = {
    # HD 36-HD/VPTW, Phụ lục 3: title 15 bold; names 14; number 14; date 14 italic; "BÁO CÁO" 15-16;
    # a letter's subject 12 italic; body 14-15; "Nơi nhận" 14 underlined, its lines 12; signer 14 bold
    System.PARTY: _Layout(
        columns=(75, 90),
        issuer=14,
        heading=15,
        motto=0,
        place_date=14,
        letter_subject=12,
        letter_subject_italic=True,
        title=16,
        subject=14,
        body=14,
        table=13,
        receivers_label=14,
        receivers=12,
        signer=14,
    ),
    # NĐ 30/2020, Phụ lục I: national title 12-13 bold, motto 13-14 bold; names and number 12-13; date 13-14
    # italic; "BÁO CÁO" 13-14 bold; a letter's subject 12-13 upright; body 13-14; "Nơi nhận" 12 bold italic,
    # its lines 11; signer 13-14 bold
    System.STATE: _Layout(
        columns=(65, 100),
        issuer=13,
        heading=12,
        motto=13,
        place_date=14,
        letter_subject=12,
        letter_subject_italic=False,
        title=14,
        subject=14,
        body=14,
        table=13,
        receivers_label=12,
        receivers=11,
        signer=14,
    ),
}


@dataclass(frozen=True, slots=True)
class _Run:
    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False


def write_document(document: OfficialDocument) -> bytes:
    """The document as .docx bytes, the same bytes for the same document."""
    layout = _LAYOUTS[document.issuer.system]
    word = docx.Document()
    _set_fonts(word, layout.body)
    _set_page(word, layout)
    _set_properties(word, document)
    _header(word, document, layout)
    if document.kind is DocumentKind.REPORT:
        _title(word, document, layout)
    else:
        _addressees(word, document, layout)
    _body(word, document.body, layout)
    _closing(word, document, layout)
    out = BytesIO()
    word.save(out)
    return reproducible_zip(out.getvalue())


# --- the parts of the document ---


def _header(word: Document, document: OfficialDocument, layout: _Layout) -> None:
    issuer = document.issuer
    table = _borderless_table(word, rows=2, columns=layout.columns)
    top_left, top_right = table.rows[0].cells
    bottom_left, bottom_right = table.rows[1].cells
    if issuer.parent:
        _add(top_left, _Run(issuer.parent.upper()), size=layout.issuer, align=Align.CENTER)
    _add(top_left, _Run(issuer.name.upper(), bold=True), size=layout.issuer, align=Align.CENTER)
    if issuer.system is System.PARTY:
        _add(top_left, _Run("*"), size=layout.issuer, align=Align.CENTER)
        _add(
            top_right,
            _Run("ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, underline=True),
            size=layout.heading,
            align=Align.CENTER,
        )
    else:
        # NĐ 30: a line under the name, a third to a half as long as it
        column = Mm(layout.columns[0])
        name_width = min(_text_width(issuer.name.upper()), column)
        _rule(top_left, width=Length(max(Mm(15), name_width * 2 // 5)), column=column)
        _add(
            top_right,
            _Run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True),
            size=layout.heading,
            align=Align.CENTER,
        )
        _add(
            top_right,
            _Run("Độc lập - Tự do - Hạnh phúc", bold=True, underline=True),
            size=layout.motto,
            align=Align.CENTER,
        )
    _add(bottom_left, _Run(number_line(document)), size=layout.issuer, align=Align.CENTER, space_before=Pt(3))
    if document.kind is DocumentKind.LETTER:
        _add(
            bottom_left,
            _Run(f"V/v {document.subject}", italic=layout.letter_subject_italic),
            size=layout.letter_subject,
            align=Align.CENTER,
        )
    _add(
        bottom_right,
        _Run(place_and_date(document), italic=True),
        size=layout.place_date,
        align=Align.CENTER,
        space_before=Pt(3),
    )
    for cell in (top_left, top_right, bottom_left, bottom_right):
        _drop_first_empty_paragraph(cell)


def number_line(document: OfficialDocument) -> str:
    """ "Số 12-BC/BTCTU" in the Party's form (HD 36 prints no colon), "Số: 12/BC-SNV" in the State's; a
    State letter has no kind in its number (NĐ 30: "Số: 12/SNV"). Room is left when the number is empty."""
    number = document.number or _NUMBER_ROOM
    symbol = document.issuer.symbol
    if document.issuer.system is System.PARTY:
        return f"Số {number}-{document.kind.value}/{symbol}"
    if document.kind is DocumentKind.LETTER:
        return f"Số: {number}/{symbol}"
    return f"Số: {number}/{document.kind.value}-{symbol}"


def place_and_date(document: OfficialDocument) -> str:
    """ "Đắk Nông, ngày 05 tháng 02 năm 2026": a day below 10 and the months 1 and 2 take a leading zero;
    dots where the day is still to be written."""
    place = document.issuer.place
    day = document.issued_on
    if day is None:
        return f"{place}, ngày {_DATE_ROOM} tháng {_DATE_ROOM} năm {document.year}"
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def _title(word: Document, document: OfficialDocument, layout: _Layout) -> None:
    _add(word, _Run("BÁO CÁO", bold=True), size=layout.title, align=Align.CENTER, space_before=Pt(18))
    _add(word, _Run(document.subject, bold=True), size=layout.subject, align=Align.CENTER)
    if document.issuer.system is System.PARTY:
        # HD 36: five hyphens under the subject
        _add(word, _Run("-----"), size=layout.subject, align=Align.CENTER, space_after=Pt(12))
    else:
        _rule(word, width=Mm(40), column=TEXT_WIDTH, space_after=Pt(12))


_KINH_GUI = "Kính gửi:"
_ADDRESSEE_INDENT = Mm(55)  # the addressees' lines start here, "Kính gửi:" just left of them
_KINH_GUI_WIDTH = Mm(23)


def _addressees(word: Document, document: OfficialDocument, layout: _Layout) -> None:
    addressees = document.addressees
    if len(addressees) == 1:
        _add(
            word,
            _Run(f"{_KINH_GUI} {addressees[0]}"),
            size=layout.body,
            align=Align.CENTER,
            space_before=Pt(12),
            space_after=Pt(12),
        )
        return
    last = len(addressees) - 1
    for index, addressee in enumerate(addressees):
        line = f"- {_punctuated(addressee, ';' if index < last else '.')}"
        paragraph = _add(
            word,
            _Run(f"{_KINH_GUI}\t{line}" if index == 0 else line),
            size=layout.body,
            align=Align.LEFT,
            space_before=Pt(12) if index == 0 else None,
            space_after=Pt(12) if index == last else None,
        )
        paragraph.paragraph_format.left_indent = _ADDRESSEE_INDENT
        paragraph.paragraph_format.tab_stops.add_tab_stop(_ADDRESSEE_INDENT)
        if index == 0:
            paragraph.paragraph_format.first_line_indent = -_KINH_GUI_WIDTH


def _punctuated(text: str, mark: str) -> str:
    return text if text[-1:] in ",;.:" else text + mark


def _body(word: Document, body: tuple[Block | Table, ...], layout: _Layout) -> None:
    after_table = False
    paragraph: Paragraph | None = None
    for part in body:
        if isinstance(part, Table):
            _figures(word, part, layout)
            after_table = True
            paragraph = None
            continue
        runs = []
        if part.kind is BlockKind.ITEM:
            runs.append(_Run("- "))
        if part.lead:
            lead = part.lead if part.lead[-1:].isspace() or not part.text else part.lead + " "
            runs.append(_Run(lead, bold=True))
        bold = part.kind in (BlockKind.HEADING, BlockKind.SUBHEADING)
        runs.append(_Run(part.text, bold=bold, italic=part.kind is BlockKind.QUOTE))
        paragraph = _add(
            word,
            *runs,
            size=layout.body,
            align=Align.JUSTIFY,
            space_before=Pt(6) if after_table else None,
            space_after=Pt(6),
            line_spacing=1.15,
        )
        paragraph.paragraph_format.first_line_indent = FIRST_LINE_INDENT
        if bold:
            paragraph.paragraph_format.keep_with_next = True
        after_table = False
    if paragraph is not None:
        # the last lines go with the signature: no page holds the signature alone
        paragraph.paragraph_format.keep_with_next = True


_NUMBER = re.compile(r"^[\d\s.,%/+-]+$")


def _figures(word: Document, figures: Table, layout: _Layout) -> None:
    """A bordered table across the text's width, its header row bold and repeated on every page."""
    widths = _column_widths(figures)
    table = word.add_table(rows=1 + len(figures.rows), cols=len(figures.headers))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fix_widths(table, widths)
    _borders(table, "single")
    header = table.rows[0]
    _row_properties(header, repeat=True)
    for cell, text in zip(header.cells, figures.headers, strict=True):
        _cell_text(cell, _Run(text, bold=True), size=layout.table, align=Align.CENTER)
    for row, values in zip(table.rows[1:], figures.rows, strict=True):
        _row_properties(row, repeat=False)
        for cell, text in zip(row.cells, values, strict=True):
            align = Align.CENTER if _NUMBER.match(text) else Align.LEFT
            _cell_text(cell, _Run(text), size=layout.table, align=align)


# the width of a character of a table's text (Times New Roman, 13 pt, in bold for the headers): the wide
# ones (capitals, m, w) and the rest; and a cell's margins
_WIDE, _CHARACTER = Mm(3.6), Mm(2.5)
_CELL_MARGINS = Mm(4.5)
_WIDEST_CELL = Mm(150)  # longer texts wrap


def _text_width(text: str) -> Length:
    return Length(
        sum(_WIDE if character.isupper() or character in "mw" else _CHARACTER for character in text)
    )


def _column_widths(figures: Table) -> list[Length]:
    """The text's width shared out: each column first gets room for its longest word, then the rest goes to
    the columns whose texts are longer, in proportion; a table narrower than the text is widened to it."""
    natural, narrowest = [], []
    for index, header in enumerate(figures.headers):
        texts = [header, *(row[index] for row in figures.rows)]
        # a figure is not broken ("81,8 %"); other texts may wrap between words
        words = [word for text in texts for word in ([text] if _NUMBER.match(text) else text.split())]
        natural.append(min(max(map(_text_width, texts)), _WIDEST_CELL) + _CELL_MARGINS)
        narrowest.append(max(map(_text_width, words), default=_CHARACTER) + _CELL_MARGINS)
    if sum(natural) <= TEXT_WIDTH:
        return [Length(TEXT_WIDTH * width // sum(natural)) for width in natural]
    spare = TEXT_WIDTH - sum(narrowest)
    if spare <= 0:
        return [Length(TEXT_WIDTH * width // sum(narrowest)) for width in narrowest]
    extra = [wide - narrow for wide, narrow in zip(natural, narrowest, strict=True)]
    return [
        Length(narrow + spare * more // max(sum(extra), 1))
        for narrow, more in zip(narrowest, extra, strict=True)
    ]


def _closing(word: Document, document: OfficialDocument, layout: _Layout) -> None:
    """ "Nơi nhận" and its lines on the left, the signer's block centred on the right."""
    # a little room between the body and the signature
    _add(word, _Run(""), size=6, align=Align.LEFT).paragraph_format.keep_with_next = True
    table = _borderless_table(word, rows=1, columns=layout.columns)
    _row_properties(table.rows[0], repeat=False)
    receivers, signer = table.rows[0].cells
    if document.distribution:
        party = document.issuer.system is System.PARTY
        label = _Run("Nơi nhận:", bold=not party, italic=not party, underline=party)
        _add(receivers, label, size=layout.receivers_label, align=Align.LEFT)
        for line in document.distribution:
            _add(receivers, _Run(f"- {line}"), size=layout.receivers, align=Align.LEFT)
    lines = [document.signer.authority, document.signer.title]
    for line in filter(None, lines):
        _add(signer, _Run(line.upper(), bold=True), size=layout.signer, align=Align.CENTER)
    # the room for the signature (and the seal): about five lines
    _add(
        signer,
        _Run(document.signer.name, bold=True),
        size=layout.signer,
        align=Align.CENTER,
        space_before=Pt(5 * layout.signer * 1.15),
    )
    for cell in (receivers, signer):
        _drop_first_empty_paragraph(cell)
    # a document ends with a paragraph; this one takes no room
    _add(word, _Run(""), size=1, align=Align.LEFT)


# --- the page and the styles ---


def _set_fonts(word: Document, size: int) -> None:
    """Times New Roman for every script, in the defaults and the Normal style, so that Word and LibreOffice
    both use it (the template's theme fonts would otherwise win)."""
    styles = word.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    assert defaults is not None, "python-docx's template has document defaults"
    run_defaults = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    assert run_defaults is not None
    for properties in (run_defaults, word.styles["Normal"].element.get_or_add_rPr()):
        _times_new_roman(properties)
        for name in ("w:sz", "w:szCs"):
            element = _child(properties, name)
            element.set(qn("w:val"), str(size * 2))
        language = _child(properties, "w:lang")
        language.attrib.clear()
        language.set(qn("w:val"), "vi-VN")
    paragraph_defaults = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}")
    assert paragraph_defaults is not None
    spacing = _child(paragraph_defaults, "w:spacing")
    spacing.attrib.clear()
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")


def _times_new_roman(properties: _Element) -> None:
    fonts = _child(properties, "w:rFonts")
    fonts.attrib.clear()
    for name in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(name), FONT)


# the order of the properties in the schema, for those this module adds itself (python-docx keeps it for
# those it adds): Word refuses a file whose properties come out of order
_SCHEMA_ORDER = {
    "w:pPr": (
        "w:pStyle w:keepNext w:keepLines w:pageBreakBefore w:framePr w:widowControl w:numPr "
        "w:suppressLineNumbers w:pBdr w:shd w:tabs w:suppressAutoHyphens w:kinsoku w:wordWrap "
        "w:overflowPunct w:topLinePunct w:autoSpaceDE w:autoSpaceDN w:bidi w:adjustRightInd w:snapToGrid "
        "w:spacing w:ind w:contextualSpacing w:mirrorIndents w:suppressOverlap w:jc w:textDirection "
        "w:textAlignment w:textboxTightWrap w:outlineLvl w:divId w:cnfStyle w:rPr w:sectPr w:pPrChange"
    ),
    "w:rPr": (
        "w:rStyle w:rFonts w:b w:bCs w:i w:iCs w:caps w:smallCaps w:strike w:dstrike w:outline w:shadow "
        "w:emboss w:imprint w:noProof w:snapToGrid w:vanish w:webHidden w:color w:spacing w:w w:kern "
        "w:position w:sz w:szCs w:highlight w:u w:effect w:bdr w:shd w:fitText w:vertAlign w:rtl w:cs w:em "
        "w:lang w:eastAsianLayout w:specVanish w:oMath"
    ),
    "w:tblPr": (
        "w:tblStyle w:tblpPr w:tblOverlap w:bidiVisual w:tblStyleRowBandSize w:tblStyleColBandSize w:tblW "
        "w:jc w:tblCellSpacing w:tblInd w:tblBorders w:shd w:tblLayout w:tblCellMar w:tblLook w:tblCaption "
        "w:tblDescription w:tblPrChange"
    ),
    "w:tblBorders": "w:top w:left w:bottom w:right w:insideH w:insideV",
    "w:pBdr": "w:top w:left w:bottom w:right w:between w:bar",
}
_ORDER_BY_TAG = {qn(parent): [qn(name) for name in names.split()] for parent, names in _SCHEMA_ORDER.items()}


def _child(parent: _Element, name: str) -> _Element:
    """`parent`'s child `name`, added when missing at its place in the schema's order."""
    tag = qn(name)
    found = parent.find(tag)
    if found is not None:
        return found
    element = OxmlElement(name)
    order = _ORDER_BY_TAG.get(parent.tag, [])
    successors = set(order[order.index(tag) + 1 :]) if tag in order else set()
    following = next((child for child in parent if child.tag in successors), None)
    if following is None:
        parent.append(element)
    else:
        following.addprevious(element)
    return element


def _set_page(word: Document, layout: _Layout) -> None:
    section = word.sections[0]
    section.orientation = WD_ORIENTATION.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = TOP_MARGIN, BOTTOM_MARGIN
    section.left_margin, section.right_margin = LEFT_MARGIN, RIGHT_MARGIN
    section.header_distance = section.footer_distance = Mm(10)
    # the first page shows no number: it has a header of its own, left empty
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.alignment = Align.CENTER
    _page_field(paragraph, layout.body)


def _page_field(paragraph: Paragraph, size: int) -> None:
    """A PAGE field, written as Word writes it: begin, instruction, separate, the last value, end."""
    for kind, text in (("begin", ""), ("instr", " PAGE "), ("separate", ""), ("text", "2"), ("end", "")):
        run = paragraph.add_run()
        run.font.size = Pt(size)
        if kind == "instr":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run._r.append(instruction)
        elif kind == "text":
            run.text = text
        else:
            character = OxmlElement("w:fldChar")
            character.set(qn("w:fldCharType"), kind)
            run._r.append(character)


def _set_properties(word: Document, document: OfficialDocument) -> None:
    moment = datetime.combine(document.created, datetime.min.time(), tzinfo=UTC)
    properties = word.core_properties
    properties.author = properties.last_modified_by = AUTHOR
    properties.created = properties.modified = properties.last_printed = moment
    properties.revision = 1
    properties.title = document.subject
    properties.comments = ""


# --- tables, paragraphs and runs ---


def _borderless_table(word: Document, *, rows: int, columns: tuple[int, int]) -> DocxTable:
    table: DocxTable = word.add_table(rows=rows, cols=len(columns))
    _fix_widths(table, [Mm(width) for width in columns])
    _borders(table, "nil")
    return table


def _fix_widths(table: DocxTable, widths: list[Length]) -> None:
    """Fixed column widths, in the grid, the table and each cell, which Word and LibreOffice each read."""
    table.autofit = False
    properties = table._tbl.tblPr
    width = _child(properties, "w:tblW")
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(sum(widths) // 635))  # EMU to twentieths of a point
    for column, size in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        column.set(qn("w:w"), str(size // 635))
    for row in table.rows:
        for cell, size in zip(row.cells, widths, strict=True):
            cell.width = size


def _borders(table: DocxTable, line: str) -> None:
    borders = _child(table._tbl.tblPr, "w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        border = _child(borders, f"w:{side}")
        border.set(qn("w:val"), line)
        if line != "nil":
            border.set(qn("w:sz"), "4")
            border.set(qn("w:space"), "0")
            border.set(qn("w:color"), "000000")


def _row_properties(row: _Row, *, repeat: bool) -> None:
    """A row never split across pages; the header row repeated on each page."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if repeat:
        properties.append(OxmlElement("w:tblHeader"))


def _cell_text(cell: _Cell, run: _Run, *, size: int, align: WD_ALIGN_PARAGRAPH) -> None:
    cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    paragraph = cell.paragraphs[0]
    _format(paragraph, size=size, align=align, space_before=Pt(2), space_after=Pt(2))
    _add_run(paragraph, run, size)


def _drop_first_empty_paragraph(cell: _Cell) -> None:
    """A new cell holds an empty paragraph; once others are added it would print as a blank line."""
    paragraphs = cell.paragraphs
    if len(paragraphs) > 1 and not paragraphs[0].runs:
        paragraphs[0]._p.getparent().remove(paragraphs[0]._p)


def _add(
    container: Document | _Cell,
    *runs: _Run,
    size: int,
    align: WD_ALIGN_PARAGRAPH,
    space_before: Length | None = None,
    space_after: Length | None = None,
    line_spacing: float | None = None,
) -> Paragraph:
    paragraph = container.add_paragraph()
    _format(
        paragraph,
        size=size,
        align=align,
        space_before=space_before,
        space_after=space_after,
        line_spacing=line_spacing,
    )
    for run in runs:
        _add_run(paragraph, run, size)
    return paragraph


def _format(
    paragraph: Paragraph,
    *,
    size: int,
    align: WD_ALIGN_PARAGRAPH,
    space_before: Length | None = None,
    space_after: Length | None = None,
    line_spacing: float | None = None,
) -> None:
    paragraph.alignment = align
    form = paragraph.paragraph_format
    if space_before is not None:
        form.space_before = space_before
    if space_after is not None:
        form.space_after = space_after
    if line_spacing is not None:
        form.line_spacing = line_spacing
    # the paragraph mark's size sets the height of an empty line
    mark = _child(paragraph._p.get_or_add_pPr(), "w:rPr")
    _child(mark, "w:sz").set(qn("w:val"), str(size * 2))


def _add_run(paragraph: Paragraph, run: _Run, size: int) -> None:
    if not run.text:
        return
    added = paragraph.add_run(run.text)
    added.font.size = Pt(size)
    if run.bold:
        added.bold = True
    if run.italic:
        added.italic = True
    if run.underline:
        added.underline = True


def _rule(
    container: Document | _Cell, *, width: Length, column: Length, space_after: Length | None = None
) -> None:
    """A short solid line, centred: the bottom border of an empty paragraph narrowed by its indents."""
    paragraph = _add(container, _Run(""), size=2, align=Align.CENTER, space_after=space_after)
    form = paragraph.paragraph_format
    form.left_indent = form.right_indent = Length((column - width) // 2)
    form.line_spacing = Pt(2)
    borders = _child(paragraph._p.get_or_add_pPr(), "w:pBdr")
    bottom = _child(borders, "w:bottom")
    for name, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(name), value)
