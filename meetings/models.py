"""Meetings of the union, what they decided and the priorities they follow.

A decision's outcome is computed from attendance and votes (see ``services.decision_outcome``),
never typed in; adopting it applies its effects in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
import zoneinfo
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from chambers.models import Chamber, Contact
from core.bounds import validate_single_line, validate_year
from core.choices import label


def to_roman(number: int) -> str:
    """1 -> I, 3 -> III, 14 -> XIV: General Assembly sessions are numbered in Roman numerals."""
    numerals = [
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ]  # fmt: skip
    out = []
    for value, letters in numerals:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


class Majority(models.TextChoices):
    SIMPLE = "simple", _("Simple majority")
    TWO_THIRDS = "two_thirds", _("Two-thirds majority")


class GovernanceRules(models.Model):
    """The union's voting rules: one row (pk 1), edited by staff in the admin.

    Quorum is a fraction of the full members (on the meeting date) who must be present; the
    majority is a rule per decision kind.
    """

    # A fraction, not a decimal: "two thirds" of 6 must be exactly 4, not ceil(0.667 * 6) = 5.
    quorum_numerator = models.PositiveSmallIntegerField(
        _("quorum numerator"), default=2, validators=[MinValueValidator(1)]
    )
    quorum_denominator = models.PositiveSmallIntegerField(
        _("quorum denominator"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("The quorum is numerator/denominator of the full members, e.g. 2/3."),
    )
    majority_general = models.CharField(
        _("majority for general decisions"),
        max_length=12,
        choices=Majority.choices,
        default=Majority.SIMPLE,
    )
    majority_membership = models.CharField(
        _("majority for membership decisions"),
        max_length=12,
        choices=Majority.choices,
        default=Majority.TWO_THIRDS,
    )
    majority_priorities = models.CharField(
        _("majority for priorities decisions"),
        max_length=12,
        choices=Majority.choices,
        default=Majority.SIMPLE,
    )
    majority_rotation = models.CharField(
        _("majority for rotation decisions"),
        max_length=12,
        choices=Majority.choices,
        default=Majority.TWO_THIRDS,
    )
    # Which kinds may be decided between sessions, by written or silence procedure; the others
    # are reserved to a session.
    procedure_general = models.BooleanField(
        _("general decisions by written procedure"), default=True
    )
    procedure_membership = models.BooleanField(
        _("membership decisions by written procedure"),
        default=False,
        help_text=_("Admissions and other membership decisions are reserved to a session."),
    )
    procedure_priorities = models.BooleanField(
        _("priorities decisions by written procedure"), default=True
    )
    procedure_rotation = models.BooleanField(
        _("rotation decisions by written procedure"), default=True
    )
    proxies_per_holder = models.PositiveSmallIntegerField(
        _("proxies per holder"),
        default=1,
        validators=[MaxValueValidator(50)],
        help_text=_("How many absent full members one attending member may vote for; 0: none."),
    )
    proxies_count_for_quorum = models.BooleanField(
        _("proxies count toward the quorum"), default=False
    )

    class Meta:
        verbose_name = _("governance rules")
        verbose_name_plural = _("governance rules")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="governance_rules_single_row")
        ]

    def __str__(self) -> str:
        return str(_("Governance rules"))

    @classmethod
    def current(cls) -> GovernanceRules:
        rules, _created = cls.objects.get_or_create(pk=1)
        return rules

    def clean(self) -> None:
        numerator, denominator = self.quorum_numerator, self.quorum_denominator
        if numerator and denominator and numerator > denominator:
            raise ValidationError(
                {"quorum_numerator": _("The quorum cannot exceed all full members.")}
            )

    def quorum_of(self, full_members: int) -> int:
        """Full members who must be present: the fraction of them, rounded up."""
        return -(-full_members * self.quorum_numerator // self.quorum_denominator)

    def majority_for(self, kind: str) -> str:
        return getattr(self, f"majority_{kind}")

    def procedure_allowed(self, kind: str) -> bool:
        """Whether decisions of ``kind`` may be taken between sessions (written or silence
        procedure); the others are reserved to a session."""
        return bool(getattr(self, f"procedure_{kind}", False))


class MeetingKind(models.TextChoices):
    GA_ORDINARY = "ga_ordinary", _("General Assembly")
    GA_EXTRAORDINARY = "ga_extraordinary", _("Extraordinary General Assembly")
    BOARD = "board", _("Board meeting")
    WORKING_GROUP = "working_group", _("Working group")
    SECRETARIAT = "secretariat", _("Secretariat meeting")


GENERAL_ASSEMBLY_KINDS = (MeetingKind.GA_ORDINARY, MeetingKind.GA_EXTRAORDINARY)


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Unknown time zone; use an IANA name such as Asia/Almaty."))


class Meeting(models.Model):
    """A meeting of the union: a General Assembly session, a board, a working group..."""

    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    session_number = models.PositiveSmallIntegerField(
        _("session number"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("General Assembly sessions are numbered I, II, III..."),
    )
    title = models.CharField(
        _("title"), max_length=300, blank=True, validators=[validate_single_line]
    )
    starts_at = models.DateTimeField(_("starts"), validators=[validate_year])
    ends_at = models.DateTimeField(_("ends"), validators=[validate_year])
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    format = models.CharField(
        _("format"), max_length=12, choices=MeetingFormat.choices, default=MeetingFormat.IN_PERSON
    )
    venue_city = models.CharField(
        _("venue city"), max_length=120, blank=True, validators=[validate_single_line]
    )
    venue_country = CountryField(_("venue country"), blank=True)
    host = models.ForeignKey(
        Chamber,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_meetings",
        verbose_name=_("host chamber"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_published = models.BooleanField(_("minutes published"), default=False)
    minutes_published_on = models.DateField(
        _("minutes published on"), null=True, blank=True, validators=[validate_year]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = models.Manager()  # named: the type checker reads it (modeltranslation wraps it)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        # Every list of meetings is by time (the portal's pages, the API, the feeds' window):
        # at 10,000 meetings a page of the past ones sorted them all (9.5 ms; 0.9 with this).
        indexes = [models.Index(fields=["starts_at", "id"], name="meeting_starts_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("The meeting cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["kind", "session_number"],
                condition=Q(session_number__isnull=False),
                name="meeting_unique_session_number",
                violation_error_message=_("A session with this number already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A moved meeting moves its decisions in the register (:attr:`Decision.dated_at`)."""
        adding = self._state.adding
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if not adding and (update_fields is None or "starts_at" in update_fields):
            Decision.objects.filter(meeting=self).exclude(dated_at=self.starts_at).update(
                dated_at=self.starts_at
            )

    def clean(self) -> None:
        """Name the field at fault (the check constraint alone would not)."""
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("The meeting cannot end before it starts.")})
        if self.session_number and self.kind not in GENERAL_ASSEMBLY_KINDS:
            raise ValidationError(
                {"session_number": _("Only General Assembly sessions are numbered.")}
            )

    @property
    def display_title(self) -> str:
        """ "III General Assembly" for numbered sessions; otherwise the title or the kind."""
        if self.kind in GENERAL_ASSEMBLY_KINDS and self.session_number:
            numbered = _("%(number)s %(kind)s") % {
                "number": to_roman(self.session_number),
                "kind": label(self, "kind"),
            }
            return f"{numbered}: {self.title}" if self.title else str(numbered)
        return self.title or label(self, "kind")

    def local(self, value: dt.datetime) -> dt.datetime:
        """``value`` in the meeting's own time zone: the one rule for showing its times
        (admin, portal, API, e-mails and calendars say 10:00 in Almaty, never 05:00 UTC)."""
        return value.astimezone(zoneinfo.ZoneInfo(self.time_zone))

    @property
    def local_starts_at(self) -> dt.datetime:
        return self.local(self.starts_at)

    @property
    def local_ends_at(self) -> dt.datetime:
        return self.local(self.ends_at)

    @property
    def date(self) -> dt.date:
        """The meeting's first day in its own time zone (voting rights are taken on that day)."""
        return self.local_starts_at.date()

    def minutes_for(self, *, is_staff: bool) -> str:
        """The secretariat sees its working draft; members the latest published version (a
        draft is never shown to them)."""
        if is_staff:
            return self.minutes
        versions = self.minutes_versions_for(is_staff=False)
        return versions[-1].text if versions else ""

    def minutes_versions_for(self, *, is_staff: bool) -> list[MinutesVersion]:
        """The versions of the minutes the reader may see, oldest first: all for the
        secretariat, the published ones for members (from the prefetch of
        ``selectors.meeting_detail`` when there is one)."""
        versions = sorted(self.minutes_versions.all(), key=lambda version: version.number)
        return [v for v in versions if is_staff or v.is_published]

    def minutes_version_numbered(self, number: object, *, is_staff: bool) -> MinutesVersion | None:
        """Version ``number`` (an int or the text of a URL: any other text is none) if the
        reader may see it."""
        wanted = str(number)
        versions = self.minutes_versions_for(is_staff=is_staff)
        return next((version for version in versions if str(version.number) == wanted), None)

    @property
    def accepts_answers(self) -> bool:
        """Invitations are answered while the meeting is still ahead (planned or postponed)."""
        return self.status in (MeetingStatus.PLANNED, MeetingStatus.POSTPONED)

    @property
    def is_general_assembly(self) -> bool:
        return self.kind in GENERAL_ASSEMBLY_KINDS


class DocumentStorage(FileSystemStorage):
    """Documents are members-only: stored in DOCUMENTS_ROOT, outside MEDIA_ROOT, with no public
    URL, and served only by the portal's download view after a permission check. The folder
    is read from the settings at each use (tests point it elsewhere)."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property
    def base_location(self) -> Path:
        return settings.DOCUMENTS_ROOT

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)


def document_storage() -> FileSystemStorage:
    return DocumentStorage()


def document_path(instance: MeetingDocument, filename: str) -> str:
    """Stored under a generated name: the uploader's file name is kept only as data."""
    suffix = Path(filename).suffix.lower()[:10]
    return f"meetings/{instance.meeting_id}/{uuid.uuid4().hex}{suffix}"


class MeetingDocument(models.Model):
    """A file of a meeting (agenda, minutes, presentation), checked by content on upload."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="documents", verbose_name=_("meeting")
    )
    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    file = models.FileField(_("file"), upload_to=document_path, storage=document_storage)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "uploaded_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title


class RSVP(models.TextChoices):
    PENDING = "pending", _("No answer yet")
    ATTENDING = "attending", _("Attending")
    DECLINED = "declined", _("Declined")


class Invitation(models.Model):
    """A chamber invited to a meeting: its answer, its delegates, and whether it was present."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("meeting")
    )
    chamber = models.ForeignKey(
        Chamber, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("chamber")
    )
    response = models.CharField(
        _("answer"), max_length=10, choices=RSVP.choices, default=RSVP.PENDING
    )
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    delegates = models.ManyToManyField(
        Contact, blank=True, related_name="+", verbose_name=_("delegates")
    )
    present = models.BooleanField(
        _("present"), null=True, blank=True, help_text=_("Recorded by staff.")
    )
    proxy_holder = models.ForeignKey(
        Chamber,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proxy given to"),
        help_text=_("A full member that does not attend may give its vote to one that does."),
    )

    class Meta:
        ordering = ["meeting", "chamber__short_name"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "chamber"], name="invitation_unique_chamber")
        ]

    def __str__(self) -> str:
        return f"{self.chamber} @ {self.meeting}"


class Priority(models.Model):
    """An area of cooperation adopted for a period, followed through action items."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        DROPPED = "dropped", _("Dropped")

    title = models.CharField(_("title"), max_length=300, validators=[validate_single_line])
    description = models.TextField(_("description"), blank=True)
    period_start = models.DateField(_("period start"), validators=[validate_year])
    period_end = models.DateField(_("period end"), validators=[validate_year])
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    decision = models.ForeignKey(
        "Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adopted_priorities",
        verbose_name=_("adopting decision"),
    )

    objects = models.Manager()  # named: the type checker reads it (modeltranslation wraps it)

    class Meta:
        ordering = ["-period_start", "pk"]
        verbose_name = _("priority")
        verbose_name_plural = _("priorities")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="priority_period_end_after_start",
                violation_error_message=_("The period cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period cannot end before it starts.")})


class AgendaItem(models.Model):
    """One item of a meeting's agenda, in order."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("meeting")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=300, validators=[validate_single_line])
    description = models.TextField(_("description"), blank=True)
    presenter = models.ForeignKey(
        Chamber,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("presenter"),
    )
    priority = models.ForeignKey(
        Priority,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("priority"),
    )
    #: ``procedures``: the item the system keeps on a General Assembly's agenda, listing the
    #: decisions taken by written procedure since the last session. Empty for staff's items.
    source = models.CharField(_("kept by the system"), max_length=20, blank=True, editable=False)

    objects = models.Manager()  # named: the type checker reads it (modeltranslation wraps it)

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="agenda_unique_position"),
            models.UniqueConstraint(
                fields=["meeting", "source"],
                condition=~Q(source=""),
                name="agenda_one_item_per_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class DecisionKind(models.TextChoices):
    GENERAL = "general", _("General")
    MEMBERSHIP = "membership", _("Membership")
    PRIORITIES = "priorities", _("Priorities")
    ROTATION = "rotation", _("Rotation")


class DecisionMethod(models.TextChoices):
    CONSENSUS = "consensus", _("Consensus")
    VOTE = "vote", _("Vote")


class Decision(models.Model):
    """A resolution of a meeting, numbered per meeting, or one taken between sessions (by
    written or silence procedure, :class:`Procedure`), numbered per year. Its effects (a list
    of typed objects, see ``effects.py``) are applied when it is adopted; adopted decisions are
    never edited."""

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        help_text=_("Empty for a decision taken between sessions, by written procedure."),
    )
    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        help_text=_("Decisions between sessions are numbered per year."),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=12, choices=DecisionKind.choices)
    title = models.CharField(_("title"), max_length=300, validators=[validate_single_line])
    text = models.TextField(_("text"), blank=True)
    method = models.CharField(
        _("method"), max_length=10, choices=DecisionMethod.choices, default=DecisionMethod.CONSENSUS
    )
    effects = models.JSONField(_("effects"), default=list, blank=True)
    adopted_at = models.DateTimeField(
        _("adopted"), null=True, blank=True, validators=[validate_year]
    )
    published = models.BooleanField(
        _("published"), default=False, help_text=_("Published decisions are public once adopted.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    #: The instant the decision is dated by: its meeting's start, else its adoption (none for
    #: a draft between sessions). Kept by :meth:`save` and :meth:`Meeting.save`, so that the
    #: register sorts on one indexed column: sorting across the join to the meetings took
    #: 12 ms of a 35 ms page at 10,000 decisions (issue 16).
    dated_at = models.DateTimeField(null=True, editable=False)

    objects = models.Manager()  # named: the type checker reads it (modeltranslation wraps it)

    class Meta:
        # Undated ones first (drafts and open procedures: the business in hand), then by the
        # day they are dated by, latest first; a total order, so that no decision is on two
        # pages or none (the register, the API and the admin).
        ordering = [
            models.F("dated_at").desc(nulls_first=True),
            models.F("year").desc(nulls_first=True),
            "number",
            "-pk",
        ]
        # PostgreSQL's DESC puts nulls first, as the order does (SQLite refuses NULLS in an
        # index), so the register's first page is read from the index, not sorted.
        indexes = [
            models.Index(
                models.F("dated_at").desc(),
                models.F("year").desc(),
                "number",
                models.F("id").desc(),
                name="decision_register_order",
            )
        ]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="decision_unique_number"),
            models.UniqueConstraint(
                fields=["year", "number"],
                condition=Q(meeting__isnull=True),
                name="decision_unique_number_between_sessions",
            ),
            models.CheckConstraint(
                condition=Q(meeting__isnull=False) | Q(year__isnull=False),
                name="decision_meeting_or_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep :attr:`dated_at` with whatever else is saved. Whoever saves holds the
        meeting's lock (``docs/locking.md``), so a meeting moved meanwhile cannot leave an old
        date behind."""
        if self.meeting_id is None:
            self.dated_at = self.adopted_at
        else:
            assert self.meeting is not None
            self.dated_at = self.meeting.starts_at
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "dated_at" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "dated_at"]
        super().save(*args, **kwargs)

    @classmethod
    def date_all(cls) -> None:
        """Every decision's :attr:`dated_at` from its meeting and adoption, in one statement
        (after a restore: ``loaddata`` does not call :meth:`save`)."""
        starts = Meeting.objects.filter(pk=models.OuterRef("meeting_id")).values("starts_at")[:1]
        cls.objects.update(dated_at=Coalesce(models.Subquery(starts), "adopted_at"))

    @property
    def is_adopted(self) -> bool:
        return self.adopted_at is not None

    @property
    def reference(self) -> str:
        """How the decision is cited, e.g. "III General Assembly, decision 2", or "Decision
        2027/3 between sessions"."""
        if self.meeting is None:
            return str(
                _("Decision %(year)s/%(number)s between sessions")
                % {"year": self.year, "number": self.number}
            )
        return str(
            _("%(meeting)s, decision %(number)s")
            % {"meeting": self.meeting.display_title, "number": self.number}
        )

    @property
    def dated(self) -> dt.date | None:
        """The day the decision is dated by: its meeting's, else the day it was adopted."""
        if self.meeting is not None:
            return self.meeting.date
        return timezone.localdate(self.adopted_at) if self.adopted_at else None


class MinutesVersion(models.Model):
    """A saved version of a meeting's minutes, in every working language.

    The meeting's ``minutes`` is the secretariat's working draft; saving it makes a numbered
    version that is never changed afterwards. Members see published versions only. A version
    is approved by a decision of a later session (or between sessions) with an
    ``approve_minutes`` effect: it is then frozen as the record, and a correction is a new
    version approved the same way. The history of versions is kept and shown."""

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="minutes_versions",
        verbose_name=_("meeting"),
    )
    number = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(_("text"), blank=True)
    note = models.CharField(
        _("note"),
        max_length=300,
        blank=True,
        validators=[validate_single_line],
        help_text=_("What this version changes."),
    )
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saved by"),
    )
    saved_at = models.DateTimeField(_("saved"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    approved_by = models.ForeignKey(
        "Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_minutes",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    objects = models.Manager()  # named: the type checker reads it (modeltranslation wraps it)

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = _("version of the minutes")
        verbose_name_plural = _("versions of the minutes")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"], name="minutes_version_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True)
                | Q(approved_at__isnull=False, published_at__isnull=False),
                name="minutes_version_approved_is_published",
            ),
        ]

    def __str__(self) -> str:
        return str(
            _("%(meeting)s, minutes version %(number)s")
            % {"meeting": self.meeting.display_title, "number": self.number}
        )

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_approved(self) -> bool:
        return self.approved_by_id is not None

    @property
    def state(self) -> str:
        """``approved``, ``published`` (for approval) or ``draft`` (the secretariat's only)."""
        if self.is_approved:
            return "approved"
        return "published" if self.is_published else "draft"


class VoteChoice(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstain")


class Vote(models.Model):
    """One chamber's vote on a decision: at most one, enforced by the database."""

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="votes", verbose_name=_("decision")
    )
    chamber = models.ForeignKey(
        Chamber, on_delete=models.PROTECT, related_name="+", verbose_name=_("chamber")
    )
    vote = models.CharField(_("vote"), max_length=8, choices=VoteChoice.choices)
    proxy_holder = models.ForeignKey(
        Chamber,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cast by proxy holder"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        # By the column, not by "decision": that would join the decisions to sort by their
        # order, and a page's prefetch of votes became a parallel plan (7 ms for none).
        ordering = ["decision_id", "chamber__short_name"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "chamber"],
                name="vote_one_per_chamber",
                violation_error_message=_("This chamber's vote is already recorded."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.chamber}: {self.get_vote_display()}"


class ProcedureMode(models.TextChoices):
    VOTE = "vote", _("Written procedure (vote)")
    SILENCE = "silence", _("Silence procedure")


class ProcedureState(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Procedure(models.Model):
    """A draft decision put to the full members in writing, between sessions.

    The voters are the chambers that were full members on the opening day, recorded here.
    It closes once (``services.procedures.procedure_close``), at its deadline or early when
    every voter answered; ``outcome`` keeps the count as it was then (the reasons are worded
    from it in the reader's language)."""

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="procedures", verbose_name=_("decision")
    )
    mode = models.CharField(_("mode"), max_length=8, choices=ProcedureMode.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=ProcedureState.choices, default=ProcedureState.OPEN
    )
    letter = models.TextField(
        _("letter"), blank=True, help_text=_("Sent to each voting chamber with the draft.")
    )
    opened_at = models.DateTimeField(_("opened"), validators=[validate_year])
    opened_on = models.DateField(_("opening day"), help_text=_("Voters are taken on this day."))
    closes_at = models.DateTimeField(_("deadline"), validators=[validate_year])
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_("An IANA name, such as Asia/Almaty or Europe/Istanbul."),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    voters = models.ManyToManyField(Chamber, related_name="+", verbose_name=_("voters"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when it closed by itself at the deadline."),
    )
    adopted = models.BooleanField(_("adopted"), null=True, blank=True)
    outcome = models.JSONField(_("outcome"), default=dict, blank=True)
    refusal = models.TextField(
        _("effects refused"),
        blank=True,
        help_text=_("Why the effects could not be applied, when the vote adopted the decision."),
    )

    objects = models.Manager()  # named: the type checker reads it (modeltranslation wraps it)

    class Meta:
        ordering = ["-closes_at", "-pk"]
        verbose_name = _("written procedure")
        verbose_name_plural = _("written procedures")
        constraints = [
            models.UniqueConstraint(
                fields=["decision"],
                condition=Q(state="open"),
                name="procedure_one_open_per_decision",
                violation_error_message=_("This decision is already under written procedure."),
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opened_at")),
                name="procedure_closes_after_opening",
            ),
        ]
        indexes = [models.Index(fields=["state", "closes_at"], name="procedure_state_deadline")]

    def __str__(self) -> str:
        return f"{self.get_mode_display()}: {self.decision.title}"

    @property
    def is_open(self) -> bool:
        return self.state == ProcedureState.OPEN

    @property
    def local_closes_at(self) -> dt.datetime:
        """The deadline in the zone it was set in (18:00 in Astana, whatever the server's)."""
        return self.closes_at.astimezone(zoneinfo.ZoneInfo(self.time_zone))

    def takes_answers(self, now: dt.datetime | None = None) -> bool:
        """Open and before its deadline: an answer after it is never counted."""
        return self.is_open and (now or timezone.now()) < self.closes_at


class BallotAnswer(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstain")
    OBJECTION = "objection", _("Objection")
    NO_OBJECTION = "no_objection", _("No objection")


#: The answers each mode takes.
MODE_ANSWERS = {
    ProcedureMode.VOTE: (BallotAnswer.FOR, BallotAnswer.AGAINST, BallotAnswer.ABSTAIN),
    ProcedureMode.SILENCE: (BallotAnswer.OBJECTION, BallotAnswer.NO_OBJECTION),
}


class Ballot(models.Model):
    """A voting chamber's answer to a procedure: one per chamber (the database says so), changed
    until the deadline; every version is kept in :class:`BallotChange`."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="ballots", verbose_name=_("procedure")
    )
    chamber = models.ForeignKey(
        Chamber, on_delete=models.PROTECT, related_name="+", verbose_name=_("chamber")
    )
    answer = models.CharField(_("answer"), max_length=12, choices=BallotAnswer.choices)
    reason = models.TextField(_("reason"), blank=True)
    received_on = models.DateField(
        _("received on paper"),
        null=True,
        blank=True,
        validators=[validate_year],
        help_text=_("Recorded by the secretariat from a letter received on this day."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        ordering = ["procedure", "chamber__short_name"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "chamber"],
                name="ballot_one_per_chamber",
                violation_error_message=_("This chamber has already answered."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.chamber}: {self.get_answer_display()}"


class BallotChange(models.Model):
    """One version of a chamber's answer, as it was given: the first and every change."""

    ballot = models.ForeignKey(
        Ballot, on_delete=models.CASCADE, related_name="history", verbose_name=_("answer")
    )
    answer = models.CharField(_("answer"), max_length=12, choices=BallotAnswer.choices)
    reason = models.TextField(_("reason"), blank=True)
    received_on = models.DateField(_("received on paper"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        ordering = ["ballot", "recorded_at", "pk"]
        verbose_name = _("change of an answer")
        verbose_name_plural = _("changes of answers")

    def __str__(self) -> str:
        return f"{self.ballot.chamber}: {self.get_answer_display()} ({self.recorded_at:%Y-%m-%d})"


def overdue_q(on: dt.date) -> Q:
    """The one definition of an overdue action item, as a filter: still to do (open or in
    progress) and due before ``on`` (today in ``settings.TIME_ZONE``: ``timezone.localdate()``).
    :attr:`ActionItem.is_overdue` says the same of one row."""
    return Q(status__in=ActionItem.PENDING_STATUSES, due__lt=on)


class ActionItemQuerySet(models.QuerySet["ActionItem"]):
    def overdue(self, *, on: dt.date | None = None) -> ActionItemQuerySet:
        """The items overdue on ``on`` (default: today), see :func:`overdue_q`."""
        return self.filter(overdue_q(on or timezone.localdate()))


class ActionItem(models.Model):
    """A task under a priority, owned by one chamber, followed by dated progress notes."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    priority = models.ForeignKey(
        Priority, on_delete=models.CASCADE, related_name="action_items", verbose_name=_("priority")
    )
    title = models.CharField(_("title"), max_length=300, validators=[validate_single_line])
    responsible = models.ForeignKey(
        Chamber,
        on_delete=models.PROTECT,
        related_name="action_items",
        verbose_name=_("responsible chamber"),
    )
    due = models.DateField(_("due date"), null=True, blank=True, validators=[validate_year])
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )

    objects = models.Manager.from_queryset(ActionItemQuerySet)()

    #: Still to do: an item in one of these states is overdue once its due date has passed.
    PENDING_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    class Meta:
        ordering = ["priority", "due", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="action_item_progress_at_most_100"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        """Whether the item is overdue today: :func:`overdue_q`, for one row in Python."""
        today = timezone.localdate()
        return self.status in self.PENDING_STATUSES and self.due is not None and self.due < today


class ProgressNote(models.Model):
    """A dated report on an action item, by staff or the responsible chamber."""

    action_item = models.ForeignKey(
        ActionItem, on_delete=models.CASCADE, related_name="notes", verbose_name=_("action item")
    )
    date = models.DateField(_("date"), validators=[validate_year])
    text = models.TextField(_("text"))
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MaxValueValidator(100)]
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_label = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["action_item", "-date", "-pk"]
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")

    def __str__(self) -> str:
        return f"{self.date}: {self.text[:40]}"
