from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """Exports to CSV and XLSX, and validated all-or-nothing imports from them."""

    name = "exchange"
    verbose_name = _("Imports and exports")
