"""Kính gửi (addressees) and Nơi nhận (distribution)."""

from dondoc.parsing import parse_text

HEADER = """\
UBND TỈNH SƠN LA
SỞ NỘI VỤ
Số: 300/SNV-VP
V/v rà soát vị trí việc làm
Sơn La, ngày 20 tháng 5 năm 2024

"""
BODY = """
Thực hiện Quyết định số 1200/QĐ-UBND ngày 02/5/2024 của UBND tỉnh, Sở Nội vụ đề nghị:

1. Các đơn vị rà soát vị trí việc làm, gửi về Sở Nội vụ trước ngày 15/6/2024.

"""
SIGNATURE = """
KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC

Lò Văn Pấng
"""


def addressees_of(kinh_gui: str) -> list[str]:
    return [a.value for a in parse_text(HEADER + kinh_gui + "\n" + BODY + SIGNATURE).addressees]


def distribution_of(noi_nhan: str) -> list[tuple[str, str | None]]:
    parsed = parse_text(HEADER + "Kính gửi: Các sở, ban, ngành tỉnh.\n" + BODY + noi_nhan + "\n" + SIGNATURE)
    return [(d.name, d.purpose) for d in parsed.distribution]


# --- Kính gửi -------------------------------------------------------------------------------


def test_kinh_gui_on_one_line_is_one_addressee():
    assert addressees_of("Kính gửi: Ủy ban nhân dân các huyện, thành phố.") == [
        "Ủy ban nhân dân các huyện, thành phố"
    ]


def test_kinh_gui_as_a_dash_list_gives_one_addressee_per_line():
    assert addressees_of("Kính gửi:\n- Các sở, ban, ngành tỉnh;\n- UBND các huyện, thành phố.") == [
        "Các sở, ban, ngành tỉnh",
        "UBND các huyện, thành phố",
    ]


def test_shared_head_cac_bo_is_expanded():
    assert addressees_of("Kính gửi:\n- Các Bộ: Tài chính, Xây dựng;\n- UBND các huyện.") == [
        "Bộ Tài chính",
        "Bộ Xây dựng",
        "UBND các huyện",
    ]


def test_shared_head_keeps_a_name_with_a_comma_whole():
    assert addressees_of("Kính gửi:\n- Các sở: Lao động, Thương binh và Xã hội, Nội vụ;\n- UBND các huyện.")[
        :2
    ] == [
        "Sở Lao động, Thương binh và Xã hội",
        "Sở Nội vụ",
    ]


def test_so_van_hoa_the_thao_va_du_lich_is_one_addressee():
    assert addressees_of("Kính gửi:\n- Sở Văn hóa, Thể thao và Du lịch;\n- Sở Y tế.") == [
        "Sở Văn hóa, Thể thao và Du lịch",
        "Sở Y tế",
    ]


def test_group_names_stay_whole():
    assert addressees_of("Kính gửi:\n- Các sở, ban, ngành, đoàn thể tỉnh;\n- UBND các huyện, thành phố.")[
        0
    ] == ("Các sở, ban, ngành, đoàn thể tỉnh")


def test_no_kinh_gui_means_no_addressees():
    assert parse_text(HEADER + BODY + SIGNATURE).addressees == ()


def test_the_opening_sentence_is_not_an_addressee():
    assert not any("Thực hiện" in a for a in addressees_of("Kính gửi: UBND các huyện, thành phố."))


def test_an_opening_sentence_that_starts_with_a_body_name_is_not_an_addressee():
    text = HEADER + (
        "Kính gửi: UBND các huyện, thành phố.\n\n"
        "Sở Nội vụ đề nghị các đơn vị:\n\n1. Rà soát vị trí việc làm.\n"
    )
    assert [a.value for a in parse_text(text).addressees] == ["UBND các huyện, thành phố"]


def test_addressee_spans_point_at_the_names():
    text = HEADER + "Kính gửi:\n- Các Bộ: Tài chính, Xây dựng;\n- Sở Văn hóa, Thể thao và Du lịch.\n" + BODY
    parsed = parse_text(text)
    last = parsed.addressees[-1]
    assert text[last.span.start : last.span.end] == "Sở Văn hóa, Thể thao và Du lịch"
    for addressee in parsed.addressees[:2]:
        assert addressee.value.removeprefix("Bộ ") in text[addressee.span.start : addressee.span.end]


CONG_DIEN = """\
THỦ TƯỚNG CHÍNH PHỦ
Số: 12/CĐ-TTg
Hà Nội, ngày 3 tháng 9 năm 2025
CÔNG ĐIỆN
Về việc ứng phó với bão số 5

"""
CONG_DIEN_BODY = """Bão số 5 đang tiến vào đất liền. Thủ tướng Chính phủ yêu cầu:
1. Các địa phương sơ tán người dân khỏi vùng nguy hiểm.
"""


def cong_dien_addressees(lines: str) -> list[str]:
    return [a.value for a in parse_text(CONG_DIEN + lines + "\n" + CONG_DIEN_BODY).addressees]


def test_cong_dien_addressees_follow_the_sender_line():
    assert cong_dien_addressees(
        "THỦ TƯỚNG CHÍNH PHỦ điện:\n- Bộ trưởng Bộ Y tế;\n- Chủ tịch UBND tỉnh Cà Mau."
    ) == [
        "Bộ trưởng Bộ Y tế",
        "Chủ tịch UBND tỉnh Cà Mau",
    ]


def test_shared_head_over_provinces_and_cities_gives_one_addressee_each():
    assert cong_dien_addressees(
        "THỦ TƯỚNG CHÍNH PHỦ điện:\n- Chủ tịch Ủy ban nhân dân các tỉnh, thành phố: Lào Cai, Đà Nẵng,\n"
        "Sơn La và Cà Mau;\n- Bộ trưởng các Bộ: Quốc phòng, Nông nghiệp và Môi trường."
    ) == [
        "Chủ tịch Ủy ban nhân dân tỉnh Lào Cai",
        "Chủ tịch Ủy ban nhân dân thành phố Đà Nẵng",
        "Chủ tịch Ủy ban nhân dân tỉnh Sơn La",
        "Chủ tịch Ủy ban nhân dân tỉnh Cà Mau",
        "Bộ trưởng Bộ Quốc phòng",
        "Bộ trưởng Bộ Nông nghiệp và Môi trường",
    ]


def test_a_stamp_between_the_sender_line_and_the_list_is_skipped():
    assert cong_dien_addressees(
        "THỦ TƯỚNG CHÍNH PHỦ điện:\n\nĐẾN Ngày..12/9\n———__—\n\n- Bộ trưởng Bộ Y tế."
    ) == ["Bộ trưởng Bộ Y tế"]


def test_the_body_after_a_cong_dien_list_is_not_an_addressee():
    parsed = parse_text(CONG_DIEN + "THỦ TƯỚNG CHÍNH PHỦ điện:\n- Bộ trưởng Bộ Y tế.\n" + CONG_DIEN_BODY)
    assert [a.value for a in parsed.addressees] == ["Bộ trưởng Bộ Y tế"]
    assert len(parsed.tasks) == 1


def test_a_new_title_after_a_comma_opens_a_new_addressee():
    assert addressees_of("Kính gửi: Bộ trưởng các Bộ, Thủ trưởng các cơ quan ngang Bộ.") == [
        "Bộ trưởng các Bộ",
        "Thủ trưởng các cơ quan ngang Bộ",
    ]


def test_one_title_over_several_bodies_stays_one_addressee():
    assert addressees_of("Kính gửi: Bí thư Tỉnh ủy, Thành ủy các tỉnh, thành phố trực thuộc Trung ương.") == [
        "Bí thư Tỉnh ủy, Thành ủy các tỉnh, thành phố trực thuộc Trung ương"
    ]


def test_a_bare_title_shares_the_bodies_after_it():
    assert addressees_of("Kính gửi:\n- Bộ trưởng, Thủ trưởng cơ quan ngang Bộ, cơ quan thuộc Chính phủ.") == [
        "Bộ trưởng, Thủ trưởng cơ quan ngang Bộ, cơ quan thuộc Chính phủ"
    ]


def test_dong_kinh_gui_adds_its_addressee():
    assert addressees_of(
        "Kính gửi: Thủ tướng Chính phủ;\nĐồng kính gửi: Phó Thủ tướng Chính phủ Lê Văn An."
    ) == [
        "Thủ tướng Chính phủ",
        "Phó Thủ tướng Chính phủ Lê Văn An",
    ]


def test_a_name_misprinted_keeps_its_text():
    assert addressees_of("Kính gửi: Ban Chđạo Tổng điều tra các tỉnh.") == [
        "Ban Chđạo Tổng điều tra các tỉnh"
    ]


def test_news_lead_names_the_recipients_after_gui():
    parsed = parse_text(
        "Sở Nội vụ: rà soát biên chế năm 2024\n"
        "Sở Nội vụ vừa có Công văn số 512/SNV-TCBC gửi: Ủy ban nhân dân các huyện; Thủ trưởng các sở, ban,"
        " ngành. Theo đó, căn cứ Nghị định số 62/2020/NĐ-CP, các đơn vị rà soát biên chế.\n"
    )
    assert [a.value for a in parsed.addressees] == [
        "Ủy ban nhân dân các huyện",
        "Thủ trưởng các sở, ban, ngành",
    ]
    assert [r.number for r in parsed.references] == ["62/2020/NĐ-CP"]  # the lead stays in the body


def test_gui_in_a_task_names_no_addressee():
    assert (
        parse_text(HEADER + "1. Các đơn vị báo cáo số liệu gửi: Sở Nội vụ trước ngày 15/6/2024.\n").addressees
        == ()
    )


# --- Nơi nhận --------------------------------------------------------------------------------


def test_bc_means_for_report():
    assert ("UBND tỉnh", "report") in distribution_of(
        "Nơi nhận:\n- Như trên;\n- UBND tỉnh (b/c);\n- Lưu: VT."
    )


def test_de_bc_means_for_report():
    assert ("Bộ Nội vụ", "report") in distribution_of(
        "Nơi nhận:\n- Như trên;\n- Bộ Nội vụ (để b/c);\n- Lưu: VT."
    )


def test_de_thuc_hien_means_to_act():
    assert ("Phòng Nội vụ các huyện", "act") in distribution_of(
        "Nơi nhận:\n- Như trên;\n- Phòng Nội vụ các huyện (để thực hiện);\n- Lưu: VT."
    )


def test_de_phoi_hop_means_to_act():
    assert ("Sở Tài chính", "act") in distribution_of(
        "Nơi nhận:\n- Như trên;\n- Sở Tài chính (để phối hợp);\n- Lưu: VT."
    )


def test_nhu_tren_means_the_addressees():
    assert distribution_of("Nơi nhận:\n- Như trên;\n- Lưu: VT.")[0] == ("Như trên", "addressees")


def test_nhu_kinh_gui_means_the_addressees():
    assert distribution_of("Nơi nhận:\n- Như kính gửi,\n- Lưu Văn phòng.")[0] == (
        "Như kính gửi",
        "addressees",
    )


def test_luu_vt_is_one_archive_entry_kept_whole():
    assert distribution_of("Nơi nhận:\n- Như trên;\n- Lưu: VT, TCBC.")[-1] == ("Lưu: VT, TCBC", "archive")


def test_a_body_without_purpose_has_none():
    assert ("Ban Tổ chức Tỉnh ủy", None) in distribution_of(
        "Nơi nhận:\n- Như trên;\n- Ban Tổ chức Tỉnh ủy;\n- Lưu: VT."
    )


def test_shared_head_in_noi_nhan_is_expanded_and_shares_the_purpose():
    entries = distribution_of("Nơi nhận:\n- Như trên;\n- Các Bộ: Tài chính, Xây dựng (b/c);\n- Lưu: VT.")
    assert ("Bộ Tài chính", "report") in entries and ("Bộ Xây dựng", "report") in entries


def test_party_bracket_bc_after_a_pipe():
    entries = distribution_of(
        "Nơi nhận:\n- Ban Tổ chức Trung ương, | (b/c)\n- Ban Thường vụ Tỉnh ủy,\n- Lưu Văn phòng."
    )
    assert entries[0] == ("Ban Tổ chức Trung ương", "report")


def test_noi_nhan_in_a_markdown_table_cell():
    text = (
        HEADER
        + "Kính gửi: Các sở, ban, ngành tỉnh.\n"
        + BODY
        + "| **Nơi nhận:**<br>- Như trên;<br>- UBND tỉnh (b/c);<br>- Lưu: VT, NV. "
        "| **KT. GIÁM ĐỐC**<br>**PHÓ GIÁM ĐỐC**<br><br><br>**Lò Văn Pấng** |\n|---|---|\n"
    )
    entries = [(d.name, d.purpose) for d in parse_text(text).distribution]
    assert entries == [("Như trên", "addressees"), ("UBND tỉnh", "report"), ("Lưu: VT, NV", "archive")]


def test_signature_beside_noi_nhan_is_not_a_recipient():
    text = (
        "BỘ TÀI CHÍNH\nSố: 8123/BTC-NSNN\nHà Nội, ngày 02 tháng 8 năm 2024\n\n"
        "1. Các địa phương lập dự toán năm 2025.\n\n"
        "Nơi nhận:                       KT. BỘ TRƯỞNG\n"
        "- Như trên;                     THỨ TRƯỞNG\n"
        "- Lưu: VT, NSNN.\n"
        "                                Võ Thành Hưng\n"
    )
    assert [d.name for d in parse_text(text).distribution] == ["Như trên", "Lưu: VT, NSNN"]


def test_distribution_span_covers_the_name():
    noi_nhan = "Nơi nhận:\n- Như trên;\n- UBND tỉnh (b/c);\n- Lưu: VT."
    text = HEADER + "Kính gửi: Các sở, ban, ngành tỉnh.\n" + BODY + noi_nhan + "\n" + SIGNATURE
    entry = parse_text(text).distribution[1]
    assert text[entry.span.start : entry.span.end].startswith("UBND tỉnh")
