"""The webhooks' section of the secretariat's worklist (:mod:`core.pages`, registered in
``WebhooksConfig.ready``): deliveries that failed after their last retry."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pages import Severity, WorklistLine, WorklistSection

from . import selectors
from .models import DeliveryStatus

#: How many failed deliveries are listed (the latest); the section links to all of them.
SHOWN = 5


def failed_deliveries(request: HttpRequest) -> WorklistSection | None:
    """The count of failed deliveries and the latest few, each linking to its page (with its
    attempts); the section links to the deliveries filtered on failures (its action sends them
    again)."""
    failed = selectors.deliveries_failed()
    count = failed.count()
    if not count:
        return None
    lines = tuple(
        WorklistLine(
            text=_("%(event)s to %(subscriber)s (%(created)s)")
            % {
                "event": delivery.event,
                "subscriber": delivery.subscriber.name,
                "created": timezone.localtime(delivery.created_at).strftime("%Y-%m-%d %H:%M"),
            },
            url=reverse("admin:webhooks_delivery_change", args=[delivery.pk]),
            severity=Severity.DANGER,
        )
        for delivery in failed[:SHOWN]
    )
    changelist = reverse("admin:webhooks_delivery_changelist")
    return WorklistSection(
        key="failed-deliveries",
        title=_("Failed webhook deliveries"),
        lines=lines,
        count=count,
        url=f"{changelist}?status__exact={DeliveryStatus.FAILED}",
        severity=Severity.DANGER,
        url_label=_("Every failed delivery, in the administration (to send them again)"),
    )
