from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    """Signed HTTP notifications of the union's events to subscribers' systems."""

    name = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from core.pages import register_worklist

        from . import events, pages

        events.subscribe_all()
        register_worklist("failed-deliveries", pages.failed_deliveries, order=60)
