"""The rotation of the chairmanship: the order the General Assembly agreed, the terms it
approved, and the settings that cut time into terms. Who chairs in future is not stored: it is
forecast from these (``forecast.py``)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chambers.models import Chamber, Contact
from core.bounds import validate_year


class OrderKind(models.TextChoices):
    AGREED = "agreed", _("An agreed list")
    ALPHABETICAL = "alphabetical", _("Alphabetical by English country name")
    ACCESSION = "accession", _("By date of accession")


class Rotation(models.Model):
    """The union's one rotation (pk 1): term length and start, and how its order was made."""

    term_months = models.PositiveSmallIntegerField(
        _("term length (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    start_month = models.PositiveSmallIntegerField(
        _("terms start in month"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    start_day = models.PositiveSmallIntegerField(
        _("terms start on day"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("1 to 28, so that every month has the day."),
    )
    anchor_year = models.PositiveSmallIntegerField(
        _("a year in which a term starts"),
        default=2000,
        validators=[MinValueValidator(1900), MaxValueValidator(2200)],
        help_text=_("Fixes the phase of terms longer than a year (e.g. 2025 for 2025-2026)."),
    )
    order_kind = models.CharField(
        _("order"), max_length=12, choices=OrderKind.choices, default=OrderKind.AGREED
    )
    order_decision = models.ForeignKey(
        "meetings.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decision that set the order"),
    )
    #: A new random value with every write to the rotation and every change of membership
    #: (:func:`rotation.guards.lock_rotation` sets it): the forecast read outside a transaction
    #: is kept per revision (``services.rotation_forecast``). Random, not a counter, so the
    #: value of a write that rolled back never comes back to name other data.
    revision = models.UUIDField(_("revision"), default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = _("rotation")
        verbose_name_plural = _("rotation")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="rotation_single_row")]

    def __str__(self) -> str:
        return str(_("Rotation of the chairmanship"))

    @classmethod
    def current(cls) -> Rotation:
        rotation, _created = cls.objects.get_or_create(pk=1)
        return rotation

    # Terms tile time: a term starts every term_months months, counted from the start month of
    # the anchor year.
    def _month_index(self, day: dt.date) -> int:
        return day.year * 12 + day.month - 1

    def _boundary(self, month_index: int) -> dt.date:
        return dt.date(month_index // 12, month_index % 12 + 1, self.start_day)

    def slot_start(self, day: dt.date) -> dt.date:
        """The first day of the term that contains ``day``."""
        index = self._month_index(day)
        if day.day < self.start_day:
            index -= 1
        anchor = self.anchor_year * 12 + self.start_month - 1
        offset = (index - anchor) % self.term_months
        return self._boundary(index - offset)

    def next_start(self, start: dt.date) -> dt.date:
        return self._boundary(self._month_index(start) + self.term_months)

    def slot_end(self, start: dt.date) -> dt.date:
        return self.next_start(start) - dt.timedelta(days=1)


class RotationPlace(models.Model):
    """One chamber's place in the order."""

    rotation = models.ForeignKey(
        Rotation, on_delete=models.CASCADE, related_name="places", verbose_name=_("rotation")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    chamber = models.ForeignKey(
        Chamber, on_delete=models.PROTECT, related_name="+", verbose_name=_("chamber")
    )

    class Meta:
        ordering = ["rotation", "position"]
        verbose_name = _("place in the order")
        verbose_name_plural = _("order")
        constraints = [
            models.UniqueConstraint(
                fields=["rotation", "position"], name="rotation_place_unique_position"
            ),
            models.UniqueConstraint(
                fields=["rotation", "chamber"], name="rotation_place_unique_chamber"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.chamber}"


class TermState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    WAIVED = "waived", _("Waived")
    CANCELLED = "cancelled", _("Cancelled")


class Term(models.Model):
    """A chamber's chairmanship for a period. Approved terms never overlap (PostgreSQL refuses
    it with an exclusion constraint, migration 0002; the services check it on any database).
    A ``waived`` term records a chamber declining its turn; a ``proposed`` one a turn agreed by a
    swap but not yet approved. ``in_place_of`` is whose turn in the order this term uses."""

    rotation = models.ForeignKey(
        Rotation, on_delete=models.CASCADE, related_name="terms", verbose_name=_("rotation")
    )
    chamber = models.ForeignKey(
        Chamber, on_delete=models.PROTECT, related_name="terms", verbose_name=_("chamber")
    )
    in_place_of = models.ForeignKey(
        Chamber,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("turn of"),
    )
    start = models.DateField(_("start"), validators=[validate_year])
    end = models.DateField(_("end"), validators=[validate_year])
    state = models.CharField(_("state"), max_length=10, choices=TermState.choices)
    president = models.ForeignKey(
        Contact,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="presidencies",
        verbose_name=_("President"),
    )
    decision = models.ForeignKey(
        "meetings.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="terms",
        verbose_name=_("decision"),
    )
    handover_date = models.DateField(
        _("handover date"), null=True, blank=True, validators=[validate_year]
    )
    handover_meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handovers",
        verbose_name=_("handover meeting"),
    )

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")),
                name="term_end_after_start",
                violation_error_message=_("A term cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.chamber} {self.start:%Y-%m-%d}–{self.end:%Y-%m-%d}"

    @property
    def phase(self) -> str:
        today = timezone.localdate()
        if self.end < today:
            return "past"
        if self.start <= today:
            return "current"
        return "upcoming"
