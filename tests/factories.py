"""factory_boy factories: one for every model of the project's apps, and the service-backed
``make_*`` builders.

The factories make plain rows, straight into the table: use them for set-up and for volume
(``bulk(MeetingFactory, 60, ...)`` builds unsaved rows and inserts them with one
``bulk_create``, skipping signals and the change history). Rows that carry business rules (a
membership status, a login's role, an API token's key, a decision's adoption, an approved term)
are made through the services where a test depends on those rules: :func:`make_chamber`,
:func:`make_contact`, :func:`make_login` here and the builders of :mod:`tests.scenes`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.db.models import Model
from django.utils import timezone

from calendars.models import CalendarSubscription
from chambers import services
from chambers.models import (
    ApiToken,
    Chamber,
    Contact,
    MemberLogin,
    MembershipPeriod,
    MembershipStatus,
    Passkey,
    StatusesAsOf,
    UserProfile,
)
from core.access import Access
from core.models import AuditEntry
from core.translated import by_language, codes, column  # noqa: F401 (by_language: for tests)
from exchange.models import ExportFile, ExportStatus
from indicators.models import Revision, Series, Target, Value
from meetings.models import (
    ActionItem,
    AgendaItem,
    Ballot,
    BallotChange,
    Decision,
    GovernanceRules,
    Invitation,
    Meeting,
    MeetingDocument,
    MinutesVersion,
    Priority,
    Procedure,
    ProgressNote,
    Vote,
)
from reminders.models import Reminder, ReminderKind, ReminderRule
from rotation.models import Rotation, RotationPlace, Term, TermState
from webhooks.models import Attempt, Delivery, EventType, Subscriber

SYSTEM = Access(user=None, label="tests", is_staff=True, reads_all=True, can_write=True)
COUNTRIES = ["AZ", "KZ", "KG", "TR", "UZ", "TM", "HU", "DE", "FR", "IT", "ES", "PL"]
#: When the factories' meetings start unless told: a fixed day, far from any test's "today".
MEETING_START = dt.datetime(2030, 5, 14, 4, 0, tzinfo=dt.UTC)


def bulk(factory_class: type[factory.django.DjangoModelFactory], count: int, **fields) -> list:
    """``count`` rows of ``factory_class`` in one ``bulk_create`` (volume, not behaviour: no
    signals, no change history). ``fields`` may be values or ``factory`` declarations, as for
    ``build_batch``; related rows must exist already (pass them, not sub-factories)."""
    rows = factory_class.build_batch(count, **fields)
    model: type[Model] = factory_class._meta.model
    return model.objects.bulk_create(rows)


def bulk_rows(factory_class: type[factory.django.DjangoModelFactory], rows: Iterable[dict]) -> list:
    """One row per dict of fields, in one ``bulk_create``."""
    model: type[Model] = factory_class._meta.model
    return model.objects.bulk_create(factory_class.build(**fields) for fields in rows)


# Accounts -----------------------------------------------------------------------------------


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("pass-word-2026")


class UserProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UserProfile
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    preferred_language = "en"


# Chambers -----------------------------------------------------------------------------------


class ChamberFactory(factory.django.DjangoModelFactory):
    """A chamber with no membership period: status ``former`` until one is added (use
    :func:`make_chamber` for a member, or :class:`MembershipPeriodFactory` for volume).

    Both ``name`` and ``name_en`` are set: modeltranslation does not fill one from the other on
    a bulk insert."""

    class Meta:
        model = Chamber
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"chamber-{n}")
    short_name = factory.Sequence(lambda n: f"CCI {n}")
    name_en = factory.LazyAttribute(lambda c: f"Chamber of Commerce {c.short_name}")
    name = factory.SelfAttribute("name_en")
    country = factory.Sequence(lambda n: COUNTRIES[n % len(COUNTRIES)])
    city = "Capital"
    website = factory.LazyAttribute(lambda c: f"https://{c.slug}.example.org")


class MembershipPeriodFactory(factory.django.DjangoModelFactory):
    """An open period (a member since 2019). The services check that a chamber's periods do not
    overlap; this factory does not (PostgreSQL's exclusion constraint still does)."""

    class Meta:
        model = MembershipPeriod

    chamber = factory.SubFactory(ChamberFactory)
    status = MembershipStatus.MEMBER
    start = dt.date(2019, 1, 1)
    end = None
    basis = ""


class StatusesAsOfFactory(factory.django.DjangoModelFactory):
    """The one row naming the day of the chambers' stored statuses (pk 1). Marking a day here
    makes the pages trust ``current_status``: use ``services.current_statuses_refresh``."""

    class Meta:
        model = StatusesAsOf
        django_get_or_create = ("pk",)

    pk = 1
    day = dt.date(2000, 1, 1)  # a day long past: the stored statuses are not trusted


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    chamber = factory.SubFactory(ChamberFactory)
    name = factory.Sequence(lambda n: f"Contact {n}")
    email = factory.Sequence(lambda n: f"contact{n}@example.org")


class MemberLoginFactory(factory.django.DjangoModelFactory):
    """A login's chamber and role, straight into the table (:func:`make_login` goes through the
    service, as the secretariat does)."""

    class Meta:
        model = MemberLogin

    user = factory.SubFactory(UserFactory)
    chamber = factory.SubFactory(ChamberFactory)
    role = "viewer"


def in_languages(instance: object, name: str, **texts: str) -> dict[str, str]:
    """A form's columns of a translated text: ``instance``'s values (or blank), with ``texts``
    (``en="..."``) in their place."""
    return {
        column(name, code): texts.get(code, getattr(instance, column(name, code), None) or "")
        for code in codes()
    }


class PasskeyFactory(factory.django.DjangoModelFactory):
    """A login's passkey as stored (made-up key bytes: for volume and lists, not for signing;
    tests/chambers/softkey.py makes real ones)."""

    class Meta:
        model = Passkey

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Key {n}")
    confirmed = True
    credential_id = factory.Sequence(lambda n: f"credential-{n:06d}".encode())
    credential_data = b"not a real key"


class ApiTokenFactory(factory.django.DjangoModelFactory):
    """A token whose key is ``key`` (only its hash is stored, as the service stores it)."""

    class Meta:
        model = ApiToken
        exclude = ("key",)

    key = factory.Sequence(lambda n: f"test-token-key-{n:06d}")
    name = factory.Sequence(lambda n: f"Integration {n}")
    key_hash = factory.LazyAttribute(lambda t: ApiToken.hash_key(t.key))
    prefix = factory.LazyAttribute(lambda t: t.key[:8])
    scope = "read"
    chamber = factory.SubFactory(ChamberFactory)


# Meetings -----------------------------------------------------------------------------------


class AuditEntryFactory(factory.django.DjangoModelFactory):
    """An entry of the audit trail, as ``core.audit.record`` writes one."""

    class Meta:
        model = AuditEntry

    actor = "secretariat"
    surface = "admin"
    action = "changed"
    model = "meetings.meeting"
    object_id = factory.Sequence(str)
    object_repr = factory.Sequence(lambda n: f"Meeting {n}")
    changes = factory.LazyFunction(lambda: {"venue_city": ["Astana", "Baku"]})


class GovernanceRulesFactory(factory.django.DjangoModelFactory):
    """The one row of voting rules (pk 1): changes it when it exists."""

    class Meta:
        model = GovernanceRules
        django_get_or_create = ("pk",)

    pk = 1


class MeetingFactory(factory.django.DjangoModelFactory):
    """A board meeting row. It invites nobody: ``services.meeting_create`` (see
    :func:`tests.scenes.make_meeting`) invites the members and observers on its date."""

    class Meta:
        model = Meeting

    kind = "board"
    title = factory.Sequence(lambda n: f"Meeting {n}")
    starts_at = MEETING_START
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + dt.timedelta(hours=6))
    time_zone = "Asia/Almaty"
    venue_city = "Astana"
    venue_country = "KZ"


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    meeting = factory.SubFactory(MeetingFactory)
    chamber = factory.SubFactory(ChamberFactory)
    response = "pending"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Item {n}")


class MeetingDocumentFactory(factory.django.DjangoModelFactory):
    """A document row naming a file that is not stored (uploads, checked by content, go through
    ``services.document_add``)."""

    class Meta:
        model = MeetingDocument

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Document {n}")
    file = factory.LazyAttribute(lambda d: f"meetings/{d.meeting.pk}/{uuid.uuid4().hex}.pdf")
    original_name = factory.LazyAttribute(lambda d: f"{d.title}.pdf")
    content_type = "application/pdf"
    size = 1000


class MinutesVersionFactory(factory.django.DjangoModelFactory):
    """A saved version of a meeting's minutes, a draft (services.minutes_version_save numbers
    them under the meeting's lock; this is volume)."""

    class Meta:
        model = MinutesVersion

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Minutes {n}.")


class DecisionFactory(factory.django.DjangoModelFactory):
    """A draft decision row. Adoption applies effects: use ``services.decision_adopt``, or set
    ``adopted_at`` for volume."""

    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)
    kind = "general"
    title = factory.Sequence(lambda n: f"Decision {n}")
    method = "vote"


class VoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vote

    decision = factory.SubFactory(DecisionFactory)
    chamber = factory.SubFactory(ChamberFactory)
    vote = "for"


class ProcedureFactory(factory.django.DjangoModelFactory):
    """An open written procedure of a decision between sessions (no voters: add them, or use
    ``services.procedure_open``, which takes the full members)."""

    class Meta:
        model = Procedure

    decision = factory.SubFactory(DecisionFactory, meeting=None, year=2030)
    mode = "vote"
    opened_at = factory.LazyFunction(timezone.now)
    opened_on = factory.LazyFunction(timezone.localdate)
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=14))


class BallotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ballot

    procedure = factory.SubFactory(ProcedureFactory)
    chamber = factory.SubFactory(ChamberFactory)
    answer = "for"
    recorded_at = factory.LazyFunction(timezone.now)


class BallotChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BallotChange

    ballot = factory.SubFactory(BallotFactory)
    answer = "for"
    recorded_at = factory.LazyFunction(timezone.now)


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    title = factory.Sequence(lambda n: f"Priority {n}")
    period_start = dt.date(2026, 1, 1)
    period_end = dt.date(2026, 12, 31)
    status = Priority.Status.ACTIVE


class SeriesFactory(factory.django.DjangoModelFactory):
    """A series of Kazakhstan's exports to one partner (``indicators.services.series_ensure``
    is the way in; this is volume)."""

    class Meta:
        model = Series

    reporter = "KZ"
    partner = factory.Iterator(["TR", "UZ", "KG", "AZ", "TM", "HU", "union", "world"])
    flow = "exports"
    unit = factory.Sequence(lambda n: f"USD {n}")  # unique with the rest of the key
    published = True


class ValueFactory(factory.django.DjangoModelFactory):
    """One year's figure of a series (``value_record`` keeps revisions; this is volume)."""

    class Meta:
        model = Value

    series = factory.SubFactory(SeriesFactory)
    period_start = factory.Sequence(lambda n: dt.date(1900 + n % 1000, 1, 1))
    period_end = factory.LazyAttribute(lambda v: dt.date(v.period_start.year, 12, 31))
    value = factory.Sequence(lambda n: Decimal(1000 + n))
    source_name = "Statistics agency"
    recorded_at = factory.LazyFunction(timezone.now)


class RevisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Revision

    entry = factory.SubFactory(ValueFactory)
    number = factory.Sequence(lambda n: n + 1)
    value = Decimal("1000")
    source_name = "Statistics agency"
    recorded_at = factory.LazyFunction(timezone.now)


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    priority = factory.SubFactory("tests.factories.PriorityFactory")
    series = factory.SubFactory(SeriesFactory)
    baseline = Decimal("10")
    baseline_period = "2025"
    target = Decimal("15")
    target_date = dt.date(2030, 12, 31)


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    priority = factory.SubFactory(PriorityFactory)
    title = factory.Sequence(lambda n: f"Action {n}")
    responsible = factory.SubFactory(ChamberFactory)
    due = dt.date(2026, 6, 30)


class ProgressNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressNote

    action_item = factory.SubFactory(ActionItemFactory)
    date = dt.date(2026, 3, 1)
    text = factory.Sequence(lambda n: f"Note {n}")
    progress = factory.SelfAttribute("action_item.progress")
    author_label = "tests"


# Rotation -----------------------------------------------------------------------------------


class RotationFactory(factory.django.DjangoModelFactory):
    """The union's one rotation (pk 1)."""

    class Meta:
        model = Rotation
        django_get_or_create = ("pk",)

    pk = 1


class RotationPlaceFactory(factory.django.DjangoModelFactory):
    """A place in the order (``services.order_set`` sets a whole order, checked)."""

    class Meta:
        model = RotationPlace

    rotation = factory.SubFactory(RotationFactory)
    position = factory.Sequence(lambda n: n + 1)
    chamber = factory.SubFactory(ChamberFactory)


class TermFactory(factory.django.DjangoModelFactory):
    """An approved calendar-year term of ``chamber``, in its own turn: 2030, 2031... unless
    ``year`` is given (approved terms never overlap; PostgreSQL refuses it). Approving one for
    real (eligibility, overlaps, the decision) is ``rotation.services.term_approve``."""

    class Meta:
        model = Term

    class Params:
        year = factory.Sequence(lambda n: 2030 + n)

    rotation = factory.SubFactory(RotationFactory)
    chamber = factory.SubFactory(ChamberFactory)
    in_place_of = factory.SelfAttribute("chamber")
    start = factory.LazyAttribute(lambda t: dt.date(t.year, 1, 1))
    end = factory.LazyAttribute(lambda t: dt.date(t.year, 12, 31))
    state = TermState.APPROVED


# Reminders ----------------------------------------------------------------------------------


class ReminderRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReminderRule
        django_get_or_create = ("kind", "offset_days")

    kind = ReminderKind.ACTION_OVERDUE
    offset_days = factory.Sequence(lambda n: n % 3650)


class ReminderFactory(factory.django.DjangoModelFactory):
    """A log row to ``contact`` (or, with ``user=`` and ``contact=None``, to a user)."""

    class Meta:
        model = Reminder

    kind = ReminderKind.ACTION_OVERDUE
    subject = factory.Sequence(lambda n: f"test:{n}")
    offset_days = 1
    contact = factory.SubFactory(ContactFactory)
    user = None
    chamber = factory.LazyAttribute(lambda r: r.contact.chamber if r.contact else None)
    recipient = factory.LazyAttribute(
        lambda r: f"user:{r.user.pk}" if r.user else f"contact:{r.contact.pk}"
    )
    email = factory.LazyAttribute(lambda r: r.user.email if r.user else r.contact.email)
    language = "en"
    due_on = dt.date(2026, 1, 1)
    title = factory.Sequence(lambda n: f"Reminder {n}")


# Webhooks -----------------------------------------------------------------------------------


class SubscriberFactory(factory.django.DjangoModelFactory):
    """A subscriber row. Its address is not checked (``services.subscriber_save`` checks it, as
    :func:`tests.webhooks.conftest.subscribe` does)."""

    class Meta:
        model = Subscriber

    name = factory.Sequence(lambda n: f"Receiver {n}")
    url = factory.Sequence(lambda n: f"http://127.0.0.1:9/hook-{n}")
    secret = "test-secret-0123456789"
    events = factory.LazyFunction(lambda: [EventType.MEETING_CREATED])


class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delivery

    subscriber = factory.SubFactory(SubscriberFactory)
    event = EventType.MEETING_CREATED
    event_id = factory.LazyFunction(uuid.uuid4)
    payload = factory.LazyAttribute(lambda d: {"id": str(d.event_id), "event": d.event})
    body = "{}"


class AttemptFactory(factory.django.DjangoModelFactory):
    """A failed attempt (the receiver answered 500)."""

    class Meta:
        model = Attempt

    delivery = factory.SubFactory(DeliveryFactory)
    number = factory.Sequence(lambda n: n + 1)
    started_at = factory.LazyFunction(timezone.now)
    duration_ms = 5
    status_code = 500
    success = False


# Calendars ----------------------------------------------------------------------------------


class CalendarSubscriptionFactory(factory.django.DjangoModelFactory):
    """A subscription whose key is ``key`` (only its hash is stored). Issuing one for real
    (which revokes the user's previous one) is ``calendars.services.subscription_issue``."""

    class Meta:
        model = CalendarSubscription
        exclude = ("key",)

    key = factory.Sequence(lambda n: f"test-calendar-key-{n:06d}")
    user = factory.SubFactory(UserFactory)
    key_hash = factory.LazyAttribute(lambda s: CalendarSubscription.hash_key(s.key))
    prefix = factory.LazyAttribute(lambda s: s.key[:8])


# Exchange -----------------------------------------------------------------------------------


class ExportFileFactory(factory.django.DjangoModelFactory):
    """The row of an export built in the background, ready, for a user (no file on disk:
    ``tests.scenes.make_export_file`` builds one for real)."""

    class Meta:
        model = ExportFile

    dataset = "chambers"
    file_format = "xlsx"
    user = factory.SubFactory(UserFactory)
    status = ExportStatus.READY
    rows = 1
    filename = factory.Sequence(lambda n: f"chambers-{n}.xlsx")


# Through the services -------------------------------------------------------------------------


def make_chamber(
    *, status: str | None = MembershipStatus.MEMBER, since: dt.date = dt.date(2019, 1, 1), **kwargs
) -> Chamber:
    """A chamber with one open membership period (or none, with ``status=None``)."""
    chamber = ChamberFactory(**kwargs)
    if status:
        services.membership_change_status(
            actor=SYSTEM, chamber=chamber, status=status, effective=since
        )
    return chamber


def make_contact(chamber: Chamber, **data: Any) -> Contact:
    data.setdefault("name", "Jane Delegate")
    data.setdefault("roles", ["delegate"])
    return services.contact_create(actor=SYSTEM, chamber=chamber, data=data)


def make_login(chamber: Chamber | None, role: str | None, *, username: str, staff: bool = False):
    user = UserFactory(username=username, is_staff=staff, is_superuser=staff)
    if chamber is not None and role is not None:
        services.member_login_set(actor=SYSTEM, user=user, chamber=chamber, role=role)
    return user
