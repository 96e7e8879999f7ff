"""Member chambers of the union and who speaks for them.

A chamber's membership is a history of periods: "status on date D" is a query over
:class:`MembershipPeriod`, so nothing drifts when a date passes. Today's status is also kept
on the chamber (``current_status``), trusted only on the day :class:`StatusesAsOf` names.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from django_otp.models import Device

from core.bounds import validate_single_line, validate_year

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise, WithAnnotations


class MembershipStatus(models.TextChoices):
    """What a membership period grants. ``former`` is not stored: it is the absence of a period."""

    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")
    SUSPENDED = "suspended", _("Suspended")


FORMER = "former"
STATUS_LABELS: dict[str, StrOrPromise] = {
    **dict(MembershipStatus.choices),
    FORMER: _("Former member"),
}
#: Today's status of a chamber as the API reports it, ``former`` included.
STATUS_CHOICES = list(STATUS_LABELS.items())


def status_expression(chamber_ref: str, on: dt.date) -> models.Expression:
    """An annotation: the status on ``on`` of the chamber that ``chamber_ref`` (a field of the
    outer query, e.g. ``"pk"`` or ``"chamber"``) names, ``former`` when no period covers it.

    Every "status on a date" in a query is this expression; in memory it is
    :class:`MembershipTimeline`. Today's status is the chamber's stored ``current_status``
    while :class:`StatusesAsOf` says the stored statuses are today's (kept by the services
    that change periods, renewed each night by ``chambers.tasks.refresh_statuses``); on any
    other day, or before tonight's renewal has run, one subquery per row over the periods. So
    a list of any length costs one query either way, and the stored column only ever makes a
    status faster, never different (``tests/chambers/test_current_status.py``)."""
    derived = derived_status(chamber_ref, on)
    if on != timezone.localdate():
        return derived
    stored = "current_status" if chamber_ref == "pk" else f"{chamber_ref}__current_status"
    # When the stored statuses are today's, the database reads the column and never runs the
    # ELSE branch's subquery (CASE evaluates lazily); any other day, the periods decide.
    return models.Case(
        models.When(models.Exists(StatusesAsOf.objects.filter(day=on)), then=models.F(stored)),
        default=derived,
        output_field=models.CharField(),
    )


def derived_status(chamber_ref: str, on: dt.date) -> models.Func:
    """The status on ``on`` as the periods say it, one subquery per row: what
    ``Chamber.current_status`` keeps for today, and every other day's status."""
    current = MembershipPeriod.objects.filter(chamber=models.OuterRef(chamber_ref)).covering(on)
    return Coalesce(models.Subquery(current.values("status")[:1]), models.Value(FORMER))


class StatusAnnotations(TypedDict):
    """What :meth:`ChamberQuerySet.with_status` adds to each chamber."""

    status: str
    member_since: dt.date | None


class ChamberQuerySet(models.QuerySet["Chamber"]):
    def with_status(self, on: dt.date | None = None) -> models.QuerySet[ChamberWithStatus]:
        """Annotate ``status`` (on the date, default today) and ``member_since``.

        Both are subqueries, so a list of any length costs one query.
        """
        on = on or timezone.localdate()
        first_member = MembershipPeriod.objects.filter(
            chamber=models.OuterRef("pk"), status=MembershipStatus.MEMBER, start__lte=on
        ).order_by("start")
        annotated = self.annotate(
            status=status_expression("pk", on),
            member_since=models.Case(
                models.When(status=FORMER, then=models.Value(None)),
                default=models.Subquery(first_member.values("start")[:1]),
                output_field=models.DateField(),
            ),
        )
        # The plugin types the annotations as Any (and keeps this class's own model type).
        return cast("models.QuerySet[ChamberWithStatus]", annotated)

    def with_status_in(
        self, statuses: list[str], on: dt.date | None = None
    ) -> models.QuerySet[ChamberWithStatus]:
        # The plugin checks a lookup on an annotation against the annotation's type, so
        # ``__in`` with a list is refused (a django-stubs limitation; Django accepts it).
        return self.with_status(on).filter(status__in=statuses)  # type: ignore[misc]


LOGO_MAX_BYTES = 2 * 1024 * 1024


def validate_logo_size(file: File) -> None:
    """Logos are shown on every chamber page: keep them small."""
    if file.size > LOGO_MAX_BYTES:
        raise ValidationError(_("The logo may be at most 2 MB."), code="too_large")


class Chamber(models.Model):
    """A national chamber of commerce that is, was or will be part of the union.

    ``name`` is the official name; django-modeltranslation adds ``name_en``, ``name_ru``,
    ``name_kk`` and ``name_tr`` (see ``translation.py``).
    """

    name = models.CharField(_("official name"), max_length=300, validators=[validate_single_line])
    short_name = models.CharField(_("short name"), max_length=80, validators=[validate_single_line])
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    country = CountryField(_("country"))
    city = models.CharField(
        _("city"), max_length=120, blank=True, validators=[validate_single_line]
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    logo = models.ImageField(
        _("logo"), upload_to="logos/", blank=True, validators=[validate_logo_size]
    )
    founded = models.DateField(
        _("founding date"), null=True, blank=True, validators=[validate_year]
    )
    #: Today's status, derived from the periods and stored so that a list of 12,000 chambers
    #: filters and counts by a column: written only by ``chambers.services.current_status_keep``
    #: (the services that change periods, under the chamber's lock) and the nightly
    #: ``current_statuses_refresh``; read only through :func:`status_expression`, which trusts
    #: it on the day :class:`StatusesAsOf` names. Never written by a save of the chamber.
    current_status = models.CharField(
        _("status today"), max_length=20, choices=STATUS_CHOICES, default=FORMER, editable=False
    )

    objects = models.Manager.from_queryset(ChamberQuerySet)()

    class Meta:
        ordering = ["short_name"]
        verbose_name = _("chamber")
        verbose_name_plural = _("chambers")
        indexes = [
            models.Index(fields=["current_status", "country"], name="chamber_status_country")
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """An update writes every column but ``current_status``: an instance read before a
        change of periods (or before the night's renewal) would otherwise write back the status
        it was read with."""
        if (
            not self._state.adding
            and kwargs.get("update_fields") is None
            and not kwargs.get("force_insert")
        ):
            kwargs["update_fields"] = [
                f.attname
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "current_status"
            ]
        super().save(*args, **kwargs)

    def status_on(self, on: dt.date | None = None) -> str:
        """The membership status on a date (default today): a stored status or ``former``."""
        return MembershipPeriod.objects.status_of(self.pk, on or timezone.localdate())


class StatusesAsOf(models.Model):
    """One row: the day for which every chamber's ``current_status`` was last computed from the
    periods (``chambers.services.current_statuses_refresh``). No row, or another day, and
    :func:`status_expression` derives today's status from the periods instead."""

    day = models.DateField()

    class Meta:
        verbose_name = _("statuses as of")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="statuses_as_of_one_row")]

    def __str__(self) -> str:
        return self.day.isoformat()


if TYPE_CHECKING:
    #: A chamber of :meth:`ChamberQuerySet.with_status` (``chamber.status``, ``member_since``).
    ChamberWithStatus: TypeAlias = WithAnnotations[Chamber, StatusAnnotations]


class MembershipTimeline:
    """The status of chambers on any day, answered in memory from one query of their periods
    (the rotation's forecast asks it for every chamber and term; the reminders and webhooks for
    many chambers at once). Built by :meth:`MembershipPeriodQuerySet.timeline`."""

    def __init__(
        self,
        rows: Iterable[tuple[int, dt.date, dt.date | None, str]],
        load: Callable[[int], Iterable[tuple[int, dt.date, dt.date | None, str]]] | None = None,
    ) -> None:
        self._periods: dict[int, list[tuple[dt.date, dt.date | None, str]]] = {}
        #: With ``load``, the periods are read when a chamber is first asked about: ``load``
        #: returns those of a block of chambers around it (:meth:`timeline_in_blocks`).
        self._load = load
        self._loaded: set[int] = set()
        self._add(rows)

    def _add(self, rows: Iterable[tuple[int, dt.date, dt.date | None, str]]) -> None:
        for chamber_id, start, end, status in rows:
            self._periods.setdefault(chamber_id, []).append((start, end, status))

    def loaded(self, chamber_ids: Iterable[int]) -> None:
        """Mark chambers as read (those without periods are former members)."""
        self._loaded.update(chamber_ids)

    def status_on(self, chamber_id: int, day: dt.date) -> str:
        """The chamber's status on ``day``: a stored status, or ``former``."""
        if self._load is not None and chamber_id not in self._loaded:
            self._add(self._load(chamber_id))
        for start, end, status in self._periods.get(chamber_id, []):
            if start <= day and (end is None or end >= day):
                return status
        return FORMER

    def chambers_with(self, statuses: Iterable[str], day: dt.date) -> list[int]:
        """The ids of the chambers whose status on ``day`` is one of ``statuses``, sorted."""
        wanted = set(statuses)
        return sorted(cid for cid in self._periods if self.status_on(cid, day) in wanted)


#: Chambers of the rotation's order whose periods ``timeline_in_blocks`` reads at a time: more
#: than a forecast of a century walks in most unions, few enough to read in milliseconds.
TIMELINE_BLOCK = 500


class MembershipPeriodQuerySet(models.QuerySet["MembershipPeriod"]):
    def covering(self, on: dt.date) -> MembershipPeriodQuerySet:
        """Periods in force on a date (start and end are both inclusive)."""
        return self.filter(Q(end__isnull=True) | Q(end__gte=on), start__lte=on)

    def overlapping(self, start: dt.date, end: dt.date | None) -> MembershipPeriodQuerySet:
        """Periods sharing at least one day with [start, end] (end None means open-ended)."""
        qs = self.filter(Q(end__isnull=True) | Q(end__gte=start))
        if end is not None:
            qs = qs.filter(start__lte=end)
        return qs

    def status_of(self, chamber_id: int, on: dt.date) -> str:
        """One chamber's status on a date: a stored status or ``former`` (one query)."""
        status = self.filter(chamber_id=chamber_id).covering(on).values_list("status", flat=True)
        return status.first() or FORMER

    def chamber_ids_with(self, statuses: Iterable[str], on: dt.date) -> list[int]:
        """The chambers whose status on ``on`` is one of ``statuses`` (one query)."""
        return sorted(
            self.covering(on).filter(status__in=list(statuses)).values_list("chamber_id", flat=True)
        )

    def timeline(
        self, *, chamber_ids: Iterable[int] | None = None, since: dt.date | None = None
    ) -> MembershipTimeline:
        """The periods (of ``chamber_ids``, ending on or after ``since``) as a timeline to ask
        in memory; one query."""
        qs = self
        if chamber_ids is not None:
            qs = qs.filter(chamber_id__in=list(chamber_ids))
        if since is not None:
            qs = qs.filter(Q(end__isnull=True) | Q(end__gte=since))
        return MembershipTimeline(qs.values_list("chamber_id", "start", "end", "status"))

    def timeline_in_blocks(
        self, *, order: Sequence[int], since: dt.date | None = None
    ) -> MembershipTimeline:
        """A timeline of the chambers of ``order`` (and any other asked about) that reads their
        periods a block of the order at a time, from the first chamber asked about on: the
        rotation's forecast walks the order from one place, so at 12,000 chambers it reads a
        few hundred of them, not all (one query for an order of up to ``TIMELINE_BLOCK``)."""
        block = TIMELINE_BLOCK
        position = {chamber_id: index for index, chamber_id in enumerate(order)}
        qs = self if since is None else self.filter(Q(end__isnull=True) | Q(end__gte=since))

        def load(chamber_id: int) -> Iterable[tuple[int, dt.date, dt.date | None, str]]:
            index = position.get(chamber_id)
            if index is None:
                ids = [chamber_id]
            else:  # this place and the next ones, round the end of the order
                ids = [order[(index + step) % len(order)] for step in range(min(block, len(order)))]
            timeline.loaded(ids)
            return list(
                qs.filter(chamber_id__in=ids).values_list("chamber_id", "start", "end", "status")
            )

        timeline = MembershipTimeline([], load=load)
        return timeline


class MembershipPeriod(models.Model):
    """One stretch of a chamber's membership with a single status.

    Periods of one chamber never overlap: the services check it on every database, and on
    PostgreSQL an exclusion constraint (migration 0002) refuses it even for a direct insert.
    """

    chamber = models.ForeignKey(
        Chamber, on_delete=models.CASCADE, related_name="periods", verbose_name=_("chamber")
    )
    status = models.CharField(_("status"), max_length=20, choices=MembershipStatus.choices)
    start = models.DateField(_("start"), validators=[validate_year])
    end = models.DateField(
        _("end"),
        null=True,
        blank=True,
        validators=[validate_year],
        help_text=_("Last day; empty if open."),
    )
    basis = models.CharField(
        _("basis"),
        max_length=500,
        blank=True,
        validators=[validate_single_line],
        help_text=_("The decision or document this period rests on."),
    )
    decision = models.ForeignKey(
        "meetings.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="membership_periods",
        verbose_name=_("decision"),
        help_text=_("The General Assembly decision that started this period."),
    )

    objects = models.Manager.from_queryset(MembershipPeriodQuerySet)()

    class Meta:
        ordering = ["chamber", "start"]
        verbose_name = _("membership period")
        verbose_name_plural = _("membership periods")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="membership_period_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.chamber}: {self.get_status_display()} {self.start}–{self.end or '…'}"


class ContactRole(models.TextChoices):
    HEAD = "head", _("Head of chamber")
    FOCAL_POINT = "focal_point", _("Focal point")
    DELEGATE = "delegate", _("Delegate")


class Contact(models.Model):
    """A representative of a chamber: its head, its focal point for the union, its delegates."""

    chamber = models.ForeignKey(
        Chamber, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("chamber")
    )
    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    position = models.CharField(
        _("position"), max_length=300, blank=True, validators=[validate_single_line]
    )
    is_head = models.BooleanField(_("head of chamber"), default=False)
    is_focal_point = models.BooleanField(_("focal point"), default=False)
    is_delegate = models.BooleanField(_("delegate"), default=False)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    active = models.BooleanField(_("active"), default=True)

    objects = models.Manager()  # named: the type checker reads it (modeltranslation wraps it)

    class Meta:
        ordering = ["chamber", "-is_head", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name

    ROLE_FIELDS = {
        ContactRole.HEAD: "is_head",
        ContactRole.FOCAL_POINT: "is_focal_point",
        ContactRole.DELEGATE: "is_delegate",
    }

    @property
    def roles(self) -> list[str]:
        return [str(role) for role, field in self.ROLE_FIELDS.items() if getattr(self, field)]


class MemberRole(models.TextChoices):
    VIEWER = "viewer", _("Viewer")
    EDITOR = "editor", _("Editor")


class MemberLogin(models.Model):
    """Ties a user account to the one chamber it belongs to, as viewer or editor.

    Staff users (the secretariat) need no row: ``is_staff`` makes them secretariat.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="member_login",
        verbose_name=_("user"),
    )
    chamber = models.ForeignKey(
        Chamber, on_delete=models.CASCADE, related_name="logins", verbose_name=_("chamber")
    )
    role = models.CharField(_("role"), max_length=10, choices=MemberRole.choices)

    class Meta:
        verbose_name = _("member login")
        verbose_name_plural = _("member logins")

    def __str__(self) -> str:
        return f"{self.user} ({self.chamber}, {self.get_role_display()})"


class UserProfile(models.Model):
    """What a person using the portal prefers: the language of the e-mails sent to them.

    Every user may have one, staff included; a user without one gets the site's language.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("user"),
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("E-mails and reminders are sent in this language."),
    )

    class Meta:
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")

    def __str__(self) -> str:
        return str(self.user)


class TokenScope(models.TextChoices):
    READ = "read", _("Read")
    WRITE = "write", _("Write")


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A key for an integration. Only the SHA-256 of the key is stored; the key is shown once.

    A token with a chamber acts as that chamber's viewer (read) or editor (write); one without
    acts for the secretariat: it reads everything (read) or acts as staff (write).
    """

    name = models.CharField(_("name"), max_length=120, validators=[validate_single_line])
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("key prefix"), max_length=8, editable=False)
    scope = models.CharField(_("scope"), max_length=5, choices=TokenScope.choices)
    chamber = models.ForeignKey(
        Chamber,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tokens",
        verbose_name=_("chamber"),
        help_text=_("Empty for a secretariat token."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class Passkey(Device):
    """A WebAuthn credential of a login (a passkey, or a security key): a second factor proved
    by signing the server's challenge in the browser, never by a typed code.

    A django-otp device, so a session that gave it is verified like one that gave an app's code
    (``django_otp.login``); :meth:`verify_token` is never true (codes go to the other devices).
    ``credential_data`` is python-fido2's ``AttestedCredentialData`` (id and public key);
    ``sign_count`` the authenticator's counter, which must grow (a clone repeats it).
    """

    # Annotated: django-otp's Device is untyped, which hides the fields from the stubs' plugin.
    credential_id: models.BinaryField[bytes, bytes] = models.BinaryField(
        _("credential id"), max_length=1023, unique=True
    )
    credential_data: models.BinaryField[bytes, bytes] = models.BinaryField(_("public key"))
    sign_count: models.PositiveBigIntegerField[int, int] = models.PositiveBigIntegerField(
        _("signature counter"), default=0
    )
    created_at: models.DateTimeField[dt.datetime, dt.datetime] = models.DateTimeField(
        _("added"), auto_now_add=True
    )
    last_used_at: models.DateTimeField[dt.datetime | None, dt.datetime | None] = (
        models.DateTimeField(_("last used"), null=True, blank=True)
    )

    class Meta(Device.Meta):
        verbose_name = _("passkey")
        verbose_name_plural = _("passkeys")
        ordering = ["created_at", "pk"]

    def verify_token(self, token: object) -> bool:
        return False
