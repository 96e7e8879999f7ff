from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChambersConfig(AppConfig):
    """Member chambers, their membership history, contacts, member logins and API tokens."""

    name = "chambers"
    verbose_name = _("Chambers")
