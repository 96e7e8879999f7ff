"""The second factor of logins (django-otp): an authenticator app (TOTP), passkeys or security
keys (WebAuthn, :mod:`chambers.passkeys`), and recovery codes.

Who must give it: a login with a confirmed device, always (the login marks its session
unverified until the code is given); the secretariat (staff and superusers) when
``MFA_REQUIRED_FOR_STAFF`` is on, which also sends one without a device to enrol. Until then
:class:`SecondFactorMiddleware` lets such a session reach only the MFA pages, logging out, the
language switch and static files; a session-authenticated API call answers 403 (API tokens are
not sessions and are not affected).
"""

from __future__ import annotations

import base64
from typing import Any, Final
from urllib.parse import quote

import segno
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Passkey

#: The session key of a login that has a device and has not given its code yet.
UNVERIFIED_SESSION_KEY: Final = "mfa_unverified"
#: How many recovery codes a login gets (each works once).
RECOVERY_CODE_COUNT: Final = 10
TOTP_NAME: Final = "authenticator"
RECOVERY_NAME: Final = "recovery"

AnyUser = AbstractBaseUser | AnonymousUser


def must_use_second_factor(user: Any) -> bool:
    """The secretariat must enrol and verify when the setting is on."""
    return bool(
        settings.MFA_REQUIRED_FOR_STAFF
        and user is not None
        and user.is_authenticated
        and (user.is_staff or user.is_superuser)
    )


def has_device(user: Any) -> bool:
    """A confirmed authenticator app or recovery codes (None: a reset link of no user)."""
    return user is not None and bool(user_has_device(user, confirmed=True))


def has_authenticator(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def has_passkey(user: Any) -> bool:
    return Passkey.objects.filter(user=user, confirmed=True).exists()


def is_verified(request: HttpRequest) -> bool:
    verified = getattr(request.user, "is_verified", None)
    return bool(verified and verified())


def session_needs_verification(request: HttpRequest) -> bool:
    """This session must give (or enrol) a second factor before it reaches anything else."""
    user = request.user
    if not user.is_authenticated:
        return False
    if not (request.session.get(UNVERIFIED_SESSION_KEY) or must_use_second_factor(user)):
        return False
    return not is_verified(request)


def verified_login(request: HttpRequest, device: Device) -> None:
    """The session has given its second factor with ``device``."""
    otp_login(request, device)
    request.session.pop(UNVERIFIED_SESSION_KEY, None)


@receiver(user_logged_in, dispatch_uid="chambers.mfa.mark_unverified")
def _mark_unverified(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Any login by password (the portal's, the admin's, a password reset's) of a user with a
    device leaves the session unverified until the code is given."""
    if request is None or not hasattr(request, "session"):
        return
    if DEVICE_ID_SESSION_KEY in request.session:  # logged in with the second factor already
        return
    if has_device(user):
        request.session[UNVERIFIED_SESSION_KEY] = True


# Enrolment ---------------------------------------------------------------------------------


def totp_pending(user: Any) -> TOTPDevice:
    """The user's authenticator being set up (unconfirmed): the same secret until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def totp_secret(device: TOTPDevice) -> str:
    """The secret as authenticator apps ask for it when typed in (base32, in groups of four)."""
    raw = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def totp_qr_svg(device: TOTPDevice, account: str) -> str:
    """The ``otpauth://`` address of the device as an inline SVG QR code (made here, no CDN)."""
    issuer = str(getattr(settings, "OTP_TOTP_ISSUER", "Union secretariat"))
    url = (
        f"otpauth://totp/{quote(issuer)}:{quote(account)}"
        f"?secret={totp_secret(device).replace(' ', '')}&issuer={quote(issuer)}"
        f"&algorithm=SHA1&digits={device.digits}&period={device.step}"
    )
    qr = segno.make(url, error="m")
    svg: str = qr.svg_inline(scale=4, dark="#000", light="#fff", omitsize=True)
    return svg


@transaction.atomic
def totp_confirm(device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator with a code from it: the user's other authenticators are
    replaced and new recovery codes made (returned, to be shown once). None if the code is
    wrong."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if not device.verify_token(token.strip().replace(" ", "")):
        return None
    TOTPDevice.objects.filter(user=device.user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_replace(device.user)


@transaction.atomic
def recovery_codes_replace(user: Any) -> list[str]:
    """New recovery codes for the user (the old ones stop working); each works once."""
    static, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    static.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def second_factor_remove(user: Any) -> None:
    """Remove every second factor of the user: authenticator, passkeys and recovery codes."""
    TOTPDevice.objects.filter(user=user).delete()
    Passkey.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def match_code(user: Any, code: str) -> Device | None:
    """The device (authenticator or recovery codes) that accepts ``code``, or None. A recovery
    code is used up; the authenticator's throttling slows down guessing."""
    code = code.strip().replace(" ", "").lower()
    if not code:
        return None
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if device.verify_token(code):
                return device
    return None


# The gate ----------------------------------------------------------------------------------

#: What an unverified session may still reach (besides the MFA pages themselves).
_OPEN_PATHS: Final = ("/accounts/logout/", "/i18n/setlang/", "/favicon.ico")


def _open_path(path: str) -> bool:
    static = "/" + settings.STATIC_URL.lstrip("/")
    return path.startswith(("/accounts/mfa/", static, *_OPEN_PATHS))


class SecondFactorMiddleware:
    """Sends a session that must give or enrol a second factor to the MFA pages (after
    django-otp's ``OTPMiddleware``)."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _open_path(request.path_info) and session_needs_verification(request):
            if request.path_info.startswith("/api/"):
                if "HTTP_AUTHORIZATION" not in request.META:  # a session, not a token
                    return JsonResponse(
                        {"detail": _("Give your second factor in the portal first.")},
                        status=403,
                    )
            else:
                target = "mfa:verify" if has_device(request.user) else "mfa:setup"
                next_url = quote(request.get_full_path())
                return HttpResponseRedirect(f"{reverse(target)}?next={next_url}")
        response: HttpResponse = self.get_response(request)
        return response
