from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    """Trade and economic indicators: series, their values with every revision kept, the
    charts, and the targets that measure the union's priorities."""

    name = "indicators"
    verbose_name = _("Trade indicators")

    def ready(self) -> None:
        from core.pages import register_context

        from . import pages

        register_context("chamber", "trade", pages.chamber_context)
        register_context("priorities", "targets", pages.priorities_context)
