"""Registering a subscriber: its rules are checked, its secret generated when blank."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction

from core.access import Access, require_staff
from core.services import as_domain_error

from ..models import Subscriber
from .addresses import url_addresses


def subscriber_check(subscriber: Subscriber) -> None:
    """Every rule of a subscriber (the admin's form calls this to show errors on fields)."""
    try:
        subscriber.full_clean(exclude=["secret"] if not subscriber.secret else None)
    except ValidationError as exc:
        raise as_domain_error(exc) from exc
    url_addresses(subscriber.url)


@transaction.atomic
def subscriber_save(*, actor: Access, subscriber: Subscriber) -> Subscriber:
    """Create or change a subscriber; a blank secret is replaced by a generated one."""
    require_staff(actor)
    if not subscriber.secret:
        subscriber.secret = secrets.token_urlsafe(32)
    subscriber_check(subscriber)
    subscriber.save()
    return subscriber
