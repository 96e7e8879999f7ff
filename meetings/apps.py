from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Meetings of the union, their agendas and decisions, and the priorities they adopt."""

    name = "meetings"
    verbose_name = _("Meetings and decisions")

    def ready(self) -> None:
        from . import effects  # noqa: F401  registers the built-in decision effects
