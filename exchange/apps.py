from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """Exports to CSV and XLSX, and validated all-or-nothing imports from them."""

    name = "exchange"
    verbose_name = _("Imports and exports")

    def ready(self) -> None:
        from core import background
        from core.admin import register_action

        from .api import document_file_started

        # The files the lower apps ask for by name (a meeting's agenda pack), built here.
        background.register_starter(document_file_started)

        from .actions import export_csv, export_xlsx
        from .tables import BY_MODEL

        # "Export selected as CSV/XLSX" on every register that has an export.
        for model in BY_MODEL:
            register_action(model._meta.label_lower, export_csv)
            register_action(model._meta.label_lower, export_xlsx)
