"""Portal pages of the reminders: "my reminders" for every login, and the secretariat's list
of what falls due in the next 30 days."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.access import access_for_request

from . import selectors
from .models import ReminderStatus

PAGE_SIZE = 50
UPCOMING_DAYS = 30


@require_GET
@login_required
def my_reminders(request: HttpRequest) -> HttpResponse:
    access = access_for_request(request)
    page = Paginator(selectors.reminders_for(access), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reminders/my_reminders.html",
        {"page": page, "statuses": ReminderStatus, "chamber_id": access.chamber_id},
    )


@require_GET
@login_required
def due_reminders(request: HttpRequest) -> HttpResponse:
    if not access_for_request(request).is_staff:
        raise PermissionDenied(_("This page is for the secretariat."))
    today = timezone.localdate()
    rows = selectors.upcoming(today=today, days=UPCOMING_DAYS)
    return render(
        request,
        "reminders/due.html",
        {"rows": rows, "today": today, "days": UPCOMING_DAYS, "statuses": ReminderStatus},
    )
