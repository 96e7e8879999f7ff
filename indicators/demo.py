"""The demo union's trade figures: Kazakhstan's trade with the Turkic states in January to
October 2025 as the Kazinform article of 2026-01-08 quotes them (``../shared/seed/FACTS.md``),
published with the article as source, and the target on the share of intra-union trade of the
"Reducing trade and technical barriers" priority. Loaded idempotently."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from core.access import Access
from meetings.models import Priority

from . import periods, services
from .models import Flow

SOURCE = "Kazinform, 2026-01-08: Kazakhstan's trade with the Turkic states (January–October 2025)"
SOURCE_URL = "https://www.inform.kz/"
JANUARY_TO_OCTOBER_2025 = periods.parse("2025-01/2025-10")
SHARE_KEY = "intra-union-share"

#: (flow, value): Kazakhstan with the union's members, January to October 2025, USD.
KAZAKHSTAN_WITH_THE_UNION = [
    (Flow.TURNOVER, Decimal("11000000000")),
    (Flow.EXPORTS, Decimal("7900000000")),
    (Flow.BALANCE, Decimal("4800000000")),
    # Imports as turnover less exports: the article gives their change (about -3%) only.
    (Flow.IMPORTS, Decimal("3100000000")),
]

SHARE_NAMES = {
    "name_en": "Share of intra-union trade",
    "name_ru": "Доля торговли внутри союза",
    "name_kk": "Одақ ішіндегі сауданың үлесі",
    "name_tr": "Birlik içi ticaretin payı",
}

TRADE_PRIORITY = "Reducing trade and technical barriers"


def load(actor: Access) -> None:
    for flow, value in KAZAKHSTAN_WITH_THE_UNION:
        key = services.SeriesKey(reporter="KZ", partner="union", flow=flow, unit="USD")
        series = services.series_ensure(actor=actor, key=key, published=True)
        services.value_record(
            actor=actor,
            series=series,
            period=JANUARY_TO_OCTOBER_2025,
            value=value,
            source_name=SOURCE,
            source_url=SOURCE_URL,
        )
    share_key = services.SeriesKey(
        reporter="KZ", partner="world", flow=Flow.INDICATOR, unit="%", key=SHARE_KEY
    )
    share = services.series_ensure(actor=actor, key=share_key, names=SHARE_NAMES, published=True)
    # "Intra-regional trade is still no more than 10% of total trade turnover."
    services.value_record(
        actor=actor,
        series=share,
        period=JANUARY_TO_OCTOBER_2025,
        value=Decimal("10"),
        source_name=SOURCE,
        source_url=SOURCE_URL,
    )
    priority = Priority.objects.filter(title_en=TRADE_PRIORITY).first()
    if priority is not None:
        services.target_set(
            actor=actor,
            priority=priority,
            series=share,
            baseline=Decimal("10"),
            baseline_period=JANUARY_TO_OCTOBER_2025.code,
            target=Decimal("15"),  # the demo's own target: the article sets none
            target_date=dt.date(2030, 12, 31),
        )
