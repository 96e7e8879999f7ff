from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = _("Reminders")

    def ready(self) -> None:
        from core.events import Phase, subscribe
        from meetings.events import DecisionAdopted, MeetingCreated, MeetingUpdated

        from .services import scan_requested

        # A meeting saved or a decision adopted can make a reminder due today: scan after
        # commit, so it goes out now rather than at tomorrow's daily scan.
        for event in (MeetingCreated, MeetingUpdated, DecisionAdopted):
            subscribe(event, scan_requested, phase=Phase.AFTER_COMMIT)
        # The secretariat's worklist (/secretariat/): reminders that failed.
        from core.pages import register_worklist

        from . import pages

        register_worklist("failed-reminders", pages.failed_reminders, order=50)
