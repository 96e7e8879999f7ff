"""A portal user's secret address of a personal iCalendar feed (meetings and chairmanship)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CalendarSubscriptionQuerySet(models.QuerySet["CalendarSubscription"]):
    def active(self) -> CalendarSubscriptionQuerySet:
        return self.filter(revoked_at__isnull=True)


class CalendarSubscription(models.Model):
    """A user's secret calendar address. Only the SHA-256 of its key is stored: the key is shown
    once, when issued. A user has at most one active subscription (issuing a new one revokes the
    old); revoked rows stay on record. The feed shows what the user may see at each fetch."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_subscriptions",
        verbose_name=_("user"),
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("key prefix"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    objects = CalendarSubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("calendar subscription")
        verbose_name_plural = _("calendar subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="calendar_subscription_one_active_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
