"""The second factor's pages, under ``/accounts/mfa/`` (config/urls.py)."""

from django.urls import path

from . import mfa_views

app_name = "mfa"

urlpatterns = [
    path("", mfa_views.overview, name="overview"),
    path("setup/", mfa_views.setup, name="setup"),
    path("verify/", mfa_views.verify, name="verify"),
    path("recovery-codes/", mfa_views.recovery_codes, name="recovery-codes"),
    path("remove/", mfa_views.remove, name="remove"),
    path(
        "passkeys/register/begin/", mfa_views.passkey_register_begin, name="passkey-register-begin"
    ),
    path(
        "passkeys/register/finish/",
        mfa_views.passkey_register_finish,
        name="passkey-register-finish",
    ),
    path("passkeys/added/", mfa_views.passkey_added, name="passkey-added"),
    path("passkeys/auth/begin/", mfa_views.passkey_auth_begin, name="passkey-auth-begin"),
    path("passkeys/auth/finish/", mfa_views.passkey_auth_finish, name="passkey-auth-finish"),
    path("passkeys/<int:passkey_id>/remove/", mfa_views.passkey_remove, name="passkey-remove"),
]
