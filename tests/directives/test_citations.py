from dataclasses import replace
from datetime import date

from dondoc.directives.models import Citation
from dondoc.directives.selectors import cited_by, citing_number
from dondoc.directives.services import create_draft
from dondoc.parsing import parse_text
from dondoc.parsing.model import Field, Span
from dondoc.reading import read_document

SEED = "src/dondoc/samples/1317-CV-TU.md"
CONCLUSION_50 = """BAN CHẤP HÀNH TRUNG ƯƠNG
*
Số 50-KL/TW
ĐẢNG CỘNG SẢN VIỆT NAM
Hà Nội, ngày 28 tháng 02 năm 2023

KẾT LUẬN
của Bộ Chính trị về tiếp tục thực hiện Nghị quyết số 18-NQ/TW ngày 25/10/2017 \
của Ban Chấp hành Trung ương Đảng
khóa XII

Thực hiện Nghị quyết số 18-NQ/TW, ngày 25/10/2017 của Ban Chấp hành Trung ương Đảng khóa XII "Một số
vấn đề về tiếp tục đổi mới, sắp xếp tổ chức bộ máy của hệ thống chính trị tinh gọn, \
hoạt động hiệu lực, hiệu quả",
Bộ Chính trị kết luận như sau:

1. Các cấp ủy, tổ chức đảng tiếp tục quán triệt, thực hiện nghiêm Nghị quyết.
"""


def draft(text: str, sha: str):
    return create_draft(parsed=parse_text(text), source_text=text, file_sha256=sha)


def test_the_trail_runs_both_ways_whichever_document_came_first(db):
    letter = draft(read_document(SEED).text, "a" * 64)
    assert {c.number for c in letter.citations.all()} >= {"50-KL/TW", "18-NQ/TW"}
    assert list(citing_number(number="50-kl/tw")) == [letter]  # known only by its number
    conclusion_parsed = parse_text(CONCLUSION_50)
    conclusion_parsed = replace(
        conclusion_parsed, number=Field("50-KL/TW", Span(0, 0)), issued_on=date(2023, 2, 28)
    )
    conclusion = create_draft(parsed=conclusion_parsed, source_text=CONCLUSION_50, file_sha256="b" * 64)
    assert list(cited_by(directive=conclusion)) == [letter]  # linked when the cited document arrived
    assert "18-NQ/TW" in {c.number for c in conclusion.citations.all()}
    assert list(citing_number(number="18-NQ/TW").order_by("id")) == [letter, conclusion]


def test_a_citation_is_not_linked_to_a_namesake_of_another_date(db):
    letter = draft(read_document(SEED).text, "a" * 64)
    other_parsed = replace(
        parse_text(CONCLUSION_50), number=Field("50-KL/TW", Span(0, 0)), issued_on=date(2011, 5, 1)
    )
    other = create_draft(parsed=other_parsed, source_text=CONCLUSION_50, file_sha256="c" * 64)
    assert list(cited_by(directive=other)) == []
    assert Citation.objects.get(citing=letter, number="50-KL/TW").cited is None
