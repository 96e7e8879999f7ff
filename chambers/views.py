"""Portal pages: the public dashboard, list of chambers and chamber pages, "my chamber" for member
logins, and the secretariat's worklist."""

from __future__ import annotations

import csv
import hashlib
import json
import math
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View, i18n
from django.views.decorators.http import require_GET

from core import audit
from core.access import access_for_request
from core.errors import DomainError
from core.forms import add_domain_error, form_values
from core.net import client_ip
from core.pages import context_for, query_without, worklist_for
from core.throttles import hit

from . import selectors, services
from .forms import (
    AuditFilterForm,
    ChamberProfileForm,
    ChamberSearchForm,
    ContactForm,
    QueuedPasswordResetForm,
)
from .models import FORMER, Contact, MembershipStatus


def dashboard(request: HttpRequest) -> HttpResponse:
    """The chair and the troika, how many chambers have each status (the observers and the
    suspended ones linked to their lists) and the first page of the members: a union of
    12,000 chambers is one page of 50 rows here, the rest in ``/chambers/``."""
    directory = selectors.ChamberDirectory()
    return render(
        request,
        "portal/dashboard.html",
        {
            **context_for("dashboard", request),  # the troika, from the rotation app
            "counts": directory.counts,
            "groups": [directory.page(MembershipStatus.MEMBER)],
        },
    )


@require_GET
def chamber_index(request: HttpRequest) -> HttpResponse:
    """Every chamber of the union by its status today (members, observers, suspended, former),
    public like the dashboard: each status's first page, or with ``?status=`` that status's
    pages (``?page=``); ``?q=`` finds a name, short name or city in any working language."""
    form = ChamberSearchForm(request.GET)
    valid = form.is_valid()
    search = form.cleaned_data.get("q", "").strip() if valid else ""
    chosen = form.cleaned_data.get("status", "") if valid else ""
    statuses = [chosen] if chosen else [*MembershipStatus.values, FORMER]
    page = request.GET.get("page", 1)
    directory = selectors.ChamberDirectory(search=search)
    groups = [directory.page(status, page if chosen else 1) for status in statuses]
    # Members and observers are always shown (an empty list says so); the others when found.
    always = {MembershipStatus.MEMBER, MembershipStatus.OBSERVER, chosen}
    groups = [g for g in groups if g.paginator.count or g.status in always]
    return render(
        request,
        "portal/chamber_list.html",
        {
            "form": form,
            "groups": groups,
            "paged": bool(chosen),
            "search": search,
            "counts": selectors.ChamberDirectory().counts if search else directory.counts,
            "query": query_without(request),
        },
        status=200 if valid else 400,
    )


def chamber_detail(request: HttpRequest, slug: str) -> HttpResponse:
    access = access_for_request(request)
    chamber = get_object_or_404(selectors.chamber_list(), slug=slug)
    context: dict[str, Any] = {"chamber": chamber, "can_edit": access.can_edit_chamber(chamber)}
    if access.is_member:
        context["contacts"] = selectors.chamber_contacts(chamber=chamber, active_only=True)
        context["periods"] = selectors.chamber_periods(chamber=chamber)
    # The chamber's action items, for members (from the meetings app).
    context.update(context_for("chamber", request, chamber=chamber))
    return render(request, "portal/chamber_detail.html", context)


@require_GET
def secretariat(request: HttpRequest) -> HttpResponse:
    """What needs the secretariat now: the sections the apps register in
    :func:`core.pages.register_worklist` (unanswered invitations, overdue action items, the
    next chair, unpublished minutes, failed reminders and deliveries), each line linking to
    where it is fixed. Staff only: the login page for the anonymous, 403 for members."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not access_for_request(request).is_staff:
        raise PermissionDenied(_("This page is for the secretariat."))
    return render(
        request,
        "portal/secretariat.html",
        {"sections": worklist_for(request), "today": timezone.localdate()},
    )


AUDIT_PAGE = 50
AUDIT_COLUMNS = ("at", "actor", "surface", "action", "model", "object_id", "object", "changes")


@require_GET
def audit_trail(request: HttpRequest) -> HttpResponseBase:
    """Every change of the union's record (core.audit), newest first, filtered by record type,
    record, person and dates; ``?format=csv`` downloads the filtered trail. Staff only; the
    trail is never edited."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not access_for_request(request).is_staff:
        raise PermissionDenied(_("This page is for the secretariat."))
    form = AuditFilterForm(request.GET)
    status = 200 if form.is_valid() else 400
    filters = {k: v for k, v in form.cleaned_data.items() if v} if status == 200 else {}
    rows = audit.entries(**filters)
    if request.GET.get("format") == "csv":
        return _audit_csv(rows)
    page = Paginator(rows, AUDIT_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/audit.html",
        {"form": form, "page": page, "query": query_without(request)},
        status=status,
    )


def _cell(text: str) -> str:
    """Text a spreadsheet would run as a formula gets an apostrophe first (a name or a title
    written by someone else ends up in the secretariat's Excel)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _audit_csv(rows: Any) -> StreamingHttpResponse:
    """The filtered trail as CSV, streamed (it may be long)."""

    class Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Echo())

    def lines() -> Any:
        yield writer.writerow(AUDIT_COLUMNS)
        for entry in rows.iterator(chunk_size=500):
            yield writer.writerow(
                [
                    entry.at.isoformat(),
                    _cell(entry.actor),
                    entry.surface,
                    entry.action,
                    entry.model,
                    entry.object_id,
                    _cell(entry.object_repr),
                    _cell(json.dumps(entry.changes, ensure_ascii=False)),
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-trail.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


class MyChamberMixin(LoginRequiredMixin):
    """Pages about the caller's own chamber; the secretariat uses the admin instead."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.access = access_for_request(request)
        if self.access.chamber_id is None:
            raise PermissionDenied(_("Your login does not belong to a member chamber."))
        self.chamber = selectors.chamber_list().get(pk=self.access.chamber_id)
        return super().dispatch(request, *args, **kwargs)

    def require_editor(self) -> None:
        if not self.access.can_edit_chamber(self.chamber):
            raise PermissionDenied(_("Only your chamber's editors may change it."))


class MyChamberView(MyChamberMixin, View):
    template_name = "portal/my_chamber.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(ChamberProfileForm(instance=self.chamber))

    def post(self, request: HttpRequest) -> HttpResponse:
        self.require_editor()
        form = ChamberProfileForm(request.POST, request.FILES, instance=self.chamber)
        if form.is_valid():
            data = form_values(form, form.changed_data)
            if data.get("logo") is False:  # "clear" ticked
                data["logo"] = ""
            try:
                services.chamber_update(actor=self.access, chamber=self.chamber, data=data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("The chamber's profile was saved."))
                return redirect("portal:my-chamber")
        return self.render(form, status=400)

    def render(self, form: ChamberProfileForm, status: int = 200) -> HttpResponse:
        context = {
            "chamber": self.chamber,
            "form": form,
            "can_edit": self.access.can_edit_chamber(self.chamber),
            "contacts": selectors.chamber_contacts(chamber=self.chamber),
        }
        return render(self.request, self.template_name, context, status=status)


class ContactEditView(MyChamberMixin, View):
    """Add (no ``pk``) or edit a contact of the caller's chamber."""

    template_name = "portal/contact_form.html"

    def get_contact(self, pk: int | None) -> Contact | None:
        if pk is None:
            return None
        return get_object_or_404(Contact, pk=pk, chamber_id=self.chamber.pk)

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        self.require_editor()
        contact = self.get_contact(pk)
        return self.render(ContactForm(instance=contact), contact)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        self.require_editor()
        contact = self.get_contact(pk)
        form = ContactForm(request.POST, instance=contact)
        if form.is_valid():
            data = form_values(form, form.cleaned_data)
            try:
                if contact is None:
                    services.contact_create(actor=self.access, chamber=self.chamber, data=data)
                else:
                    services.contact_update(actor=self.access, contact=contact, data=data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("The contact was saved."))
                return redirect("portal:my-chamber")
        return self.render(form, contact, status=400)

    def render(self, form: ContactForm, contact: Contact | None, status: int = 200) -> HttpResponse:
        context = {"chamber": self.chamber, "form": form, "contact": contact}
        return render(self.request, self.template_name, context, status=status)


class ContactDeleteView(MyChamberMixin, View):
    template_name = "portal/contact_confirm_delete.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        self.require_editor()
        contact = get_object_or_404(Contact, pk=pk, chamber_id=self.chamber.pk)
        return render(request, self.template_name, {"contact": contact, "chamber": self.chamber})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        self.require_editor()
        contact = get_object_or_404(Contact, pk=pk, chamber_id=self.chamber.pk)
        services.contact_delete(actor=self.access, contact=contact)
        messages.success(request, _("The contact was removed."))
        return redirect("portal:my-chamber")


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch; for a logged-in person the choice is also remembered as the
    language of their e-mails and reminders."""
    response = i18n.set_language(request)
    language = request.POST.get("language") if request.method == "POST" else None
    if request.user.is_authenticated and language and language in dict(settings.LANGUAGES):
        services.profile_set_language(user=request.user, language=language)
    return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, with a rate per address and per e-mail address
    (``PASSWORD_RESET_RATE``: 429 with ``Retry-After``), and an honest answer when the e-mail
    could not be queued (503: nothing was sent) instead of "we sent you a link"."""

    form_class = QueuedPasswordResetForm

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        rate = settings.PASSWORD_RESET_RATE
        waits = [hit("password-reset-ip", client_ip(request), rate)]
        email = str(request.POST.get("email", "")).strip().lower()
        if email:
            digest = hashlib.sha256(email.encode()).hexdigest()
            waits.append(hit("password-reset-email", digest, rate))
        wait = max((w for w in waits if w is not None), default=None)
        if wait is not None:
            response = render(
                request,
                "registration/password_reset_unavailable.html",
                {"too_many": True},
                status=429,
            )
            response["Retry-After"] = str(math.ceil(wait))
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: QueuedPasswordResetForm) -> HttpResponse:
        response = super().form_valid(form)
        if not form.queued:
            return render(
                request=self.request,
                template_name="registration/password_reset_unavailable.html",
                context={"too_many": False},
                status=503,
            )
        return response
