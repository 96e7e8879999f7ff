"""The charts of a set of series as the pages show them: each chart's SVG (:mod:`.charts`) with
the table of the same values beside it, in the active language.

Three kinds, as the union reports trade: a time series of each series; the reporter's latest
figures by partner (one flow, one period); the share of intra-union trade (the named indicator
``intra-union-share``), one bar per reporter.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core import l10n

from . import charts
from .models import Flow, Series, Value

#: The named indicator the union reports its integration by.
SHARE_KEY = "intra-union-share"
#: At most this many lines in one time-series chart (the table lists every series).
MAX_LINES = 6


def number(value: Decimal) -> str:
    """A value as the active language writes numbers: grouped, every recorded decimal, no
    trailing zeros (``9,5`` in Kazakh)."""
    return l10n.format_number(Decimal(f"{value.normalize():f}"), exact=True)


@dataclass(frozen=True)
class Chart:
    chart_id: str
    title: str
    svg: SafeString
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def _values(series: Series) -> list[Value]:
    return list(series.values.all())  # prefetched by selectors.with_values, in period order


def time_series(series: Sequence[Series], *, chart_id: str) -> Chart | None:
    drawn = [s for s in series if _values(s)][:MAX_LINES]
    if not drawn:
        return None
    units = sorted({s.unit for s in drawn})
    title = _("Over time (%(unit)s)") % {"unit": ", ".join(units)}
    description = _("Each series' value per period: %(series)s.") % {
        "series": "; ".join(s.title for s in drawn)
    }
    lines = [
        charts.Line(
            name=s.title, points=[charts.Point(v.period.label(), v.value) for v in _values(s)]
        )
        for s in drawn
    ]
    svg = charts.time_series_svg(
        chart_id=chart_id,
        title=title,
        description=description,
        lines=lines,
        unit=", ".join(units),
        number=number,
    )
    rows = tuple(
        (s.title, v.period.label(), number(v.value), v.source_name)
        for s in drawn
        for v in _values(s)
    )
    columns = (_("Series"), _("Period"), _("Value"), _("Source"))
    return Chart(chart_id, title, mark_safe(svg), columns, rows)  # noqa: S308 - escaped by charts


def by_partner(series: Sequence[Series], *, chart_id: str) -> Chart | None:
    """The latest period's figures of one reporter and flow by partner: the reporter, flow and
    unit with the most partners (turnover first)."""
    groups: dict[tuple[str, str, str, str], list[Series]] = defaultdict(list)
    for s in series:
        if s.flow != Flow.INDICATOR and _values(s):
            groups[(str(s.reporter), s.flow, s.key, s.unit)].append(s)
    if not groups:
        return None
    order = {Flow.TURNOVER: 0, Flow.EXPORTS: 1, Flow.IMPORTS: 2, Flow.BALANCE: 3}
    key = min(groups, key=lambda k: (-len(groups[k]), order.get(Flow(k[1]), 9), k))
    members = groups[key]
    latest_end = max(_values(s)[-1].period_end for s in members)
    bars: list[tuple[Series, Value]] = []
    for s in members:
        last = _values(s)[-1]
        if last.period_end == latest_end:
            bars.append((s, last))
    bars.sort(key=lambda pair: -abs(pair[1].value))
    first = bars[0][0]
    period = bars[0][1].period.label()
    title = _("%(reporter)s by partner: %(what)s, %(period)s") % {
        "reporter": first.reporter.name,
        "what": first.what,
        "period": period,
    }
    description = _("%(what)s of %(reporter)s with each partner in %(period)s, in %(unit)s.") % {
        "what": first.what,
        "reporter": first.reporter.name,
        "period": period,
        "unit": first.unit,
    }
    svg = charts.comparison_svg(
        chart_id=chart_id,
        title=title,
        description=description,
        bars=[charts.Point(s.partner_label, v.value) for s, v in bars],
        unit=first.unit,
        number=number,
    )
    rows = tuple((s.partner_label, number(v.value), v.source_name) for s, v in bars)
    columns = (_("Partner"), _("Value"), _("Source"))
    return Chart(chart_id, title, mark_safe(svg), columns, rows)  # noqa: S308 - escaped by charts


def shares(series: Sequence[Series], *, chart_id: str) -> list[Chart]:
    """The share of intra-union trade of each reporter that reports it (its latest figure)."""
    found = []
    for index, s in enumerate(x for x in series if x.key == SHARE_KEY and _values(x)):
        last = _values(s)[-1]
        title = _("Share of intra-union trade: %(reporter)s, %(period)s") % {
            "reporter": s.reporter.name,
            "period": last.period.label(),
        }
        description = _(
            "The union's members' part of the trade turnover of %(reporter)s: %(share)s %%."
        ) % {"reporter": s.reporter.name, "share": number(last.value)}
        svg = charts.share_svg(
            chart_id=f"{chart_id}-{index}",
            title=title,
            description=description,
            share=last.value,
            label=s.reporter.name,
            number=number,
        )
        rows = ((last.period.label(), number(last.value), last.source_name),)
        columns = (_("Period"), _("Share (%)"), _("Source"))
        found.append(Chart(f"{chart_id}-{index}", title, mark_safe(svg), columns, rows))  # noqa: S308
    return found


def charts_of(series: Sequence[Series], *, prefix: str) -> list[Chart]:
    """Every chart of these series (with their values prefetched)."""
    flows = [s for s in series if s.key != SHARE_KEY]
    # One time series per unit: USD and % on one axis would draw one of them flat.
    units = list(dict.fromkeys(s.unit for s in flows))
    over_time = [
        time_series([s for s in flows if s.unit == unit], chart_id=f"{prefix}-time-{index}")
        for index, unit in enumerate(units)
    ]
    partners = by_partner(flows, chart_id=f"{prefix}-partners")
    found = [chart for chart in (*over_time, partners) if chart is not None]
    return found + shares(series, chart_id=f"{prefix}-share")
