"""Portal pages for meetings, decisions and priorities.

Meetings, priorities and documents are members-only: an anonymous visitor is sent to the login
page, a login that belongs to no chamber (and is not the secretariat) gets 403. Published,
adopted decisions are public. Reads go through :mod:`meetings.selectors`, writes through
:mod:`meetings.services`; a :class:`DomainError` becomes a form error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.http.request import split_domain_port
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chambers import selectors as chamber_selectors
from chambers.models import Chamber
from core.access import Access, access_for_request
from core.errors import DomainError
from core.forms import add_domain_error

from . import calendar, selectors, services
from .forms import ActionItemUpdateForm, DecisionFilterForm, RSVPForm
from .models import Invitation, Meeting, MeetingDocument

#: An answer can still change while the meeting has not taken place (the service says so too).


def member_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Members-only pages: the login page for anonymous visitors, 403 for a login without a
    chamber; the secretariat reads everything."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not access_for_request(request).is_member:
            raise PermissionDenied(_("Your login does not belong to a member chamber."))
        return view(request, *args, **kwargs)

    return wrapper


# Meetings -----------------------------------------------------------------------------------


@require_GET
@member_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    upcoming, past = selectors.meetings_upcoming_and_past()
    return render(request, "meetings/meeting_list.html", {"upcoming": upcoming, "past": past})


def _own_invitation(access: Access, meeting: Meeting) -> Invitation | None:
    """The invitation a chamber's editor answers on this page (the secretariat uses the admin)."""
    if access.is_staff or not access.can_write or access.chamber_id is None:
        return None
    return next((i for i in meeting.invitations.all() if i.chamber_id == access.chamber_id), None)


def _rsvp_form(invitation: Invitation, data: QueryDict | None = None) -> RSVPForm:
    contacts = chamber_selectors.chamber_contacts(chamber=invitation.chamber, active_only=True)
    initial: dict[str, Any] = {"delegates": [contact.pk for contact in invitation.delegates.all()]}
    if invitation.response != "pending":
        initial["response"] = invitation.response
    return RSVPForm(data, contacts=contacts, initial=initial)


def _render_meeting(
    request: HttpRequest,
    meeting: Meeting,
    *,
    rsvp_form: RSVPForm | None = None,
    status: int = 200,
) -> HttpResponse:
    access = access_for_request(request)
    own = _own_invitation(access, meeting)
    if rsvp_form is None and own is not None and meeting.accepts_answers:
        rsvp_form = _rsvp_form(own)
    voters = services.meeting_voters(meeting)
    present = {i.chamber_id for i in meeting.invitations.all() if i.present}
    decisions = [
        (decision, services.tally(decision.votes.all(), voters & present))
        for decision in meeting.decisions.all()
    ]
    context = {
        "meeting": meeting,
        "invitations": meeting.invitations.all(),
        "voters": voters,
        "decisions": decisions,
        "show_minutes": bool(meeting.minutes_for(is_staff=access.is_staff)),
        "own_invitation": own,
        "rsvp_form": rsvp_form,
    }
    return render(request, "meetings/meeting_detail.html", context, status=status)


@require_GET
@member_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(selectors.meeting_detail(), pk=pk)
    return _render_meeting(request, meeting)


@require_POST
@member_required
def meeting_rsvp(request: HttpRequest, pk: int) -> HttpResponse:
    """A chamber's editor answers the invitation and names delegates among its contacts."""
    access = access_for_request(request)
    meeting = get_object_or_404(selectors.meeting_detail(), pk=pk)
    if access.is_staff or not access.can_write or access.chamber_id is None:
        raise PermissionDenied(_("Only the chamber's editors may answer for it."))
    own = _own_invitation(access, meeting)
    chamber = own.chamber if own else get_object_or_404(Chamber, pk=access.chamber_id)
    form = RSVPForm(
        request.POST,
        contacts=chamber_selectors.chamber_contacts(chamber=chamber, active_only=True),
    )
    status = 400
    if form.is_valid():
        try:
            services.invitation_respond(
                actor=access,
                meeting=meeting,
                chamber=chamber,
                response=form.cleaned_data["response"],
                delegates=list(form.cleaned_data["delegates"]),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
            status = exc.status_code
        else:
            messages.success(request, _("Your chamber's answer was saved."))
            return redirect(reverse("meetings:meeting", args=[meeting.pk]) + "#rsvp")
    return _render_meeting(request, meeting, rsvp_form=form, status=status)


@require_GET
@member_required
def document_download(request: HttpRequest, pk: int, doc_pk: int) -> FileResponse:
    """A meeting document, always as an attachment under its original name and checked type."""
    document = get_object_or_404(MeetingDocument, pk=doc_pk, meeting_id=pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The file of this document is missing.")) from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True)
    return response


# Calendar -----------------------------------------------------------------------------------


def _ics_response(
    request: HttpRequest, meetings: Iterable[Meeting], *, filename: str | None = None
) -> HttpResponse:
    domain, _port = split_domain_port(request.get_host())
    body = calendar.build_calendar(
        meetings,
        domain=domain,
        url_for=lambda m: request.build_absolute_uri(reverse("meetings:meeting", args=[m.pk])),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, private=True)
    return response


@require_GET
@member_required
def meetings_ics(request: HttpRequest) -> HttpResponse:
    return _ics_response(request, selectors.meeting_list().prefetch_related("agenda"))


@require_GET
@member_required
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(selectors.meeting_list().prefetch_related("agenda"), pk=pk)
    return _ics_response(request, [meeting], filename=f"meeting-{meeting.pk}.ics")


# Decisions ----------------------------------------------------------------------------------


@require_GET
def decision_register(request: HttpRequest) -> HttpResponse:
    """The register: the public sees adopted, published decisions; members see all. A bad
    filter value is a form error (400) and that filter is left out."""
    access = access_for_request(request)
    form = DecisionFilterForm(request.GET)
    status = 200 if form.is_valid() else 400
    decisions = selectors.decision_list(access=access)
    if kind := form.cleaned_data.get("kind"):
        decisions = decisions.filter(kind=kind)
    if year := form.cleaned_data.get("year"):
        decisions = decisions.filter(meeting__starts_at__year=year)
    rows = [(decision, services.tally(decision.votes.all())) for decision in decisions]
    return render(
        request,
        "meetings/decision_list.html",
        {"form": form, "decisions": rows, "is_member": access.is_member},
        status=status,
    )


# Priorities and action items ----------------------------------------------------------------


@require_GET
@member_required
def priority_list(request: HttpRequest) -> HttpResponse:
    access = access_for_request(request)
    return render(
        request,
        "meetings/priority_list.html",
        {
            "priorities": selectors.priority_list(),
            # Editors update their own chamber's items; the secretariat updates any.
            "editable_chamber": access.chamber_id if access.can_write else None,
        },
    )


@require_http_methods(["GET", "POST"])
@member_required
def action_item_update(request: HttpRequest, pk: int) -> HttpResponse:
    """The responsible chamber's editors (and the secretariat) report progress. Another
    chamber's item is 404; a viewer of the responsible chamber gets 403."""
    access = access_for_request(request)
    item = get_object_or_404(selectors.action_items_writable(access=access), pk=pk)
    if not access.can_edit_chamber(item.responsible_id):
        raise PermissionDenied(_("Only the responsible chamber's editors may update this item."))
    initial = {"status": item.status, "progress": item.progress}
    status = 200
    if request.method == "POST":
        form = ActionItemUpdateForm(request.POST, initial=initial)
        status = 400
        if form.is_valid():
            # Only what changed: marking an item done without touching progress completes it.
            data = {
                name: form.cleaned_data[name]
                for name in ("status", "progress")
                if name in form.changed_data
            }
            try:
                services.action_item_update(
                    actor=access, item=item, data=data, note=form.cleaned_data["note"]
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, _("The action item was updated."))
                return redirect(reverse("meetings:priorities") + f"#action-item-{item.pk}")
    else:
        form = ActionItemUpdateForm(initial=initial)
    return render(
        request, "meetings/action_item_form.html", {"item": item, "form": form}, status=status
    )
