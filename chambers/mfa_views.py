"""The pages of the second factor: the login's overview, enrolment of an authenticator app (a
QR code made on the server, the secret as text, a code to confirm, then the recovery codes shown
once), passkeys (added and used through ``static/js/passkeys.js``), the verification step after
the password, new recovery codes and removal."""

from __future__ import annotations

import json
from typing import Any, Final
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import DEVICE_ID_SESSION_KEY

from . import mfa, passkeys
from .mfa_forms import AuthenticatorCodeForm, CodeForm

#: Recovery codes made with a first passkey, kept until the page that shows them once.
_NEW_CODES: Final = "mfa_new_recovery_codes"


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
            "passkeys": passkeys.passkeys_of(user),
            "has_device": mfa.has_device(user),
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
        request,
        "registration/mfa_verify.html",
        {"form": form, "next": _next_url(request), "has_passkey": mfa.has_passkey(request.user)},
    )


@require_POST
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    if _must_verify_first(request):
        return _verify_redirect(request)
    if not (mfa.has_authenticator(request.user) or mfa.has_passkey(request.user)):
        messages.error(request, _("Set up an authenticator app or a passkey first."))
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


# Passkeys (WebAuthn): JSON for static/js/passkeys.js ------------------------------------------


def _json_body(request: HttpRequest) -> dict[str, Any]:
    if request.content_type != "application/json":
        raise passkeys.PasskeyRefused(_("Send the browser's answer as JSON."))
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise passkeys.PasskeyRefused(_("The request is not valid JSON.")) from None
    if not isinstance(body, dict):
        raise passkeys.PasskeyRefused(_("The request is not valid JSON."))
    return body


def _refused(exc: passkeys.PasskeyRefused) -> JsonResponse:
    return JsonResponse({"detail": str(exc)}, status=400)


@require_POST
@login_required
def passkey_register_begin(request: HttpRequest) -> HttpResponse:
    if _must_verify_first(request):
        return JsonResponse({"detail": _("Give your second factor first.")}, status=403)
    return JsonResponse(passkeys.register_begin(request))


@require_POST
@login_required
def passkey_register_finish(request: HttpRequest) -> HttpResponse:
    if _must_verify_first(request):
        return JsonResponse({"detail": _("Give your second factor first.")}, status=403)
    try:
        body = _json_body(request)
        added = passkeys.register_finish(
            request, name=body.get("name", ""), credential=body.get("credential")
        )
    except passkeys.PasskeyRefused as exc:
        return _refused(exc)
    mfa.verified_login(request, added.passkey)
    if added.recovery_codes:
        request.session[_NEW_CODES] = added.recovery_codes
        target = f"{reverse('mfa:passkey-added')}?next={quote(_next_url(request))}"
    else:
        messages.success(
            request, _("The passkey “%(name)s” was added.") % {"name": added.passkey.name}
        )
        target = reverse("mfa:overview")
    return JsonResponse({"redirect": target})


@login_required
def passkey_added(request: HttpRequest) -> HttpResponse:
    """The recovery codes made with a first passkey, shown once (then gone from the session)."""
    codes = request.session.pop(_NEW_CODES, None)
    if not codes:
        return redirect("mfa:overview")
    return render(
        request,
        "registration/mfa_recovery_codes.html",
        {"codes": codes, "next": _next_url(request), "enrolled": True},
    )


@require_POST
@login_required
def passkey_auth_begin(request: HttpRequest) -> HttpResponse:
    try:
        return JsonResponse(passkeys.authenticate_begin(request))
    except passkeys.PasskeyRefused as exc:
        return _refused(exc)


@require_POST
@login_required
def passkey_auth_finish(request: HttpRequest) -> HttpResponse:
    try:
        body = _json_body(request)
        passkeys.authenticate_finish(request, credential=body.get("credential"))
    except passkeys.PasskeyRefused as exc:
        return _refused(exc)
    return JsonResponse({"redirect": _next_url(request)})


@require_POST
@login_required
def passkey_remove(request: HttpRequest, passkey_id: int) -> HttpResponse:
    if _must_verify_first(request):
        return _verify_redirect(request)
    if not passkeys.passkey_remove(request.user, passkey_id):
        raise Http404
    if not mfa.has_device(request.user):
        request.session.pop(DEVICE_ID_SESSION_KEY, None)
    messages.success(request, _("The passkey was removed."))
    return redirect("mfa:overview")
