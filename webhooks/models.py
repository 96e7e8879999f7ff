"""Webhooks: the systems that subscribe to the union's events, and the log of what was sent.

A :class:`Delivery` is one event for one subscriber; its body is fixed when it is made, so every
attempt (and a resend from the admin) carries the same bytes, the same event id and therefore a
signature the receiver can check and an id it can use to ignore a duplicate. Each HTTP attempt
leaves exactly one :class:`Attempt` row: the log says what the receiver answered, and when.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    DECISION_ADOPTED = "decision.adopted", _("Decision adopted")
    TERM_APPROVED = "term.approved", _("Chairmanship term approved")
    MEMBERSHIP_CHANGED = "membership.changed", _("Membership changed")
    MEETING_CREATED = "meeting.created", _("Meeting created")
    MEETING_UPDATED = "meeting.updated", _("Meeting updated")
    PROCEDURE_OPENED = "procedure.opened", _("Written procedure opened")
    PROCEDURE_CLOSED = "procedure.closed", _("Written procedure closed or withdrawn")
    INDICATOR_REVISED = "indicator.revised", _("Indicator value recorded or revised")


def validate_events(value: object) -> None:
    """A subscriber's events: a non-empty list of known event types (stored as JSON, so the
    database cannot check it)."""
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Choose at least one event."), code="required")
    unknown = [v for v in value if v not in EventType.values]
    if unknown:
        raise ValidationError(
            _("Unknown event type: %(event)s."), code="invalid", params={"event": unknown[0]}
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("An event is listed twice."), code="invalid")


class Subscriber(models.Model):
    """A system that receives the union's events by HTTP POST, signed with its secret.

    Staff register it; the address is checked when it is saved and again before each send
    (see :mod:`webhooks.services`), since a host name may later point somewhere else.
    """

    name = models.CharField(_("name"), max_length=120)
    url = models.URLField(
        _("URL"),
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("Where events are POSTed: an http:// or https:// address of the receiver."),
    )
    secret = models.CharField(
        _("secret"),
        max_length=200,
        blank=True,
        help_text=_(
            "Signs every delivery (HMAC-SHA256); the receiver keeps a copy to check it. "
            "Leave blank to have one generated."
        ),
    )
    events = models.JSONField(
        _("events"),
        default=list,
        validators=[validate_events],
        help_text=_("The event types sent to this subscriber."),
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive subscribers receive nothing new.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("webhook subscriber")
        verbose_name_plural = _("webhook subscribers")

    def __str__(self) -> str:
        return self.name


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """One event to one subscriber, with the exact body that is signed and sent.

    ``event_id`` is the event's id, shared by the deliveries of one event to several
    subscribers and sent in ``X-Union-Delivery``: a receiver that gets it twice (a resend, a
    retry after a lost answer) can tell. ``status`` moves pending → delivered, or pending →
    failed once the retries are spent; a resend makes it pending again.
    """

    subscriber = models.ForeignKey(
        Subscriber,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("subscriber"),
    )
    event = models.CharField(_("event"), max_length=40, choices=EventType.choices)
    event_id = models.UUIDField(_("event id"), help_text=_("Sent as X-Union-Delivery."))
    payload = models.JSONField(_("payload"))
    body = models.TextField(
        _("body"), help_text=_("The JSON exactly as sent and signed, the same on every attempt.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    queued_at = models.DateTimeField(
        _("queued"),
        null=True,
        blank=True,
        help_text=_("When its send was last handed to the task queue."),
    )
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "event_id"], name="webhook_delivery_once_per_subscriber"
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="webhook_delivery_status")]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscriber} ({self.event_id})"


class Attempt(models.Model):
    """One HTTP POST of a delivery and what came of it: exactly one row per attempt, numbered
    from 1 (the unique constraint makes a second row with the same number impossible).

    The row is written (and committed) before the POST and completed after it, so an attempt
    whose worker was killed mid-request is in the log too: ``finished_at`` empty until the
    next attempt closes it as interrupted."""

    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("delivery")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    started_at = models.DateTimeField(_("started"))
    duration_ms = models.PositiveIntegerField(
        _("duration (ms)"), null=True, blank=True, help_text=_("Empty while it is under way.")
    )
    finished_at = models.DateTimeField(
        _("finished"),
        null=True,
        blank=True,
        help_text=_("Empty while under way; an interrupted attempt is closed with the reason."),
    )
    status_code = models.PositiveSmallIntegerField(
        _("response status"),
        null=True,
        blank=True,
        help_text=_("The receiver's HTTP status; empty when no answer came."),
    )
    error = models.TextField(_("error"), blank=True)
    success = models.BooleanField(_("success"), default=False)

    class Meta:
        ordering = ["delivery", "number"]
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="webhook_attempt_once")
        ]

    def __str__(self) -> str:
        return f"#{self.number}: {self.status_code or self.error[:60]}"
