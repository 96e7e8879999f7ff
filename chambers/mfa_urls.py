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
]
