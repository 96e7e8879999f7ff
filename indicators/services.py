"""The one way indicators are written: series, values with their revisions, publication and the
priorities' targets. The admin, the import and the API all call these.

Locks (docs/locking.md): a value's row is a leaf, locked by :func:`value_record` alone
(``select_for_update``) while it is compared and revised; two writers creating the same
(series, period) or the same series race on the unique constraints, and the one that loses
gets a 409 (:func:`core.services.conflict_on_integrity`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from core.access import Access, require_staff
from core.errors import DomainError
from core.events import emit
from core.services import conflict_on_integrity, require_known_fields, validated_save
from core.translated import codes

from . import periods
from .events import IndicatorRevised
from .models import PARTNER_LABELS, Flow, Revision, Series, Target, Value

CREATED, REVISED, UNCHANGED = "created", "revised", "unchanged"

#: Values are exact decimals of at most 18 digits before the point and 6 after.
MAX_DIGITS, DECIMAL_PLACES = 24, 6


def plain(value: Decimal) -> str:
    """A figure as text in fixed notation without trailing zeros (``"7900000000"``, ``"9.5"``):
    how the API, the files and the webhooks write an exact decimal."""
    return f"{value.normalize():f}"


def decimal_of(raw: object, *, field: str = "value") -> Decimal:
    """An exact decimal from a cell or a JSON value (``1 234,5`` and ``1,234.5`` are read as a
    person wrote them; a float is read by its shortest text, never its binary expansion)."""
    if isinstance(raw, Decimal):
        value = raw
    else:
        text = str(raw if raw is not None else "").strip().replace("\u00a0", "").replace(" ", "")
        if "," in text and "." in text:
            text = text.replace(",", "")  # 1,234.5
        elif text.count(",") == 1:
            text = text.replace(",", ".")  # 1234,5
        try:
            value = Decimal(text)
        except InvalidOperation as exc:
            raise DomainError(_("Enter a number."), field=field) from exc
    if not value.is_finite():
        raise DomainError(_("Enter a number."), field=field)
    quantised = value.quantize(Decimal(1).scaleb(-DECIMAL_PLACES))
    if quantised != value:
        raise DomainError(
            _("At most %(places)d digits after the point.") % {"places": DECIMAL_PLACES},
            field=field,
        )
    if abs(value) >= Decimal(10) ** (MAX_DIGITS - DECIMAL_PLACES):
        raise DomainError(_("The number is too large."), field=field)
    return value


def partner_of(raw: object) -> str:
    """A partner as stored: a country's two-letter code, ``union`` or ``world``."""
    text = str(raw or "").strip()
    if text.lower() in PARTNER_LABELS:
        return text.lower()
    code = countries.alpha2(text.upper()) if text else ""
    if not code:
        raise DomainError(_("Enter a country's ISO code, “union” or “world”."), field="partner")
    return str(code)


def reporter_of(raw: object) -> str:
    text = str(raw or "").strip().upper()
    code = countries.alpha2(text) if text else ""
    if not code:
        raise DomainError(_("Enter the reporter country's ISO code, e.g. KZ."), field="reporter")
    return str(code)


@dataclass(frozen=True)
class SeriesKey:
    """What names a series: a file's row or an API body gives these five."""

    reporter: str
    partner: str
    flow: str
    unit: str
    key: str = ""

    @classmethod
    def parse(
        cls, *, reporter: object, partner: object, flow: object, unit: object, key: object = ""
    ) -> SeriesKey:
        flow_text = str(flow or "").strip().lower()
        named = str(key or "").strip().lower()
        if flow_text not in Flow.values:
            # Any other flow is a named indicator: its key is the flow's text.
            if not flow_text:
                raise DomainError(_("Enter a flow."), field="flow")
            if not re.fullmatch(r"[a-z0-9]+(?:[-_][a-z0-9]+)*", flow_text):
                raise DomainError(
                    _(
                        "Unknown flow “%(flow)s”: exports, imports, turnover, balance, or a "
                        "named indicator's key (letters, digits and hyphens, e.g. "
                        "intra-union-share)."
                    )
                    % {"flow": flow_text},
                    field="flow",
                )
            flow_text, named = Flow.INDICATOR, named or flow_text
        unit_text = str(unit or "").strip()
        if not unit_text:
            raise DomainError(_("Enter a unit, e.g. USD or %."), field="unit")
        if flow_text == Flow.INDICATOR and not named:
            raise DomainError(_("A named indicator needs its key."), field="key")
        return cls(
            reporter=reporter_of(reporter),
            partner=partner_of(partner),
            flow=flow_text,
            unit=unit_text,
            key=named if flow_text == Flow.INDICATOR else "",
        )


def series_find(key: SeriesKey) -> Series | None:
    return Series.objects.filter(
        reporter=key.reporter, partner=key.partner, flow=key.flow, key=key.key, unit=key.unit
    ).first()


@transaction.atomic
def series_ensure(
    *, actor: Access, key: SeriesKey, names: dict[str, str] | None = None, published: bool = False
) -> Series:
    """The series with this key, created if there is none (names: ``name_<language>`` of a
    named indicator). A series another writer created first is that one."""
    require_staff(actor)
    found = series_find(key)
    if found is not None:
        return found
    series = Series(
        reporter=key.reporter,
        partner=key.partner,
        flow=key.flow,
        key=key.key,
        unit=key.unit,
        published=published,
        **(names or {}),
    )
    if key.flow == Flow.INDICATOR and not any((names or {}).values()):
        series.name = key.key.replace("-", " ")
    with conflict_on_integrity():
        validated_save(series, actor)
    return series


@transaction.atomic
def series_publish(*, actor: Access, series: Series, published: bool) -> Series:
    require_staff(actor)
    Series.objects.filter(pk=series.pk).update(published=published)
    series.published = published
    return series


#: What may change of a series once made: its names and whether it is published (what it
#: measures, its key, is fixed: a different measure is another series).
SERIES_FIELDS = ("published", *(f"name_{code}" for code in codes()))


@transaction.atomic
def series_update(*, actor: Access, series: Series, data: dict[str, Any]) -> Series:
    require_staff(actor)
    require_known_fields(data, SERIES_FIELDS)
    for name, value in data.items():
        setattr(series, name, value)
    validated_save(series, actor)
    return series


@transaction.atomic
def value_record(
    *,
    actor: Access,
    series: Series,
    period: periods.Period,
    value: Decimal,
    source_name: str,
    source_url: str = "",
    now: dt.datetime | None = None,
) -> tuple[Value, str]:
    """Record the figure of ``series`` for ``period``: a new value, a revision of the stored
    one (its previous figure kept as a :class:`Revision`, ``indicator.revised`` emitted), or
    nothing when the figure and source are the same. Returns the value and what was done."""
    require_staff(actor)
    if not source_name.strip():
        raise DomainError(_("Name the source of the figure."), field="source_name")
    now = now or timezone.now()
    stored = (
        Value.objects.select_for_update()
        .filter(series=series, period_start=period.start, period_end=period.end)
        .first()
    )
    if stored is not None:
        if (stored.value, stored.source_name, stored.source_url) == (
            value,
            source_name,
            source_url,
        ):
            return stored, UNCHANGED
        previous: Decimal | None = stored.value
        stored.value, stored.source_name, stored.source_url = value, source_name, source_url
        stored.revision += 1
        stored.recorded_at, stored.recorded_by = now, actor.label
        validated_save(stored, actor)
        entry, action = stored, REVISED
    else:
        previous = None
        entry = Value(
            series=series,
            period_start=period.start,
            period_end=period.end,
            value=value,
            source_name=source_name,
            source_url=source_url,
            recorded_at=now,
            recorded_by=actor.label,
        )
        with conflict_on_integrity():
            validated_save(entry, actor)
        action = CREATED
    Revision.objects.create(
        entry=entry,
        number=entry.revision,
        value=value,
        source_name=source_name,
        source_url=source_url,
        recorded_at=now,
        recorded_by=actor.label,
    )
    emit(IndicatorRevised(value=entry, previous=previous))
    return entry, action


@transaction.atomic
def target_set(
    *,
    actor: Access,
    priority: Any,
    series: Series,
    baseline: Decimal,
    baseline_period: str,
    target: Decimal,
    target_date: dt.date,
) -> Target:
    """A priority's target on a series (replacing its earlier one on the same series)."""
    require_staff(actor)
    try:
        code = periods.parse(baseline_period).code
    except periods.PeriodError as exc:
        raise DomainError(str(exc), field="baseline_period") from exc
    found = Target.objects.select_for_update().filter(priority=priority, series=series).first()
    item = found or Target(priority=priority, series=series)
    item.baseline, item.baseline_period = baseline, code
    item.target, item.target_date = target, target_date
    with conflict_on_integrity():
        validated_save(item, actor)
    return item


@dataclass(frozen=True)
class Progress:
    """How far a target is reached: the latest value and its share of the way from the
    baseline to the target (0 to 100; None while the series has no value)."""

    target: Target
    latest: Value | None
    percent: Decimal | None

    @property
    def reached(self) -> bool:
        return self.percent is not None and self.percent >= 100


def progress_of(target: Target, latest: Value | None) -> Progress:
    if latest is None:
        return Progress(target, None, None)
    span = target.target - target.baseline
    percent = Decimal(100) if span == 0 else (latest.value - target.baseline) / span * 100
    percent = min(Decimal(100), max(Decimal(0), percent)).quantize(Decimal("0.1"))
    return Progress(target, latest, percent)
