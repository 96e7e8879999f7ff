"""Imports of chambers and contacts: every row is validated before anything is written, and the
write is all or nothing.

An import runs in two steps. :func:`import_chambers` and :func:`import_contacts` first build
each row's object as the chamber services would and ``full_clean()`` it, with the services'
own rules (the fields the secretariat may set, the contact roles) and the file's (a slug, or a
chamber and e-mail, only once per file). Every error of every row is collected. If there is
one, or on a dry run, nothing is written and the report says what would happen. Otherwise all
rows are written in one transaction through :mod:`chambers.services` (``chamber_create``,
``chamber_update``, ``contact_create``, ``contact_update``), which validate again; a refusal
there (a change that raced the import) rolls back every row and is reported against its row.

Matching: a chamber row updates the chamber with its ``slug``, else creates one. A contact row
updates the contact of its ``chamber`` with the same ``email`` (case-insensitive), else creates
one; a row without an e-mail always creates a contact. Rows that would change nothing are left
alone. Only the columns present in the file are written; ``status`` and ``member_since`` of a
chamber export are read-only and ignored, so an old export imported again never undoes a
membership change. A change of membership is asked for explicitly, with the import-only
columns ``new_status`` (and ``effective``, default today, and ``basis``): it goes through the
one membership service (``membership_change_status``) and its rules, so a chamber holding a
chairmanship term cannot be suspended by a file either. A row whose chamber already has
``new_status`` on ``effective`` changes nothing.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from chambers import services as chamber_services
from chambers.models import FORMER, STATUS_LABELS, Chamber, Contact, ContactRole
from core.access import Access, require_staff
from core.errors import ConflictError, DomainError

from .formats import SheetRow
from .tables import CHAMBERS, CONTACTS, INDICATORS

if TYPE_CHECKING:
    pass

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"

#: Columns of a chamber file: those of the export (the read-only ones are ignored), and the
#: import-only ones that ask for a change of membership.
CHAMBER_MEMBERSHIP_COLUMNS = ("new_status", "effective", "basis")
CHAMBER_COLUMNS = (*CHAMBERS.header, *CHAMBER_MEMBERSHIP_COLUMNS)
CHAMBER_READ_ONLY = frozenset({"status", "member_since"})
CHAMBER_REQUIRED_COLUMNS = ("slug",)
CHAMBER_REQUIRED_TO_CREATE = ("short_name", "name_en", "country")
#: Columns of a contact file: those of the export.
CONTACT_COLUMNS = tuple(CONTACTS.header)
CONTACT_REQUIRED_COLUMNS = ("chamber", "name")
#: Model fields whose errors are reported against another column.
_CHAMBER_FIELD_COLUMNS = {"name": "name_en"}  # the untranslated name mirrors name_en
_CONTACT_FIELD_COLUMNS = dict.fromkeys(Contact.ROLE_FIELDS.values(), "roles")
_TRUE = frozenset({"true", "1", "yes", "y", "да", "иә", "evet"})
_FALSE = frozenset({"false", "0", "no", "n", "нет", "жоқ", "hayır"})


@dataclass(frozen=True)
class RowError:
    """One problem: the row number (1 for the header, None for the whole file), the column at
    fault (None for the row as a whole) and a message for the person who fixes the file."""

    row: int | None
    field: str | None
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "message": str(self.message)}


@dataclass
class PlannedRow:
    """What a valid row does: create, update (``data`` holds the changed fields) or nothing."""

    number: int
    action: str
    key: str
    data: dict[str, Any]
    target: Any = None  # the chamber of a contact; the stored object of an update
    membership: Any = None  # a chamber row's MembershipChangeRow, if it asks for one

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.number, "action": self.action, "key": self.key}


@dataclass
class ImportReport:
    """The outcome of an import: the errors, or the plan (and whether it was written)."""

    dry_run: bool
    errors: list[RowError] = field(default_factory=list)
    rows: list[PlannedRow] = field(default_factory=list)
    written: int = 0
    conflict: bool = False  # the write lost a race with another change: retrying may succeed

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "written": self.written,
            "created": self.count(CREATE),
            "updated": self.count(UPDATE),
            "unchanged": self.count(UNCHANGED),
            "errors": [error.as_dict() for error in self.errors],
            "rows": [row.as_dict() for row in self.rows] if self.ok else [],
        }


class _WriteRefused(Exception):
    def __init__(self, error: RowError, *, conflict: bool) -> None:
        super().__init__(error.message)
        self.error = error
        self.conflict = conflict


# Cell values ------------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A cell as text: XLSX gives numbers (a phone typed as digits) and dates as such."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(_("Enter a date as YYYY-MM-DD."))


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if not text:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(_("Enter true or false."))


def _roles(value: Any) -> list[str]:
    roles = sorted({role for role in re.split(r"[;,\s]+", _text(value).lower()) if role})
    unknown = [role for role in roles if role not in ContactRole.values]
    if unknown:
        raise ValueError(
            _("Unknown role “%(role)s”. The roles are: %(roles)s.")
            % {"role": unknown[0], "roles": ", ".join(ContactRole.values)}
        )
    return roles


def _status(value: Any) -> str:
    """A membership status (``member``, ``observer``, ``suspended`` or ``former``), or empty."""
    status = _text(value).lower()
    if status and status not in STATUS_LABELS:
        raise ValueError(_("Enter one of: %(statuses)s.") % {"statuses": ", ".join(STATUS_LABELS)})
    return status


def _country(value: Any) -> str:
    code = _text(value).upper()
    if code and code not in countries:
        raise ValueError(_("Enter the country's two-letter ISO code, e.g. KZ."))
    return code


# Validation -------------------------------------------------------------------------------


class _RowCheck:
    """Collects the errors of one row, each column at most once."""

    def __init__(
        self, number: int, errors: list[RowError], columns: dict[str, str] | None = None
    ) -> None:
        self.number = number
        self.errors = errors
        self.columns = columns or {}
        self.fields: set[str | None] = set()

    def add(self, column: str | None, message: str) -> None:
        if column not in self.fields:
            self.fields.add(column)
            self.errors.append(RowError(self.number, column, str(message)))

    def full_clean(self, instance: Any, *, read: Sequence[str] = ()) -> None:
        """The model's own validation, every field's first message. ``read``: foreign keys
        whose rows the plan read itself (one query for the file): Django's check of each
        would be a query per row (a dry run of 5,000 contacts made 5,002 queries)."""
        try:
            instance.full_clean(exclude=list(read))
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                column = None if name == "__all__" else self.columns.get(name, name)
                self.add(column, messages[0])

    @property
    def failed(self) -> bool:
        return bool(self.fields)


def _parsed(values: dict[str, Any], parsers: dict[str, Any], check: _RowCheck) -> dict[str, Any]:
    """The row's cells as field values, for the columns present; bad cells are reported."""
    data: dict[str, Any] = {}
    for column, raw in values.items():
        parse = parsers.get(column, _text)
        try:
            data[column] = parse(raw)
        except ValueError as exc:
            check.add(column, str(exc))
    return data


def _stored(instance: Any, name: str) -> Any:
    value = getattr(instance, name)
    if name == "country":
        return value.code
    return "" if value is None and name.startswith("name_") else value  # untranslated: NULL


def _changes(instance: Any, data: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in data.items() if _stored(instance, name) != value}


_CHAMBER_PARSERS = {
    "founded": _date,
    "country": _country,
    "new_status": _status,
    "effective": _date,
}


@dataclass(frozen=True)
class MembershipChangeRow:
    """A row's ``new_status``: the change it asks for."""

    status: str
    effective: dt.date
    basis: str


def _membership_change(
    data: dict[str, Any], stored: Chamber | None, today: dt.date, check: _RowCheck
) -> MembershipChangeRow | None:
    """The change of membership a row asks for (popping its columns from ``data``), checked by
    the membership service's own rules so that a dry run reports a refusal too; None when the
    row asks for none or the chamber already has that status on that day."""
    status = data.pop("new_status", "")
    effective = data.pop("effective", None) or today
    basis = data.pop("basis", "") or _("Imported from a file")
    if not status:
        return None
    change = MembershipChangeRow(status=status, effective=effective, basis=basis)
    if stored is None:
        return None if status == FORMER else change
    if stored.status_on(effective) == status:
        return None  # applied already: importing the same file again changes nothing
    try:
        chamber_services.membership_change_check(chamber=stored, status=status, effective=effective)
    except DomainError as exc:
        check.add("effective" if exc.field == "effective" else "new_status", exc.message)
    return change


def _plan_chambers(rows: list[SheetRow], errors: list[RowError]) -> list[PlannedRow]:
    slugs = {_text(row.values.get("slug")) for row in rows}
    existing: dict[str, Chamber] = {c.slug: c for c in Chamber.objects.filter(slug__in=slugs)}
    today = timezone.localdate()
    first_row: dict[str, int] = {}
    plan = []
    for row in rows:
        check = _RowCheck(row.number, errors, _CHAMBER_FIELD_COLUMNS)
        values = {k: v for k, v in row.values.items() if k not in CHAMBER_READ_ONLY}
        data = _parsed(values, _CHAMBER_PARSERS, check)
        slug = data.pop("slug", "")
        if not slug:
            check.add("slug", _("This field cannot be blank."))
            continue
        if slug in first_row:
            check.add("slug", _("This slug is already on row %(row)d.") % {"row": first_row[slug]})
            continue
        first_row.setdefault(slug, row.number)
        stored = existing.get(slug)
        membership = _membership_change(data, stored, today, check)
        unknown = set(data) - set(chamber_services.STAFF_PROFILE_FIELDS)
        for column in sorted(unknown):  # the header check keeps these out; the service would too
            check.add(column, _("Unknown field."))
        if stored is None:
            for column in CHAMBER_REQUIRED_TO_CREATE:
                if not data.get(column):
                    check.add(column, _("A new chamber needs a value here."))
            # Only the translation fields: as chamber_create does (see its comment).
            instance = Chamber(slug=slug, **data)
            action, changes = CREATE, data
        else:
            changes = _changes(stored, data)
            instance = copy.copy(stored)
            for name, value in changes.items():
                setattr(instance, name, value)
            action = UPDATE if changes or membership else UNCHANGED
        check.full_clean(instance)
        if not check.failed:
            plan.append(PlannedRow(row.number, action, slug, changes, stored, membership))
    return plan


_CONTACT_PARSERS = {"roles": _roles, "active": _bool}


def _apply_contact(contact: Contact, data: dict[str, Any]) -> None:
    """Set a contact's fields from a row (a preview on a copy), roles as the contact services
    map them."""
    for name, value in chamber_services.contact_fields(data).items():
        setattr(contact, name, value)


def _contact_changes(contact: Contact, data: dict[str, Any]) -> dict[str, Any]:
    changes = {}
    for name, value in data.items():
        stored = sorted(contact.roles) if name == "roles" else getattr(contact, name)
        if stored != value:
            changes[name] = value
    return changes


def _plan_contacts(rows: list[SheetRow], errors: list[RowError]) -> list[PlannedRow]:
    slugs = {_text(row.values.get("chamber")) for row in rows}
    chambers = {c.slug: c for c in Chamber.objects.filter(slug__in=slugs)}
    by_email: dict[tuple[int, str], list[Contact]] = {}
    for contact in Contact.objects.filter(chamber__in=chambers.values()).exclude(email=""):
        by_email.setdefault((contact.chamber_id, contact.email.lower()), []).append(contact)
    first_row: dict[tuple[int, str], int] = {}
    plan = []
    for row in rows:
        check = _RowCheck(row.number, errors, _CONTACT_FIELD_COLUMNS)
        data = _parsed(row.values, _CONTACT_PARSERS, check)
        slug = data.pop("chamber", "")
        chamber = chambers.get(slug)
        if chamber is None:
            message = _("No chamber has this slug.") if slug else _("This field cannot be blank.")
            check.add("chamber", message)
            continue
        # Empty means "as it is" (a new contact: the model's default).
        for name in ("preferred_language", "active"):
            if data.get(name) in ("", None):
                data.pop(name, None)
        unknown = set(data) - set(chamber_services.CONTACT_FIELDS)
        for column in sorted(unknown):
            check.add(column, _("Unknown field."))
        email = data.get("email", "")
        key = (chamber.pk, email.lower())
        stored = None
        if email:
            if key in first_row:
                check.add(
                    "email",
                    _("This chamber and e-mail are already on row %(row)d.")
                    % {"row": first_row[key]},
                )
                continue
            first_row[key] = row.number
            matches = by_email.get(key, [])
            if len(matches) > 1:
                check.add(
                    "email",
                    _("Several contacts of this chamber have this e-mail; correct them first."),
                )
                continue
            stored = matches[0] if matches else None
        if stored is None:
            instance = Contact(chamber=chamber)
            action, changes = CREATE, data
        else:
            changes = _contact_changes(stored, data)
            instance = copy.copy(stored)
            action = UPDATE if changes else UNCHANGED
        _apply_contact(instance, changes)
        check.full_clean(instance, read=["chamber"])  # from ``chambers`` above
        if not check.failed:
            label = f"{slug} / {email or data.get('name', '')}"
            plan.append(PlannedRow(row.number, action, label, changes, stored or chamber))
    return plan


# Writing ----------------------------------------------------------------------------------


def _run(
    actor: Access,
    plan: list[PlannedRow],
    errors: list[RowError],
    dry_run: bool,
    write: Callable[[Access, PlannedRow], None],
    write_many: Callable[[Access, list[PlannedRow]], None] | None = None,
) -> ImportReport:
    """Write the plan in one transaction, all or none. With ``write_many`` the rows go a
    batch (``BULK_BATCH``) at a time through the services' bulk writes, each in a savepoint;
    a batch they refuse is rolled back to it and written again row by row, so that the
    refusal names its row (and one refused there rolls the whole file back)."""
    report = ImportReport(dry_run=dry_run, errors=errors, rows=plan)
    if errors or dry_run:
        return report
    todo = [planned for planned in plan if planned.action != UNCHANGED]
    try:
        with transaction.atomic():
            if any(planned.membership for planned in plan):
                # Membership changes come after other rows' writes in this one transaction:
                # take their rules' locks first (docs/locking.md).
                chamber_services.lock_membership_rules()
            if write_many is None:
                _write_each(actor, todo, write)
            else:
                size = chamber_services.BULK_BATCH
                for batch in (todo[i : i + size] for i in range(0, len(todo), size)):
                    try:
                        with transaction.atomic():
                            write_many(actor, batch)
                    except DomainError:
                        _write_each(actor, batch, write)  # to name the row refused
            report.written = len(todo)
    except _WriteRefused as refused:
        return ImportReport(dry_run=dry_run, errors=[refused.error], conflict=refused.conflict)
    return report


def _write_each(
    actor: Access, rows: list[PlannedRow], write: Callable[[Access, PlannedRow], None]
) -> None:
    for planned in rows:
        try:
            write(actor, planned)
        except DomainError as exc:
            error = RowError(planned.number, exc.field, exc.message)
            conflict = isinstance(exc, ConflictError)
            raise _WriteRefused(error, conflict=conflict) from exc


def _write_chamber(actor: Access, planned: PlannedRow) -> None:
    change: MembershipChangeRow | None = planned.membership
    if planned.action == CREATE:
        chamber_services.chamber_create(
            actor=actor,
            slug=planned.key,
            status=change.status if change else None,
            since=change.effective if change else None,
            basis=change.basis if change else "",
            **planned.data,
        )
        return
    if planned.data:
        chamber_services.chamber_update(actor=actor, chamber=planned.target, data=planned.data)
    if change is not None:
        chamber_services.membership_change_status(
            actor=actor,
            chamber=planned.target,
            status=change.status,
            effective=change.effective,
            basis=change.basis,
        )


def _write_contacts(actor: Access, rows: list[PlannedRow]) -> None:
    """A batch of contacts: the new ones in one bulk create, the changed ones in one update."""
    creates = [(p.target, p.data) for p in rows if p.action == CREATE]
    updates = [(p.target, p.data) for p in rows if p.action != CREATE]
    if creates:
        chamber_services.contacts_create_many(actor=actor, items=creates)
    if updates:
        chamber_services.contacts_update_many(actor=actor, items=updates)


def _write_contact(actor: Access, planned: PlannedRow) -> None:
    if planned.action == CREATE:
        chamber_services.contact_create(actor=actor, chamber=planned.target, data=planned.data)
    else:
        chamber_services.contact_update(actor=actor, contact=planned.target, data=planned.data)


#: Chambers are written one by one (their membership, translations and history, through the
#: services' one-row rules): a file holds fewer of them than of contacts (formats.MAX_ROWS).
CHAMBER_MAX_ROWS = 5000


def import_chambers(*, actor: Access, rows: list[SheetRow], dry_run: bool) -> ImportReport:
    """Create chambers with new slugs and update those with known ones, all or none."""
    require_staff(actor)
    if len(rows) > CHAMBER_MAX_ROWS:
        message = _("The file has more than %(max)d rows.") % {"max": CHAMBER_MAX_ROWS}
        return ImportReport(dry_run=dry_run, errors=[RowError(None, "file", message)])
    errors: list[RowError] = []
    plan = _plan_chambers(rows, errors)
    return _run(actor, plan, errors, dry_run, _write_chamber)


def import_contacts(*, actor: Access, rows: list[SheetRow], dry_run: bool) -> ImportReport:
    """Create and update contacts (matched by chamber and e-mail), all or none."""
    require_staff(actor)
    errors: list[RowError] = []
    plan = _plan_contacts(rows, errors)
    return _run(actor, plan, errors, dry_run, _write_contact, _write_contacts)


# Indicators ---------------------------------------------------------------------------------

#: The columns of an indicators file: the export's (``revision`` is read-only and ignored).
INDICATOR_COLUMNS = tuple(INDICATORS.header)
INDICATOR_REQUIRED_COLUMNS = ("reporter", "partner", "flow", "unit", "period", "value")
#: UN Comtrade's bulk CSV (Comtrade Plus, and the legacy layout's names), by the header's
#: letters and digits only: ``reporterISO``, ``Reporter ISO`` and ``reporter_iso`` are one.
COMTRADE_COLUMNS = {
    "reporter": ("reporteriso",),
    "partner": ("partneriso",),
    "flow": ("flowcode", "tradeflowcode", "flowdesc", "tradeflow"),
    "period": ("period", "refperiodid", "refyear", "year"),
    "value": ("primaryvalue", "tradevalueus", "tradevalue"),
    "commodity": ("cmdcode", "commoditycode"),
}
COMTRADE_FLOWS = {
    "x": "exports", "export": "exports", "2": "exports",
    "m": "imports", "import": "imports", "1": "imports",
}  # fmt: skip
COMTRADE_PARTNERS = {"wld": "world", "w00": "world", "0": "world", "world": "world"}
COMTRADE_SOURCE = ("UN Comtrade", "https://comtradeplus.un.org/")


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _comtrade_rows(rows: list[SheetRow], errors: list[RowError]) -> list[SheetRow] | None:
    """The rows of a Comtrade file in the union's layout, or None when the file is not one
    (its header has no ``reporterISO``)."""
    if not rows:
        return None
    names = {_key(name): name for name in rows[0].values}
    if "reporteriso" not in names:
        return None
    found: dict[str, str] = {}
    for column, candidates in COMTRADE_COLUMNS.items():
        name = next((names[c] for c in candidates if c in names), None)
        if name is not None:
            found[column] = name
        elif column != "commodity":
            errors.append(RowError(1, candidates[0], _("The column is missing.")))
    if errors:
        return []
    converted = []
    for row in rows:
        cell = {column: _text(row.values.get(name)) for column, name in found.items()}
        check = _RowCheck(row.number, errors)
        commodity = cell.get("commodity", "TOTAL").upper()
        if commodity not in ("", "TOTAL"):
            check.add("cmdcode", _("Only total trade (commodity code TOTAL) is imported."))
        flow = COMTRADE_FLOWS.get(cell["flow"].lower(), "")
        if not flow:
            check.add(
                found["flow"],
                _("Unknown flow “%(flow)s”: exports (X) and imports (M) are imported.")
                % {"flow": cell["flow"]},
            )
        if check.failed:
            continue  # named on its own column: the rest of the row would only repeat it
        period = cell["period"]
        if re.fullmatch(r"\d{6}", period):
            period = f"{period[:4]}-{period[4:]}"  # 202503: March 2025
        partner = COMTRADE_PARTNERS.get(cell["partner"].lower(), cell["partner"])
        converted.append(
            SheetRow(
                row.number,
                {
                    "reporter": cell["reporter"],
                    "partner": partner,
                    "flow": flow,
                    "unit": "USD",
                    "period": period,
                    "value": cell["value"],
                    "source_name": COMTRADE_SOURCE[0],
                    "source_url": COMTRADE_SOURCE[1],
                },
            )
        )
    return converted


def _plan_indicators(rows: list[SheetRow], errors: list[RowError]) -> list[PlannedRow]:
    from indicators import periods
    from indicators import services as indicator_services
    from indicators.models import Value

    comtrade = _comtrade_rows(rows, errors)
    if comtrade is not None:
        rows = comtrade
    elif rows:
        unknown = sorted(set(rows[0].values) - set(INDICATOR_COLUMNS))
        if unknown:
            message = _("Unknown column “%(column)s”. The columns are: %(allowed)s.") % {
                "column": unknown[0],
                "allowed": ", ".join(INDICATOR_COLUMNS),
            }
            errors.append(RowError(1, unknown[0], message))
            return []
    parsed: list[tuple[int, Any, Any, Any, dict[str, str]]] = []
    for row in rows:
        check = _RowCheck(row.number, errors)
        cells = {name: _text(value) for name, value in row.values.items()}
        key: Any = None
        period: Any = None
        value: Any = None
        try:
            key = indicator_services.SeriesKey.parse(
                reporter=cells.get("reporter"),
                partner=cells.get("partner"),
                flow=cells.get("flow"),
                unit=cells.get("unit"),
                key=cells.get("key", ""),
            )
        except DomainError as exc:
            check.add(exc.field, exc.message)
        try:
            period = periods.parse(row.values.get("period"))
        except periods.PeriodError as exc:
            check.add("period", str(exc))
        try:
            value = indicator_services.decimal_of(row.values.get("value"))
        except DomainError as exc:
            check.add("value", exc.message)
        if not cells.get("source_name"):
            check.add("source_name", _("Name the source of the figure."))
        if not check.failed:
            assert key is not None and period is not None and value is not None
            _check_indicator_row(key, period, value, cells, check)
        if not check.failed:
            parsed.append((row.number, key, period, value, cells))
    # One query for the stored values of the file's series and periods.
    stored: dict[tuple[Any, ...], Any] = {}
    keys = {p[1] for p in parsed}
    if keys:
        values = Value.objects.select_related("series").filter(
            series__reporter__in={k.reporter for k in keys},
            series__flow__in={k.flow for k in keys},
        )
        for v in values:
            s = v.series
            series_key = indicator_services.SeriesKey(
                reporter=s.reporter.code, partner=s.partner, flow=s.flow, unit=s.unit, key=s.key
            )
            stored[(series_key, v.period_start, v.period_end)] = v
    first_row: dict[tuple[Any, ...], int] = {}
    plan = []
    for number, key, period, value, cells in parsed:
        identity = (key, period.start, period.end)
        if identity in first_row:
            message = _("This series and period are already on row %(row)d.") % {
                "row": first_row[identity]
            }
            errors.append(RowError(number, "period", message))
            continue
        first_row[identity] = number
        source = (cells.get("source_name", ""), cells.get("source_url", ""))
        previous = stored.get(identity)
        if previous is None:
            action = CREATE
        elif (previous.value, previous.source_name, previous.source_url) == (value, *source):
            action = UNCHANGED
        else:
            action = UPDATE
        data = {"period": period, "value": value, "source": source, "name": cells.get("name")}
        plan.append(
            PlannedRow(number, action, f"{key.reporter}/{key.partner}/{key.flow}", data, key)
        )
    return plan


def _check_indicator_row(
    key: Any, period: Any, value: Any, cells: dict[str, str], check: _RowCheck
) -> None:
    """The models' own rules for the row's series and value (a unit too long, a source address
    that is not one), so that a dry run refuses what the write would: uniqueness is the plan's
    to settle (a stored series or value is matched, not a duplicate)."""
    from indicators.models import Series, Value

    probes: tuple[tuple[Any, list[str]], ...] = (
        (Series(reporter=key.reporter, partner=key.partner, flow=key.flow, key=key.key,
                unit=key.unit, name=cells.get("name") or key.key), []),
        (Value(period_start=period.start, period_end=period.end, value=value,
               source_name=cells.get("source_name", ""), source_url=cells.get("source_url", ""),
               recorded_at=timezone.now()), ["series"]),
    )  # fmt: skip
    for instance, exclude in probes:
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                check.add(None if name == "__all__" else name, messages[0])


def _write_indicator(actor: Access, planned: PlannedRow) -> None:
    from django.conf import settings

    from indicators import services as indicator_services

    name = planned.data["name"]
    names = {f"name_{settings.LANGUAGE_CODE}": name} if name else None
    series = indicator_services.series_ensure(actor=actor, key=planned.target, names=names)
    indicator_services.value_record(
        actor=actor,
        series=series,
        period=planned.data["period"],
        value=planned.data["value"],
        source_name=planned.data["source"][0],
        source_url=planned.data["source"][1],
    )


def import_indicators(*, actor: Access, rows: list[SheetRow], dry_run: bool) -> ImportReport:
    """Record the figures of a file (the export's layout, or UN Comtrade's bulk CSV), all or
    none: a new value, or a revision of the stored one with its history kept."""
    require_staff(actor)
    errors: list[RowError] = []
    plan = _plan_indicators(rows, errors)
    return _run(actor, plan, errors, dry_run, _write_indicator)


#: The imports by dataset: how the API and the admin find the columns and the service.
IMPORTS = {
    "chambers": (CHAMBER_COLUMNS, CHAMBER_REQUIRED_COLUMNS, import_chambers),
    "contacts": (CONTACT_COLUMNS, CONTACT_REQUIRED_COLUMNS, import_contacts),
    "indicators": (INDICATOR_COLUMNS, (), import_indicators),
}
#: Imports whose file may name other columns (told apart by the header: UN Comtrade's).
OPEN_HEADERS = frozenset({"indicators"})
