"""Portal pages for meetings, decisions and priorities.

Meetings, priorities and documents are members-only: an anonymous visitor is sent to the login
page, a login that belongs to no chamber (and is not the secretariat) gets 403. Published,
adopted decisions are public. Reads go through :mod:`meetings.selectors`, writes through
:mod:`meetings.services`; a :class:`DomainError` becomes a form error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Set
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.http.request import split_domain_port
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chambers import selectors as chamber_selectors
from chambers.models import Chamber
from core import background, pdf, translated
from core.access import Access, access_for_request
from core.collation import shown_text
from core.conditional import conditional_file
from core.errors import DomainError
from core.forms import add_domain_error, form_values
from core.pages import context_for, query_without

from . import calendar, records, selectors, services
from . import effects as effect_registry
from .filters import year_q
from .forms import (
    ActionItemUpdateForm,
    BallotForm,
    CheckInForm,
    DecisionAddForm,
    DecisionFilterForm,
    MeetingStatusForm,
    ProcedureOpenForm,
    RSVPForm,
    VotesForm,
)
from .models import (
    Ballot,
    Decision,
    DecisionMethod,
    GovernanceRules,
    Invitation,
    Meeting,
    MeetingDocument,
    MinutesVersion,
    Procedure,
    ProcedureMode,
    Vote,
)

#: An answer can still change while the meeting has not taken place (the service says so too).

#: Rows on a page of the meetings and of the register of decisions.
LIST_PAGE = 50


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
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "upcoming": Paginator(upcoming, LIST_PAGE).get_page(request.GET.get("upcoming")),
            "past": Paginator(past, LIST_PAGE).get_page(request.GET.get("page")),
            "upcoming_query": query_without(request, "upcoming"),
            "past_query": query_without(request),
        },
    )


def _own_invitation(access: Access, meeting: Meeting) -> Invitation | None:
    """The invitation a chamber's editor answers on this page (the secretariat uses the admin)."""
    if access.is_staff or not access.can_write or access.chamber_id is None:
        return None
    return next((i for i in meeting.invitations.all() if i.chamber_id == access.chamber_id), None)


def _rsvp_form(
    invitation: Invitation,
    meeting: Meeting,
    voters: Set[int],
    rules: GovernanceRules,
    data: QueryDict | None = None,
) -> RSVPForm:
    """The answer, the delegates and, for a full member, the proxy: offered among the full
    members that said they attend (the service checks again, with the cap)."""
    contacts = chamber_selectors.chamber_contacts(chamber=invitation.chamber, active_only=True)
    initial: dict[str, Any] = {"delegates": [contact.pk for contact in invitation.delegates.all()]}
    if invitation.response != "pending":
        initial["response"] = invitation.response
    initial["proxy"] = invitation.proxy_holder_id
    holders = None
    if invitation.chamber_id in voters and rules.proxies_per_holder:
        holders = sorted(
            (
                i.chamber
                for i in meeting.invitations.all()
                if i.response == "attending"
                and i.chamber_id in voters
                and i.chamber_id != invitation.chamber_id
            ),
            key=lambda chamber: chamber.short_name,
        )
    return RSVPForm(data, contacts=contacts, holders=holders, initial=initial)


def _render_meeting(
    request: HttpRequest,
    meeting: Meeting,
    *,
    rsvp_form: RSVPForm | None = None,
    status: int = 200,
) -> HttpResponse:
    access = access_for_request(request)
    own = _own_invitation(access, meeting)
    voters = services.meeting_voters(meeting)
    rules = GovernanceRules.current()
    if rsvp_form is None and own is not None and meeting.accepts_answers:
        rsvp_form = _rsvp_form(own, meeting, voters, rules)
    quorum = services.quorum_of(
        voters,
        ((i.chamber_id, i.present, i.proxy_holder_id) for i in meeting.invitations.all()),
        rules,
    )
    listed = list(meeting.decisions.all())
    decisions = [
        (decision, services.tally(decision.votes.all(), quorum.voters), effects)
        for decision, effects in zip(
            listed, effect_registry.describe_all([d.effects for d in listed]), strict=True
        )
    ]
    context = {
        "meeting": meeting,
        "invitations": meeting.invitations.all(),
        "voters": voters,
        "decisions": decisions,
        "minutes_versions": meeting.minutes_versions_for(is_staff=False),
        "own_invitation": own,
        "rsvp_form": rsvp_form,
    }
    return render(request, "meetings/meeting_detail.html", context, status=status)


@require_GET
@member_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Members see the meeting; the secretariat sees the session workspace."""
    meeting = get_object_or_404(selectors.meeting_detail(), pk=pk)
    if access_for_request(request).is_staff:
        return _render_workspace(request, meeting)
    return _render_meeting(request, meeting)


# The session workspace (staff) -------------------------------------------------------------


def staff_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """The secretariat's pages: the login page for anonymous visitors, 403 for members."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not access_for_request(request).is_staff:
            raise PermissionDenied(_("Only the secretariat runs a session."))
        return view(request, *args, **kwargs)

    return wrapper


@dataclass
class DecisionPanel:
    """One decision in the workspace: where it stands, and the forms that move it on."""

    decision: Decision
    outcome: services.Outcome
    effects: list[str]
    votes: list[Vote]
    votes_form: VotesForm | None
    error: str = ""
    procedure: Procedure | None = None


def _render_workspace(
    request: HttpRequest,
    meeting: Meeting,
    *,
    status: int = 200,
    check_in: CheckInForm | None = None,
    votes: tuple[int, VotesForm] | None = None,
    decision_form: DecisionAddForm | None = None,
    refusal: tuple[int, str] | None = None,
) -> HttpResponse:
    """The session as the secretariat runs it: invitations, check-in with the quorum, each
    decision's votes, outcome and adoption, and the meeting's status. Plain forms; each posts
    to its own URL and comes back here."""
    rules = GovernanceRules.current()
    quorum = services.meeting_quorum(meeting, rules)
    invitations = list(meeting.invitations.all())
    chambers = {i.chamber_id: i.chamber for i in invitations}
    contacts = chamber_selectors.active_contacts_by_chamber(chambers)
    if check_in is None:
        check_in = CheckInForm(invitations=invitations, contacts=contacts)
    invitable = services.meeting_invitable(meeting)
    elsewhere = (quorum.members | invitable) - set(chambers)
    names = dict(  # in the query: modeltranslation's fallback per row cost 0.03 ms each
        Chamber.objects.filter(pk__in=elsewhere)
        .annotate(shown=shown_text("short_name"))
        .values_list("pk", "shown")
    )
    uninvited = sorted(names[pk] for pk in invitable - set(chambers))
    voters = _present_voters(meeting, quorum)
    proxy_names = {
        giver: chambers[holder].short_name
        for giver, holder in quorum.proxies.items()
        if holder in chambers
    }
    decisions = list(meeting.decisions.all())
    panels = []
    for decision, effects in zip(
        decisions, effect_registry.describe_all([d.effects for d in decisions]), strict=True
    ):
        recorded = list(decision.votes.all())
        procedure = selectors.current_procedure(decision)
        form = None
        under_procedure = procedure is not None and procedure.is_open
        if not decision.is_adopted and not under_procedure and decision.method == "vote":
            if votes is not None and votes[0] == decision.pk:
                form = votes[1]
            else:
                voted = {v.chamber_id for v in recorded}
                form = VotesForm(
                    chambers=[c for c in voters if c.pk not in voted],
                    prefix=f"d{decision.pk}",
                    proxies=proxy_names,
                )
        panels.append(
            DecisionPanel(
                decision=decision,
                outcome=services.decision_outcome_at(decision, quorum, rules),
                effects=effects,
                votes=recorded,
                votes_form=form,
                error=refusal[1] if refusal and refusal[0] == decision.pk else "",
                procedure=procedure,
            )
        )
    absent = sorted(
        (chambers[pk].short_name if pk in chambers else names.get(pk, "—"))
        for pk in quorum.members - quorum.present
    )
    context = {
        "meeting": meeting,
        "quorum": quorum,
        "absent_members": absent,
        "uninvited": uninvited,
        "check_in": check_in,
        "panels": panels,
        "decision_form": decision_form or DecisionAddForm(),
        "status_form": MeetingStatusForm(initial={"status": meeting.status}),
        "minutes_versions": meeting.minutes_versions_for(is_staff=True),
        "draft_version": _draft_version(meeting),
    }
    return render(request, "meetings/meeting_workspace.html", context, status=status)


def _draft_version(meeting: Meeting) -> MinutesVersion | None:
    """The saved version the working draft is (the latest, when the texts are the same)."""
    versions = meeting.minutes_versions_for(is_staff=True)
    if versions and translated.values(versions[-1], "text") == translated.values(
        meeting, "minutes"
    ):
        return versions[-1]
    return None


# The minutes ---------------------------------------------------------------------------------


@require_GET
@member_required
def minutes_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """One version of the minutes: members see published ones only (a draft is 404)."""
    meeting = get_object_or_404(selectors.meeting_minutes(), pk=pk)
    is_staff = access_for_request(request).is_staff
    versions = meeting.minutes_versions_for(is_staff=is_staff)
    version = meeting.minutes_version_numbered(number, is_staff=is_staff)
    if version is None:
        raise Http404(_("No such version of the minutes."))
    context = {"meeting": meeting, "version": version, "versions": versions}
    return render(request, "meetings/minutes_version.html", context)


def _minutes_action(
    request: HttpRequest, pk: int, act: Callable[[Access, Meeting], str]
) -> HttpResponseBase:
    """One of the workspace's minutes forms: its service (``act`` returns what to tell), then
    back to the minutes; a refusal shows the workspace again with its reason and status."""
    meeting = _meeting_for_staff(pk)
    try:
        told = act(access_for_request(request), meeting)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _render_workspace(request, _meeting_for_staff(pk), status=exc.status_code)
    messages.success(request, told)
    return _workspace(pk, "#minutes")


@require_POST
@staff_required
def minutes_generate(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Write the draft from the record, in every working language."""

    def act(actor: Access, meeting: Meeting) -> str:
        replace = bool(request.POST.get("replace"))
        services.minutes_draft_generate(actor=actor, meeting=meeting, replace=replace)
        return _("The draft of the minutes was generated from the record.")

    return _minutes_action(request, pk, act)


@require_POST
@staff_required
def minutes_save(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Save the draft as a new version, published to the members if asked."""

    def act(actor: Access, meeting: Meeting) -> str:
        version = services.minutes_version_save(
            actor=actor,
            meeting=meeting,
            note=request.POST.get("note", "").strip(),
            publish=bool(request.POST.get("publish")),
        )
        return _("Version %(number)s of the minutes saved.") % {"number": version.number}

    return _minutes_action(request, pk, act)


@require_POST
@staff_required
def minutes_publish(request: HttpRequest, pk: int, number: int) -> HttpResponseBase:
    def act(actor: Access, meeting: Meeting) -> str:
        version = meeting.minutes_version_numbered(number, is_staff=True)
        if version is None:
            raise Http404(_("No such version of the minutes."))
        services.minutes_version_publish(actor=actor, version=version)
        return _("Version %(number)s of the minutes published to the members.") % {"number": number}

    return _minutes_action(request, pk, act)


def _present_voters(meeting: Meeting, quorum: services.Quorum) -> list[Chamber]:
    """The full members present (whose votes count), by name, from the prefetched
    invitations: the chambers the votes form asks, on the page and when it is posted."""
    chambers = [i.chamber for i in meeting.invitations.all() if i.chamber_id in quorum.voters]
    return sorted(chambers, key=lambda chamber: chamber.short_name)


def _workspace(pk: int, anchor: str) -> HttpResponseBase:
    return redirect(reverse("meetings:meeting", args=[pk]) + anchor)


def _meeting_for_staff(pk: int) -> Meeting:
    return get_object_or_404(selectors.meeting_detail(), pk=pk)


@require_POST
@staff_required
def meeting_invite_all(request: HttpRequest, pk: int) -> HttpResponseBase:
    meeting = _meeting_for_staff(pk)
    invited = services.meeting_invite_all(actor=access_for_request(request), meeting=meeting)
    messages.success(
        request,
        ngettext("%(count)s chamber invited.", "%(count)s chambers invited.", len(invited))
        % {"count": len(invited)},
    )
    return _workspace(pk, "#invitations")


@require_POST
@staff_required
def meeting_check_in(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Record attendance and delegates of the invited chambers (those that changed)."""
    meeting = _meeting_for_staff(pk)
    invitations = list(meeting.invitations.all())
    contacts = chamber_selectors.active_contacts_by_chamber(i.chamber_id for i in invitations)
    form = CheckInForm(request.POST, invitations=invitations, contacts=contacts)
    status = 400
    if form.is_valid():
        entries = [
            services.CheckIn(chamber=i.chamber, present=present, delegates=delegates)
            for i, present, delegates in form.entries()
        ]
        try:
            services.attendance_check_in(
                actor=access_for_request(request), meeting=meeting, entries=entries
            )
        except DomainError as exc:
            add_domain_error(form, exc)
            status = exc.status_code
        else:
            messages.success(request, _("Attendance saved."))
            return _workspace(pk, "#check-in")
    return _render_workspace(request, meeting, status=status, check_in=form)


@require_POST
@staff_required
def meeting_status(request: HttpRequest, pk: int) -> HttpResponseBase:
    meeting = _meeting_for_staff(pk)
    form = MeetingStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
        return _render_workspace(request, meeting, status=400)
    services.meeting_update(
        actor=access_for_request(request),
        meeting=meeting,
        data={"status": form.cleaned_data["status"]},
    )
    messages.success(request, _("The meeting's status was saved."))
    return _workspace(pk, "")


@require_POST
@staff_required
def decision_add(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A draft decision of this meeting, its effects built with the effect forms."""
    meeting = _meeting_for_staff(pk)
    form = DecisionAddForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            decision = services.decision_create(
                actor=access_for_request(request),
                meeting=meeting,
                data=form_values(form, form.cleaned_data),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
            status = exc.status_code
        else:
            messages.success(request, _("%(decision)s recorded.") % {"decision": decision})
            return _workspace(pk, f"#decision-{decision.number}")
    return _render_workspace(request, meeting, status=status, decision_form=form)


def _decision_of(meeting: Meeting, decision_pk: int) -> Decision:
    for decision in meeting.decisions.all():
        if decision.pk == decision_pk:
            return decision
    raise Http404(_("No such decision at this meeting."))


@require_POST
@staff_required
def decision_votes(request: HttpRequest, pk: int, decision_pk: int) -> HttpResponseBase:
    """The votes of the full members present, as the chair counts them."""
    meeting = _meeting_for_staff(pk)
    decision = _decision_of(meeting, decision_pk)
    chambers = _present_voters(meeting, services.meeting_quorum(meeting))
    form = VotesForm(request.POST, chambers=chambers, prefix=f"d{decision.pk}")
    if form.is_valid():
        try:
            services.votes_record(
                actor=access_for_request(request), decision=decision, votes=form.votes()
            )
        except DomainError as exc:
            return _render_workspace(
                request,
                meeting,
                status=exc.status_code,
                votes=(decision.pk, form),
                refusal=(decision.pk, exc.message),
            )
        messages.success(request, _("Votes recorded."))
    return _workspace(pk, f"#decision-{decision.number}")


@require_POST
@staff_required
def decision_adopt(request: HttpRequest, pk: int, decision_pk: int) -> HttpResponseBase:
    """Adopt, or say why not (no quorum, not enough votes, an effect refused)."""
    meeting = _meeting_for_staff(pk)
    decision = _decision_of(meeting, decision_pk)
    try:
        services.decision_adopt(actor=access_for_request(request), decision=decision)
    except DomainError as exc:
        return _render_workspace(
            request, meeting, status=exc.status_code, refusal=(decision.pk, exc.message)
        )
    messages.success(request, _("%(decision)s adopted.") % {"decision": decision})
    return _workspace(pk, f"#decision-{decision.number}")


@require_POST
@member_required
def meeting_rsvp(request: HttpRequest, pk: int) -> HttpResponse:
    """A chamber's editor answers the invitation and names delegates among its contacts."""
    access = access_for_request(request)
    meeting = get_object_or_404(selectors.meeting_detail(), pk=pk)
    if access.is_staff or not access.can_write or access.chamber_id is None:
        raise PermissionDenied(_("Only the chamber's editors may answer for it."))
    own = _own_invitation(access, meeting)
    if own is not None:
        chamber = own.chamber
        form = _rsvp_form(
            own, meeting, services.meeting_voters(meeting), GovernanceRules.current(), request.POST
        )
    else:  # not invited: the service says so, as a form error
        chamber = get_object_or_404(Chamber, pk=access.chamber_id)
        contacts = chamber_selectors.chamber_contacts(chamber=chamber, active_only=True)
        form = RSVPForm(request.POST, contacts=contacts)
    status = 400
    if form.is_valid():
        try:
            services.invitation_respond(
                actor=access,
                meeting=meeting,
                chamber=chamber,
                response=form.cleaned_data["response"],
                delegates=list(form.cleaned_data["delegates"]),
                proxy=form.proxy(),
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


# Documents of record ------------------------------------------------------------------------


@require_GET
@member_required
def meeting_agenda_pack(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The agenda pack as PDF, in the reader's language (``?lang=``); a large one is built by
    a worker and this sends the reader to its page, which offers it when ready."""
    meeting = get_object_or_404(selectors.meeting_detail(), pk=pk)
    language = translated.active_code()
    filename = records.agenda_pack_filename(meeting)
    if records.pack_builds_in_background(meeting):
        params = {"meeting": meeting.pk, "language": language}
        return background.start(
            request, document="agenda-pack", params=params, filename=filename, portal=True
        )
    return pdf.response(records.agenda_pack_pdf(meeting, language=language), filename)


@require_GET
@member_required
def meeting_minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes as PDF: ``?version=N``, else the latest the reader may see (the
    secretariat: its working draft). A draft is marked as one; approved minutes name the
    approving decision."""
    meeting = get_object_or_404(selectors.meeting_minutes(), pk=pk)
    try:
        version = records.minutes_to_print(
            meeting,
            is_staff=access_for_request(request).is_staff,
            number=request.GET.get("version"),
        )
    except DomainError as exc:
        return _unavailable(request, exc)
    content = records.minutes_pdf(meeting, version, language=translated.active_code())
    return pdf.response(content, f"minutes-{meeting.pk}.pdf")


@require_GET
def decision_extract(request: HttpRequest, pk: int) -> HttpResponse:
    """The certified extract of an adopted decision, for whoever may read the decision."""
    access = access_for_request(request)
    decision = get_object_or_404(selectors.decision_list(access=access), pk=pk)
    try:
        records.require_adopted(decision)
    except DomainError as exc:
        return _unavailable(request, exc)
    content = records.extract_pdf(decision, language=translated.active_code(), request=request)
    return pdf.response(content, f"decision-{decision.pk}-extract.pdf")


def _unavailable(request: HttpRequest, refusal: DomainError) -> HttpResponse:
    """A document that cannot be given (a draft's extract, a malformed version): why, with
    the refusal's status."""
    return render(
        request,
        "documents/unavailable.html",
        {"message": refusal.message},
        status=refusal.status_code,
    )


@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: whether an extract's verification code is authentic, and of which decision."""
    result = records.verify(code)
    return render(
        request,
        "documents/verify.html",
        {"result": result, "code": code},
        status=200 if result.authentic else 404,
    )


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
    return conditional_file(
        request, body, content_type="text/calendar; charset=utf-8", filename=filename
    )


@require_GET
@member_required
def meetings_ics(request: HttpRequest) -> HttpResponse:
    meetings = selectors.meeting_list().filter(selectors.feed_window()).prefetch_related("agenda")
    return _ics_response(request, meetings)


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
        decisions = decisions.filter(year_q(year))
    # In the register's order (Decision.Meta.ordering: undated first, then latest first).
    page = Paginator(decisions, LIST_PAGE).get_page(request.GET.get("page"))
    rows = [
        (
            decision,
            services.tally(decision.votes.all()),
            selectors.shown_procedure(decision, is_member=access.is_member),
        )
        for decision in page
    ]
    return render(
        request,
        "meetings/decision_list.html",
        {
            "form": form,
            "decisions": rows,
            "page": page,
            "query": query_without(request),
            "is_member": access.is_member,
        },
        status=status,
    )


# Priorities and action items ----------------------------------------------------------------


@require_GET
@member_required
def priority_list(request: HttpRequest) -> HttpResponse:
    access = access_for_request(request)
    priorities = list(selectors.priority_list())
    return render(
        request,
        "meetings/priority_list.html",
        {
            "priorities": priorities,
            # Editors update their own chamber's items; the secretariat updates any.
            "editable_chamber": access.chamber_id if access.can_write else None,
            # The target indicators' progress, from the indicators app (``targets``).
            **context_for("priorities", request, priorities=priorities),
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


# Decisions between sessions: written and silence procedures ----------------------------------


@dataclass
class VoterRow:
    """One voting chamber of a procedure and its answer (``None``: not yet)."""

    chamber: Chamber
    ballot: Ballot | None


def _decision_for(request: HttpRequest, pk: int) -> Decision:
    return get_object_or_404(selectors.decision_list(access=access_for_request(request)), pk=pk)


def _ballot_form(
    access: Access, procedure: Procedure, voters: list[Chamber], data: QueryDict | None = None
) -> BallotForm | None:
    """The editor's answer form (its own chamber a voter), or the secretariat's paper form."""
    if not procedure.takes_answers():
        return None
    if access.is_staff:
        return BallotForm(data, mode=procedure.mode, voters=voters, prefix="paper")
    if access.can_write and access.chamber_id in {c.pk for c in voters}:
        own = next((b for b in procedure.ballots.all() if b.chamber_id == access.chamber_id), None)
        initial = {"answer": own.answer, "reason": own.reason} if own else None
        return BallotForm(data, mode=procedure.mode, initial=initial)
    return None


def _render_procedure(
    request: HttpRequest,
    decision: Decision,
    *,
    status: int = 200,
    open_form: ProcedureOpenForm | None = None,
    ballot_form: BallotForm | None = None,
    refusal: str = "",
) -> HttpResponse:
    """The decision put to the members in writing: its text and effects, the procedure's mode
    and deadline, each voter's answer (members), the count so far or the outcome, and the
    forms of whoever may act: the voting chamber's editor answers; the secretariat records a
    paper answer, closes early (every voter answered), withdraws, or opens one."""
    access = access_for_request(request)
    rules = GovernanceRules.current()
    procedures = list(decision.procedures.all())
    procedure = selectors.current_procedure(decision)
    voters = sorted(procedure.voters.all(), key=lambda c: c.short_name) if procedure else []
    ballots = {b.chamber_id: b for b in procedure.ballots.all()} if procedure else {}
    rows = [VoterRow(chamber, ballots.get(chamber.pk)) for chamber in voters]
    own = ballots.get(access.chamber_id) if access.chamber_id else None
    if procedure is not None and ballot_form is None:
        ballot_form = _ballot_form(access, procedure, voters)
    is_open = procedure is not None and procedure.is_open
    if access.is_staff and not is_open and not decision.is_adopted and open_form is None:
        open_form = ProcedureOpenForm(
            initial={"mode": ProcedureMode.VOTE, "time_zone": settings.TIME_ZONE}
        )
    outcome = services.outcome_of(procedure, rules) if procedure else None
    context = {
        "decision": decision,
        "effects": effect_registry.describe_all([decision.effects])[0],
        "procedure": procedure,
        "earlier": [p for p in procedures if p is not procedure],
        "rows": rows,
        "own": own,
        "outcome": outcome,
        "deadline": procedure.local_closes_at if procedure else None,
        "ballot_form": ballot_form,
        "open_form": open_form if access.is_staff and not is_open else None,
        "can_close": access.is_staff and is_open and len(ballots) == len(voters),
        "can_withdraw": access.is_staff and is_open,
        "allowed": rules.procedure_allowed(decision.kind),
        "refusal": refusal,
    }
    return render(request, "meetings/procedure.html", context, status=status)


@require_http_methods(["GET", "POST"])
@member_required
def procedure_page(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the procedure's page. POST: an answer (the voting chamber's editor), or a paper
    answer recorded by the secretariat."""
    decision = _decision_for(request, pk)
    if request.method == "GET":
        return _render_procedure(request, decision)
    access = access_for_request(request)
    procedure = selectors.current_procedure(decision)
    if procedure is None or not (access.is_staff or access.can_write):
        raise PermissionDenied(_("Only a voting chamber's editors answer for it."))
    voters = sorted(procedure.voters.all(), key=lambda c: c.short_name)
    form = _ballot_form(access, procedure, voters, request.POST)
    if form is None:
        if procedure.takes_answers():
            raise PermissionDenied(_("Your chamber has no vote in this procedure."))
        return _render_procedure(
            request, decision, status=409, refusal=_("The procedure no longer takes answers.")
        )
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        chamber_id = data["chamber"] if access.is_staff else access.chamber_id
        chamber = next(c for c in voters if c.pk == chamber_id)
        try:
            services.ballot_cast(
                actor=access,
                decision=decision,
                chamber=chamber,
                answer=data["answer"],
                reason=data.get("reason", ""),
                received_on=data.get("received_on"),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
            status = exc.status_code
        else:
            messages.success(
                request,
                _("The answer of %(chamber)s is recorded.") % {"chamber": chamber.short_name},
            )
            return redirect(reverse("meetings:procedure", args=[decision.pk]) + "#answers")
    return _render_procedure(request, decision, status=status, ballot_form=form)


@require_POST
@staff_required
def procedure_open(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision_for(request, pk)
    form = ProcedureOpenForm(request.POST)
    status = 400
    if form.is_valid():
        data = form_values(form, ["letter"])
        try:
            services.procedure_open(
                actor=access_for_request(request),
                decision=decision,
                mode=form.cleaned_data["mode"],
                closes_at=form.cleaned_data["closes_at"],
                time_zone=form.cleaned_data["time_zone"],
                data=data,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
            status = exc.status_code
        else:
            messages.success(request, _("The procedure is open; the voters are told."))
            return redirect("meetings:procedure", decision.pk)
    return _render_procedure(request, decision, status=status, open_form=form)


def _procedure_action(
    request: HttpRequest, pk: int, act: Callable[..., Any], done: str
) -> HttpResponse:
    decision = _decision_for(request, pk)
    try:
        act(actor=access_for_request(request), decision=decision)
    except DomainError as exc:
        return _render_procedure(
            request, _decision_for(request, pk), status=exc.status_code, refusal=exc.message
        )
    messages.success(request, done)
    return redirect("meetings:procedure", decision.pk)


@require_POST
@staff_required
def procedure_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close early: every voter has answered (the service refuses otherwise)."""
    return _procedure_action(request, pk, services.procedure_close, _("The procedure is closed."))


@require_POST
@staff_required
def procedure_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _procedure_action(
        request, pk, services.procedure_withdraw, _("The procedure is withdrawn.")
    )


@require_http_methods(["GET", "POST"])
@staff_required
def decision_new(request: HttpRequest) -> HttpResponse:
    """A draft decision between sessions (no meeting), to put to written procedure."""
    form = DecisionAddForm(request.POST or None, initial={"method": DecisionMethod.VOTE})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                decision = services.decision_create(
                    actor=access_for_request(request),
                    meeting=None,
                    data=form_values(form, form.cleaned_data),
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, _("%(decision)s recorded.") % {"decision": decision})
                return redirect("meetings:procedure", decision.pk)
    return render(request, "meetings/decision_new.html", {"form": form}, status=status)
