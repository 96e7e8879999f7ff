from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    """Personal, secret iCalendar subscription URLs for each portal user."""

    name = "calendars"
    verbose_name = _("Calendar subscriptions")
