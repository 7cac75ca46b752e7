"""Tasks: which items of the outline ask someone to act, who leads, who helps, to whom it reports."""

from datetime import date

from dondoc.parsing import parse_text

STATE_HEADER = """\
UBND TỈNH HÀ GIANG
SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN
Số: 915/SNN-KH
V/v triển khai trồng rừng năm 2024
Hà Giang, ngày 20 tháng 5 năm 2024

Kính gửi: UBND các huyện, thành phố.

Thực hiện Quyết định số 1200/QĐ-UBND ngày 02/5/2024 của UBND tỉnh, Sở đề nghị:

"""
STATE_FOOTER = """
Nơi nhận:
- Như trên;
- Lưu: VT, KH.

KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC

Hoàng Văn Nam
"""
PARTY_PLAN = """\
TỈNH ỦY BẾN TRE
*
Số 120-KH/TU
ĐẢNG CỘNG SẢN VIỆT NAM
Bến Tre, ngày 10 tháng 3 năm 2024

KẾ HOẠCH
thực hiện Chỉ thị số 35-CT/TW của Bộ Chính trị về đại hội đảng bộ các cấp

I. MỤC ĐÍCH, YÊU CẦU

1. Quán triệt sâu sắc nội dung Chỉ thị số 35-CT/TW đến cán bộ, đảng viên.

2. Bảo đảm dân chủ, khách quan trong công tác chuẩn bị đại hội.

II. NHIỆM VỤ, GIẢI PHÁP

1. Ban Tuyên giáo Tỉnh ủy chủ trì, phối hợp với Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh tuyên truyền về \
đại hội đảng bộ các cấp, hoàn thành trong tháng 4/2024.

2. Ban Tổ chức Tỉnh ủy:

a) Hướng dẫn công tác nhân sự đại hội cấp cơ sở, chậm nhất ngày 30/6/2024.

b) Thẩm định đề án nhân sự của các huyện ủy, thành ủy trong quý III/2024.

3. Các huyện ủy, thành ủy xây dựng kế hoạch tổ chức đại hội điểm, hoàn thành trước ngày 15/5/2024.

T/M BAN THƯỜNG VỤ
BÍ THƯ

Lê Văn Tám
"""


def tasks_of(body: str):
    return parse_text(STATE_HEADER + body + STATE_FOOTER).tasks


def leads(task) -> list[str]:
    return [f.value for f in task.lead]


# --- Which items are tasks ---------------------------------------------------------------------


def test_numbered_items_are_tasks_with_their_labels():
    tasks = tasks_of(
        "1. Các huyện rà soát đất trồng rừng.\n\n2. Các huyện lập kế hoạch trồng rừng năm 2025.\n"
    )
    assert [t.label for t in tasks] == ["1", "2"]


def test_task_text_is_the_item_without_its_marker():
    (task,) = tasks_of("1. Các huyện rà soát đất trồng rừng, hoàn thành trong tháng 7/2024.\n")
    assert task.text == "Các huyện rà soát đất trồng rừng, hoàn thành trong tháng 7/2024."


def test_bold_markers_are_read_like_plain_ones():
    tasks = tasks_of(
        "**1.** Các huyện rà soát đất trồng rừng.\n\n**2.** Các huyện lập kế hoạch trồng rừng.\n"
    )
    assert [t.label for t in tasks] == ["1", "2"]


def test_muc_dich_yeu_cau_gives_no_tasks():
    texts = [t.text for t in parse_text(PARTY_PLAN).tasks]
    assert not any(text.startswith(("Quán triệt sâu sắc", "Bảo đảm dân chủ")) for text in texts)


def test_nhiem_vu_giai_phap_gives_the_tasks():
    assert [t.label for t in parse_text(PARTY_PLAN).tasks] == ["1", "a", "b", "3"]


def test_lead_in_whose_children_are_the_tasks_is_no_task_itself():
    texts = [t.text for t in parse_text(PARTY_PLAN).tasks]
    assert "Ban Tổ chức Tỉnh ủy:" not in texts


def test_lettered_items_inherit_the_lead_named_in_their_lead_in():
    lettered = [t for t in parse_text(PARTY_PLAN).tasks if t.label in ("a", "b")]
    assert [leads(t) for t in lettered] == [["Ban Tổ chức Tỉnh ủy"], ["Ban Tổ chức Tỉnh ủy"]]


def test_dash_items_under_a_unit_heading_are_tasks_of_that_unit():
    tasks = tasks_of(
        "1. Phòng Nông nghiệp các huyện\n\n"
        "- Rà soát diện tích rừng, hoàn thành trong tháng 7/2024.\n"
        "- Kiểm tra việc khai thác gỗ, thực hiện thường xuyên.\n"
    )
    assert [(t.label, leads(t)) for t in tasks] == [
        (None, ["Phòng Nông nghiệp các huyện"]),
        (None, ["Phòng Nông nghiệp các huyện"]),
    ]


def test_bao_cao_at_the_start_of_an_item_is_a_verb_not_a_body():
    tasks = tasks_of(
        "1. Phòng Nông nghiệp các huyện\n\n"
        "- Rà soát diện tích rừng, hoàn thành trong tháng 7/2024.\n"
        "- Báo cáo kết quả về Sở trước ngày 15/8/2024.\n"
    )
    assert leads(tasks[1]) == ["Phòng Nông nghiệp các huyện"]


def test_field_lines_make_one_task_per_heading():
    tasks = tasks_of(
        "**1. Rà soát diện tích rừng trồng**\n\n"
        "- Nội dung: Rà soát diện tích rừng trồng mới năm 2023 trên địa bàn.\n"
        "- Cơ quan chủ trì: UBND các huyện, thành phố.\n"
        "- Cơ quan phối hợp: Hạt Kiểm lâm các huyện.\n"
        "- Thời gian thực hiện: Trước ngày 30/6/2024.\n\n"
        "**2. Tổng hợp kết quả**\n\n"
        "- Nội dung: Tổng hợp kết quả rà soát, báo cáo UBND tỉnh.\n"
        "- Cơ quan chủ trì: Chi cục Kiểm lâm.\n"
        "- Thời gian thực hiện: Quý III/2024.\n"
    )
    assert [(t.label, leads(t), [c.value for c in t.coordinating], t.deadline.due) for t in tasks] == [
        ("1", ["UBND các huyện, thành phố"], ["Hạt Kiểm lâm các huyện"], date(2024, 6, 29)),
        ("2", ["Chi cục Kiểm lâm"], [], date(2024, 9, 30)),
    ]


def test_field_line_task_text_holds_the_noi_dung():
    (task,) = tasks_of(
        "**1. Rà soát diện tích rừng trồng**\n\n"
        "- Nội dung: Rà soát diện tích rừng trồng mới năm 2023 trên địa bàn.\n"
        "- Cơ quan chủ trì: UBND các huyện, thành phố.\n"
        "- Thời gian thực hiện: Quý III/2024.\n"
    )
    assert "Rà soát diện tích rừng trồng mới năm 2023" in task.text


def test_markdown_task_table_gives_one_task_per_row():
    tasks = tasks_of(
        "| STT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành |\n"
        "|---|---|---|---|---|\n"
        "| 1 | Xây dựng kế hoạch trồng rừng năm 2025 | Chi cục Kiểm lâm | Sở Tài chính | Quý IV/2024 |\n"
        "| 2 | Tuyên truyền bảo vệ rừng | UBND các huyện, thành phố "
        "| Các cơ quan liên quan | Thường xuyên |\n"
    )
    assert [(t.label, t.text, leads(t), [c.value for c in t.coordinating]) for t in tasks] == [
        ("1", "Xây dựng kế hoạch trồng rừng năm 2025", ["Chi cục Kiểm lâm"], ["Sở Tài chính"]),
        ("2", "Tuyên truyền bảo vệ rừng", ["UBND các huyện, thành phố"], ["Các cơ quan liên quan"]),
    ]


def test_table_deadline_cell_is_the_deadline():
    tasks = tasks_of(
        "| STT | Nội dung | Cơ quan chủ trì | Thời gian hoàn thành |\n"
        "|---|---|---|---|\n"
        "| 1 | Xây dựng kế hoạch trồng rừng năm 2025 | Chi cục Kiểm lâm | Quý IV/2024 |\n"
    )
    assert tasks[0].deadline.due == date(2024, 12, 31)


def test_bao_cao_gives_no_tasks():
    text = """\
HUYỆN ỦY VĨNH LINH
*
Số 88-BC/HU
ĐẢNG CỘNG SẢN VIỆT NAM
Vĩnh Linh, ngày 05 tháng 7 năm 2024

BÁO CÁO
kết quả công tác kiểm tra, giám sát 6 tháng đầu năm 2024

I. KẾT QUẢ THỰC HIỆN

1. Ban Thường vụ Huyện ủy đã ban hành Chương trình kiểm tra, giám sát năm 2024.

II. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM

1. Ủy ban Kiểm tra Huyện ủy tham mưu sơ kết công tác kiểm tra, hoàn thành trước ngày 15/12/2024.

T/M BAN THƯỜNG VỤ
BÍ THƯ

Nguyễn Văn Nam
"""
    parsed = parse_text(text)
    assert parsed.type.value == "báo cáo"
    assert parsed.tasks == ()


def test_dieu_1_to_3_of_a_quyet_dinh_give_no_tasks():
    text = """\
ỦY BAN NHÂN DÂN
TỈNH CÀ MAU
Số: 1456/QĐ-UBND
Cà Mau, ngày 01 tháng 4 năm 2024

QUYẾT ĐỊNH
Về việc ban hành Kế hoạch chuyển đổi số năm 2024

CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH CÀ MAU

Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;

QUYẾT ĐỊNH:

Điều 1. Ban hành kèm theo Quyết định này Kế hoạch chuyển đổi số năm 2024.

Điều 2. Quyết định này có hiệu lực kể từ ngày ký.

Điều 3. Chánh Văn phòng UBND tỉnh, Giám đốc Sở Thông tin và Truyền thông, Chủ tịch UBND các huyện \
chịu trách nhiệm thi hành Quyết định này./.

Nơi nhận:
- Như Điều 3;
- Lưu: VT.

CHỦ TỊCH

Lê Văn Sáu
"""
    parsed = parse_text(text)
    assert parsed.type.value == "quyết định"
    assert parsed.tasks == ()
    assert (parsed.distribution[0].name, parsed.distribution[0].purpose) == ("Như Điều 3", "addressees")


# --- Lead, coordination, reporting -------------------------------------------------------------


def test_giao_x_chu_tri_phoi_hop_voi_y():
    (task,) = tasks_of(
        "1. Giao Chi cục Kiểm lâm chủ trì, phối hợp với Công an tỉnh và các cơ quan liên quan kiểm tra "
        "việc khai thác gỗ, hoàn thành trong quý III/2024.\n"
    )
    assert leads(task) == ["Chi cục Kiểm lâm"]
    assert [c.value.casefold() for c in task.coordinating] == ["công an tỉnh", "các cơ quan liên quan"]


def test_body_named_at_the_start_leads():
    (task,) = tasks_of("1. Chi cục Kiểm lâm kiểm tra việc khai thác gỗ, thực hiện thường xuyên.\n")
    assert leads(task) == ["Chi cục Kiểm lâm"]


def test_cac_bo_shared_head_as_lead_is_expanded():
    (task,) = tasks_of("1. Các Bộ: Công an, Quốc phòng hướng dẫn việc phối hợp tuần tra rừng biên giới.\n")
    assert leads(task) == ["Bộ Công an", "Bộ Quốc phòng"]


def test_bao_cao_qua_gives_report_to_and_report_via():
    (task,) = tasks_of(
        "1. Các huyện xây dựng kế hoạch trồng rừng;"
        " báo cáo UBND tỉnh (qua Chi cục Kiểm lâm) trước ngày 30/6/2024.\n"
    )
    assert [f.value for f in task.report_to] == ["UBND tỉnh"]
    assert [f.value for f in task.report_via] == ["Chi cục Kiểm lâm"]


def test_gui_ve_names_who_to_report_to():
    (task,) = tasks_of("1. Các huyện rà soát đất trồng rừng, gửi về Chi cục Kiểm lâm trước ngày 15/6/2024.\n")
    assert [f.value for f in task.report_to] == ["Chi cục Kiểm lâm"]


def test_task_naming_no_actor_has_no_lead_and_a_warning():
    (task,) = tasks_of("1. Rà soát diện tích đất trồng rừng, hoàn thành trong tháng 7/2024.\n")
    assert task.lead == ()
    assert any("chưa xác định cơ quan chủ trì" in w for w in task.warnings)


def test_to_chuc_at_the_start_of_a_task_is_a_verb_not_a_body():
    (task,) = tasks_of("1. Tổ chức hội nghị triển khai trồng rừng trong tháng 6/2024.\n")
    assert task.lead == ()


def test_so_nong_nghiep_va_phat_trien_nong_thon_is_whole_in_running_text():
    (task,) = tasks_of("1. Sở Nông nghiệp và Phát triển nông thôn chủ trì kiểm tra giống cây trồng.\n")
    assert leads(task) == ["Sở Nông nghiệp và Phát triển nông thôn"]


def test_newspaper_as_coordinator_stops_before_the_verb():
    (task,) = tasks_of("1. Chi cục Kiểm lâm phối hợp với Báo Hà Giang tuyên truyền về bảo vệ rừng.\n")
    assert [c.value for c in task.coordinating] == ["Báo Hà Giang"]


# --- Deadlines in tasks and their warnings ------------------------------------------------------


def test_deadline_is_read_from_the_task():
    (task,) = tasks_of("1. Các huyện rà soát đất trồng rừng, hoàn thành trước ngày 15/6/2024.\n")
    assert (task.deadline.due, task.deadline.text) == (date(2024, 6, 14), "trước ngày 15/6/2024")


def test_deadline_before_the_issue_date_is_warned():
    (task,) = tasks_of("1. Chi cục Kiểm lâm kiểm tra việc khai thác gỗ, hoàn thành trước ngày 10/5/2024.\n")
    assert any("trước ngày ban hành" in w for w in task.warnings)


def test_deadline_without_a_year_takes_the_issue_year_and_warns():
    (task,) = tasks_of("1. Chi cục Kiểm lâm kiểm tra việc khai thác gỗ, hoàn thành trước ngày 15/6.\n")
    assert task.deadline.due == date(2024, 6, 14)
    assert any("được suy ra" in w for w in task.warnings)


def test_a_clean_task_has_no_warnings():
    (task,) = tasks_of("1. Chi cục Kiểm lâm kiểm tra việc khai thác gỗ, hoàn thành trước ngày 15/6/2024.\n")
    assert task.warnings == ()


def test_a_deadline_already_past_is_warned_against_today():
    text = STATE_HEADER + "1. Chi cục Kiểm lâm kiểm tra việc khai thác gỗ, hoàn thành trước ngày 15/6/2024.\n"
    (task,) = parse_text(text, today=date(2024, 7, 1)).tasks
    assert any("đã qua" in w for w in task.warnings)


# --- Spans -------------------------------------------------------------------------------------


def test_task_span_points_at_its_text():
    text = (
        STATE_HEADER + "1. Các huyện rà soát đất trồng rừng, hoàn thành trong tháng 7/2024.\n" + STATE_FOOTER
    )
    (task,) = parse_text(text).tasks
    assert text[task.span.start : task.span.end] == task.text


def test_lead_coordinating_and_deadline_spans_point_at_their_values():
    text = (
        STATE_HEADER
        + "1. Giao Chi cục Kiểm lâm chủ trì, phối hợp với Công an tỉnh kiểm tra việc khai thác gỗ, "
        "hoàn thành trong quý III/2024.\n"
    )
    (task,) = parse_text(text).tasks
    spans = [task.lead[0].span, task.coordinating[0].span, task.deadline.span]
    assert [text[s.start : s.end] for s in spans] == ["Chi cục Kiểm lâm", "Công an tỉnh", task.deadline.text]
    assert task.deadline.text.endswith("trong quý III/2024")


def test_inherited_lead_span_points_at_the_lead_in():
    (_, a, _, _) = parse_text(PARTY_PLAN).tasks
    assert PARTY_PLAN[a.lead[0].span.start : a.lead[0].span.end] == "Ban Tổ chức Tỉnh ủy"


def test_report_to_stops_at_what_the_recipient_then_does():
    text = """\
BỘ NỘI VỤ
Số: 100/BNV-TCBC
Hà Nội, ngày 02 tháng 01 năm 2025
V/v báo cáo

1. Ủy ban nhân dân các tỉnh báo cáo kết quả về Bộ Nội vụ trước ngày 15/01/2025 \
để tổng hợp, báo cáo Thủ tướng Chính phủ.
"""
    task = parse_text(text).tasks[0]
    assert [f.value for f in task.report_to] == ["Bộ Nội vụ"]


def test_a_nghi_dinh_lays_down_rules_not_tasks():
    text = """\
CHÍNH PHỦ
Số: 99/2025/NĐ-CP
Hà Nội, ngày 02 tháng 01 năm 2025

NGHỊ ĐỊNH
Quy định chi tiết một số điều

Điều 1. Phạm vi điều chỉnh
1. Nghị định này quy định chi tiết về tổ chức bộ máy.
2. Bộ Nội vụ hướng dẫn thực hiện trước ngày 30/6/2025.
"""
    assert parse_text(text).tasks == ()


def test_an_ocr_article_with_eth_is_still_an_article():
    text = """\
ỦY BAN NHÂN DÂN TỈNH AN GIANG
Số: 12/QĐ-UBND
An Giang, ngày 02 tháng 01 năm 2025

QUYẾT ĐỊNH
Về việc thành lập Tổ công tác

Ðiều 1. Thành lập Tổ công tác.
1. Giao Sở Nội vụ chủ trì, hoàn thành trước ngày 30/6/2025.
"""
    assert parse_text(text).tasks == ()
