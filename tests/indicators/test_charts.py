"""The SVG charts of indicators: valid XML whatever users type, accessible names, marks that
carry the exact data, and geometry that matches it (bar lengths, heights, clamping, zero lines).

No database: the charts are pure functions of their arguments.
"""

from __future__ import annotations

import ast
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from indicators import charts
from indicators.charts import Line, Point, comparison_svg, share_svg, time_series_svg

NS = "{http://www.w3.org/2000/svg}"
TITLE = 'Экспорт & импорт <Türkiye> "İğdır" ş'
DESCRIPTION = "Внешняя торговля, млн долл. США; a < b && c > d"
NASTY = "Қазақстан <b>&amp;</b> \"x\" 'y'"


def number(value: Decimal) -> str:
    return f"{value:,f}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, and a failure to parse is the test


def _marks(root: ET.Element) -> list[ET.Element]:
    return [element for element in root.iter() if "data-value" in element.attrib]


def _d(element: ET.Element, name: str) -> Decimal:
    return Decimal(element.attrib[name])


def _time_series(**kwargs: object) -> str:
    arguments: dict[str, object] = {
        "chart_id": "trade",
        "title": TITLE,
        "description": DESCRIPTION,
        "lines": [
            Line("Exports", [Point("2022", Decimal("10.5")), Point("2023", Decimal("12.25"))]),
            Line("Imports", [Point("2022", Decimal("-3")), Point("2024", Decimal("7"))]),
        ],
        "unit": "USD million",
        "number": number,
    }
    arguments.update(kwargs)
    return time_series_svg(**arguments)  # type: ignore[arg-type]


def _comparison(**kwargs: object) -> str:
    arguments: dict[str, object] = {
        "chart_id": "partners",
        "title": TITLE,
        "description": DESCRIPTION,
        "bars": [
            Point("Türkiye", Decimal("120.40")),
            Point("Россия", Decimal("60.2")),
            Point(NASTY, Decimal("-30.1")),
            Point("Zero", Decimal("0")),
        ],
        "unit": "USD million",
        "number": number,
    }
    arguments.update(kwargs)
    return comparison_svg(**arguments)  # type: ignore[arg-type]


def _share(**kwargs: object) -> str:
    arguments: dict[str, object] = {
        "chart_id": "intra",
        "title": TITLE,
        "description": DESCRIPTION,
        "share": Decimal("12.50"),
        "label": "Intra-union trade",
        "number": number,
    }
    arguments.update(kwargs)
    return share_svg(**arguments)  # type: ignore[arg-type]


BUILDERS: list[Callable[..., str]] = [_time_series, _comparison, _share]
EMPTY_BUILDERS: list[Callable[..., str]] = [
    lambda **kw: _time_series(lines=[], **kw),
    lambda **kw: _time_series(lines=[Line("Exports", [])], **kw),
    lambda **kw: _comparison(bars=[], **kw),
]


@pytest.mark.parametrize("build", BUILDERS + EMPTY_BUILDERS)
def test_the_chart_is_an_accessible_image_named_by_its_title_and_desc(build):
    svg = build()
    root = _parse(svg)
    assert root.tag == f"{NS}svg"
    chart_id = root.attrib["aria-labelledby"].split()[0].removesuffix("-title")
    assert root.attrib["role"] == "img"
    assert root.attrib["aria-labelledby"] == f"{chart_id}-title {chart_id}-desc"
    assert root.attrib["width"] == "100%"
    assert root.attrib["viewBox"].split()[:3] == ["0", "0", "640"]
    title, desc = list(root)[:2]
    assert (title.tag, title.attrib["id"], title.text) == (f"{NS}title", f"{chart_id}-title", TITLE)
    assert (desc.tag, desc.attrib["id"], desc.text) == (
        f"{NS}desc",
        f"{chart_id}-desc",
        DESCRIPTION,
    )
    assert "<Türkiye>" not in svg  # escaped, not markup


@pytest.mark.parametrize("build", BUILDERS + EMPTY_BUILDERS)
def test_no_inline_style_script_or_outside_reference(build):
    """The Content-Security-Policy forbids inline styles; nothing may be fetched or run."""
    root = _parse(build())
    for element in root.iter():
        assert element.tag not in {f"{NS}style", f"{NS}script", f"{NS}image", f"{NS}use"}
        assert "style" not in element.attrib
        assert not any(name.startswith("on") or "href" in name for name in element.attrib)


@pytest.mark.parametrize("build", BUILDERS)
def test_coordinates_have_at_most_two_decimals(build):
    root = _parse(build())
    for element in root.iter():
        if element is root:
            continue  # width="100%"
        for name in ("x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "width", "height"):
            if name in element.attrib:
                assert re.fullmatch(r"-?\d+(\.\d{1,2})?", element.attrib[name]), element.attrib
        if "points" in element.attrib:
            assert re.fullmatch(
                r"(-?\d+(\.\d{1,2})?,-?\d+(\.\d{1,2})? ?)+", element.attrib["points"]
            )


def test_empty_chart_says_so_in_the_given_words():
    root = _parse(_comparison(bars=[], empty="Нет данных <пока>"))
    assert [text.text for text in root.iter(f"{NS}text")] == ["Нет данных <пока>"]
    assert _marks(root) == []
    assert "No data" in [text.text for text in _parse(_time_series(lines=[])).iter(f"{NS}text")]


# --- Time series -------------------------------------------------------------------------------


def test_time_series_dots_carry_the_exact_values_and_labels():
    root = _parse(_time_series())
    marks = [
        (m.attrib["data-series"], m.attrib["data-label"], m.attrib["data-value"])
        for m in _marks(root)
    ]
    assert marks == [
        ("Exports", "2022", "10.5"),
        ("Exports", "2023", "12.25"),
        ("Imports", "2022", "-3"),
        ("Imports", "2024", "7"),
    ]
    assert all(m.tag == f"{NS}circle" for m in _marks(root))
    assert len(list(root.iter(f"{NS}polyline"))) == 2


def test_time_series_higher_values_are_drawn_higher_and_labels_share_an_x():
    root = _parse(_time_series())
    dots = {(m.attrib["data-series"], m.attrib["data-label"]): m for m in _marks(root)}
    ys = {key: _d(dot, "cy") for key, dot in dots.items()}
    assert ys[("Exports", "2023")] < ys[("Exports", "2022")] < ys[("Imports", "2024")]
    assert ys[("Imports", "2024")] < ys[("Imports", "2022")]
    # The x axis is the union of the labels in first-seen order: 2022, 2023, 2024.
    xs = {key: _d(dot, "cx") for key, dot in dots.items()}
    assert xs[("Exports", "2022")] == xs[("Imports", "2022")]
    assert xs[("Exports", "2022")] < xs[("Exports", "2023")] < xs[("Imports", "2024")]
    axis = [t.text for t in root.iter(f"{NS}text")]
    assert axis.index("2022") < axis.index("2023") < axis.index("2024")


def test_time_series_includes_zero_and_draws_negatives_below_it():
    root = _parse(_time_series())
    zero_tick = next(t for t in root.iter(f"{NS}text") if t.text == "0")
    zero_y = _d(zero_tick, "y")
    for dot in _marks(root):
        value, y = _d(dot, "data-value"), _d(dot, "cy")
        assert (y > zero_y) if value < 0 else (y < zero_y)


def test_time_series_legend_only_for_several_lines():
    two = _parse(_time_series())
    legend = [g for g in two.iter(f"{NS}g") if g.attrib.get("class") == "chart-legend"]
    assert [t.text for t in legend[0].iter(f"{NS}text")] == ["Exports", "Imports"]
    one = _parse(_time_series(lines=[Line("Exports", [Point("2023", Decimal(1))])]))
    assert not [g for g in one.iter(f"{NS}g") if g.attrib.get("class") == "chart-legend"]


@pytest.mark.parametrize(
    "values",
    [
        [Decimal("5")],
        [Decimal("0")],
        [Decimal("-2.5")],
        [Decimal("7"), Decimal("7"), Decimal("7")],
        [Decimal("0"), Decimal("0")],
        [Decimal("1E+30"), Decimal("1E-30")],
    ],
)
def test_time_series_single_points_and_equal_values_do_not_divide_by_zero(values):
    points = [Point(str(2020 + i), value) for i, value in enumerate(values)]
    root = _parse(_time_series(lines=[Line("Exports", points)]))
    marks = _marks(root)
    assert [m.attrib["data-value"] for m in marks] == [str(v) for v in values]
    height = Decimal(root.attrib["viewBox"].split()[3])
    for mark in marks:
        assert 0 <= _d(mark, "cx") <= 640
        assert 0 <= _d(mark, "cy") <= height


def test_time_series_user_texts_are_escaped_and_read_back_equal():
    line = Line(
        NASTY, [Point("Jan–Oct 2025 <&>", Decimal("1.000")), Point("\x00İ\x1f", Decimal(2))]
    )
    root = _parse(_time_series(lines=[line, Line("Tab\there\nnew", [])], unit="<млн>"))
    first, second = _marks(root)
    assert (first.attrib["data-series"], first.attrib["data-label"]) == (NASTY, "Jan–Oct 2025 <&>")
    assert first.attrib["data-value"] == "1.000"
    assert second.attrib["data-label"] == "İ"  # characters XML cannot carry are dropped
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "<млн>" in texts
    assert "Tab\there\nnew" in texts
    assert [g.attrib["data-series"] for g in root.iter(f"{NS}g") if "data-series" in g.attrib] == [
        NASTY,
        "Tab\there\nnew",
    ]


def test_time_series_ticks_are_round_numbers_without_exponent():
    line = Line("Exports", [Point("2023", Decimal("1234")), Point("2024", Decimal("-480"))])
    root = _parse(_time_series(lines=[line], number=str))
    texts = {t.text for t in root.iter(f"{NS}text")}
    assert {"-500", "0", "500", "1000"} <= texts
    assert not any("E" in (t or "") for t in texts)


# --- Comparison --------------------------------------------------------------------------------


def _zero_line(root: ET.Element) -> Decimal:
    (zero,) = [line for line in root.iter(f"{NS}line") if line.attrib["x1"] == line.attrib["x2"]]
    return _d(zero, "x1")


def test_comparison_bars_carry_the_exact_values_and_labels():
    root = _parse(_comparison())
    marks = _marks(root)
    assert all(m.tag == f"{NS}rect" for m in marks)
    assert [(m.attrib["data-label"], m.attrib["data-value"]) for m in marks] == [
        ("Türkiye", "120.40"),
        ("Россия", "60.2"),
        (NASTY, "-30.1"),
        ("Zero", "0"),
    ]
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert {"120.40", "60.2", "-30.1", "0", "USD million", "Türkiye", "Россия"} <= set(texts)
    # A name too long for the label column is cut, and whole in the bar's tooltip.
    assert f"{NASTY[:20]}" in next(t for t in texts if t and t.endswith("…"))
    assert [m.find(f"{NS}title").text for m in marks][2] == f"{NASTY}: -30.1 USD million"


def test_comparison_bar_widths_are_proportional_to_the_absolute_values():
    root = _parse(_comparison())
    marks = _marks(root)
    widths = [_d(m, "width") for m in marks]
    assert max(widths) == widths[0]  # the largest value, the widest bar
    assert widths[-1] == 0
    for mark, width in zip(marks[:3], widths[:3], strict=True):
        ratio = width / abs(_d(mark, "data-value"))
        assert abs(ratio - widths[0] / Decimal("120.40")) < Decimal("0.001")


def test_comparison_negative_bars_lie_left_of_the_zero_line():
    root = _parse(_comparison())
    zero = _zero_line(root)
    for mark in _marks(root):
        x, width = _d(mark, "x"), _d(mark, "width")
        if _d(mark, "data-value") < 0:
            assert x + width == zero
            assert x < zero
        else:
            assert x == zero


def test_comparison_grows_28_px_a_bar():
    def height(count: int) -> Decimal:
        bars = [Point(f"P{i}", Decimal(i)) for i in range(count)]
        return Decimal(_parse(_comparison(bars=bars)).attrib["viewBox"].split()[3])

    assert height(5) - height(4) == 28


@pytest.mark.parametrize(
    "values",
    [
        [Decimal("3")],
        [Decimal("-3")],
        [Decimal("0")],
        [Decimal("0"), Decimal("0")],
        [Decimal(4)] * 3,
    ],
)
def test_comparison_single_bars_and_equal_values_do_not_divide_by_zero(values):
    bars = [Point(f"P{i}", value) for i, value in enumerate(values)]
    root = _parse(_comparison(bars=bars))
    marks = _marks(root)
    assert [m.attrib["data-value"] for m in marks] == [str(v) for v in values]
    assert len({m.attrib["width"] for m in marks}) == 1
    for mark in marks:
        assert _d(mark, "x") >= 0 and _d(mark, "x") + _d(mark, "width") <= 640


def test_comparison_all_negative_bars_end_at_a_zero_line_on_the_right():
    bars = [Point("A", Decimal("-10")), Point("B", Decimal("-5"))]
    root = _parse(_comparison(bars=bars))
    zero = _zero_line(root)
    a, b = _marks(root)
    assert _d(a, "x") < _d(b, "x") < zero
    assert _d(a, "x") + _d(a, "width") == zero == _d(b, "x") + _d(b, "width")


# --- Share -------------------------------------------------------------------------------------


def _share_parts(svg: str) -> tuple[ET.Element, ET.Element, list[str | None]]:
    root = _parse(svg)
    (track,) = [r for r in root.iter(f"{NS}rect") if "data-value" not in r.attrib]
    (filled,) = _marks(root)
    return track, filled, [t.text for t in root.iter(f"{NS}text")]


def test_share_fills_its_part_of_the_bar_and_writes_the_percentage():
    track, filled, texts = _share_parts(_share(share=Decimal("12.50"), label="<Intra> & co"))
    assert (filled.attrib["data-value"], filled.attrib["data-label"]) == ("12.50", "<Intra> & co")
    assert texts == ["<Intra> & co", "12.50%"]
    assert filled.attrib["x"] == track.attrib["x"]
    assert abs(_d(filled, "width") / _d(track, "width") - Decimal("0.125")) < Decimal("0.0001")


@pytest.mark.parametrize(
    ("share", "expected", "fraction"),
    [
        (Decimal("-4"), "0", 0),
        (Decimal("0"), "0", 0),
        (Decimal("100"), "100", 1),
        (Decimal("104.2"), "100", 1),
    ],
)
def test_share_clamps_to_0_and_100(share, expected, fraction):
    track, filled, texts = _share_parts(_share(share=share))
    assert filled.attrib["data-value"] == expected
    assert f"{expected}%" in texts
    assert _d(filled, "width") == _d(track, "width") * fraction


# --- Refusals and the module itself ------------------------------------------------------------


@pytest.mark.parametrize("chart_id", ["", "two words", "1st", 'x"y', "a<b"])
def test_a_chart_id_that_would_break_aria_labelledby_is_refused(chart_id):
    with pytest.raises(ValueError, match="chart_id"):
        _share(chart_id=chart_id)


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")])
def test_values_that_are_not_finite_are_refused(value):
    with pytest.raises(ValueError, match="not finite"):
        _comparison(bars=[Point("A", value)])
    with pytest.raises(ValueError, match="not finite"):
        _time_series(lines=[Line("A", [Point("2023", value)])])
    with pytest.raises(ValueError, match="not finite"):
        _share(share=value)


def test_the_module_needs_no_django():
    tree = ast.parse(Path(charts.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not [name for name in imported if name.split(".")[0] == "django"]
