"""Tasks in the layouts real copies have: attachments, quyết định articles, unnumbered instructions,
news items, nested outlines and the debris of scans and web pages (made-up examples of each case)."""

from dondoc.parsing import parse_text

CONG_VAN_HEADER = """\
BỘ NỘI VỤ
Số: 1200/BNV-TCBC
V/v rà soát biên chế năm 2025
Hà Nội, ngày 02 tháng 6 năm 2025

Kính gửi: Ủy ban nhân dân các tỉnh, thành phố.

"""
SIGNATURE = """
Nơi nhận:
- Như trên;
- Lưu: VT, TCBC.

KT. BỘ TRƯỞNG
THỨ TRƯỞNG

Nguyễn Văn Bình
"""
QUYET_DINH_HEADER = """\
ỦY BAN NHÂN DÂN
TỈNH PHÚ YÊN
Số: 812/QĐ-UBND
Phú Yên, ngày 03 tháng 7 năm 2025

QUYẾT ĐỊNH
Về việc thành lập Tổ công tác rà soát thủ tục hành chính

CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH PHÚ YÊN

Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;

QUYẾT ĐỊNH:

"""
QUYET_DINH_SIGNATURE = """
Nơi nhận:
- Như Điều 3;
- Lưu: VT.

CHỦ TỊCH

Trần Văn Hòa
"""


def tasks_in(body: str, header: str = CONG_VAN_HEADER, signature: str = SIGNATURE):
    return parse_text(header + body + signature).tasks


def leads(task) -> list[str]:
    return [f.value for f in task.lead]


# --- Attachments after the signature -----------------------------------------------------------


def test_numbered_list_in_an_appendix_is_no_task():
    text = (
        CONG_VAN_HEADER
        + "Đề nghị Ủy ban nhân dân các tỉnh rà soát biên chế, gửi về Bộ Nội vụ trước ngày 30/6/2025.\n"
        + SIGNATURE
        + "\nPhụ lục\nDANH SÁCH CÁC ĐỊA PHƯƠNG CHƯA BÁO CÁO\n(Kèm theo Công văn số 1200/BNV-TCBC)\n\n"
        "1. Tỉnh Cao Bằng\n\n2. Tỉnh Lai Châu\n\n3. Sở Nội vụ tỉnh Điện Biên\n"
    )
    assert [t.text[:30] for t in parse_text(text).tasks] == ["Đề nghị Ủy ban nhân dân các tỉ"]


def test_appendix_table_of_figures_gives_no_task_but_its_task_table_does():
    text = (
        CONG_VAN_HEADER
        + "1. Ủy ban nhân dân các tỉnh rà soát biên chế, hoàn thành trong tháng 7/2025.\n"
        + SIGNATURE
        + "\nPHỤ LỤC I\n(Kèm theo Công văn số 1200/BNV-TCBC)\n\n"
        "1. Biên chế giao năm 2024: 1.250\n2. Biên chế có mặt: 1.180\n\n"
        "PHỤ LỤC II\n(Kèm theo Công văn số 1200/BNV-TCBC)\n\n"
        "| STT | Nội dung | Cơ quan chủ trì | Thời hạn |\n|---|---|---|---|\n"
        "| 1 | Tổng hợp số liệu biên chế | Sở Nội vụ | Quý III/2025 |\n"
    )
    assert [(t.label, t.text) for t in parse_text(text).tasks] == [
        ("1", "Ủy ban nhân dân các tỉnh rà soát biên chế, hoàn thành trong tháng 7/2025."),
        ("1", "Tổng hợp số liệu biên chế"),
    ]


def test_kem_theo_wrapped_inside_a_task_opens_no_attachment():
    tasks = tasks_in(
        "1. Các tỉnh rà soát biên chế, báo cáo theo biểu mẫu\n(kèm theo Công văn này), hoàn thành trong "
        "tháng 7/2025.\n\n2. Sở Nội vụ các tỉnh tổng hợp kết quả, báo cáo Bộ Nội vụ trong tháng 8/2025.\n"
    )
    assert [t.label for t in tasks] == ["1", "2"]


def test_kem_theo_naming_no_document_opens_no_attachment():
    attached = (
        "\nQUY CHẾ\nHoạt động của Tổ công tác\n(Ban hành kèm theo Quyết định số 812/QĐ-UBND)\n\n"
        "Điều 1. Tổ công tác làm việc theo chế độ kiêm nhiệm.\n\n"
        "Điều 2. Tổ công tác họp định kỳ mỗi quý; giấy mời họp\n"
        "(kèm theo các tài liệu liên quan) gửi trước 05 ngày làm việc.\n\n"
        "1. Sở Tư pháp chuẩn bị nội dung các cuộc họp.\n"
    )
    body = "Điều 1. Ban hành kèm theo Quyết định này Quy chế hoạt động của Tổ công tác.\n"
    assert tasks_in(body, QUYET_DINH_HEADER, QUYET_DINH_SIGNATURE + attached) == ()


def test_rules_of_an_attached_quy_dinh_are_no_tasks():
    body = "Điều 1. Ban hành kèm theo Quyết định này Quy định về chế độ báo cáo.\n\n"
    attached = (
        "\nQUY ĐỊNH\nVề chế độ báo cáo định kỳ\n(Ban hành kèm theo Quyết định số 812/QĐ-UBND)\n\n"
        "Chương I\nQUY ĐỊNH CHUNG\n\nĐiều 1. Phạm vi điều chỉnh\n\n"
        "1. Sở Nội vụ hướng dẫn việc thực hiện chế độ báo cáo.\n"
        "2. Các sở, ngành gửi báo cáo về Văn phòng UBND tỉnh trước ngày 15 hằng tháng.\n"
    )
    assert tasks_in(body, QUYET_DINH_HEADER, QUYET_DINH_SIGNATURE + attached) == ()


def test_rules_whose_title_was_lost_are_known_by_their_scope_clause():
    # a damaged web copy: the articles and the attachment's title and "(kèm theo …)" line are gone
    attached = (
        "\nCHẾ ĐỘ BÁO CÁO ĐỊNH KỲ TRÊN ĐỊA BÀN TỈNH\n"
        "1. Quy định này quy định về chế độ báo cáo định kỳ trên địa bàn tỉnh.\n"
        "2. Các sở, ngành gửi báo cáo về Văn phòng UBND tỉnh trước ngày 15 hằng tháng.\n"
    )
    assert tasks_in("", QUYET_DINH_HEADER, QUYET_DINH_SIGNATURE + attached) == ()


def test_attached_plan_gives_tasks_even_without_sections():
    body = "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch rà soát thủ tục hành chính.\n\n"
    attached = (
        "\nKẾ HOẠCH\nRà soát thủ tục hành chính năm 2025\n(Ban hành kèm theo Quyết định số 812/QĐ-UBND)\n\n"
        "1. Sở Tư pháp chủ trì rà soát thủ tục hành chính, hoàn thành trong quý III/2025.\n\n"
        "2. Văn phòng UBND tỉnh tổng hợp kết quả, báo cáo UBND tỉnh trước ngày 15/12/2025.\n"
    )
    tasks = tasks_in(body, QUYET_DINH_HEADER, QUYET_DINH_SIGNATURE + attached)
    assert [(t.label, leads(t)) for t in tasks] == [("1", ["Sở Tư pháp"]), ("2", ["Văn phòng UBND tỉnh"])]


# --- Articles of a quyết định ------------------------------------------------------------------


def test_article_that_lists_assignments_to_named_bodies_gives_tasks():
    body = (
        "Điều 1. Thành lập Tổ công tác rà soát thủ tục hành chính.\n\n"
        "Điều 2. Tổ chức thực hiện\n\n"
        "1. Sở Tư pháp chủ trì, phối hợp với các sở, ngành rà soát thủ tục hành chính;\n"
        "báo cáo UBND tỉnh trước ngày 30/9/2025.\n\n"
        "2. Giao Sở Tài chính bố trí kinh phí hoạt động của Tổ công tác.\n\n"
        "Điều 3. Trách nhiệm thi hành\n\n"
        "1. Quyết định này có hiệu lực kể từ ngày ký.\n\n"
        "2. Chánh Văn phòng UBND tỉnh, Giám đốc Sở Tư pháp chịu trách nhiệm thi hành Quyết định này./.\n"
    )
    tasks = tasks_in(body, QUYET_DINH_HEADER, QUYET_DINH_SIGNATURE)
    assert [(t.label, leads(t)) for t in tasks] == [("1", ["Sở Tư pháp"]), ("2", ["Sở Tài chính"])]


def test_article_whose_items_decide_gives_no_task():
    body = (
        "Điều 1. Thành lập Tổ công tác như sau:\n\n"
        "1. Tên gọi: Tổ công tác rà soát thủ tục hành chính.\n\n"
        "2. Thành phần Tổ công tác:\n"
        "- Tổ trưởng: Giám đốc Sở Tư pháp;\n"
        "- Thành viên: đại diện Sở Nội vụ, Sở Tài chính.\n\n"
        "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n"
    )
    assert tasks_in(body, QUYET_DINH_HEADER, QUYET_DINH_SIGNATURE) == ()


def test_article_on_the_powers_of_a_body_it_sets_up_gives_no_task():
    body = (
        "Điều 1. Thành lập Ban Quản lý các khu công nghiệp tỉnh.\n\n"
        "Điều 2. Nhiệm vụ, quyền hạn của Ban Quản lý\n\n"
        "1. Ban Quản lý thực hiện nhiệm vụ, quyền hạn theo quy định của pháp luật.\n\n"
        "2. Trưởng ban Ban Quản lý trình Ủy ban nhân dân tỉnh quy định cơ cấu tổ chức của Ban.\n\n"
        "Điều 3. Tổ chức thực hiện\n\n"
        "1. Sở Nội vụ là cơ quan thường trực của Ban Quản lý.\n\n"
        "2. Sở Tài chính bố trí kinh phí hoạt động của Ban Quản lý.\n"
    )
    assert tasks_in(body, QUYET_DINH_HEADER, QUYET_DINH_SIGNATURE) == ()


def test_an_article_keeps_its_paragraphs_and_the_items_after_them():
    body = (
        "Điều 1. Thành lập Tổ công tác rà soát thủ tục hành chính.\n\n"
        "Tổ công tác gồm các thành viên sau đây.\n\n"
        "1. Tổ trưởng: Giám đốc Sở Tư pháp.\n\n"
        "2. Sở Nội vụ cử một thành viên.\n"
    )
    assert tasks_in(body, QUYET_DINH_HEADER, QUYET_DINH_SIGNATURE) == ()


def test_wrapped_reference_to_an_article_does_not_open_one():
    tasks = tasks_in(
        "1. Các sở rà soát thủ tục hành chính theo quy định tại\n"
        "Điều 5 Nghị định số 63/2010/NĐ-CP, hoàn thành trong quý III/2025.\n\n"
        "2. Sở Nội vụ tổng hợp kết quả, báo cáo Bộ Nội vụ trong tháng 10/2025.\n"
    )
    assert [t.label for t in tasks] == ["1", "2"]


# --- Unnumbered instructions -------------------------------------------------------------------


def test_paragraph_after_an_announcing_lead_in_is_a_task():
    (task,) = tasks_in(
        "Thời gian qua, việc rà soát biên chế ở một số địa phương còn chậm. Bộ trưởng Bộ Nội vụ có ý kiến "
        "chỉ đạo như sau:\n\n"
        "Ủy ban nhân dân Thành phố Hà Nội chỉ đạo rà soát biên chế của các xã, phường; phối hợp chặt chẽ "
        "với Bộ Tài chính bố trí kinh phí thực hiện./.\n"
    )
    assert leads(task) == ["Ủy ban nhân dân Thành phố Hà Nội"]
    assert [f.value for f in task.coordinating] == ["Bộ Tài chính"]


def test_headline_paraphrasing_the_instruction_is_not_a_second_task():
    text = (
        "Chủ tịch UBND tỉnh yêu cầu Sở Tư pháp rà soát thủ tục hành chính.\n"
        "UBND tỉnh nhận được Công văn số 12/BTP-KSTT ngày 02/6/2025 của Bộ Tư pháp. Sau khi xem xét, "
        "Chủ tịch UBND tỉnh có ý kiến chỉ đạo như sau:\n"
        "Giao Sở Tư pháp chủ trì rà soát thủ tục hành chính, báo cáo UBND tỉnh trước ngày 20/7/2025.\n"
    )
    (task,) = parse_text(text).tasks
    assert task.text.startswith("Giao Sở Tư pháp")


def test_headline_that_is_the_instruction_takes_the_bodies_named_below_it():
    text = (
        "Rà soát, xử lý nghiêm các cơ sở kinh doanh vi phạm quy định phòng cháy\n\n"
        "Đó là chỉ đạo của UBND tỉnh đối với Công an tỉnh, các sở, ngành cấp tỉnh, UBND các huyện, "
        "thị xã tại Công văn số 300/UBND-NC ngày 12/6.\n"
    )
    (task,) = parse_text(text).tasks
    assert task.text.startswith("Rà soát, xử lý nghiêm")
    assert leads(task) == ["Công an tỉnh", "Các sở, ngành cấp tỉnh", "UBND các huyện, thị xã"]


def test_paragraph_broken_by_a_page_is_one_task_and_the_closing_formula_none():
    tasks = tasks_in(
        "Thủ tướng Chính phủ có ý kiến chỉ đạo như sau:\n\n"
        "Giao Bộ Nội vụ chủ trì rà soát biên chế, báo cáo Thủ tướng Chính phủ trước ngày 13 tháng 10\n\n"
        "năm 2025.\n"
        "Văn phòng Chính phủ xin thông báo để các cơ quan liên quan biết, thực hiện./.\n"
    )
    assert [(leads(t), t.text[-9:]) for t in tasks] == [(["Bộ Nội vụ"], "năm 2025.")]


def test_reported_assignment_in_news_is_a_task():
    text = (
        "UBND thành phố nhận được văn bản số 55/BNV-CTTN ngày 21/02/2025 của Bộ Nội vụ.\n\n"
        "Về việc này, UBND thành phố đã giao Sở Nội vụ chủ trì, phối hợp với UBND các quận, huyện triển "
        "khai thực hiện, báo cáo UBND thành phố trước ngày 10/3/2025.\n"
    )
    (task,) = parse_text(text).tasks
    assert leads(task) == ["Sở Nội vụ"]


def test_narrated_action_in_news_is_no_task():
    text = (
        "UBND thành phố nhận được văn bản số 55/BNV-CTTN ngày 21/02/2025 của Bộ Nội vụ.\n\n"
        "Sở Nội vụ đã phối hợp với UBND các quận tổ chức hội nghị tập huấn trước ngày 10/3/2025.\n"
    )
    assert parse_text(text).tasks == ()


def test_phoi_hop_without_voi_names_the_partners():
    (task,) = tasks_in(
        "Giao Sở Tư pháp chủ trì, phối hợp các đơn vị, địa phương liên quan rà soát thủ tục hành chính; "
        "hoàn thành trước ngày 10/12/2025./.\n"
    )
    assert [f.value.casefold() for f in task.coordinating] == ["các đơn vị, địa phương liên quan"]


# --- Outlines --------------------------------------------------------------------------------


def test_numbered_topic_heading_lists_no_tasks():
    tasks = tasks_in(
        "1. Mục đích, yêu cầu\n\n"
        "a) Rà soát đầy đủ biên chế được giao.\n\n"
        "b) Bảo đảm đúng thời gian quy định.\n\n"
        "2. Nhiệm vụ cụ thể\n\n"
        "a) Sở Nội vụ hướng dẫn việc rà soát, hoàn thành trong tháng 7/2025.\n"
    )
    assert [(t.label, leads(t)) for t in tasks] == [("a", ["Sở Nội vụ"])]


def test_yeu_cau_naming_bodies_is_a_lead_in_not_a_topic():
    tasks = tasks_in(
        "1. Yêu cầu các sở, ngành:\n\n"
        "a) Rà soát biên chế được giao, hoàn thành trong tháng 7/2025.\n\n"
        "b) Báo cáo kết quả về Sở Nội vụ trước ngày 15/8/2025.\n"
    )
    assert [(t.label, leads(t)) for t in tasks] == [("a", ["Các sở, ngành"]), ("b", ["Các sở, ngành"])]


def test_third_level_items_are_the_tasks_and_inherit_the_lead():
    tasks = tasks_in(
        "1. Về công tác biên chế\n\n"
        "a) Sở Nội vụ:\n\n"
        "(1) Hướng dẫn việc rà soát biên chế, hoàn thành trong tháng 7/2025;\n\n"
        "(2) Tổng hợp kết quả, báo cáo UBND tỉnh trước ngày 15/8/2025.\n"
    )
    assert [(t.label, leads(t)) for t in tasks] == [("1", ["Sở Nội vụ"]), ("2", ["Sở Nội vụ"])]


def test_parenthesised_number_inside_a_wrapped_sentence_is_not_an_item():
    (task,) = tasks_in(
        "1. Sở Nội vụ thống kê số liệu theo các nhóm\n(1) biên chế công chức và (2) biên chế viên chức, "
        "hoàn thành trong tháng 7/2025.\n"
    )
    assert task.label == "1"


def test_dash_items_under_a_lettered_unit_heading_are_its_tasks():
    tasks = tasks_in(
        "1. Nhiệm vụ của các cơ quan\n\n"
        "a) Sở Tài chính\n\n"
        "- Bố trí kinh phí rà soát, hoàn thành trong tháng 7/2025.\n"
        "- Hướng dẫn việc quyết toán kinh phí.\n"
    )
    assert [(t.label, leads(t)) for t in tasks] == [(None, ["Sở Tài chính"]), (None, ["Sở Tài chính"])]


def test_lead_wrapped_over_two_lines_is_whole():
    (task,) = tasks_in(
        "1. Bộ Tư\npháp chủ trì hướng dẫn việc rà soát văn bản, hoàn thành trong quý III/2025.\n"
    )
    assert leads(task) == ["Bộ Tư pháp"]


# --- Debris of scans and web copies ------------------------------------------------------------


def test_rule_lines_and_page_numbers_do_not_cut_or_make_items():
    tasks = tasks_in(
        "1. Bộ Tư pháp:\n\n"
        "a) Hướng dẫn việc rà soát văn bản, hoàn thành\n\n- 2 -\n\ntrong quý III/2025;\n\n"
        "-------\n\n"
        "|\n\n"
        "b) Tổng hợp kết quả, báo cáo Thủ tướng Chính phủ trước ngày 15/12/2025.\n"
    )
    assert [(t.label, leads(t)) for t in tasks] == [("a", ["Bộ Tư pháp"]), ("b", ["Bộ Tư pháp"])]
    assert tasks[0].text == "Hướng dẫn việc rà soát văn bản, hoàn thành trong quý III/2025;"


def test_two_page_numbers_on_one_ocr_line_are_skipped():
    (task,) = tasks_in(
        "1. Bộ Công an phối hợp với các bộ cấp giấy phép hoạt động của tổ\n\n2 3\n"
        "chức, cá nhân trong phạm vi bảo vệ công trình.\n"
    )
    assert task.text == (
        "Bộ Công an phối hợp với các bộ cấp giấy phép hoạt động của tổ chức, cá nhân trong phạm vi bảo vệ "
        "công trình."
    )


def test_a_number_that_goes_on_a_sentence_broken_off_mid_phrase_opens_no_item():
    text = (
        "Mùa mưa lũ tập trung chủ yếu vào tháng 10 và\n"
        "11. Để chủ động ứng phó, Chủ tịch UBND tỉnh yêu cầu các sở, ngành thực hiện các nội dung sau:\n"
        "1. Sở Nông nghiệp và Phát triển nông thôn rà soát phương án phòng, chống thiên tai.\n"
        "2. Sở Tài chính bố trí kinh phí.\n"
    )
    assert [task.label for task in parse_text(text).tasks] == ["1", "2"]
