"""The indicators app end to end: imports in the union's layout and in UN Comtrade's, exports
read back and imported again, revisions with their history, per-row refusals, who sees what,
the charts on the pages, the demo's figures and targets, the webhook and the API's filters.

Everything is written through the services or the import endpoint, as the secretariat
(``SYSTEM`` or the ``staff`` login); values are compared as exact decimals.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from exchange import formats
from exchange.tables import INDICATORS
from indicators import periods
from indicators import services as indicator_services
from indicators.models import Revision, Series, Value
from tests.conftest import Union
from tests.exchange.conftest import content_of, csv_file, read_csv, read_xlsx, xlsx_file
from tests.factories import SYSTEM
from webhooks import services as webhook_services
from webhooks.models import Delivery, EventType, Subscriber

HEADER = [
    "reporter", "partner", "flow", "key", "name", "unit", "period", "value", "source_name",
    "source_url",
]  # fmt: skip
ROWS = [
    # A flow, for a run of months, with a Cyrillic source.
    ["KZ", "TR", "exports", "", "", "USD", "2025-01/2025-10", "7900000000", "Казинформ",
     "https://www.inform.kz/"],
    # A named indicator with a decimal, for a year.
    ["KZ", "world", "indicator", "intra-union-share", "Share of intra-union trade", "%", "2024",
     "9.5", "Бюро национальной статистики", ""],
    # A quarter.
    ["TR", "KZ", "imports", "", "", "USD", "2025-Q3", "1234.25", "Türkiye İstatistik Kurumu",
     ""],
    # A month, with the union as the partner.
    ["KZ", "union", "turnover", "", "", "USD", "2025-03", "11000000000", "Казинформ", ""],
]  # fmt: skip
COMTRADE_HEADER = [
    "typeCode", "freqCode", "refPeriodId", "refYear", "refMonth", "period", "reporterCode",
    "reporterISO", "reporterDesc", "flowCode", "flowDesc", "partnerCode", "partnerISO",
    "partnerDesc", "cmdCode", "cmdDesc", "primaryValue",
]  # fmt: skip
NS = "{http://www.w3.org/2000/svg}"


# Helpers ------------------------------------------------------------------------------------


def _import(union: Union, upload, *, role: str = "staff", dry_run: bool = False):
    data = {"file": upload, "dry_run": "true" if dry_run else "false"}
    return union.client(role).post("/api/v1/imports/indicators/", data, format="multipart")


def _counts(body: dict[str, Any]) -> tuple[int, int, int, int]:
    return body["written"], body["created"], body["updated"], body["unchanged"]


def _results(response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    body = response.json()
    return body["results"] if isinstance(body, dict) else body


def _series(reporter: str, partner: str, flow: str, unit: str = "USD", key: str = "") -> Series:
    return Series.objects.get(reporter=reporter, partner=partner, flow=flow, unit=unit, key=key)


def _record(
    reporter: str,
    partner: str,
    flow: str,
    period: str,
    value: str,
    *,
    unit: str = "USD",
    key: str = "",
    source: str = "Bureau of National Statistics",
    published: bool = True,
) -> Value:
    """A value through the services, in a series created (published by default) if need be."""
    series_key = indicator_services.SeriesKey.parse(
        reporter=reporter, partner=partner, flow=flow, unit=unit, key=key
    )
    series = indicator_services.series_ensure(actor=SYSTEM, key=series_key, published=published)
    entry, _action = indicator_services.value_record(
        actor=SYSTEM,
        series=series,
        period=periods.parse(period),
        value=Decimal(value),
        source_name=source,
    )
    return entry


def _values_of(union: Union, series: Series, role: str = "staff") -> dict[str, dict[str, Any]]:
    """The API's values of a series, by period code."""
    response = union.client(role).get(f"/api/v1/indicators/{series.pk}/")
    assert response.status_code == 200, response.content
    return {v["period"]: v for v in response.json()["values"]}


def _svgs(html: str) -> list[ET.Element]:
    found = re.findall(r"<svg\b.*?</svg>", html, flags=re.DOTALL)
    return [ET.fromstring(svg) for svg in found]  # noqa: S314 - our own page; parsing is the test


def _data_values(roots: list[ET.Element]) -> set[Decimal]:
    return {
        Decimal(e.attrib["data-value"]) for r in roots for e in r.iter() if "data-value" in e.attrib
    }


def _check_svgs(html: str) -> list[ET.Element]:
    roots = _svgs(html)
    assert roots, "the page has no chart"
    for root in roots:
        assert root.tag == f"{NS}svg"
        children = [child.tag for child in root]
        assert f"{NS}title" in children and f"{NS}desc" in children, children
        assert root.find(f"{NS}title").text.strip()  # type: ignore[union-attr]
        assert root.find(f"{NS}desc").text.strip()  # type: ignore[union-attr]
    return roots


def _export_rows(union: Union, file_format: str, role: str = "staff") -> tuple[bytes, list]:
    response = union.client(role).get(f"/api/v1/exports/indicators.{file_format}")
    assert response.status_code == 200, response.status_code
    content = content_of(response)
    rows = read_csv(content) if file_format == "csv" else read_xlsx(content)
    return content, rows


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# 1. The union's layout: import, export, import again ---------------------------------------


@pytest.mark.parametrize(("make_file", "file_format"), [(csv_file, "csv"), (xlsx_file, "xlsx")])
def test_import_export_and_import_again_changes_nothing(union: Union, make_file, file_format):
    response = _import(union, make_file([HEADER, *ROWS], name=f"figures.{file_format}"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert _counts(body) == (4, 4, 0, 0)
    assert body["errors"] == []
    assert [row["action"] for row in body["rows"]] == ["create"] * 4

    share = _series("KZ", "world", "indicator", unit="%", key="intra-union-share")
    assert share.name == "Share of intra-union trade"
    values = {
        (v.series.reporter.code, v.series.partner, v.series.flow, v.period.code): v
        for v in Value.objects.select_related("series")
    }
    assert {k: (v.value, v.source_name) for k, v in values.items()} == {
        ("KZ", "TR", "exports", "2025-01/2025-10"): (Decimal("7900000000"), "Казинформ"),
        ("KZ", "world", "indicator", "2024"): (Decimal("9.5"), "Бюро национальной статистики"),
        ("TR", "KZ", "imports", "2025-Q3"): (Decimal("1234.25"), "Türkiye İstatistik Kurumu"),
        ("KZ", "union", "turnover", "2025-03"): (Decimal("11000000000"), "Казинформ"),
    }
    run = values[("KZ", "TR", "exports", "2025-01/2025-10")]
    assert (str(run.period_start), str(run.period_end)) == ("2025-01-01", "2025-10-31")

    content, exported = _export_rows(union, file_format)
    assert list(exported[0])[: len(HEADER)] == HEADER
    got = sorted(tuple(_cell(row[c]) for c in HEADER) for row in exported)
    assert got == sorted(tuple(row) for row in ROWS)
    assert {_cell(row["revision"]) for row in exported} == {"1"}

    before = sorted(Revision.objects.values_list("entry_id", "number", "value"))
    again = _import(
        union, SimpleUploadedFile(f"export.{file_format}", content, "application/octet-stream")
    )
    assert again.status_code == 200, again.content
    assert _counts(again.json()) == (0, 0, 0, 4)
    assert sorted(Revision.objects.values_list("entry_id", "number", "value")) == before
    assert set(Value.objects.values_list("revision", flat=True)) == {1}


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_export_carries_every_digit_of_a_figure(file_format):
    """A figure of 16 significant digits (the model allows 18 before the point and 6 after),
    written in the export's layout and read back as the import reads it, is the same figure.
    No database: SQLite itself keeps only 15 significant digits of a decimal."""
    figure = Decimal("9876543210.123456")
    value = Value(
        series=Series(reporter="KZ", partner="TR", flow="exports", unit="USD"),
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 12, 31),
        value=figure,
        source_name="Source",
    )
    content = formats.write(
        file_format, INDICATORS.header, INDICATORS.rows([value]), title="indicators"
    )
    (row,) = formats.read(content, allowed=INDICATORS.header)
    assert periods.parse(row.values["period"]).code == "2025"
    assert indicator_services.decimal_of(row.values["value"]) == figure


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_long_figure_exported_and_imported_again_is_not_revised(union: Union, file_format):
    """End to end, with the figure as the database keeps it (every digit on PostgreSQL, 15
    significant digits on SQLite): the export imported again is unchanged."""
    row = ["KZ", "TR", "exports", "", "", "USD", "2025", "9876543210.123456", "Source", ""]
    assert _import(union, csv_file([HEADER, row])).status_code == 200
    stored = Value.objects.get().value
    content, exported = _export_rows(union, file_format)
    assert Decimal(str(exported[0]["value"])) == stored
    again = _import(
        union, SimpleUploadedFile(f"export.{file_format}", content, "application/octet-stream")
    )
    assert again.status_code == 200, again.content
    assert _counts(again.json()) == (0, 0, 0, 1)
    assert (Value.objects.get().value, Value.objects.get().revision) == (stored, 1)


@pytest.mark.parametrize("role", ["anonymous", "viewer", "editor", "write_token"])
def test_only_the_secretariat_imports(union: Union, role):
    response = _import(union, csv_file([HEADER, *ROWS]), role=role)
    assert response.status_code in (401, 403), (role, response.status_code)
    assert not Value.objects.exists()


# 2. UN Comtrade's layout ---------------------------------------------------------------------


def _comtrade(*rows: list[str]) -> list[list[str]]:
    return [COMTRADE_HEADER, *rows]


def _comtrade_row(
    *, flow: str, partner: str, value: str, period: str = "2024", cmd: str = "TOTAL"
) -> list[str]:
    monthly = len(period) == 6
    partners = {"TUR": ("792", "Türkiye"), "WLD": ("0", "World"), "XX": ("999", "Nowhere")}
    code, desc = partners.get(partner, ("0", partner))
    return [
        "C", "M" if monthly else "A", f"{period[:4]}{period[4:6] or '01'}01", period[:4],
        period[4:6] or "52", period, "398", "KAZ", "Kazakhstan", flow,
        {"X": "Export", "M": "Import"}.get(flow, flow), code, partner, desc, cmd,
        "All Commodities", value,
    ]  # fmt: skip


def test_a_comtrade_file_lands_in_the_unions_series(union: Union):
    rows = _comtrade(
        _comtrade_row(flow="X", partner="TUR", value="3456789012.5"),
        _comtrade_row(flow="M", partner="TUR", value="2345678901"),
        _comtrade_row(flow="X", partner="WLD", value="79000000000"),
        _comtrade_row(flow="X", partner="TUR", value="312345678.75", period="202403"),
    )
    response = _import(union, csv_file(rows, name="comtrade.csv"))
    assert response.status_code == 200, response.content
    assert _counts(response.json()) == (4, 4, 0, 0)

    exports_tr = _series("KZ", "TR", "exports")
    imports_tr = _series("KZ", "TR", "imports")
    exports_world = _series("KZ", "world", "exports")
    assert Series.objects.count() == 3
    expected = {
        exports_tr: {"2024": "3456789012.5", "2024-03": "312345678.75"},
        imports_tr: {"2024": "2345678901"},
        exports_world: {"2024": "79000000000"},
    }
    for series, by_period in expected.items():
        values = _values_of(union, series)
        assert {p: v["value"] for p, v in values.items()} == by_period
        for value in values.values():
            assert Decimal(value["value"]) == Decimal(by_period[value["period"]])
            assert (value["source_name"], value["source_url"]) == (
                "UN Comtrade",
                "https://comtradeplus.un.org/",
            )
    month = _values_of(union, exports_tr)["2024-03"]
    assert (month["period_start"], month["period_end"]) == ("2024-03-01", "2024-03-31")
    year = _values_of(union, exports_tr)["2024"]
    assert (year["period_start"], year["period_end"]) == ("2024-01-01", "2024-12-31")

    # The same file again changes nothing.
    again = _import(union, csv_file(rows, name="comtrade.csv"))
    assert again.status_code == 200, again.content
    assert _counts(again.json()) == (0, 0, 0, 4)


# 3. Revisions --------------------------------------------------------------------------------


def test_a_changed_figure_is_a_revision_and_the_history_is_kept(union: Union):
    row = ["KZ", "TR", "exports", "", "", "USD", "2025", "100.25", "Preliminary", ""]
    first = _import(union, csv_file([HEADER, row]))
    assert first.status_code == 200, first.content
    assert _counts(first.json()) == (1, 1, 0, 0)
    revised = [*row[:7], "101.75", "Final", "https://stat.gov.kz/"]
    second = _import(union, csv_file([HEADER, revised]))
    assert second.status_code == 200, second.content
    assert _counts(second.json()) == (1, 0, 1, 0)

    series = _series("KZ", "TR", "exports")
    value = _values_of(union, series)["2025"]
    assert value["revision"] == 2
    assert (value["value"], value["source_name"], value["source_url"]) == (
        "101.75",
        "Final",
        "https://stat.gov.kz/",
    )
    assert [(r["number"], r["value"], r["source_name"]) for r in value["revisions"]] == [
        (1, "100.25", "Preliminary"),
        (2, "101.75", "Final"),
    ]

    page = union.client("staff", api=False).get(f"/indicators/{series.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    listed = re.search(r'<ol class="revisions">(.*?)</ol>', html, flags=re.DOTALL)
    assert listed, "the page lists no revisions"
    assert "100.25" in listed.group(1) and "101.75" in listed.group(1)
    assert "Preliminary" in listed.group(1) and "Final" in listed.group(1)

    third = _import(union, csv_file([HEADER, revised]))
    assert third.status_code == 200, third.content
    assert _counts(third.json()) == (0, 0, 0, 1)
    assert _values_of(union, series)["2025"]["revision"] == 2
    assert Revision.objects.count() == 2


# 4. Bad rows ---------------------------------------------------------------------------------


def _snapshot() -> tuple:
    return (
        sorted(Series.objects.values_list("reporter", "partner", "flow", "key", "unit")),
        sorted(Value.objects.values_list("series_id", "period_start", "value", "revision")),
        Revision.objects.count(),
    )


def test_bad_rows_are_refused_each_by_row_and_field_and_nothing_is_written(union: Union):
    _record("KZ", "TR", "exports", "2024", "5")
    before = _snapshot()
    good = ["KZ", "TR", "exports", "", "", "USD", "2025", "10", "Source", ""]
    rows = [
        HEADER,
        ["XX", "TR", "exports", "", "", "USD", "2025", "10", "Source", ""],  # 2: reporter
        ["KZ", "TR", "exports", "", "", "USD", "2025-13", "10", "Source", ""],  # 3: period
        ["KZ", "TR", "imports", "", "", "USD", "2025", "a lot", "Source", ""],  # 4: value
        good,  # 5: fine
        good,  # 6: the same series and period again
        ["KZ", "TR", "exports", "", "", "USD", "2024", "6", "Source", ""],  # 7: a revision
    ]
    response = _import(union, csv_file(rows))
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert {(e["row"], e["field"]) for e in errors} == {
        (2, "reporter"),
        (3, "period"),
        (4, "value"),
        (6, "period"),
    }
    duplicate = next(e for e in errors if e["row"] == 6)
    assert "5" in duplicate["message"]  # names the row it repeats
    assert all(e["message"] for e in errors)
    assert _snapshot() == before


def test_a_comtrade_row_of_an_unknown_flow_or_one_commodity_is_refused(union: Union):
    before = _snapshot()
    rows = _comtrade(
        _comtrade_row(flow="X", partner="TUR", value="10"),  # 2: fine
        _comtrade_row(flow="RX", partner="TUR", value="10"),  # 3: re-exports: not imported
        _comtrade_row(flow="M", partner="TUR", value="10", cmd="27"),  # 4: mineral fuels only
    )
    response = _import(union, csv_file(rows, name="comtrade.csv"))
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    fields = {(e["row"], e["field"]) for e in errors}
    assert (3, "flowcode") in fields, errors
    assert (4, "cmdcode") in fields, errors
    assert {e["row"] for e in errors} == {3, 4}
    flow_error = next(e for e in errors if (e["row"], e["field"]) == (3, "flowcode"))
    assert "RX" in flow_error["message"]
    assert _snapshot() == before


def test_a_comtrade_row_of_an_unknown_flow_is_one_error(union: Union):
    """The unknown flow is reported once, against the file's own column: the row's converted
    (empty) flow is not reported a second time as a missing flow."""
    rows = _comtrade(_comtrade_row(flow="RX", partner="TUR", value="10"))
    response = _import(union, csv_file(rows, name="comtrade.csv"))
    assert response.status_code == 400, response.content
    assert [(e["row"], e["field"]) for e in response.json()["errors"]] == [(2, "flowcode")]


@pytest.mark.parametrize(
    ("cells", "field"),
    [
        ({"source_url": "not an address"}, "source_url"),
        ({"unit": "USD thousand, current prices"}, "unit"),  # longer than the column's 20
        ({"flow": "net exports"}, "flow"),  # a named indicator whose key is not a slug
    ],
)
def test_a_dry_run_refuses_the_row_the_write_would_refuse(union: Union, cells, field):
    """The import validates every row before writing: what the write refuses, the dry run
    reports, on the same row and field, and nothing is written either way."""
    good = ["KZ", "TR", "exports", "", "", "USD", "2025", "10", "S", ""]
    data = dict(zip(HEADER, good, strict=True))
    rows = [HEADER, list({**data, **cells}.values())]
    before = _snapshot()
    written = _import(union, csv_file(rows))
    assert written.status_code == 400, written.content
    assert [(e["row"], e["field"]) for e in written.json()["errors"]] == [(2, field)]
    assert _snapshot() == before
    preview = _import(union, csv_file(rows), dry_run=True)
    assert preview.status_code == 400, preview.json()
    assert [(e["row"], e["field"]) for e in preview.json()["errors"]] == [(2, field)]


# 5. Visibility -------------------------------------------------------------------------------


def test_an_unpublished_series_is_for_members_only(union: Union):
    public = _record("KZ", "TR", "exports", "2024", "700", source="Public source")
    hidden = _record("KZ", "TR", "imports", "2024", "300", source="Hidden source", published=False)
    public_id, hidden_id = public.series_id, hidden.series_id

    for role, sees_hidden in (("anonymous", False), ("viewer", True)):
        api = union.client(role)
        listed = {s["id"] for s in _results(api.get("/api/v1/indicators/"))}
        assert public_id in listed
        assert (hidden_id in listed) is sees_hidden, role
        assert api.get(f"/api/v1/indicators/{public_id}/").status_code == 200
        detail = api.get(f"/api/v1/indicators/{hidden_id}/")
        assert detail.status_code == (200 if sees_hidden else 404), role

        _content, exported = _export_rows(union, "csv", role)
        sources = {row["source_name"] for row in exported}
        assert "Public source" in sources
        assert ("Hidden source" in sources) is sees_hidden, role

        portal = union.client(role, api=False)
        html = portal.get("/indicators/").content.decode()
        assert f'id="series-{public_id}"' in html
        assert (f'id="series-{hidden_id}"' in html) is sees_hidden, role
        page = portal.get(f"/indicators/{hidden_id}/")
        assert page.status_code == (200 if sees_hidden else 404), role
        chamber = portal.get(f"/chambers/{union.home.slug}/").content.decode()
        assert 'id="trade"' in chamber
        assert ("Hidden source" in chamber) is sees_hidden, role


# 6. Charts on the pages ----------------------------------------------------------------------


@pytest.fixture
def figures(db) -> dict[str, list[Decimal]]:
    recorded: dict[str, list[Decimal]] = {"flows": [], "share": []}
    for partner, period, value in (
        ("TR", "2024", "100.5"),
        ("TR", "2025-Q1", "30"),
        ("union", "2024", "250.125"),
        ("HU", "2024", "-12"),
    ):
        _record("KZ", partner, "exports", period, value)
        recorded["flows"].append(Decimal(value))
    _record("KZ", "world", "indicator", "2024", "9.5", unit="%", key="intra-union-share")
    recorded["share"].append(Decimal("9.5"))
    return recorded


@pytest.mark.parametrize("language", ["en", "kk", "ru"])
def test_the_list_pages_charts_are_valid_svg_carrying_the_recorded_values(
    union: Union, figures, language
):
    client = Client()
    response = client.get(f"/indicators/?lang={language}")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    roots = _check_svgs(html)
    assert _data_values(roots) == {*figures["flows"], *figures["share"]}


def test_the_language_of_the_header_also_gives_valid_charts(union: Union, figures):
    response = Client().get("/indicators/", HTTP_ACCEPT_LANGUAGE="kk")
    html = response.content.decode()
    assert '<html lang="kk">' in html
    assert _data_values(_check_svgs(html)) == {*figures["flows"], *figures["share"]}


@pytest.mark.parametrize("language", ["en", "kk"])
def test_the_series_pages_charts_are_valid_svg_carrying_its_values(union: Union, figures, language):
    series = _series("KZ", "TR", "exports")
    response = Client().get(f"/indicators/{series.pk}/?lang={language}")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert _data_values(_check_svgs(html)) == {Decimal("100.5"), Decimal("30")}
    share = _series("KZ", "world", "indicator", unit="%", key="intra-union-share")
    html = Client().get(f"/indicators/{share.pk}/?lang={language}").content.decode()
    assert _data_values(_check_svgs(html)) == {Decimal("9.5")}


# 7. The demo ---------------------------------------------------------------------------------


@pytest.fixture
def demo(db) -> None:
    call_command("load_demo", "--logins", stdout=io.StringIO())


def test_the_demo_has_kazakhstans_exports_and_the_trade_priority_target(demo):
    from django.contrib.auth import get_user_model

    from meetings.models import Priority

    exports = _series("KZ", "union", "exports")
    value = Value.objects.get(series=exports, period_start="2025-01-01", period_end="2025-10-31")
    assert value.value == Decimal("7900000000")
    assert value.period.code == "2025-01/2025-10"
    assert "Kazinform" in value.source_name
    assert exports.published

    listed = _results(Client().get("/api/v1/indicators/", {"reporter": "KZ", "flow": "exports"}))
    assert [s["latest"] for s in listed if s["partner"] == "union"] == [
        {"period": "2025-01/2025-10", "value": "7900000000"}
    ]

    share = _series("KZ", "world", "indicator", unit="%", key="intra-union-share")
    priority = Priority.objects.get(title_en="Reducing trade and technical barriers")
    member = Client()
    member.force_login(get_user_model().objects.get(username="tobb"))
    html = member.get("/priorities/?lang=en").content.decode()
    section = re.search(
        rf'<section class="priority" id="priority-{priority.pk}">(.*?)</section>',
        html,
        flags=re.DOTALL,
    )
    assert section, "the priority is not on /priorities/"
    targets = re.search(
        r'<table class="priority-targets">(.*?)</table>', section.group(1), flags=re.DOTALL
    )
    assert targets, "the priority shows no target indicator"
    assert f'href="/indicators/{share.pk}/"' in targets.group(1)
    assert "Share of intra-union trade" in targets.group(1)

    # Loading the demo again changes none of its figures.
    before = _snapshot()
    call_command("load_demo", stdout=io.StringIO())
    assert _snapshot() == before


# 8. The webhook ------------------------------------------------------------------------------


def test_a_subscriber_to_indicator_revised_gets_the_value_previous_and_period(
    union: Union, settings
):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = True
    subscriber = webhook_services.subscriber_save(
        actor=SYSTEM,
        subscriber=Subscriber(
            name="Statistics",
            url="http://127.0.0.1:9/hook",
            events=[EventType.INDICATOR_REVISED],
            secret="test-secret-0123456789",
        ),
    )
    _record("KZ", "TR", "exports", "2025-Q1", "100.5")
    _record("KZ", "TR", "exports", "2025-Q1", "100.5")  # the same figure: no event
    _record("KZ", "TR", "exports", "2025-Q1", "120", source="Final")
    deliveries = list(Delivery.objects.filter(subscriber=subscriber).order_by("pk"))
    assert [d.event for d in deliveries] == [EventType.INDICATOR_REVISED] * 2
    recorded, revised = (d.payload["data"] for d in deliveries)
    assert (recorded["value"], recorded["previous"], recorded["revision"]) == ("100.5", None, 1)
    assert revised["value"] == "120"
    assert revised["previous"] == "100.5"
    assert revised["period"] == "2025-Q1"
    assert revised["revision"] == 2
    assert revised["source_name"] == "Final"
    series = _series("KZ", "TR", "exports")
    assert revised["series"] == {
        "id": series.pk,
        "reporter": "KZ",
        "partner": "TR",
        "flow": "exports",
        "key": "",
        "unit": "USD",
        "published": True,
    }


# 9. The API's filters ------------------------------------------------------------------------


@pytest.fixture
def listed(db) -> dict[str, int]:
    return {
        "kz-tr-exports": _record("KZ", "TR", "exports", "2024", "1").series_id,
        "kz-tr-imports": _record("KZ", "TR", "imports", "2024", "2").series_id,
        "kz-share": _record(
            "KZ", "world", "indicator", "2025-Q1", "9.5", unit="%", key="intra-union-share"
        ).series_id,
        "tr-kz-exports": _record("TR", "KZ", "exports", "2025-03", "4").series_id,
        "kz-union-turnover": _record("KZ", "union", "turnover", "2025-01/2025-10", "5").series_id,
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"kz-tr-exports", "kz-tr-imports", "kz-share", "tr-kz-exports", "kz-union-turnover"}),
        ({"reporter": "KZ"}, {"kz-tr-exports", "kz-tr-imports", "kz-share", "kz-union-turnover"}),
        ({"reporter": "tr"}, {"tr-kz-exports"}),
        ({"partner": "TR"}, {"kz-tr-exports", "kz-tr-imports"}),
        ({"partner": "world"}, {"kz-share"}),
        ({"partner": "union"}, {"kz-union-turnover"}),
        ({"flow": "exports"}, {"kz-tr-exports", "tr-kz-exports"}),
        ({"flow": "intra-union-share"}, {"kz-share"}),
        ({"period": "2024"}, {"kz-tr-exports", "kz-tr-imports"}),
        ({"period": "2025-Q1"}, {"kz-share"}),
        ({"period": "2025-03"}, {"tr-kz-exports"}),
        ({"period": "2025-01/2025-10"}, {"kz-union-turnover"}),
        ({"reporter": "KZ", "flow": "exports", "period": "2024"}, {"kz-tr-exports"}),
        ({"reporter": "UZ"}, set()),
        ({"flow": "no-such-indicator"}, set()),
    ],
)
def test_the_list_filters(union: Union, listed, query, expected):
    found = {s["id"] for s in _results(union.client("anonymous").get("/api/v1/indicators/", query))}
    assert found == {listed[name] for name in expected}


def test_a_malformed_period_filter_is_400_naming_period(union: Union, listed):
    response = union.client("anonymous").get("/api/v1/indicators/", {"period": "2025-13"})
    assert response.status_code == 400
    assert "period" in response.json(), response.json()
