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
        # The union's record: every change of these is in the audit trail (core.audit).
        from core import audit

        for label in ("Meeting", "AgendaItem", "Decision", "Vote", "GovernanceRules"):
            audit.register(f"meetings.{label}")
        audit.register("meetings.Invitation", many=["delegates"])
        audit.register("meetings.MeetingDocument", exclude=["file"])
        for label in ("Priority", "ActionItem", "ProgressNote"):
            audit.register(f"meetings.{label}")
