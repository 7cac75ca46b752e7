"""The clean-up every document gets, one behaviour per test."""

from dondoc.reading.cleanup import (
    clean_text,
    is_syllable,
    join_hyphenated_lines,
    join_page_breaks,
    normalize_tone_marks,
    normalize_unicode,
    split_glued_words,
)
from dondoc.reading.document import PAGE_BREAK


def test_decomposed_text_becomes_nfc():
    assert normalize_unicode("To\u0302\u0309 chu\u031b\u0301c") == "Tổ chức"


def test_stray_combining_marks_are_dropped():
    assert normalize_unicode("\u0301Kính gửi: \u0323") == "Kính gửi: "


def test_old_tone_placement_becomes_the_corpus_form():
    assert normalize_tone_marks("Uỷ ban nhân dân, hoà bình, thuỷ lợi, khoẻ, HOÀ") == (
        "Ủy ban nhân dân, hòa bình, thủy lợi, khỏe, HÒA"
    )


def test_tone_placement_left_alone_when_a_consonant_follows():
    assert normalize_tone_marks("Hoàng, hoạt động, thuyền") == "Hoàng, hoạt động, thuyền"


def test_quy_keeps_its_mark_on_y():
    assert normalize_tone_marks("Quý III, quá hạn") == "Quý III, quá hạn"


def test_document_number_hyphenated_across_lines_is_joined():
    assert join_hyphenated_lines("Công văn số 2874/UBND-\nNC ngày 15/7/2024") == (
        "Công văn số 2874/UBND-NC ngày 15/7/2024"
    )


def test_syllable_hyphenated_across_lines_becomes_two_words():
    assert join_hyphenated_lines("các tổ-\nchức") == "các tổ chức"


def test_spaced_range_dash_at_line_end_is_kept():
    assert join_hyphenated_lines("giai đoạn 2022 -\n2026") == "giai đoạn 2022 -\n2026"


def test_page_break_inside_a_sentence_is_joined():
    text = "đánh giá việc thực hiện mô hình\n\n\n\nthí điểm bí thư cấp ủy"
    assert join_page_breaks(text) == "đánh giá việc thực hiện mô hình thí điểm bí thư cấp ủy"


def test_lone_page_number_inside_a_sentence_is_dropped():
    text = "bảo đảm số liệu chính xác, đầy\n                                        2\nđủ, đúng thời hạn."
    assert join_page_breaks(text) == "bảo đảm số liệu chính xác, đầy đủ, đúng thời hạn."


def test_page_end_moves_after_the_joined_line():
    text = f"phù hợp với tình hình\n\n{PAGE_BREAK}\nthực tế của địa phương.\nDòng sau."
    assert join_page_breaks(text) == f"phù hợp với tình hình thực tế của địa phương.{PAGE_BREAK}\nDòng sau."


def test_paragraphs_after_a_full_stop_stay_apart():
    text = "triển khai thực hiện.\n\n\n\nnhận được Công văn này"
    assert join_page_breaks(text) == text


def test_a_single_blank_line_is_a_paragraph_not_a_page_break():
    assert join_page_breaks("các cơ quan,\n\nđơn vị") == "các cơ quan,\n\nđơn vị"


def test_lettered_item_after_a_gap_is_not_joined():
    text = "a) Rà soát biên chế,\n\n\n\nb) Xây dựng kế hoạch"
    assert join_page_breaks(text) == text


def test_month_glued_to_its_number_is_split():
    assert split_glued_words("Bình Định, ngày 29 tháng7 năm 2024") == "Bình Định, ngày 29 tháng 7 năm 2024"


def test_syllable_glued_to_a_function_word_is_split():
    assert split_glued_words("4. Sở Nội vụlà cơ quan đầu mối") == "4. Sở Nội vụ là cơ quan đầu mối"


def test_function_word_glued_before_a_syllable_is_split():
    assert split_glued_words("Sở Tài chính vàcác sở") == "Sở Tài chính và các sở"


def test_real_words_are_never_split():
    text = "nghiêng khuyến người Việt chuyển ngoài giường quốc thuyền UBND email theo tháng"
    assert split_glued_words(text) == text


def test_syllable_check_accepts_long_syllables_and_rejects_two():
    assert is_syllable("nghiêng") and is_syllable("khuỷu") and not is_syllable("vụlà")


def test_clean_text_applies_every_step():
    assert clean_text("Uỷ ban\r\nsố 12/UBND-\nVX tháng7  ") == "Ủy ban\nsố 12/UBND-VX tháng 7"
