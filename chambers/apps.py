from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChambersConfig(AppConfig):
    """Member chambers, their membership history, contacts, member logins and API tokens."""

    name = "chambers"
    verbose_name = _("Chambers")

    def ready(self) -> None:
        from . import schema  # noqa: F401  registers the token scheme with drf-spectacular
