"""Server-side SVG charts of trade indicators: a time series, a comparison by partner, a share.

Why SVG written out on the server: the indicator pages must work without JavaScript and under
the site's Content-Security-Policy, which forbids inline styles (``style`` attributes and
``<style>`` elements) and anything loaded from elsewhere. A chart is therefore drawn with SVG
presentation attributes only (``fill``, ``stroke``, ``font-size``, ``text-anchor``), which the
policy allows and the page's stylesheet can still override through the ``chart`` classes.
No ``font-family`` is set, so a chart inlined in a page uses the page's font.

Accessibility: every chart is ``role="img"``, named by its ``<title>`` and described by its
``<desc>`` (``aria-labelledby``); each data mark has a ``<title>`` tooltip with its label and
value; the lines of a time series differ by dash pattern as well as by colour (WCAG 1.4.1); the
palette has a contrast of at least 4.5:1 on white. The page shows the same figures in a table:
each mark's ``data-value`` (the exact :class:`~decimal.Decimal`, as ``str``) and ``data-label``
let tests check that the chart and the table agree.

Values stay :class:`~decimal.Decimal` throughout, so no figure is altered by float rounding;
only coordinates are rounded, to 2 decimals. Titles and labels come from users (Cyrillic,
Turkish letters, ``<``, ``&``): every text is escaped, and characters that XML cannot carry
(control characters, lone surrogates) are dropped so that the SVG always parses. The module does
not import Django: numbers are written by the caller's ``number`` function (locale-aware on the
page, e.g. ``core.l10n.format_number``) and every text arrives already translated.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from xml.sax.saxutils import escape

__all__ = [
    "PALETTE",
    "WIDTH",
    "Line",
    "Point",
    "comparison_svg",
    "share_svg",
    "time_series_svg",
]

#: The width of every viewBox; the SVG itself is ``width="100%"`` and scales to its container.
WIDTH = 640

#: Series colours, in order: each has a contrast of at least 4.5:1 on white, and neighbours
#: differ in hue for the common colour-vision deficiencies. Exported so that a page's legend or
#: table can use the same colours.
PALETTE: tuple[str, ...] = ("#1f6f8b", "#b35900", "#2e7d32", "#7b3294", "#a61e4d", "#4d5b6a")

#: Dash patterns of the lines of a time series, so that lines differ without colour too.
_DASHES: tuple[str, ...] = ("", "6 3", "2 3", "8 3 2 3", "12 4", "4 2 1 2")

_SVG_NS = "http://www.w3.org/2000/svg"
_TEXT = "#1b1f24"  # 16.6:1 on white
_MUTED = "#57606a"  # 6.4:1: the unit and the tick labels are text too
_GRID = "#d8dee4"  # gridlines only guide the eye; the zero line is drawn in _MUTED
_TRACK = "#e6eaee"
_TRACK_EDGE = "#8c959f"  # 3:1, the edge of the 100% track is a graphical object (WCAG 1.4.11)
_NEGATIVE = PALETTE[1]  # a negative bar differs from a positive one by colour and by side

_FONT = 12  # px, in viewBox units
_CHAR = Decimal("0.6")  # the average advance of a character, in ems: a width estimate
_CENT = Decimal("0.01")
_ZERO = Decimal(0)
_HUNDRED = Decimal(100)

# XML 1.0 Char: anything else (NUL, most C0 controls, lone surrogates, U+FFFE/U+FFFF) would make
# the document unparsable, so it is dropped rather than escaped (XML has no escape for it).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# An id is an IDREF in aria-labelledby, a space-separated list: no spaces, no markup.
_CHART_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


@dataclass(frozen=True)
class Point:
    """One figure of a chart: its label (a period such as "2023" or "Jan–Oct 2025", or the
    name of a partner) and its value, exact."""

    label: str
    value: Decimal


@dataclass(frozen=True)
class Line:
    """One series of a time series: the name the legend shows and its points in time order."""

    name: str
    points: Sequence[Point]


# --- Public charts -----------------------------------------------------------------------------


def time_series_svg(
    *,
    chart_id: str,
    title: str,
    description: str,
    lines: Sequence[Line],
    unit: str,
    number: Callable[[Decimal], str],
    empty: str = "No data",
) -> str:
    """A line chart: one polyline per :class:`Line`, with a dot per point.

    The x axis is the union of the labels in first-seen order (a series may lack some periods;
    its line then joins the periods it has), each label centred in an equal slot, so that one
    period needs no special case. The y axis always includes 0, so that a fall from 100 to 90
    does not look like a collapse, and extends below it for negative values (a trade balance);
    its ticks are round numbers written by ``number``, and ``unit`` is written above them. A
    legend is drawn when there are several lines; a single line is named by the title.
    """
    _check_id(chart_id)
    values = [point.value for line in lines for point in line.points]
    _check_finite(values)
    if not values:
        return _empty_svg(chart_id, title, description, empty, "chart-time-series")

    labels = list(dict.fromkeys(point.label for line in lines for point in line.points))
    scale = _Scale.around(values)
    tick_texts = [number(tick) for tick in scale.ticks]

    left = _clamp(max(_width(text) for text in tick_texts) + 14, 40, 200)
    right, top, plot_h = 16, 32, 240
    bottom = top + plot_h
    plot_w = WIDTH - right - left
    slot = plot_w / len(labels)
    x_of = {label: left + slot * (i + Decimal("0.5")) for i, label in enumerate(labels)}

    def y_of(value: Decimal) -> Decimal:
        return top + plot_h * (scale.hi - value) / (scale.hi - scale.lo)

    body: list[str] = []
    if unit:
        body.append(_text(unit, x=8, y=16, fill=_MUTED))
    for tick, text in zip(scale.ticks, tick_texts, strict=True):
        tick_y = _c(y_of(tick))
        is_zero = tick == 0
        body.append(
            _void(
                "line",
                {
                    "x1": _c(left),
                    "x2": _c(WIDTH - right),
                    "y1": tick_y,
                    "y2": tick_y,
                    "stroke": _MUTED if is_zero else _GRID,
                    "stroke-width": "1.5" if is_zero else "1",
                },
            )
        )
        body.append(_text(text, x=left - 6, y=tick_y, fill=_MUTED, anchor="end", middle=True))

    # Every k-th period is labelled when all the labels would not fit side by side.
    longest = max(_width(label) for label in labels) + 8
    every = max(1, int((longest / slot).to_integral_value(rounding=ROUND_CEILING)))
    fit = max(4, int(slot * every / (_FONT * _CHAR)))
    for i, label in enumerate(labels):
        if i % every == 0:
            text = _fit(label, fit)
            # Kept inside the viewBox: the first and last labels may be wider than their slot.
            half = _width(text) / 2 + 2
            x = min(max(x_of[label], half), WIDTH - half)
            body.append(_text(text, x=x, y=bottom + 18, fill=_TEXT, anchor="middle"))

    for index, line in enumerate(lines):
        colour, dash = _series_look(index)
        series = [_open("g", {"class": "chart-series", "data-series": line.name})]
        coordinates = [(x_of[point.label], y_of(point.value)) for point in line.points]
        if len(coordinates) > 1:
            attrs = {
                "points": " ".join(f"{_c(x)},{_c(y)}" for x, y in coordinates),
                "fill": "none",
                "stroke": colour,
                "stroke-width": "2",
                "stroke-linejoin": "round",
            }
            if dash:
                attrs["stroke-dasharray"] = dash
            series.append(_void("polyline", attrs))
        for point, (x, y) in zip(line.points, coordinates, strict=True):
            tip = f"{line.name}, {point.label}: {_with_unit(number(point.value), unit)}"
            series.append(
                _element(
                    "circle",
                    {
                        "cx": _c(x),
                        "cy": _c(y),
                        "r": "3.5",
                        "fill": colour,
                        "stroke": "#ffffff",
                        "stroke-width": "1",
                        "data-value": str(point.value),
                        "data-label": point.label,
                        "data-series": line.name,
                    },
                    _text_element("title", {}, tip),
                )
            )
        series.append("</g>")
        body.append("\n".join(series))

    height = bottom + 30
    if len(lines) > 1:
        legend, legend_h = _legend(lines, y=bottom + 44)
        body.append(legend)
        height = bottom + 30 + legend_h
    return _svg(chart_id, title, description, height, "chart-time-series", body)


def comparison_svg(
    *,
    chart_id: str,
    title: str,
    description: str,
    bars: Sequence[Point],
    unit: str,
    number: Callable[[Decimal], str],
    empty: str = "No data",
) -> str:
    """Horizontal bars, e.g. a reporter's values by partner, in the order given.

    Each bar is labelled with its name on the left and its value, written by ``number``, at its
    end. The bars start at a zero line and their lengths are proportional to the absolute
    values, so that a negative value (a trade balance can be negative) extends to the left of
    the zero line and is told apart by its side and colour, not only by its minus sign.
    Rows are 28 px high, so the chart grows with the number of partners instead of squeezing.
    """
    _check_id(chart_id)
    values = [bar.value for bar in bars]
    _check_finite(values)
    if not bars:
        return _empty_svg(chart_id, title, description, empty, "chart-comparison")

    texts = [number(value) for value in values]
    label_w = _clamp(max(_width(bar.label) for bar in bars) + 16, 60, 200)
    label_fit = max(4, int((label_w - 16) / (_FONT * _CHAR)))
    value_w = _clamp(max(_width(text) for text in texts) + 12, 24, 160)
    any_negative = any(value < 0 for value in values)
    any_positive = any(value >= 0 for value in values)
    plot_left = label_w + (value_w if any_negative else 0)
    plot_right = WIDTH - 8 - (value_w if any_positive else 0)
    plot_w = plot_right - plot_left

    lo, hi = min(_ZERO, *values), max(_ZERO, *values)
    span = (hi - lo) or Decimal(1)  # all zero: every bar is empty, and nothing divides by 0
    x0 = _round(plot_left + plot_w * -lo / span)
    top, row, bar_h = 28, 28, 20

    body: list[str] = []
    if unit:
        body.append(_text(unit, x=8, y=16, fill=_MUTED))
    for i, (bar, text) in enumerate(zip(bars, texts, strict=True)):
        row_top = top + row * i
        middle = row_top + row // 2
        # Rounded once, so that a negative bar ends exactly on the zero line.
        width = _round(plot_w * abs(bar.value) / span)
        negative = bar.value < 0
        x = x0 - width if negative else x0
        body.append(
            _text(_fit(bar.label, label_fit), x=label_w - 8, y=middle, anchor="end", middle=True)
        )
        body.append(
            _element(
                "rect",
                {
                    "x": _c(x),
                    "y": _c(row_top + (row - bar_h) // 2),
                    "width": _c(width),
                    "height": _c(bar_h),
                    "fill": _NEGATIVE if negative else PALETTE[0],
                    "data-value": str(bar.value),
                    "data-label": bar.label,
                },
                _text_element("title", {}, f"{bar.label}: {_with_unit(text, unit)}"),
            )
        )
        if negative:
            body.append(_text(text, x=x - 6, y=middle, anchor="end", middle=True))
        else:
            body.append(_text(text, x=x + width + 6, y=middle, middle=True))
    body.append(
        _void(
            "line",
            {
                "x1": _c(x0),
                "x2": _c(x0),
                "y1": _c(top),
                "y2": _c(top + row * len(bars)),
                "stroke": _MUTED,
                "stroke-width": "1.5",
            },
        )
    )
    return _svg(chart_id, title, description, top + row * len(bars) + 12, "chart-comparison", body)


def share_svg(
    *,
    chart_id: str,
    title: str,
    description: str,
    share: Decimal,
    label: str,
    number: Callable[[Decimal], str],
) -> str:
    """A percentage as one bar of 100 with its part filled, and ``number(share) + "%"`` beside
    it, e.g. the share of intra-union trade in a member's trade.

    A share outside 0..100 (rounding in the source data) is clamped, both in the bar and in the
    text and ``data-value``, so that what is written matches what is drawn; the page's table
    keeps the exact figure. A share inside the range keeps its exact ``str`` (``"12.50"``).
    """
    _check_id(chart_id)
    _check_finite([share])
    # min and max return their first argument on a tie, so an in-range share is kept as given.
    clamped = min(max(share, _ZERO), _HUNDRED)
    text = f"{number(clamped)}%"
    text_w = _clamp(_width(text, 14) + 16, 56, 200)
    track_x, track_y, track_h = 8, 26, 24
    track_w = WIDTH - 8 - text_w - track_x
    filled = _round(track_w * clamped / _HUNDRED)

    body: list[str] = []
    if label:
        body.append(_text(label, x=track_x, y=16, fill=_TEXT, size=13))
    body.append(
        _void(
            "rect",
            {
                "x": _c(track_x),
                "y": _c(track_y),
                "width": _c(track_w),
                "height": _c(track_h),
                "fill": _TRACK,
                "stroke": _TRACK_EDGE,
                "stroke-width": "1",
            },
        )
    )
    body.append(
        _element(
            "rect",
            {
                "x": _c(track_x),
                "y": _c(track_y),
                "width": _c(filled),
                "height": _c(track_h),
                "fill": PALETTE[0],
                "data-value": str(clamped),
                "data-label": label,
            },
            _text_element("title", {}, f"{label}: {text}" if label else text),
        )
    )
    body.append(
        _text(
            text,
            x=track_x + track_w + 10,
            y=track_y + track_h // 2,
            fill=_TEXT,
            size=14,
            middle=True,
            bold=True,
        )
    )
    return _svg(chart_id, title, description, track_y + track_h + 10, "chart-share", body)


# --- Scale and layout --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Scale:
    """The y range of a time series: round ticks from at most 0 to at least 0, so that the
    gridlines fall on numbers a reader can name and the zero line is always one of them."""

    lo: Decimal
    hi: Decimal
    ticks: tuple[Decimal, ...]

    @classmethod
    def around(cls, values: Sequence[Decimal]) -> _Scale:
        lo, hi = min(_ZERO, *values), max(_ZERO, *values)
        if lo == hi:  # all zero: any range will do, and it must not be empty
            hi = Decimal(1)
        raw = (hi - lo) / 4  # about five ticks
        magnitude = Decimal(1).scaleb(raw.adjusted())
        step = magnitude * next(m for m in (1, 2, 5, 10) if raw / magnitude <= m)
        first = int((lo / step).to_integral_value(rounding=ROUND_FLOOR))
        last = int((hi / step).to_integral_value(rounding=ROUND_CEILING))
        ticks = tuple(_plain(step * k) for k in range(first, last + 1))
        return cls(ticks[0], ticks[-1], ticks)


def _plain(value: Decimal) -> Decimal:
    """A tick without an exponent or trailing zeros (2000, not 2E+3; 0.5, not 0.50), for a
    ``number`` function that writes ``str(value)``."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()


def _legend(lines: Sequence[Line], *, y: int) -> tuple[str, int]:
    """The legend of a time series, wrapped over as many rows as its names need, and its
    height. Each entry repeats the line's colour, dash and dot, so it reads without colour."""
    parts = [_open("g", {"class": "chart-legend"})]
    x, row_y, rows = Decimal(8), y, 1
    for index, line in enumerate(lines):
        colour, dash = _series_look(index)
        name = _fit(line.name, 40)
        entry_w = 30 + _width(name) + 18
        if x > 8 and x + entry_w > WIDTH - 8:
            x, row_y, rows = Decimal(8), row_y + 20, rows + 1
        attrs = {
            "x1": _c(x),
            "x2": _c(x + 24),
            "y1": _c(row_y),
            "y2": _c(row_y),
            "stroke": colour,
            "stroke-width": "2",
        }
        if dash:
            attrs["stroke-dasharray"] = dash
        parts.append(_void("line", attrs))
        parts.append(
            _void("circle", {"cx": _c(x + 12), "cy": _c(row_y), "r": "3.5", "fill": colour})
        )
        parts.append(_text(name, x=x + 30, y=row_y, fill=_TEXT, middle=True))
        x += entry_w
    parts.append("</g>")
    return "\n".join(parts), rows * 20 + 8


def _series_look(index: int) -> tuple[str, str]:
    """The colour and dash of the index-th line: the dash shifts after each round of colours,
    so the first 36 lines all look different."""
    colours = len(PALETTE)
    return PALETTE[index % colours], _DASHES[(index + index // colours) % len(_DASHES)]


def _width(text: str, size: int = _FONT) -> Decimal:
    """An estimate of the drawn width of a text: the server cannot measure fonts."""
    return len(text) * size * _CHAR


def _fit(text: str, chars: int) -> str:
    """The text cut to ``chars`` characters with an ellipsis, so that a long partner name
    does not run over the bars (the full name is in the mark's tooltip and the page's table)."""
    return text if len(text) <= chars else text[: max(chars - 1, 1)] + "…"


def _clamp(value: Decimal, lo: int, hi: int) -> Decimal:
    return min(max(value, Decimal(lo)), Decimal(hi))


def _with_unit(text: str, unit: str) -> str:
    return f"{text} {unit}" if unit else text


def _check_id(chart_id: str) -> None:
    """The ids are ``{chart_id}-title`` and ``{chart_id}-desc``, listed in ``aria-labelledby``
    separated by a space: a space in ``chart_id`` would silently break the chart's name."""
    if not _CHART_ID.fullmatch(chart_id):
        raise ValueError(f"chart_id must be a letter then letters, digits, - or _: {chart_id!r}")


def _check_finite(values: Iterable[Decimal]) -> None:
    """NaN and infinity cannot be placed on an axis; failing loudly beats a chart that silently
    leaves a figure out (``DecimalField`` never holds them, so this is a programming error)."""
    for value in values:
        if not value.is_finite():
            raise ValueError(f"cannot chart a value that is not finite: {value}")


# --- SVG writing -------------------------------------------------------------------------------


def _round(value: Decimal | int) -> Decimal:
    return Decimal(value).quantize(_CENT, rounding=ROUND_HALF_EVEN)


def _c(value: Decimal | int) -> str:
    """A coordinate rounded to 2 decimals, without trailing zeros, exponent or "-0"."""
    rounded = _round(value)
    if rounded == 0:
        return "0"
    text = f"{rounded:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _escape_text(text: str) -> str:
    # A raw CR would be read back as LF.
    return escape(_clean(text), {"\r": "&#13;"})


def _escape_attr(text: str) -> str:
    # A raw tab, LF or CR in an attribute is read back as a space (attribute normalisation).
    return escape(_clean(text), {'"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"})


def _attrs(attrs: Mapping[str, str]) -> str:
    return "".join(f' {name}="{_escape_attr(value)}"' for name, value in attrs.items())


def _open(tag: str, attrs: Mapping[str, str]) -> str:
    return f"<{tag}{_attrs(attrs)}>"


def _void(tag: str, attrs: Mapping[str, str]) -> str:
    return f"<{tag}{_attrs(attrs)}/>"


def _element(tag: str, attrs: Mapping[str, str], *children: str) -> str:
    return f"<{tag}{_attrs(attrs)}>{''.join(children)}</{tag}>"


def _text_element(tag: str, attrs: Mapping[str, str], text: str) -> str:
    return f"<{tag}{_attrs(attrs)}>{_escape_text(text)}</{tag}>"


def _text(
    text: str,
    *,
    x: Decimal | int,
    y: Decimal | int | str,
    fill: str = _TEXT,
    anchor: str = "start",
    size: int = _FONT,
    middle: bool = False,
    bold: bool = False,
) -> str:
    """A ``<text>``; ``middle`` centres it vertically on ``y`` with ``dy`` rather than
    ``dominant-baseline``, which some renderers of exported SVG ignore."""
    attrs = {
        "x": _c(x),
        "y": y if isinstance(y, str) else _c(y),
        "fill": fill,
        "font-size": str(size),
    }
    if anchor != "start":
        attrs["text-anchor"] = anchor
    if middle:
        attrs["dy"] = "0.35em"
    if bold:
        attrs["font-weight"] = "bold"
    return _text_element("text", attrs, text)


def _svg(
    chart_id: str,
    title: str,
    description: str,
    height: Decimal | int,
    kind: str,
    body: Sequence[str],
) -> str:
    """The document: ``<title>`` and ``<desc>`` come first, as the accessible name and
    description that ``aria-labelledby`` points at (and the tooltip of the whole chart)."""
    head = _open(
        "svg",
        {
            "xmlns": _SVG_NS,
            "role": "img",
            "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
            "viewBox": f"0 0 {WIDTH} {_c(height)}",
            "width": "100%",
            "class": f"chart {kind}",
        },
    )
    return "\n".join(
        [
            head,
            _text_element("title", {"id": f"{chart_id}-title"}, title),
            _text_element("desc", {"id": f"{chart_id}-desc"}, description),
            *body,
            "</svg>",
        ]
    )


def _empty_svg(chart_id: str, title: str, description: str, empty: str, kind: str) -> str:
    """A chart without data keeps its name and description, and says so in words."""
    body = [_text(empty, x=WIDTH // 2, y=44, fill=_MUTED, anchor="middle", size=14)]
    return _svg(chart_id, title, description, 80, f"{kind} chart-empty", body)
