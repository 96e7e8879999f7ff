from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared plumbing (and the audit trail's one model). Listed first so every app may
    register into it."""

    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401  registers the secrets check
        from .sessions import stamp_login

        user_logged_in.connect(stamp_login, dispatch_uid="core.sessions.stamp_login")
