"""Properties of parse_text: it never raises, its JSON always serialises, its spans stay in the text."""

import json
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dondoc.parsing import parse_text

SEED = (Path(__file__).resolve().parent / "corpus" / "dev" / "00-1317-CV-TU.md").read_text(encoding="utf-8")
SEED_LINES = SEED.split("\n")

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

STRAY_MARKDOWN = ["**", "*", "#", "# ", "|", " | ", "\\", "<br>", "- ", "1. ", "a) ", "(", ")", "_", "`"]


def check(text: str) -> None:
    """Parse, serialise, and check every task's spans against the text's bounds."""
    parsed = parse_text(text)
    json.dumps(parsed.to_json(), ensure_ascii=False)
    # spans index the text as given or its NFC form, whichever the parser reads
    length = max(len(text), len(unicodedata.normalize("NFC", text)))
    for task in parsed.tasks:
        spans = [
            task.span,
            task.deadline.span,
            *(f.span for f in task.lead + task.coordinating + task.report_to),
        ]
        for span in spans:
            if span is not None:
                assert 0 <= span.start <= span.end <= length, span


@FAST
@given(st.text(max_size=2000))
def test_any_unicode_text_is_parsed_without_error(text):
    check(text)


@FAST
@given(st.binary(max_size=3000))
def test_byte_soup_decoded_with_replacement_is_parsed_without_error(data):
    check(data.decode("utf-8", errors="replace"))


@SLOW
@given(st.lists(st.integers(0, len(SEED_LINES) - 1), unique=True, max_size=40))
def test_seed_letter_with_lines_deleted(deleted):
    check("\n".join(line for i, line in enumerate(SEED_LINES) if i not in set(deleted)))


@SLOW
@given(st.lists(st.integers(0, len(SEED_LINES) - 2), max_size=30))
def test_seed_letter_with_lines_merged(joins):
    lines = list(SEED_LINES)
    for i in sorted(set(joins), reverse=True):
        if i + 1 < len(lines):
            lines[i : i + 2] = [lines[i] + " " + lines[i + 1]]
    check("\n".join(lines))


@SLOW
@given(st.permutations(SEED_LINES))
def test_seed_letter_with_lines_shuffled(lines):
    check("\n".join(lines))


@SLOW
@given(st.lists(st.integers(0, len(SEED_LINES) - 1), max_size=30))
def test_seed_letter_with_lines_duplicated(duplicated):
    lines = []
    for i, line in enumerate(SEED_LINES):
        lines.append(line)
        lines.extend([line] * duplicated.count(i))
    check("\n".join(lines))


@SLOW
@given(
    st.lists(
        st.tuples(st.integers(0, len(SEED_LINES) - 1), st.sampled_from(STRAY_MARKDOWN), st.booleans()),
        max_size=40,
    )
)
def test_seed_letter_wrapped_in_stray_markdown(edits):
    lines = list(SEED_LINES)
    for i, mark, at_end in edits:
        lines[i] = lines[i] + mark if at_end else mark + lines[i]
    check("\n".join(lines))


@SLOW
@given(st.data())
def test_seed_letter_cut_anywhere(data):
    start = data.draw(st.integers(0, len(SEED)))
    end = data.draw(st.integers(start, len(SEED)))
    check(SEED[start:end])


@SLOW
@given(
    st.lists(
        st.sampled_from(
            [*SEED_LINES, "", "Kính gửi:", "Nơi nhận:", "T/M BAN THƯỜNG VỤ", "| a | b |", "|---|---|"]
        ),
        max_size=60,
    )
)
def test_seed_lines_recombined(lines):
    check("\n".join(lines))


def test_seed_letter_spans_lie_within_the_text():
    parsed = parse_text(SEED)
    assert len(parsed.tasks) == 11
    for task in parsed.tasks:
        assert 0 <= task.span.start < task.span.end <= len(SEED)
        assert SEED[task.span.start : task.span.end].strip()
