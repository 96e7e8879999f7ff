from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Meetings of the union, their agendas and decisions, and the priorities they adopt."""

    name = "meetings"
    verbose_name = _("Meetings and decisions")

    def ready(self) -> None:
        from core.pages import register_context, register_worklist

        from . import (
            effects,  # noqa: F401  registers the built-in decision effects
            pages,
        )

        register_context("chamber", "action_items", pages.chamber_context)
        register_worklist("invitations", pages.unanswered_invitations, order=10)
        register_worklist("overdue-action-items", pages.overdue_action_items, order=20)
        register_worklist("minutes", pages.minutes_unpublished, order=40)
        register_worklist("procedures", pages.open_procedures, order=15)
        # A closed procedure goes on the next General Assembly's agenda, once committed.
        from core.events import Phase, subscribe

        from .events import ProcedureClosed
        from .services.agenda import procedure_closed_agenda

        subscribe(ProcedureClosed, procedure_closed_agenda, phase=Phase.AFTER_COMMIT)
        # The register's stored order, after a restore (an older archive has none).
        from core.backup import after_restore

        from .models import Decision

        after_restore(Decision.date_all)
        # The union's record: every change of these is in the audit trail (core.audit).
        from core import audit

        for label in (
            "Meeting",
            "AgendaItem",
            "Vote",
            "GovernanceRules",
            "Procedure",
            "Ballot",
        ):
            audit.register(f"meetings.{label}")
        # Its stored order is kept from its other fields: not a change of its own.
        audit.register("meetings.Decision", exclude=["dated_at"])
        audit.register("meetings.Invitation", many=["delegates"])
        audit.register("meetings.MeetingDocument", exclude=["file"])
        for label in ("Priority", "ActionItem", "ProgressNote"):
            audit.register(f"meetings.{label}")
        # A contact named a meeting's delegate (core.privacy): the union's record, kept as is.
        from core import privacy

        privacy.register("delegations", collect=_delegations_of, erase=lambda c, e: 0)


def _delegations_of(contact_id: int, email: str) -> list[dict[str, object]]:
    from .models import Invitation

    return [
        {"meeting": pk, "meeting_title": title, "chamber": slug}
        for pk, title, slug in Invitation.objects.filter(delegates__pk=contact_id)
        .order_by("meeting_id")
        .values_list("meeting_id", "meeting__title", "chamber__slug")
    ]
