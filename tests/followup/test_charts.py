"""The dashboards' charts, drawn on the server as SVG: well-formed, named for screen readers, scaled by their
viewBox, every bar carrying its label and number, the lines of a trend told apart by more than colour."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import pytest

from dondoc.followup.charts import WIDTH, BarRow, Segment, Series, Tone, bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup: str) -> ElementTree.Element:
    return ElementTree.fromstring(markup)


def _bars(rows: list[BarRow]) -> ElementTree.Element:
    return _parse(
        bar_chart(chart_id="statuses", title="Nhiệm vụ theo trạng thái", description="Mô tả", rows=rows)
    )


def _one(label: str, value: int, tone: Tone = Tone.ON_TIME) -> BarRow:
    return BarRow(label, (Segment(value, tone, label),))


def test_a_chart_is_an_image_named_by_its_title_and_description():
    svg = _bars([_one("hoàn thành đúng hạn", 3)])
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "statuses-title statuses-desc"
    assert svg.find(f"{SVG}title").get("id") == "statuses-title"
    assert svg.find(f"{SVG}title").text == "Nhiệm vụ theo trạng thái"
    assert svg.find(f"{SVG}desc").text == "Mô tả"


def test_a_chart_scales_with_the_page():
    svg = _bars([_one("quá hạn", 2)])
    assert svg.get("width") == "100%"
    assert svg.get("viewBox").startswith(f"0 0 {WIDTH} ")
    assert svg.get("height") is None  # the viewBox gives the proportions


def test_every_bar_carries_its_label_and_its_number():
    svg = _bars([_one("hoàn thành đúng hạn", 12), _one("quá hạn", 5, Tone.OVERDUE)])
    texts = ["".join(text.itertext()) for text in svg.iter(f"{SVG}text")]
    assert texts == ["hoàn thành đúng hạn", "12", "quá hạn", "5"]


def test_bars_are_as_long_as_their_numbers_the_longest_filling_the_room_left_for_numbers():
    svg = _bars([_one("a", 10), _one("b", 5), _one("c", 0)])
    widths = [float(rect.get("width")) for rect in svg.iter(f"{SVG}rect")]
    assert len(widths) == 2  # no bar for nothing
    assert widths[1] == pytest.approx(widths[0] / 2, abs=0.1)  # drawn to a tenth
    assert WIDTH - 40 < widths[0] < WIDTH


def test_a_bar_of_one_among_hundreds_stays_visible():
    widths = [float(rect.get("width")) for rect in _bars([_one("a", 900), _one("b", 1)]).iter(f"{SVG}rect")]
    assert widths[1] == 3.0


def test_the_room_for_the_numbers_grows_with_the_longest_note():
    plain = _bars([_one("a", 10)])
    noted = _bars([BarRow("a", (Segment(10, Tone.ON_TIME, "a"),), note="đúng hạn 100,0 %")])
    assert float(next(noted.iter(f"{SVG}rect")).get("width")) < float(
        next(plain.iter(f"{SVG}rect")).get("width")
    )


def test_nothing_to_draw_is_drawn_without_dividing_by_zero():
    assert not list(_bars([_one("a", 0)]).iter(f"{SVG}rect"))
    assert _bars([]).get("role") == "img"


def test_a_bar_of_several_parts_is_stacked_with_a_legend_and_its_note():
    row = BarRow(
        "Ban Thường vụ Huyện ủy Cư Jút",
        (Segment(3, Tone.OVERDUE, "quá hạn"), Segment(1, Tone.LATE, "hoàn thành quá hạn")),
        note="đúng hạn 20,0 %",
    )
    svg = _bars([row])
    legend = svg.find(f"{SVG}g[@class='legend']")
    assert legend is not None and legend.get("aria-hidden") == "true"
    assert [text.text for text in legend.iter(f"{SVG}text")] == ["quá hạn", "hoàn thành quá hạn"]
    bar = svg.find(f"{SVG}g[@class='bar-row']")
    rects = list(bar.iter(f"{SVG}rect"))
    assert [rect.get("fill") for rect in rects] == [Tone.OVERDUE.value, Tone.LATE.value]
    # the second part starts where the first ends
    assert float(rects[1].get("x")) == float(rects[0].get("width"))
    assert bar.find(f"{SVG}text[@class='bar-value']").text == "4 · đúng hạn 20,0 %"


def test_texts_are_escaped():
    markup = bar_chart(chart_id="x", title="<b>", description="a & b", rows=[_one('<script>"', 1)])
    assert "<script>" not in markup and "&lt;script&gt;" in markup
    assert _parse(markup).find(f"{SVG}desc").text == "a & b"


def test_a_long_label_is_cut_the_table_beside_giving_it_whole():
    label = "Ban cán sự đảng Ủy ban nhân dân tỉnh " * 4
    text = next(_bars([_one(label, 1)]).iter(f"{SVG}text")).text
    assert text.endswith("…") and len(text) == 60


def _trend() -> ElementTree.Element:
    return _parse(
        line_chart(
            chart_id="trend",
            title="Theo tháng",
            description="Mô tả",
            categories=["05/2023", "06/2023", "07/2023"],
            series=[
                Series("đúng hạn", (1, 7, 2), Tone.ON_TIME),
                Series("quá hạn", (0, 3, 5), Tone.LATE),
                Series("chưa xong", (4, 0, 1), Tone.OVERDUE),
            ],
        )
    )


def test_each_line_differs_by_dash_and_marker_as_well_as_colour():
    svg = _trend()
    lines = list(svg.iter(f"{SVG}polyline"))
    assert [line.get("stroke") for line in lines] == [Tone.ON_TIME.value, Tone.LATE.value, Tone.OVERDUE.value]
    assert len({line.get("stroke-dasharray") for line in lines}) == 3
    series = svg.findall(f"{SVG}g[@class='series']")
    markers = [{child.tag for child in group} - {f"{SVG}polyline"} for group in series]
    assert markers == [{f"{SVG}circle"}, {f"{SVG}rect"}, {f"{SVG}polygon"}]


def test_each_point_names_its_line_month_and_number():
    hints = [title.text for title in _trend().iter(f"{SVG}title")][1:]
    assert "đúng hạn, 06/2023: 7" in hints and "chưa xong, 05/2023: 4" in hints
    assert len(hints) == 9


def test_the_scale_runs_in_round_steps_above_the_highest_number():
    axis = [t.text for t in _trend().iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    assert axis == ["0", "2", "4", "6", "8"]


def test_every_other_month_may_hide_on_a_narrow_screen():
    months = [t for t in _trend().iter(f"{SVG}text") if t.get("text-anchor") == "middle"]
    assert [(t.text, t.get("class")) for t in months] == [
        ("05/2023", "axis"),
        ("06/2023", "axis minor"),
        ("07/2023", "axis"),
    ]


def test_a_trend_of_nothing_still_has_a_scale():
    svg = _parse(
        line_chart(
            chart_id="t",
            title="t",
            description="d",
            categories=["01/2024"],
            series=[Series("đúng hạn", (0,), Tone.ON_TIME)],
        )
    )
    assert [t.text for t in svg.iter(f"{SVG}text") if t.get("text-anchor") == "end"] == ["0", "1"]


def test_a_legend_too_long_for_one_line_wraps_and_the_lines_start_below_it():
    labels = ("hoàn thành đúng hạn", "hoàn thành quá hạn", "quá hạn, chưa hoàn thành")
    series = [
        Series(label, (1, 2), tone)
        for label, tone in zip(labels, (Tone.ON_TIME, Tone.LATE, Tone.OVERDUE), strict=True)
    ]
    svg = _parse(
        line_chart(chart_id="trend", title="t", description="d", categories=["1/23", "2/23"], series=series)
    )
    legend = svg.find(f"{SVG}g[@class='legend']")
    keys = [(float(text.get("x")), float(text.get("y")), text.text) for text in legend.iter(f"{SVG}text")]
    assert [text for _x, _y, text in keys] == list(labels)
    assert len({y for _x, y, _text in keys}) == 2  # two lines of keys
    assert all(x + len(text) * 13 * 0.58 <= WIDTH + 1 for x, _y, text in keys)  # none runs off the drawing
    lowest_key = max(y for _x, y, _text in keys)
    top_of_plot = min(float(line.get("y1")) for line in svg.iter(f"{SVG}line") if line.get("class") == "grid")
    assert top_of_plot > lowest_key
