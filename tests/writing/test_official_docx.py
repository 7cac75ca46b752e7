"""The official documents as .docx: read back with python-docx for their content and layout settings, then
printed through LibreOffice to PDF and looked at (header columns side by side, page numbers from page 2,
nothing past the right margin). The rendered pages are kept in var/artefacts for a person to look at."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, replace
from datetime import date
from io import BytesIO
from pathlib import Path

import docx
import pdfplumber
import pytest
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from tests.writing.rendering import ARTEFACTS, docx_to_pdf, pdf_pages_to_png

from dondoc.writing import (
    Block,
    BlockKind,
    DocumentKind,
    Issuer,
    OfficialDocument,
    Signer,
    System,
    Table,
    write_document,
)
from dondoc.writing.archive import FIXED_ENTRY_TIME
from dondoc.writing.docx import place_and_date

PARTY_ISSUER = Issuer(System.PARTY, "Ban Tổ chức", "BTCTU", "Đắk Nông", parent="Tỉnh ủy Đắk Nông")
STATE_ISSUER = Issuer(System.STATE, "Sở Nội vụ", "SNV", "Đắk Nông", parent="UBND tỉnh Đắk Nông")
DISTRICTS = ("Cư Jút", "Đắk Mil", "Krông Nô", "Đắk Song", "Đắk R'lấp", "Đắk Glong", "Tuy Đức", "Gia Nghĩa")
TASKS = (
    "Quán triệt, phổ biến và triển khai thực hiện các nội dung tại Kết luận số 50-KL/TW",
    "Nâng cao nhận thức, trách nhiệm của các cấp ủy, tổ chức đảng về thực hiện Nghị quyết số 18-NQ/TW",
    "Sơ kết, tổng kết các nghị quyết, chủ trương về tổ chức bộ máy",
    "Kiện toàn tổ chức bên trong của các cơ quan, đơn vị theo hướng tinh gọn",
    "Thực hiện nghiêm các quy định về quản lý biên chế của hệ thống chính trị",
    "Cụ thể hóa nghị quyết của các cấp ủy; đẩy mạnh phân cấp, phân quyền",
    "Rà soát, sắp xếp chức danh, chức vụ theo phân cấp quản lý",
    "Thôi thực hiện mô hình Văn phòng cấp ủy phục vụ chung",
    "Đề xuất mô hình trưởng ban tuyên giáo đồng thời là giám đốc trung tâm chính trị cấp huyện",
    "Tăng cường kiểm tra, giám sát việc sắp xếp tổ chức bộ máy",
    "Đôn đốc, kiểm tra, giám sát và định kỳ báo cáo Ban Thường vụ Tỉnh ủy",
)
SUBJECT = "kết quả thực hiện Kết luận số 50-KL/TW của Bộ Chính trị quý I năm 2026"
INTRODUCTION = (
    "Thực hiện Công văn số 1317-CV/TU, ngày 17/4/2023 của Ban Thường vụ Tỉnh ủy về thực hiện Kết luận số "
    "50-KL/TW, ngày 28/02/2023 của Bộ Chính trị, Ban Tổ chức Tỉnh ủy báo cáo kết quả thực hiện quý I năm "
    "2026 như sau:"
)
CLOSING = "Trên đây là báo cáo kết quả thực hiện quý I năm 2026, Ban Tổ chức Tỉnh ủy kính báo cáo."


def report_body() -> tuple[Block | Table, ...]:
    """A quarter's report on the seed letter's eleven tasks: what each body did, the figures, what is next."""
    body: list[Block | Table] = [
        Block(BlockKind.PARAGRAPH, INTRODUCTION),
        Block(BlockKind.HEADING, "I. KẾT QUẢ THỰC HIỆN"),
    ]
    for number, task in enumerate(TASKS, start=1):
        on_time = DISTRICTS[: 8 - number % 3]
        body += [
            Block(BlockKind.SUBHEADING, f"{number}. {task}"),
            Block(
                BlockKind.PARAGRAPH,
                f"Có {len(on_time)}/{len(DISTRICTS)} cơ quan, đơn vị hoàn thành đúng hạn; các cơ quan đã "
                "ban hành kế hoạch, tổ chức quán triệt đến cán bộ, đảng viên và báo cáo kết quả về Ban "
                "Thường vụ Tỉnh ủy (qua Ban Tổ chức Tỉnh ủy) theo quy định.",
            ),
            Block(
                BlockKind.ITEM,
                f"đã tổ chức hội nghị quán triệt cho {40 + number * 7} cán bộ chủ chốt, ban hành kế hoạch "
                "thực hiện và phân công cơ quan chủ trì theo dõi.",
                lead=f"Huyện ủy {DISTRICTS[number % 8]}:",
            ),
            Block(
                BlockKind.QUOTE,
                "“Đã rà soát, sắp xếp tổ chức bên trong, giảm 02 phòng chuyên môn và 04 cấp phó so với "
                "năm 2025.”",
                lead=f"{DISTRICTS[(number + 3) % 8]}: ",
            ),
        ]
        if number % 3 == 0:
            body.append(
                Block(
                    BlockKind.ITEM,
                    "chưa báo cáo kết quả thực hiện; đề nghị báo cáo trước ngày 15/4/2026.",
                    lead=f"Thành ủy {DISTRICTS[7]}:",
                )
            )
    body += [
        Block(BlockKind.HEADING, "II. SỐ LIỆU THỰC HIỆN"),
        Block(BlockKind.PARAGRAPH, "Kết quả thực hiện các nhiệm vụ của từng cơ quan, đơn vị như sau:"),
        Table(
            headers=("TT", "Cơ quan, đơn vị", "Nhiệm vụ được giao", "Đúng hạn", "Chậm", "Tỷ lệ đúng hạn"),
            rows=tuple(
                (
                    str(index),
                    f"Ban Thường vụ Huyện ủy {name}",
                    "11",
                    str(11 - index % 3),
                    str(index % 3),
                    f"{100 * (11 - index % 3) / 11:.1f} %".replace(".", ","),
                )
                for index, name in enumerate(DISTRICTS, start=1)
            ),
        ),
        Block(BlockKind.HEADING, "III. NHIỆM VỤ TRỌNG TÂM QUÝ II NĂM 2026"),
        Block(BlockKind.ITEM, "Tiếp tục đôn đốc các cơ quan, đơn vị chưa hoàn thành nhiệm vụ."),
        Block(BlockKind.ITEM, "Tổ chức kiểm tra việc thực hiện tại 03 huyện ủy trong tháng 5/2026."),
        Block(BlockKind.PARAGRAPH, CLOSING),
    ]
    return tuple(body)


def report(issuer: Issuer, **changes: object) -> OfficialDocument:
    document = OfficialDocument(
        issuer=issuer,
        kind=DocumentKind.REPORT,
        subject=SUBJECT,
        year=2026,
        body=report_body(),
        signer=Signer(title="Phó Trưởng ban", authority="KT. Trưởng ban", name="Nguyễn Văn Bình"),
        created=date(2026, 3, 31),
        distribution=("Ban Thường vụ Tỉnh ủy (b/c),", "Các huyện ủy, thành ủy,", "Lưu VT."),
    )
    return replace(document, **changes)


def letter(*addressees: str) -> OfficialDocument:
    return replace(
        report(PARTY_ISSUER),
        kind=DocumentKind.LETTER,
        subject="đôn đốc thực hiện Kết luận số 50-KL/TW",
        addressees=addressees,
        body=(
            Block(
                BlockKind.PARAGRAPH,
                "Thực hiện Công văn số 1317-CV/TU, ngày 17/4/2023 của Ban Thường vụ Tỉnh ủy, đến ngày "
                "31/3/2026 các cơ quan, đơn vị sau chưa hoàn thành hoặc chưa báo cáo kết quả thực hiện:",
            ),
            *(
                Block(
                    BlockKind.ITEM,
                    f"{task} (thời hạn 31/5/2023): chưa báo cáo kết quả; đề nghị khẩn trương thực hiện và "
                    "báo cáo về Ban Tổ chức Tỉnh ủy.",
                    lead=f"Nhiệm vụ {number}:",
                )
                for number, task in enumerate(TASKS, start=1)
            ),
            Block(
                BlockKind.PARAGRAPH,
                "Ban Tổ chức Tỉnh ủy đề nghị các cơ quan, đơn vị báo cáo kết quả trước ngày 15/4/2026.",
            ),
        ),
    )


def opened(document: OfficialDocument) -> Document:
    return docx.Document(BytesIO(write_document(document)))


def texts(cell) -> list[str]:
    return [paragraph.text for paragraph in cell.paragraphs if paragraph.text]


def runs_of(paragraphs, text: str):
    return [run for paragraph in paragraphs for run in paragraph.runs if text in run.text]


@pytest.fixture(scope="module")
def party_report():
    return opened(report(PARTY_ISSUER))


@pytest.fixture(scope="module")
def state_report():
    return opened(report(STATE_ISSUER, number="25", issued_on=date(2026, 2, 5)))


# --- what the file holds ---


def test_party_header_puts_the_party_title_on_the_right_in_bold_underlined(party_report):
    right = party_report.tables[0].rows[0].cells[1]
    [title] = runs_of(right.paragraphs, "ĐẢNG CỘNG SẢN VIỆT NAM")
    assert title.bold and title.underline
    assert title.font.size == Pt(15)


def test_party_header_puts_the_body_under_its_parent_then_the_star_and_the_number_on_the_left(party_report):
    header = party_report.tables[0]
    left = texts(header.rows[0].cells[0]) + texts(header.rows[1].cells[0])
    assert left[:3] == ["TỈNH ỦY ĐẮK NÔNG", "BAN TỔ CHỨC", "*"]
    # HD 36 writes the number "Số 25-BC/BTCTU"; a draft leaves room for it
    assert left[3].startswith("Số ") and left[3].endswith("-BC/BTCTU")
    [name] = runs_of(header.rows[0].cells[0].paragraphs, "BAN TỔ CHỨC")
    assert name.bold


def test_party_date_is_left_in_dots_for_the_clerk(party_report):
    right = party_report.tables[0].rows[1].cells[1]
    assert texts(right) == ["Đắk Nông, ngày … tháng … năm 2026"]
    assert right.paragraphs[0].runs[0].italic


def test_state_header_underlines_the_motto_under_the_national_title(state_report):
    right = state_report.tables[0].rows[0].cells[1]
    assert texts(right) == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    [motto] = runs_of(right.paragraphs, "Độc lập")
    assert motto.bold and motto.underline


def test_state_header_draws_a_short_line_under_the_body_and_numbers_it_the_state_way(state_report):
    header = state_report.tables[0]
    left = header.rows[0].cells[0]
    assert texts(left) == ["UBND TỈNH ĐẮK NÔNG", "SỞ NỘI VỤ"]
    assert left.paragraphs[-1]._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}") is not None
    assert texts(header.rows[1].cells[0]) == ["Số: 25/BC-SNV"]
    assert texts(header.rows[1].cells[1]) == ["Đắk Nông, ngày 05 tháng 02 năm 2026"]


@pytest.mark.parametrize(
    ("issued_on", "printed"),
    [
        (date(2026, 2, 5), "ngày 05 tháng 02 năm 2026"),
        (date(2026, 4, 17), "ngày 17 tháng 4 năm 2026"),
        (date(2026, 11, 3), "ngày 03 tháng 11 năm 2026"),
    ],
)
def test_a_day_below_10_and_the_months_1_and_2_take_a_leading_zero(issued_on, printed):
    assert place_and_date(report(STATE_ISSUER, issued_on=issued_on)) == f"Đắk Nông, {printed}"


def test_report_has_its_title_and_subject_centred_in_bold(party_report):
    paragraphs = [paragraph for paragraph in party_report.paragraphs if paragraph.text]
    title, subject = paragraphs[0], paragraphs[1]
    assert title.text == "BÁO CÁO" and subject.text == SUBJECT
    assert all(run.bold for run in title.runs + subject.runs)
    assert title.alignment == subject.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.runs[0].font.size == Pt(16)


def test_body_comes_in_order_justified_with_the_first_line_indented(party_report):
    written = [paragraph.text for paragraph in party_report.paragraphs]
    expected = [
        INTRODUCTION,
        "I. KẾT QUẢ THỰC HIỆN",
        f"1. {TASKS[0]}",
        "II. SỐ LIỆU THỰC HIỆN",
        "III. NHIỆM VỤ TRỌNG TÂM QUÝ II NĂM 2026",
        CLOSING,
    ]
    positions = [written.index(text) for text in expected]
    assert positions == sorted(positions)
    introduction = party_report.paragraphs[written.index(INTRODUCTION)]
    assert introduction.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert introduction.paragraph_format.first_line_indent == Mm(12.7)
    assert introduction.paragraph_format.space_after == Pt(6)
    assert introduction.runs[0].font.size == Pt(14)


def test_an_item_has_its_dash_and_its_lead_in_bold(party_report):
    item = next(p for p in party_report.paragraphs if p.text.startswith("- Huyện ủy Đắk Mil:"))
    assert [(run.text, bool(run.bold)) for run in item.runs[:2]] == [
        ("- ", False),
        ("Huyện ủy Đắk Mil: ", True),
    ]


def test_a_quote_is_in_italics(party_report):
    quote = next(p for p in party_report.paragraphs if "giảm 02 phòng chuyên môn" in p.text)
    assert quote.runs[-1].italic and not quote.runs[-1].bold


def test_times_new_roman_for_every_script_in_the_defaults_and_the_normal_style(party_report):
    styles = party_report.styles.element
    defaults = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    normal = party_report.styles["Normal"].element.rPr.rFonts
    for fonts in (defaults, normal):
        assert {fonts.get(qn(f"w:{name}")) for name in ("ascii", "hAnsi", "eastAsia", "cs")} == {
            "Times New Roman"
        }
        assert fonts.get(qn("w:asciiTheme")) is None
    assert not [
        run for run in party_report.paragraphs[0].runs if run.font.name not in (None, "Times New Roman")
    ]


def test_figures_are_a_bordered_table_whose_bold_header_repeats_on_each_page(party_report):
    figures = party_report.tables[1]
    header = figures.rows[0]
    assert [cell.text for cell in header.cells][:2] == ["TT", "Cơ quan, đơn vị"]
    assert all(run.bold for cell in header.cells for run in cell.paragraphs[0].runs)
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert figures.rows[1].cells[1].text == "Ban Thường vụ Huyện ủy Cư Jút"
    borders = figures._tbl.tblPr.find(qn("w:tblBorders"))
    assert {border.get(qn("w:val")) for border in borders} == {"single"}
    widths = [int(column.get(qn("w:w"))) for column in figures._tbl.tblGrid]
    assert sum(widths) <= Mm(165) / 635


def test_page_is_a4_portrait_with_the_official_margins(party_report):
    section = party_report.sections[0]
    millimetres = [
        round(length.mm, 1)
        for length in (
            section.page_width,
            section.page_height,
            section.top_margin,
            section.bottom_margin,
            section.left_margin,
            section.right_margin,
        )
    ]
    assert millimetres == [210, 297, 20, 20, 30, 15]


def test_page_numbers_start_on_page_2(party_report):
    section = party_report.sections[0]
    assert section.different_first_page_header_footer
    assert not section.first_page_header.is_linked_to_previous
    assert "".join(p.text for p in section.first_page_header.paragraphs) == ""
    instructions = section.header._element.iter(qn("w:instrText"))
    assert [instruction.text.strip() for instruction in instructions] == ["PAGE"]


def test_closing_puts_the_distribution_left_and_the_signer_centred_right(party_report):
    receivers, signer = party_report.tables[-1].rows[0].cells
    assert texts(receivers) == [
        "Nơi nhận:",
        "- Ban Thường vụ Tỉnh ủy (b/c),",
        "- Các huyện ủy, thành ủy,",
        "- Lưu VT.",
    ]
    assert receivers.paragraphs[0].runs[0].underline  # HD 36
    assert texts(signer) == ["KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Nguyễn Văn Bình"]
    assert all(run.bold for paragraph in signer.paragraphs for run in paragraph.runs)
    assert signer.paragraphs[-1].paragraph_format.space_before >= Pt(4 * 14)  # room to sign


def test_state_distribution_label_is_bold_italic(state_report):
    label = state_report.tables[-1].rows[0].cells[0].paragraphs[0].runs[0]
    assert label.text == "Nơi nhận:" and label.bold and label.italic and not label.underline


def test_letter_puts_its_subject_under_the_number_and_no_title():
    written = opened(letter("Ban Thường vụ Huyện ủy Cư Jút"))
    left = texts(written.tables[0].rows[1].cells[0])
    assert left[1] == "V/v đôn đốc thực hiện Kết luận số 50-KL/TW"
    assert left[0].endswith("-CV/BTCTU")
    assert "BÁO CÁO" not in [paragraph.text for paragraph in written.paragraphs]


def test_a_single_addressee_stands_on_the_kinh_gui_line():
    written = opened(letter("Ban Thường vụ Huyện ủy Cư Jút"))
    lines = [paragraph.text for paragraph in written.paragraphs if paragraph.text]
    assert lines[0] == "Kính gửi: Ban Thường vụ Huyện ủy Cư Jút"


def test_several_addressees_are_listed_one_a_line():
    written = opened(
        letter("Ban Thường vụ các huyện ủy: Cư Jút, Đắk Mil", "Ban Thường vụ Thành ủy Gia Nghĩa")
    )
    lines = [paragraph.text for paragraph in written.paragraphs if paragraph.text]
    assert lines[:2] == [
        "Kính gửi:\t- Ban Thường vụ các huyện ủy: Cư Jút, Đắk Mil;",
        "- Ban Thường vụ Thành ủy Gia Nghĩa.",
    ]


# --- the same bytes for the same document ---


def test_the_same_document_gives_the_same_bytes():
    document = report(PARTY_ISSUER)
    assert write_document(document) == write_document(document)


def test_every_entry_of_the_archive_carries_the_same_fixed_time():
    with zipfile.ZipFile(BytesIO(write_document(report(PARTY_ISSUER)))) as archive:
        assert {entry.date_time for entry in archive.infolist()} == {FIXED_ENTRY_TIME}
        assert archive.namelist()[0] == "[Content_Types].xml"


def test_another_creation_day_gives_other_bytes():
    assert write_document(report(PARTY_ISSUER)) != write_document(
        report(PARTY_ISSUER, created=date(2026, 4, 1))
    )


def test_the_properties_carry_the_creation_day_and_the_subject(party_report):
    properties = party_report.core_properties
    assert properties.created.date() == properties.modified.date() == date(2026, 3, 31)
    assert (properties.author, properties.revision, properties.title) == ("dondoc", 1, SUBJECT)


# --- as it prints (LibreOffice) ---


@dataclass(frozen=True)
class Printed:
    """A PDF as pdfplumber reads it: each page's words, and the lines drawn on the first page."""

    pages: list[list[dict]]
    first_page_lines: list[dict]


def printed_pdf(pdf: Path) -> Printed:
    with pdfplumber.open(pdf) as read:
        return Printed([page.extract_words() for page in read.pages], read.pages[0].lines)


def first_word(words: list[dict], text: str) -> dict:
    return next(word for word in words if word["text"] == text)


PAGE_WIDTH, RIGHT_MARGIN, TOP_MARGIN = Mm(210).pt, Mm(15).pt, Mm(20).pt


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, Printed]:
    """The Party's report, the State's and a letter, each converted to PDF once; pages 1 and 2 of each
    kept as PNG in the artefacts."""
    out = tmp_path_factory.mktemp("printed")
    documents = {
        "report-party": report(PARTY_ISSUER),
        "report-state": report(STATE_ISSUER, number="25", issued_on=date(2026, 2, 5)),
        "letter-party": letter(
            "Ban Thường vụ các huyện ủy: Cư Jút, Đắk Mil", "Ban Thường vụ Thành ủy Gia Nghĩa"
        ),
    }
    pdfs = {}
    for name, document in documents.items():
        source = out / f"{name}.docx"
        source.write_bytes(write_document(document))
        pdfs[name] = docx_to_pdf(source, out)
        pdf_pages_to_png(pdfs[name], ARTEFACTS, dpi=80, pages=range(1, 3), prefix=f"{name}-page")
    return {name: printed_pdf(pdf) for name, pdf in pdfs.items()}


def test_the_report_prints_on_several_pages(printed):
    assert len(printed["report-party"].pages) >= 3
    assert len(printed["report-state"].pages) >= 3


@pytest.mark.parametrize("name", ["report-party", "report-state", "letter-party"])
def test_the_first_page_has_no_number_and_the_second_shows_2(printed, name):
    pages = printed[name].pages[:2]
    above_the_text = [[word["text"] for word in page if word["bottom"] < TOP_MARGIN] for page in pages]
    assert above_the_text == [[], ["2"]]


@pytest.mark.parametrize(
    ("name", "title", "body"),
    [("report-party", "ĐẢNG", "CHỨC"), ("report-state", "CỘNG", "VỤ"), ("letter-party", "ĐẢNG", "CHỨC")],
)
def test_the_header_columns_stand_side_by_side(printed, name, title, body):
    page = printed[name].pages[0]
    heading, body_name = first_word(page, title), first_word(page, body)
    parent = page[0]  # the header's first word: "TỈNH", "UBND"
    assert parent["top"] < heading["bottom"] and heading["top"] < body_name["bottom"]
    assert body_name["x1"] < heading["x0"]


@pytest.mark.parametrize("name", ["report-party", "report-state", "letter-party"])
def test_nothing_runs_past_the_right_margin(printed, name):
    edge = PAGE_WIDTH - RIGHT_MARGIN + 1
    pages = enumerate(printed[name].pages, start=1)
    beyond = [(number, word["text"]) for number, page in pages for word in page if word["x1"] > edge]
    assert beyond == []


@pytest.mark.parametrize(
    ("name", "first", "last"), [("report-state", "Độc", "phúc"), ("report-party", "ĐẢNG", "NAM")]
)
def test_the_motto_or_the_party_title_is_underlined_in_print(printed, name, first, last):
    page = printed[name].pages[0]
    start, end = first_word(page, first), first_word(page, last)
    under = [
        line
        for line in printed[name].first_page_lines
        if 0 <= line["top"] - end["bottom"] + 2 <= 5
        and abs(line["x0"] - start["x0"]) < 3
        and abs(line["x1"] - end["x1"]) < 3
    ]
    assert under, printed[name].first_page_lines


def test_the_rendered_pages_are_kept_for_a_person_to_look_at(printed):
    for name in printed:
        assert (ARTEFACTS / f"{name}-page-1.png").stat().st_size > 0
        assert (ARTEFACTS / f"{name}-page-2.png").stat().st_size > 0
