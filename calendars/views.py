"""Portal pages of the calendar subscription (for every login) and the feed itself, which is
public: the secret key in its address is the credential, as calendar programs cannot log in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.access import access_for_request, access_for_user
from core.conditional import conditional_file
from core.errors import DomainError

from . import calendar, selectors, services


def _render_page(request: HttpRequest, *, new_url: str | None = None) -> HttpResponse:
    context = {
        "subscription": selectors.subscription_active(user=request.user),
        "new_url": new_url,
        "webcal_url": "webcal://" + new_url.split("://", 1)[1] if new_url else None,
    }
    return render(request, "calendars/subscription.html", context)


@require_GET
@login_required
def subscription_page(request: HttpRequest) -> HttpResponse:
    return _render_page(request)


@require_POST
@login_required
def subscription_issue(request: HttpRequest) -> HttpResponse:
    """The new address is shown in this response only (not through a redirect and a message,
    which would keep the key in the session table until the next page)."""
    try:
        _subscription, key = services.subscription_issue(actor=access_for_request(request))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("calendars:subscription")
    url = request.build_absolute_uri(reverse("calendars:feed", args=[key]))
    response = _render_page(request, new_url=url)
    add_never_cache_headers(response)  # no copy of the key in a cache or the back button
    return response


@require_POST
@login_required
def subscription_revoke(request: HttpRequest) -> HttpResponse:
    subscription = selectors.subscription_active(user=request.user)
    if subscription is None:
        messages.info(request, _("You have no calendar address to revoke."))
    else:
        try:
            services.subscription_revoke(
                actor=access_for_request(request), subscription=subscription
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your calendar address was revoked; it no longer works."))
    return redirect("calendars:subscription")


@require_GET
def subscription_feed(request: HttpRequest, key: str) -> HttpResponse:
    """The login's meetings and the approved terms. Access is worked out again at each fetch,
    so a chamber that left the union, or a login taken from it, loses the meetings at once.
    An unknown, revoked or deactivated login's address gets the same 404."""
    user = services.feed_for_key(key)
    if user is None:
        raise Http404(_("No such calendar."))
    domain, _port = split_domain_port(request.get_host())
    body = calendar.build_calendar(
        meetings=selectors.feed_meetings(access=access_for_user(user)),
        terms=selectors.feed_terms(),
        domain=domain,
        stamp=timezone.now(),
        meeting_url=lambda m: request.build_absolute_uri(reverse("meetings:meeting", args=[m.pk])),
        term_url=lambda t: request.build_absolute_uri(reverse("rotation:term", args=[t.pk])),
    )
    return conditional_file(request, body, content_type="text/calendar; charset=utf-8")
