"""``python manage.py close_procedures``: close the written procedures whose deadline has
passed, as the beat does every minute (safe to run at the same time as it)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meetings.services import outcome_of, procedures_close_due


class Command(BaseCommand):
    help = "Close the written procedures whose deadline has passed and apply their outcome."

    def handle(self, *args: Any, **options: Any) -> None:
        closed = procedures_close_due()
        for procedure in closed:
            outcome = outcome_of(procedure)
            verdict = _("adopted") if procedure.adopted else _("not adopted")
            reasons = procedure.refusal or " ".join(outcome.reasons)
            line = f"{procedure.decision.reference}: {verdict}"
            self.stdout.write(f"{line} ({reasons})" if reasons else line)
        count = len(closed)
        self.stdout.write(
            ngettext("%(count)s procedure closed.", "%(count)s procedures closed.", count)
            % {"count": count}
        )
