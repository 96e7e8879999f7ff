from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    """Signed HTTP notifications of the union's events to subscribers' systems."""

    name = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from . import events

        events.subscribe_all()
