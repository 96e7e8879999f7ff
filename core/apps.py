from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared plumbing; no models. Listed first so every app may register into it."""

    name = "core"
    verbose_name = _("Core")
