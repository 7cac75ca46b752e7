"""The signature block: authority (T/M, K/T, T/L, TUQ, Q.), on behalf of whom, title and name."""

from dondoc.parsing import parse_text

STATE = """\
ỦY BAN NHÂN DÂN
TỈNH KON TUM
Số: 77/UBND-KT
Kon Tum, ngày 02 tháng 8 năm 2024

Kính gửi: Các sở, ban, ngành tỉnh.

1. Các sở rà soát thủ tục hành chính, hoàn thành trong quý III/2024.

Nơi nhận:
- Như trên;
- Lưu: VT, KT.

"""
PARTY = """\
TỈNH ỦY GIA LAI
*
Số 210-CV/TU
ĐẢNG CỘNG SẢN VIỆT NAM
Gia Lai, ngày 02 tháng 8 năm 2024

Kính gửi: Các huyện ủy, thị ủy, thành ủy.

1. Các huyện ủy, thị ủy, thành ủy tổ chức quán triệt Kết luận, hoàn thành trong tháng 9/2024.

Nơi nhận:
- Như kính gửi,
- Lưu Văn phòng Tỉnh ủy.

"""


def signer_of(block: str, document: str = STATE):
    signer = parse_text(document + block + "\n").signer
    return (signer.authority, signer.on_behalf_of, signer.title, signer.name)


def test_party_t_m():
    assert signer_of("T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ\n\nNguyễn Văn Hùng", PARTY) == (
        "T/M",
        "BAN THƯỜNG VỤ",
        "PHÓ BÍ THƯ",
        "Nguyễn Văn Hùng",
    )


def test_party_k_t():
    assert signer_of("K/T BÍ THƯ\nPHÓ BÍ THƯ THƯỜNG TRỰC\n\nRơ Mah Tuấn", PARTY) == (
        "K/T",
        "BÍ THƯ",
        "PHÓ BÍ THƯ THƯỜNG TRỰC",
        "Rơ Mah Tuấn",
    )


def test_party_t_l():
    assert signer_of("T/L BAN THƯỜNG VỤ\nCHÁNH VĂN PHÒNG\n\nLê Thị Hạnh", PARTY) == (
        "T/L",
        "BAN THƯỜNG VỤ",
        "CHÁNH VĂN PHÒNG",
        "Lê Thị Hạnh",
    )


def test_state_tm_is_written_t_m():
    assert signer_of("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nLê Ngọc Tuấn")[:2] == ("T/M", "ỦY BAN NHÂN DÂN")


def test_state_kt_is_written_k_t():
    assert signer_of("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nNguyễn Hữu Tháp") == (
        "K/T",
        "CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Nguyễn Hữu Tháp",
    )


def test_state_tl_is_written_t_l():
    assert signer_of("TL. CHỦ TỊCH\nCHÁNH VĂN PHÒNG\n\nĐặng Văn Lâm")[:3] == (
        "T/L",
        "CHỦ TỊCH",
        "CHÁNH VĂN PHÒNG",
    )


def test_tuq_thua_uy_quyen():
    assert signer_of("TUQ. CHỦ TỊCH\nCHÁNH VĂN PHÒNG\n\nĐặng Văn Lâm")[:3] == (
        "TUQ",
        "CHỦ TỊCH",
        "CHÁNH VĂN PHÒNG",
    )


def test_q_quyen():
    assert signer_of("Q. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nNguyễn Hữu Tháp")[:2] == ("Q.", "CHỦ TỊCH")


def test_head_signing_in_own_name_has_no_authority():
    assert signer_of("CHỦ TỊCH\n\nLê Ngọc Tuấn") == (None, None, "CHỦ TỊCH", "Lê Ngọc Tuấn")


def test_bold_signature_block():
    assert signer_of("**KT. CHỦ TỊCH**\n**PHÓ CHỦ TỊCH**\n\n\n\n**Nguyễn Hữu Tháp**") == (
        "K/T",
        "CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Nguyễn Hữu Tháp",
    )


def test_da_ky_stamp_is_not_the_name():
    assert signer_of("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n(Đã ký)\n\nNguyễn Hữu Tháp")[3] == "Nguyễn Hữu Tháp"


def test_signature_in_a_markdown_table_cell():
    block = (
        "| **Nơi nhận:**<br>- Như trên;<br>- Lưu: VT. | **TL. BỘ TRƯỞNG**<br>**VỤ TRƯỞNG VỤ PHÁP CHẾ**"
        "<br><br><br>**Phạm Thị Mai** |\n|---|---|"
    )
    assert signer_of(block, STATE.split("Nơi nhận:")[0]) == (
        "T/L",
        "BỘ TRƯỞNG",
        "VỤ TRƯỞNG VỤ PHÁP CHẾ",
        "Phạm Thị Mai",
    )


def test_deputy_signing_for_the_committee_has_the_deputys_title():
    assert signer_of("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nNguyễn Hữu Tháp")[2:] == (
        "PHÓ CHỦ TỊCH",
        "Nguyễn Hữu Tháp",
    )


def test_ede_name_with_y_is_the_signers_name():
    assert signer_of("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nY Điêng")[3] == "Y Điêng"


def test_signer_span_covers_the_block():
    document = STATE + "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nNguyễn Hữu Tháp\n"
    span = parse_text(document).signer.span
    block = document[span.start : span.end]
    assert block.startswith("KT. CHỦ TỊCH") and block.endswith("Nguyễn Hữu Tháp")


def test_no_signature_block_means_no_signer():
    assert parse_text(STATE).signer is None


# --- the signature column flattened beside Nơi nhận (OCR, web copies) -------------------------------

DECISION = """\
THỦ TƯỚNG CHÍNH PHỦ
Số: 2200/QĐ-TTg
Hà Nội, ngày 08 tháng 10 năm 2025

QUYẾT ĐỊNH
Về việc phê duyệt Đề án

Điều 1. Phê duyệt Đề án.
Điều 2. Quyết định này có hiệu lực thi hành kể từ ngày ký./.

"""


def test_authority_on_the_noi_nhan_line():
    block = "Nơi nhận: KT. THỦ TƯỚNG\n- Như Điều 2;\n- Lưu: VT, KGVX.\nPHÓ THỦ TƯỚNG\n\nTrần Văn Ba"
    assert signer_of(block, DECISION) == ("K/T", "THỦ TƯỚNG", "PHÓ THỦ TƯỚNG", "Trần Văn Ba")


def test_authority_read_with_a_comma_and_without_marks():
    assert signer_of("Noi nhận: KT, THU TƯỚNG ˆ\n- Như Điều 2;\n- Lưu: VT.", DECISION)[:2] == (
        "K/T",
        "THỦ TƯỚNG",
    )


def test_authority_in_a_pipe_separated_cell():
    assert signer_of("- Như Điều 2; | TM. ỦY BAN NHÂN DÂN |\n- Lưu: VT.", DECISION)[:2] == (
        "T/M",
        "ỦY BAN NHÂN DÂN",
    )


def test_head_signing_in_own_name_with_the_title_on_the_noi_nhan_line():
    block = "Nơi nhận: THỦTƯỚNG bey,\n- Như Điều 2;\n- Lưu: VT, KTTH.\n\n§\n\nNguyễn Văn An"
    assert signer_of(block, DECISION) == (None, None, "THỦ TƯỚNG", "Nguyễn Văn An")


def test_name_alone_under_the_distribution_list():
    block = "Nơi nhận:\n- Như Điều 2;\n- VPCP: BTCN, các PCN,\nVụ TCCV;\n- Lưu: VT.\n\nPHTạm Văn Bình"
    assert signer_of(block, DECISION) == (None, None, None, "PHTạm Văn Bình")


def test_signature_glued_to_the_end_of_recipient_lines():
    block = (
        "Nơi nhận: TM. CHÍNH PHỦ\n- Các thành viên Chính phủ; KT. THỦ TƯỚNG\n"
        "- Các Bộ: NV, TC,\nXD, GDĐT, PHO THU TUONG\n- Lưu: VT.\n\nLê Văn Cường"
    )
    parsed = parse_text(DECISION + block + "\n")
    signer = parsed.signer
    assert (signer.authority, signer.on_behalf_of, signer.title, signer.name) == (
        "K/T",
        "THỦ TƯỚNG",
        "PHÓ THỦ TƯỚNG",
        "Lê Văn Cường",
    )
    assert parsed.distribution[0].name == "Các thành viên Chính phủ"


def test_a_body_named_in_a_recipient_list_is_not_a_title():
    block = (
        "Nơi nhận: KT. THỦ TƯỚNG\n- Như Điều 2;\n- UBND các tỉnh,\nUBND THÀNH PHỐ, TỔNG CỤC THUẾ;\n- Lưu: VT."
    )
    assert signer_of(block, DECISION)[2] is None


def test_a_name_at_the_end_of_a_text_without_distribution_list_is_not_a_signer():
    text = DECISION.replace("./.", ".") + "Hội nghị diễn ra trong hai ngày.\n\nNguyễn Văn An\n"
    signer = parse_text(text).signer
    assert signer is None or signer.name is None
