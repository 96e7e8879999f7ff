"""Writes of calendar subscriptions: issue (revoking the user's previous one), revoke, and the
feed's look-up of a key, which records when the address was last used."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import Access
from core.errors import ConflictError, ForbiddenError

from .models import CalendarSubscription

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

#: A calendar program polls the feed every few minutes: record the use at most once a minute.
LAST_USED_PRECISION = dt.timedelta(seconds=60)


@transaction.atomic
def subscription_issue(*, actor: Access) -> tuple[CalendarSubscription, str]:
    """A new secret address for the actor's own login, returned with its key, which is never
    stored and never shown again. The login's previous address stops working."""
    user = actor.user
    if user is None or not getattr(user, "pk", None) or not user.is_active:
        raise ForbiddenError(_("Only a person with a login may subscribe to a calendar."))
    # Two issues at once for one user (two tabs): the second waits here and revokes the first's.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    now = timezone.now()
    CalendarSubscription.objects.active().filter(user=user).update(revoked_at=now)
    key = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            subscription = CalendarSubscription.objects.create(
                user=user, key_hash=CalendarSubscription.hash_key(key), prefix=key[:8]
            )
    except IntegrityError as exc:  # SQLite has no row lock: the constraint keeps one active
        raise ConflictError(_("Another calendar address was just issued; try again.")) from exc
    return subscription, key


@transaction.atomic
def subscription_revoke(
    *, actor: Access, subscription: CalendarSubscription
) -> CalendarSubscription:
    """Stop an address working: its owner or the secretariat. A conditional update, so a second
    revoke changes nothing (and keeps the first date)."""
    if not actor.is_staff and getattr(actor.user, "pk", None) != subscription.user_id:
        raise ForbiddenError(_("Only its owner or the secretariat may revoke a calendar address."))
    CalendarSubscription.objects.filter(pk=subscription.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    subscription.refresh_from_db()
    return subscription


def feed_for_key(key: str) -> AbstractBaseUser | None:
    """The active login whose active subscription has this key, else None (unknown, revoked, or
    the login deactivated: the caller answers all alike). Two queries: the look-up and a
    conditional update of ``last_used_at`` that writes at most once a minute."""
    subscription = (
        CalendarSubscription.objects.active()
        .filter(key_hash=CalendarSubscription.hash_key(key), user__is_active=True)
        .select_related("user")
        .first()
    )
    if subscription is None:
        return None
    now = timezone.now()
    CalendarSubscription.objects.filter(pk=subscription.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_PRECISION)
    ).update(last_used_at=now)
    return subscription.user
