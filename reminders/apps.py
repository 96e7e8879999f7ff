from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = _("Reminders")

    def ready(self) -> None:
        from core.events import Phase, subscribe
        from meetings.events import (
            AgendaChanged,
            ChambersInvited,
            DecisionAdopted,
            DecisionPublished,
            DocumentAdded,
            MeetingCreated,
            MeetingUpdated,
            ProcedureClosed,
            ProcedureOpened,
        )

        from . import services

        # A meeting saved, a decision adopted or a written procedure opened can make a reminder
        # due today: scan after commit, so it goes out now rather than at tomorrow's daily scan.
        for event in (MeetingCreated, MeetingUpdated, DecisionAdopted, ProcedureOpened):
            subscribe(event, services.scan_requested, phase=Phase.AFTER_COMMIT)
        # Notices: their log rows are made in the emitting transaction (they exist exactly
        # when the change commits) and published after it, through the outbox.
        subscribe(ChambersInvited, services.notice_chambers_invited, phase=Phase.IN_TRANSACTION)
        subscribe(DocumentAdded, services.notice_meeting_changed, phase=Phase.IN_TRANSACTION)
        subscribe(AgendaChanged, services.notice_meeting_changed, phase=Phase.IN_TRANSACTION)
        subscribe(DecisionAdopted, services.notice_decision_adopted, phase=Phase.IN_TRANSACTION)
        subscribe(DecisionPublished, services.notice_decision_published, phase=Phase.IN_TRANSACTION)
        subscribe(ProcedureOpened, services.notice_procedure_opened, phase=Phase.IN_TRANSACTION)
        subscribe(ProcedureClosed, services.notice_procedure_closed, phase=Phase.IN_TRANSACTION)
        # The secretariat's worklist (/secretariat/): reminders that failed.
        from core.pages import register_worklist

        from . import pages

        register_worklist("failed-reminders", pages.failed_reminders, order=50)
        # What the reminders' log holds about a person (core.privacy): the address a reminder
        # went to, and its language; erased, the address says so.
        from core import privacy

        privacy.register(
            "reminders", collect=services.personal_data_of, erase=services.personal_data_erase
        )
