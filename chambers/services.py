"""Every write to chambers, membership periods, contacts, member logins and tokens.

The admin, the portal, the API, imports, decision effects and management commands call these
functions; each runs in one transaction, validates with ``full_clean()``, records who did it in
the change history, and raises :class:`core.errors.DomainError` when a rule refuses the change.

Every change of membership status goes through :func:`membership_change_status` or
:func:`membership_periods_replace`, which lock in the order of ``docs/locking.md`` (the guards'
rows, then the chamber) and run the guards other apps register (:mod:`core.guards`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError
from django.db.models.fields.files import FieldFile
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core import audit, privacy
from core.access import Access, require_staff
from core.errors import ConflictError, DomainError, ForbiddenError
from core.events import emit
from core.guards import MembershipChange, membership_guards
from core.services import (
    as_domain_error,
    conflict_on_integrity,
    model_update,
    require_known_fields,
    stamp,
    validated_save,
)
from core.translated import active_code, codes, column, expand
from core.translated import values as translated_values

from .events import MembershipChanged
from .logos import clean_logo
from .models import (
    FORMER,
    ApiToken,
    Chamber,
    Contact,
    ContactRole,
    MemberLogin,
    MemberRole,
    MembershipPeriod,
    MembershipStatus,
    StatusesAsOf,
    TokenScope,
    UserProfile,
    derived_status,
)

#: A chamber's texts written in every working language (chambers/translation.py).
CHAMBER_TRANSLATED = ("name", "short_name", "city")
#: Profile fields a chamber's own editor may change, in the order the portal's profile form
#: shows them (each name in every working language); the rest (slug, country) are the
#: secretariat's.
PROFILE_FIELDS = ("name", "short_name", "city", "website", "email", "phone", "founded", "logo")
#: What the services accept: the same, by language (``name_kk``) or plain (the active one's).
EDITOR_PROFILE_FIELDS: tuple[str, ...] = expand(PROFILE_FIELDS, CHAMBER_TRANSLATED)
STAFF_PROFILE_FIELDS: tuple[str, ...] = (*EDITOR_PROFILE_FIELDS, "slug", "country")
#: A contact's fields as the portal's form and the API show them (the position in every working
#: language: the form's boxes, the API's ``positions``).
CONTACT_BASE_FIELDS = (
    "name",
    "position",
    "roles",
    "email",
    "phone",
    "preferred_language",
    "active",
)
#: What the services accept: the same, the position by language (``position_kk``) or plain.
CONTACT_FIELDS: tuple[str, ...] = expand(CONTACT_BASE_FIELDS, ("position",))


def _require_editor(actor: Access, chamber: Chamber | int) -> None:
    if not actor.can_edit_chamber(chamber):
        raise ForbiddenError(_("You may not change this chamber."))


# Chambers -----------------------------------------------------------------------------------


@transaction.atomic
def chamber_create(
    *,
    actor: Access,
    slug: str,
    country: str,
    status: str | None = None,
    since: dt.date | None = None,
    basis: str | dict[str, str] = "",
    **profile: Any,
) -> Chamber:
    """Add a chamber; with ``status`` it starts its first membership period on ``since``.

    Names come as columns (``name_en``, ``short_name_kk``...) or plain (``name``: the active
    language's, as modeltranslation assigns it); one language of each is enough."""
    require_staff(actor)
    require_known_fields(profile, STAFF_PROFILE_FIELDS)
    profile = _with_clean_logo(profile, stem=slug)
    chamber = Chamber(slug=slug, country=country, **profile)
    validated_save(chamber, actor)
    if status:
        membership_change_status(
            actor=actor,
            chamber=chamber,
            status=status,
            effective=since or timezone.localdate(),
            basis=basis,
        )
    return chamber


@transaction.atomic
def chamber_update(*, actor: Access, chamber: Chamber, data: dict[str, Any]) -> Chamber:
    """Change a chamber's profile. A chamber's editor may change its profile but not its slug
    or country, which integrations and the rotation order key on."""
    _require_editor(actor, chamber)
    allowed = STAFF_PROFILE_FIELDS if actor.is_staff else EDITOR_PROFILE_FIELDS
    require_known_fields(data, allowed, error=ForbiddenError)
    chamber = Chamber.objects.select_for_update().get(pk=chamber.pk)
    replaced = chamber.logo.name
    data = _with_clean_logo(data, stem=chamber.slug)
    changed = model_update(instance=chamber, fields=allowed, data=data, actor=actor)
    if "logo" in changed and replaced:
        # The replaced (or cleared) logo is public while it exists: removed once the change is
        # committed, never if it rolls back.
        storage = chamber.logo.storage
        transaction.on_commit(lambda: storage.delete(replaced))
    return chamber


def _with_clean_logo(data: dict[str, Any], *, stem: str) -> dict[str, Any]:
    """``data`` with a newly uploaded logo re-encoded (:func:`chambers.logos.clean_logo`)."""
    logo = data.get("logo")
    if not logo or isinstance(logo, FieldFile):  # none, cleared, or the one stored already
        return data
    return {**data, "logo": clean_logo(logo, stem=stem)}


# Membership ---------------------------------------------------------------------------------


def lock_membership_rules() -> None:
    """Take the rows the membership guards read (the rotation's), first of all: a caller that
    may change a chamber's membership after other writes in the same transaction (the admin's
    chamber page, an import) calls this before them, so it never holds a chamber while it
    waits for the rotation (``docs/locking.md``)."""
    membership_guards.lock()


def lock_chamber(chamber: Chamber) -> Chamber:
    """Lock a chamber for a change of membership, in the order of ``docs/locking.md``: first
    the rows the guards read (the rotation's), then the chamber. Two writers of one chamber's
    membership, or a membership change and a term approval, are then serialised."""
    lock_membership_rules()
    return Chamber.objects.select_for_update().get(pk=chamber.pk)


def current_status_keep(chamber: Chamber) -> None:
    """Store the chamber's status today as its periods now say it: the last step of every
    service that changes periods, under the chamber's lock (a period starting or ending on a
    later day is tonight's :func:`current_statuses_refresh`'s)."""
    today = timezone.localdate()
    Chamber.objects.filter(pk=chamber.pk).update(current_status=derived_status("pk", today))


@transaction.atomic
def current_statuses_refresh(*, today: dt.date | None = None) -> int:
    """Bring every chamber's stored ``current_status`` to ``today`` (default: today) from the
    periods and mark the stored statuses as that day's; returns how many chambers changed.

    Beat runs it just after midnight (``chambers.tasks.refresh_statuses``); until it has, the
    pages derive today's status from the periods, so a late or missed run costs speed, never
    a wrong status. It takes the membership rules' lock that every change of periods takes
    first (``docs/locking.md``), so no change commits between the statuses read here and the
    day marked."""
    today = today or timezone.localdate()
    lock_membership_rules()
    derived = derived_status("pk", today)
    changed = (
        Chamber.objects.alias(derived=derived)
        .exclude(current_status=models.F("derived"))
        .update(current_status=derived)
    )
    StatusesAsOf.objects.update_or_create(pk=1, defaults={"day": today})
    return changed


def _guard(chamber: Chamber, status: str, start: dt.date, end: dt.date | None) -> None:
    membership_guards.check(
        MembershipChange(
            chamber_id=chamber.pk,
            chamber_name=chamber.short_name,
            status=status,
            start=start,
            end=end,
        )
    )


@dataclass(frozen=True)
class PeriodData:
    """One membership period as the admin's inline submits it (``pk`` None for a new one)."""

    status: str
    start: dt.date
    end: dt.date | None
    basis: str | dict[str, str] = ""  # one text (the active language's) or one per language
    pk: int | None = None

    def bases(self, row: MembershipPeriod) -> dict[str, str]:
        """The basis in every language, as it should be stored on ``row``."""
        if isinstance(self.basis, dict):
            return {code: self.basis.get(code, "") for code in codes()}
        return {**translated_values(row, "basis"), active_code(): self.basis}


def _ranges_overlap(a: PeriodData, b: PeriodData) -> bool:
    return (a.end is None or a.end >= b.start) and (b.end is None or b.end >= a.start)


def membership_periods_check(periods: list[PeriodData]) -> None:
    """Refuse a set of periods of one chamber if any two overlap (the admin's inline)."""
    ordered = sorted(periods, key=lambda p: p.start)
    for earlier, later in itertools.pairwise(ordered):
        if _ranges_overlap(earlier, later):
            raise DomainError(
                _("The period from %(start)s overlaps the period from %(other)s.")
                % {"start": later.start.isoformat(), "other": earlier.start.isoformat()},
                field="start",
            )
    for period in periods:
        if period.end is not None and period.end < period.start:
            raise DomainError(_("The end date cannot be before the start date."), field="end")


Span = tuple[dt.date, dt.date | None]  # first and last day; None: open-ended


def _timeline(periods: list[tuple[str, dt.date, dt.date | None]]) -> list[tuple[str, Span]]:
    """The statuses of a chamber over all of time, ``former`` in the gaps (periods do not
    overlap: checked before)."""
    segments: list[tuple[str, Span]] = []
    cursor: dt.date | None = dt.date.min
    for status, start, end in sorted(periods, key=lambda p: p[1]):
        if cursor is not None and start > cursor:
            segments.append((FORMER, (cursor, start - dt.timedelta(days=1))))
        segments.append((status, (start, None if end == dt.date.max else end)))  # open
        cursor = None if end is None or end == dt.date.max else end + dt.timedelta(days=1)
    if cursor is not None:
        segments.append((FORMER, (cursor, None)))
    return segments


def _subtract(spans: list[Span], cut: Span) -> list[Span]:
    """``spans`` without the days of ``cut``."""
    cut_start, cut_end = cut
    left: list[Span] = []
    for start, end in spans:
        if (cut_end is not None and cut_end < start) or (end is not None and end < cut_start):
            left.append((start, end))
            continue
        if cut_start > start:
            left.append((start, cut_start - dt.timedelta(days=1)))
        if cut_end is not None and (end is None or cut_end < end):
            left.append((cut_end + dt.timedelta(days=1), end))
    return left


def _status_changes(
    old: list[tuple[str, dt.date, dt.date | None]], new: list[tuple[str, dt.date, dt.date | None]]
) -> list[tuple[str, Span]]:
    """The stretches of time whose status ``new`` changes from ``old``, with the new status."""
    before = _timeline(old)
    changes: list[tuple[str, Span]] = []
    for status, span in _timeline(new):
        spans = [span]
        for old_status, old_span in before:
            if old_status == status:
                spans = _subtract(spans, old_span)
        changes.extend((status, piece) for piece in spans)
    return changes


@transaction.atomic
def membership_periods_replace(
    *, actor: Access, chamber: Chamber, periods: list[PeriodData]
) -> list[MembershipPeriod]:
    """Make the chamber's periods exactly ``periods`` (edited, added and, by omission, deleted).

    Applied in two phases so that no intermediate state overlaps (PostgreSQL checks the
    exclusion constraint row by row): first every kept row shrinks to the part of its new range
    inside its old one, then every row takes its final range and new rows are added.
    """
    require_staff(actor)
    chamber = lock_chamber(chamber)
    membership_periods_check(periods)
    existing = {p.pk: p for p in MembershipPeriod.objects.filter(chamber=chamber)}
    kept = {p.pk for p in periods if p.pk is not None}
    if not kept <= existing.keys():
        raise ConflictError(_("A period was changed elsewhere; reload and try again."))
    # The same rules as a change of status: every stretch whose status the edit changes
    # passes the guards (a chamber holding a term cannot be suspended here either).
    old = [(p.status, p.start, p.end) for p in existing.values()]
    for status, (start, end) in _status_changes(old, [(p.status, p.start, p.end) for p in periods]):
        if status != MembershipStatus.MEMBER:
            _guard(chamber, status, start, end)
    for pk, row in existing.items():
        if pk not in kept:
            stamp(row, actor)
            row.delete()
    for data in periods:
        if data.pk is None:
            continue
        row = existing[data.pk]
        start = max(row.start, data.start)
        ends = [e for e in (row.end, data.end) if e is not None]
        end = min(ends) if ends else None
        if end is not None and end < start:  # no common day: step aside until phase two
            stamp(row, actor)
            row.delete()
            existing[data.pk] = MembershipPeriod(chamber=chamber)
        elif (start, end) != (row.start, row.end):
            row.start, row.end = start, end
            validated_save(row, actor)
    saved = []
    for data in sorted(periods, key=lambda p: p.start):
        row = existing[data.pk] if data.pk is not None else MembershipPeriod(chamber=chamber)
        wanted = (data.status, data.start, data.end, data.bases(row))
        if (
            row.pk is None
            or (row.status, row.start, row.end, translated_values(row, "basis")) != wanted
        ):
            row.status, row.start, row.end = wanted[:3]
            for code, text in wanted[3].items():
                setattr(row, column("basis", code), text)
            validated_save(row, actor)
        saved.append(row)
    current_status_keep(chamber)
    emit(MembershipChanged(chamber=chamber))
    return saved


def membership_change_check(
    *, chamber: Chamber, status: str, effective: dt.date, admission: bool = False
) -> MembershipPeriod | None:
    """Every rule of a change of status, without writing (an import's dry run asks it too):
    a known status, no period starting on or after the date, the guards, a real change, and
    for an ``admission`` a chamber not in the union on the date. Returns the period in force
    on ``effective`` (None: the chamber is not in the union)."""
    if status not in {*MembershipStatus.values, FORMER}:
        raise DomainError(_("Unknown status."), field="status")
    periods = MembershipPeriod.objects.filter(chamber=chamber)
    if periods.filter(start__gte=effective).exists():
        raise DomainError(
            _("A membership period already starts on or after this date."), field="effective"
        )
    if status != MembershipStatus.MEMBER:
        _guard(chamber, status, effective, None)  # e.g. a chamber that will chair stays a member
    # No period starts on or after the date, so only the latest can still be in force then.
    current = periods.covering(effective).first()
    if admission and current is not None:
        raise DomainError(
            _("%(chamber)s is already in the union on %(date)s.")
            % {"chamber": chamber.short_name, "date": effective.isoformat()},
            field="status",
        )
    if (current.status if current else FORMER) == status:
        raise DomainError(_("The chamber already has this status on that date."), field="status")
    return current


@transaction.atomic
def membership_change_status(
    *,
    actor: Access,
    chamber: Chamber,
    status: str,
    effective: dt.date,
    basis: str | dict[str, str] = "",
    decision: Any = None,
    admission: bool = False,
) -> MembershipPeriod | None:
    """Close the open period the day before ``effective`` and open the next one from it.
    With ``admission`` the chamber must not be in the union on that day (checked under the
    lock, so two admissions of one chamber cannot both pass).

    ``status`` may be ``former`` to end the membership (no new period). Returns the new period.
    ``basis`` is one text (the active language's) or ``{code: text}``.
    """
    require_staff(actor)
    chamber = lock_chamber(chamber)
    current = membership_change_check(
        chamber=chamber, status=status, effective=effective, admission=admission
    )
    if current is not None:
        model_update(
            instance=current,
            fields=["end"],
            data={"end": effective - dt.timedelta(days=1)},
            actor=actor,
        )
    period = None
    if status != FORMER:
        period = MembershipPeriod(
            chamber=chamber, status=status, start=effective, decision=decision
        )
        if isinstance(basis, dict):
            for code, text in basis.items():
                setattr(period, column("basis", code), text)
        else:
            period.basis = basis
        validated_save(period, actor)
    current_status_keep(chamber)
    emit(MembershipChanged(chamber=chamber, status=status, effective=effective, decision=decision))
    return period


# Contacts -----------------------------------------------------------------------------------


def contact_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The contact's columns from the services' data: ``roles`` (a list) becomes the three
    role flags."""
    require_known_fields(data, CONTACT_FIELDS)
    fields = {name: value for name, value in data.items() if name != "roles"}
    if "roles" in data:
        roles = set(data["roles"])
        if roles - set(ContactRole.values):
            raise DomainError(_("Unknown role."), field="roles")
        fields.update({attr: role in roles for role, attr in Contact.ROLE_FIELDS.items()})
    return fields


#: The columns :func:`contact_fields` may set.
CONTACT_COLUMNS = (set(CONTACT_FIELDS) - {"roles"}) | set(Contact.ROLE_FIELDS.values())


@transaction.atomic
def contact_create(*, actor: Access, chamber: Chamber, data: dict[str, Any]) -> Contact:
    _require_editor(actor, chamber)
    contact = Contact(chamber=chamber, **contact_fields(data))
    validated_save(contact, actor)
    return contact


@transaction.atomic
def contact_update(*, actor: Access, contact: Contact, data: dict[str, Any]) -> Contact:
    _require_editor(actor, contact.chamber_id)
    # Lock the row: a concurrent delete must not be undone by this save re-inserting it.
    locked = Contact.objects.select_for_update().filter(pk=contact.pk).first()
    if locked is None:
        raise ConflictError(_("This contact was removed meanwhile."))
    model_update(instance=locked, fields=CONTACT_COLUMNS, data=contact_fields(data), actor=actor)
    return locked


#: Rows per statement of the bulk writes below (an import of 10,000 contacts: 20 batches).
BULK_BATCH = 500


def _bulk_checked(contact: Contact) -> None:
    """The model's checks of one row of a bulk write, without a query: its chamber is the
    object given, and the database's own constraints check the rest in the write itself."""
    try:
        contact.full_clean(exclude=["chamber"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise as_domain_error(exc) from exc


@transaction.atomic
def contacts_create_many(
    *, actor: Access, items: Sequence[tuple[Chamber, dict[str, Any]]]
) -> list[Contact]:
    """Create many contacts at once (an import): for each, the rules of
    :func:`contact_create` (the editor's right to the chamber, the fields, the model's checks),
    then one insert of the rows and one of their history per :data:`BULK_BATCH`. A refusal
    names no row: the caller that needs one (the import) writes that batch row by row."""
    for chamber_id in {chamber.pk for chamber, _data in items}:
        _require_editor(actor, chamber_id)
    contacts = [Contact(chamber=chamber, **contact_fields(data)) for chamber, data in items]
    for contact in contacts:
        _bulk_checked(contact)
    with conflict_on_integrity():
        created: list[Contact] = bulk_create_with_history(
            contacts,
            Contact,
            batch_size=BULK_BATCH,
            default_user=actor.person,
            default_change_reason=actor.label,
        )
    return created


@transaction.atomic
def contacts_update_many(
    *, actor: Access, items: Sequence[tuple[Contact, dict[str, Any]]]
) -> list[Contact]:
    """Change many contacts at once (an import), each under the rules of
    :func:`contact_update`: the rows are locked first (in one query: a contact removed
    meanwhile is a conflict, never written back), then one update and one insert of their
    history per :data:`BULK_BATCH`."""
    for chamber_id in {contact.chamber_id for contact, _data in items}:
        _require_editor(actor, chamber_id)
    locked = Contact.objects.select_for_update().in_bulk([contact.pk for contact, _d in items])
    changed: list[Contact] = []
    fields: set[str] = set()
    for contact, data in items:
        row = locked.get(contact.pk)
        if row is None:
            raise ConflictError(_("This contact was removed meanwhile."))
        values = contact_fields(data)
        require_known_fields(values, CONTACT_COLUMNS)
        names = [name for name, value in values.items() if getattr(row, name) != value]
        if not names:
            continue
        for name in names:
            setattr(row, name, values[name])
        _bulk_checked(row)
        changed.append(row)
        fields.update(names)
    if changed:
        with conflict_on_integrity():
            bulk_update_with_history(
                changed,
                Contact,
                sorted(fields),
                batch_size=BULK_BATCH,
                default_user=actor.person,
                default_change_reason=actor.label,
            )
    return changed


@transaction.atomic
def contact_delete(*, actor: Access, contact: Contact) -> None:
    """Remove a contact. One who was the union's President stays on record: mark them inactive.

    The rows that keep a contact on record point to it with ``on_delete=PROTECT`` (a term's
    President, in the rotation app): the database refuses the delete, also when a term names
    the contact at the same moment, and this app needs to know nothing of them."""
    _require_editor(actor, contact.chamber_id)
    stamp(contact, actor)
    try:
        with transaction.atomic():
            contact.delete()
    except ProtectedError as exc:
        raise DomainError(
            _("This contact was the union's President and stays on record; mark them inactive."),
            field="contact",
        ) from exc


# Personal data --------------------------------------------------------------------------------

#: The fields that identify a person, and what they become when erased (the position in every
#: working language: its columns).
PERSONAL_FIELDS = ("name", "email", "phone", "position")
POSITION_COLUMNS = expand(("position",), ("position",))


def erased_name(contact_id: int) -> str:
    return _("Erased contact %(id)s") % {"id": contact_id}


def _contact_emails(contact_id: int) -> set[str]:
    """Every address the contact has had: the row's and its history's."""
    history = Contact.history.model.objects.filter(id=contact_id)  # type: ignore[attr-defined]
    emails = set(history.exclude(email="").values_list("email", flat=True))
    emails |= set(
        Contact.objects.filter(pk=contact_id).exclude(email="").values_list("email", flat=True)
    )
    return emails


def _held(contact_id: int) -> bool:
    history = Contact.history.model.objects.filter(id=contact_id)  # type: ignore[attr-defined]
    return Contact.objects.filter(pk=contact_id).exists() or history.exists()


def personal_data(*, actor: Access, contact_id: int) -> dict[str, Any]:
    """Everything the system holds about a contact (also one since removed), as JSON: the
    register's row and history, and what the other apps keep (core.privacy)."""
    require_staff(actor)
    if not _held(contact_id):
        raise Http404(_("Nothing is held about this contact."))
    return {"contact": contact_id, **privacy.collect(contact_id, _contact_emails(contact_id))}


@transaction.atomic
def contact_erase(*, actor: Access, contact_id: int) -> dict[str, int]:
    """Replace a contact's name, e-mail, phone and position in its row, its history and every
    app's records (the reminders' log...). The union's record stays: the row is kept (a term's
    President, a meeting's delegate), under a name that says it was erased. Audited."""
    require_staff(actor)
    if not _held(contact_id):
        raise Http404(_("Nothing is held about this contact."))
    contact = Contact.objects.select_for_update().filter(pk=contact_id).first()
    emails = _contact_emails(contact_id)
    changed = privacy.erase(contact_id, emails)
    if contact is not None:
        contact.name, contact.email, contact.phone = erased_name(contact_id), "", ""
        contact.active = False
        for name in POSITION_COLUMNS:
            setattr(contact, name, "")
        stamp(contact, actor)
        contact.save(update_fields=[*PERSONAL_FIELDS, *POSITION_COLUMNS[1:], "active"])
    else:
        contact = Contact(pk=contact_id, name=erased_name(contact_id))
    audit.record(contact, "erased", {"rows": [None, changed]}, actor=actor)
    return changed


def _history_rows(contact_id: int, email: str) -> list[dict[str, Any]]:
    history = Contact.history.model.objects.filter(id=contact_id)  # type: ignore[attr-defined]
    return [
        {
            "at": row.history_date.isoformat(),
            "change": row.history_type,
            "by": row.history_change_reason or "",
            **{f: getattr(row, f) for f in ("name", "email", "phone", "active")},
            "positions": translated_values(row, "position"),
        }
        for row in history.order_by("history_date", "history_id")
    ]


def _contact_rows(contact_id: int, email: str) -> list[dict[str, Any]]:
    return [
        {**row, "chamber": contact.chamber.slug}
        for contact in Contact.objects.filter(pk=contact_id).select_related("chamber")
        for row in [
            {
                name: getattr(contact, name)
                for name in (
                    "name", "email", "phone", "preferred_language", "active",
                    "is_head", "is_focal_point", "is_delegate",
                )
            } | {"positions": translated_values(contact, "position")}
        ]
    ]  # fmt: skip


def _erase_history(contact_id: int, email: str) -> int:
    history = Contact.history.model.objects.filter(id=contact_id)  # type: ignore[attr-defined]
    changed: int = history.update(
        name=erased_name(contact_id),
        email="",
        phone="",
        **dict.fromkeys(POSITION_COLUMNS, ""),
    )
    return changed


privacy.register("register", collect=_contact_rows, erase=lambda contact_id, email: 0)
privacy.register("register history", collect=_history_rows, erase=_erase_history)


# Member logins and tokens -------------------------------------------------------------------


@transaction.atomic
def member_login_set(*, actor: Access, user: Any, chamber: Chamber, role: str) -> MemberLogin:
    """Make a user a viewer or editor of one chamber (replacing any earlier chamber)."""
    require_staff(actor)
    if role not in MemberRole.values:
        raise DomainError(_("Role must be viewer or editor."), field="role")
    login, _created = MemberLogin.objects.update_or_create(
        user=user, defaults={"chamber": chamber, "role": role}
    )
    return login


@transaction.atomic
def profile_set_language(*, user: Any, language: str) -> UserProfile:
    """Remember the language a person reads: the portal switches to it at login, and e-mails
    and reminders are written in it."""
    if language not in dict(settings.LANGUAGES):
        raise DomainError(_("Choose one of the site's languages."), field="preferred_language")
    profile, _created = UserProfile.objects.update_or_create(
        user=user, defaults={"preferred_language": language}
    )
    return profile


@transaction.atomic
def member_login_remove(*, actor: Access, user: Any) -> None:
    """The user no longer belongs to a chamber (the account itself stays)."""
    require_staff(actor)
    MemberLogin.objects.filter(user=user).delete()


@transaction.atomic
def token_issue(
    *, actor: Access, name: str, scope: str, chamber: Chamber | None = None
) -> tuple[ApiToken, str]:
    """Create a token and return it with its key, which is never stored and never shown again."""
    require_staff(actor)
    if scope not in TokenScope.values:
        raise DomainError(_("Scope must be read or write."), field="scope")
    key = secrets.token_urlsafe(32)
    token = ApiToken(
        name=name,
        scope=scope,
        chamber=chamber,
        key_hash=ApiToken.hash_key(key),
        prefix=key[:8],
        created_by=actor.person,
    )
    validated_save(token, actor, exclude=["key_hash", "prefix"])
    return token, key


@transaction.atomic
def token_revoke(*, actor: Access, token: ApiToken) -> ApiToken:
    """Revoke a token; a conditional update, so a second revoke changes nothing."""
    require_staff(actor)
    now = timezone.now()
    if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now):
        audit.record(token, "revoked", {"revoked_at": [None, now.isoformat()]}, actor=actor)
    token.refresh_from_db()
    return token
