"""The pages of the second factor: the login's overview, enrolment of an authenticator app (a
QR code made on the server, the secret as text, a code to confirm, then the recovery codes shown
once), the verification step after the password, new recovery codes and removal."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import DEVICE_ID_SESSION_KEY

from . import mfa
from .mfa_forms import AuthenticatorCodeForm, CodeForm


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


def _must_verify_first(request: HttpRequest) -> bool:
    """Changing the second factor needs a session that has given it (if there is one)."""
    return mfa.has_device(request.user) and not mfa.is_verified(request)


def _verify_redirect(request: HttpRequest) -> HttpResponse:
    return redirect(f"{reverse('mfa:verify')}?next={quote(request.path)}")


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    if _must_verify_first(request):
        return _verify_redirect(request)
    user = request.user
    return render(
        request,
        "registration/mfa_overview.html",
        {
            "has_authenticator": mfa.has_authenticator(user),
            "recovery_codes_left": mfa.recovery_codes_left(user),
            "required": mfa.must_use_second_factor(user),
        },
    )


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    if _must_verify_first(request):
        return _verify_redirect(request)
    device = mfa.totp_pending(request.user)
    form = AuthenticatorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = mfa.totp_confirm(device, form.cleaned_data["code"])
        if codes is not None:
            device.refresh_from_db()
            mfa.verified_login(request, device)
            return render(
                request,
                "registration/mfa_recovery_codes.html",
                {"codes": codes, "next": _next_url(request), "enrolled": True},
            )
        form.add_error("code", _("This code is not right: check the time on your phone."))
    return render(
        request,
        "registration/mfa_setup.html",
        {
            "form": form,
            "qr_svg": mfa.totp_qr_svg(device, request.user.get_username()),
            "secret": mfa.totp_secret(device),
            "next": _next_url(request),
            "required": mfa.must_use_second_factor(request.user),
        },
    )


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    if not mfa.has_device(request.user):
        # Nothing to verify: one who must enrol is sent on to enrolment by the middleware.
        return redirect(_next_url(request))
    if mfa.is_verified(request):
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = mfa.match_code(request.user, form.cleaned_data["code"])
        if device is not None:
            mfa.verified_login(request, device)
            return redirect(_next_url(request))
        form.add_error("code", _("This code is not right (or was used already)."))
    return render(
        request, "registration/mfa_verify.html", {"form": form, "next": _next_url(request)}
    )


@require_POST
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    if _must_verify_first(request):
        return _verify_redirect(request)
    if not mfa.has_authenticator(request.user):
        messages.error(request, _("Set up an authenticator app first."))
        return redirect("mfa:overview")
    codes = mfa.recovery_codes_replace(request.user)
    return render(
        request,
        "registration/mfa_recovery_codes.html",
        {"codes": codes, "next": reverse("mfa:overview"), "enrolled": False},
    )


@require_POST
@login_required
def remove(request: HttpRequest) -> HttpResponse:
    if _must_verify_first(request):
        return _verify_redirect(request)
    mfa.second_factor_remove(request.user)
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    messages.success(request, _("Your second factor was removed."))
    return redirect("mfa:overview")
