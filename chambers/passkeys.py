"""Passkeys and security keys (WebAuthn) as a second factor, with Yubico's python-fido2 as the
relying party: registration and authentication are each a challenge the server makes
(``*_begin``, kept in the session) and a signed answer from the browser that it checks
(``*_finish``): the origin, the challenge, the relying party's id, user presence, and for an
authentication the signature with the stored public key and a growing signature counter.

The relying party id is ``WEBAUTHN_RP_ID``, or the host the browser asked for (checked by
``ALLOWED_HOSTS``). Browsers offer WebAuthn on HTTPS origins and on ``http://localhost``; a
passkey belongs to that id, so one registered on ``union.example`` is not offered elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from fido2.server import Fido2Server
from fido2.utils import websafe_encode
from fido2.webauthn import (
    AttestedCredentialData,
    AuthenticationResponse,
    PublicKeyCredentialRpEntity,
    PublicKeyCredentialUserEntity,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from . import mfa
from .models import Passkey

_REGISTER_STATE: Final = "passkey_register_state"
_AUTH_STATE: Final = "passkey_auth_state"
NAME_MAX: Final = 64


class PasskeyRefused(Exception):
    """The browser's answer does not prove what it must: the message says why, for the page."""


@dataclass(frozen=True)
class Added:
    passkey: Passkey
    recovery_codes: list[str]  # made when this is the login's first second factor, else empty


def rp_id(request: HttpRequest) -> str:
    return settings.WEBAUTHN_RP_ID or (urlsplit(f"//{request.get_host()}").hostname or "")


def _server(request: HttpRequest) -> Fido2Server:
    return Fido2Server(
        PublicKeyCredentialRpEntity(name=settings.OTP_TOTP_ISSUER, id=rp_id(request))
    )


def passkeys_of(user: Any) -> list[Passkey]:
    return list(Passkey.objects.filter(user=user, confirmed=True))


def _credentials(user: Any) -> list[AttestedCredentialData]:
    return [AttestedCredentialData(bytes(p.credential_data)) for p in passkeys_of(user)]


def register_begin(request: HttpRequest) -> dict[str, Any]:
    """The options for ``navigator.credentials.create()`` (JSON), excluding the login's
    passkeys already registered; the challenge is kept in the session."""
    user = request.user
    assert user.is_authenticated  # the views are login_required
    options, state = _server(request).register_begin(
        PublicKeyCredentialUserEntity(
            id=str(user.pk).encode(),
            name=user.get_username(),
            display_name=user.get_full_name() or user.get_username(),
        ),
        credentials=_credentials(user),
        resident_key_requirement=ResidentKeyRequirement.PREFERRED,
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    request.session[_REGISTER_STATE] = state
    return dict(options)


def register_finish(request: HttpRequest, *, name: str, credential: Any) -> Added:
    """Check the browser's answer to the registration challenge and keep the passkey. The
    login's first second factor also gets recovery codes (a lost passkey must not lock out)."""
    state = request.session.pop(_REGISTER_STATE, None)
    if state is None:
        raise PasskeyRefused(_("The request to add a passkey expired: try again."))
    name = " ".join(str(name or "").split())[:NAME_MAX] or _("Passkey")
    try:
        auth_data = _server(request).register_complete(state, credential)
    except (ValueError, KeyError, TypeError) as exc:
        raise PasskeyRefused(
            _("The browser's answer was refused: %(reason)s") % {"reason": exc}
        ) from exc
    data = auth_data.credential_data
    if data is None:
        raise PasskeyRefused(_("The browser sent no credential."))
    user = request.user
    first = not mfa.has_device(user)
    try:
        with transaction.atomic():
            passkey = Passkey.objects.create(
                user=user,
                name=name,
                confirmed=True,
                credential_id=data.credential_id,
                credential_data=bytes(data),
                sign_count=auth_data.counter,
            )
            codes = mfa.recovery_codes_replace(user) if first else []
    except IntegrityError:
        raise PasskeyRefused(_("This passkey is registered already.")) from None
    return Added(passkey, codes)


def authenticate_begin(request: HttpRequest) -> dict[str, Any]:
    """The options for ``navigator.credentials.get()`` (JSON), offering the login's passkeys;
    the challenge is kept in the session."""
    credentials = _credentials(request.user)
    if not credentials:
        raise PasskeyRefused(_("Your login has no passkey."))
    options, state = _server(request).authenticate_begin(
        credentials, user_verification=UserVerificationRequirement.PREFERRED
    )
    request.session[_AUTH_STATE] = state
    return dict(options)


def authenticate_finish(request: HttpRequest, *, credential: Any) -> Passkey:
    """Check the browser's signed answer to the challenge with the stored public key; the
    session is then verified with that passkey. A signature counter that did not grow (when the
    authenticator keeps one) means a copied key: refused."""
    state = request.session.pop(_AUTH_STATE, None)
    if state is None:
        raise PasskeyRefused(_("The sign-in with a passkey expired: try again."))
    user = request.user
    try:
        used = _server(request).authenticate_complete(state, _credentials(user), credential)
        counter = AuthenticationResponse.from_dict(credential).response.authenticator_data.counter
    except (ValueError, KeyError, TypeError) as exc:
        raise PasskeyRefused(
            _("The browser's answer was refused: %(reason)s") % {"reason": exc}
        ) from exc
    with transaction.atomic():
        passkey = Passkey.objects.select_for_update().get(
            user=user, credential_id=used.credential_id
        )
        if (counter or passkey.sign_count) and counter <= passkey.sign_count:
            raise PasskeyRefused(
                _("This passkey's counter went back: it may have been copied. Use another factor.")
            )
        passkey.sign_count = counter
        passkey.last_used_at = timezone.now()
        passkey.save(update_fields=["sign_count", "last_used_at"])
    mfa.verified_login(request, passkey)
    return passkey


def passkey_remove(user: Any, passkey_id: int) -> bool:
    return bool(Passkey.objects.filter(user=user, pk=passkey_id).delete()[0])


def credential_id_text(passkey: Passkey) -> str:
    """The credential's id as browsers show it (base64url), to tell keys apart."""
    return websafe_encode(bytes(passkey.credential_id))
