"""Portal forms for meetings. They validate input; the views pass the cleaned data to the
services, which hold the rules (who may answer, which delegates, which fields)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from chambers.models import Chamber, Contact
from core.bounds import YEARS
from core.forms import TranslationsFormField

from .effect_forms import EffectsField
from .models import (
    RSVP,
    ActionItem,
    Decision,
    DecisionKind,
    DecisionMethod,
    Invitation,
    MeetingStatus,
    VoteChoice,
)


class RSVPForm(forms.Form):
    """A chamber's answer to an invitation; delegates are offered among its active contacts."""

    response = forms.ChoiceField(
        label=_("Answer"),
        choices=[(RSVP.ATTENDING, RSVP.ATTENDING.label), (RSVP.DECLINED, RSVP.DECLINED.label)],
        widget=forms.RadioSelect,
    )
    delegates: forms.ModelMultipleChoiceField[Contact] = forms.ModelMultipleChoiceField(
        label=_("Delegates"),
        queryset=Contact.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose among your chamber's active contacts."),
    )

    def __init__(self, *args: Any, contacts: QuerySet[Contact], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        delegates = cast("forms.ModelMultipleChoiceField[Contact]", self.fields["delegates"])
        delegates.queryset = contacts


class DecisionFilterForm(forms.Form):
    """The decisions register's filters (GET parameters); both are optional."""

    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *DecisionKind.choices], required=False
    )
    year = forms.IntegerField(
        label=_("Year"), required=False, min_value=YEARS[0], max_value=YEARS[1]
    )


class ActionItemUpdateForm(forms.Form):
    """What the responsible chamber reports on an action item: status, progress and a note."""

    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    note = forms.CharField(
        label=_("Progress note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional; saved with today's date."),
    )


# The session workspace (staff) -------------------------------------------------------------

PRESENT_CHOICES = [("", _("Not recorded")), ("yes", _("Present")), ("no", _("Absent"))]


class CheckInForm(forms.Form):
    """The check-in of every invited chamber at once: present or absent, and its delegates
    among its active contacts. Fields are ``present-<chamber id>`` and
    ``delegates-<chamber id>``."""

    def __init__(
        self,
        *args: Any,
        invitations: list[Invitation],
        contacts: dict[int, list[Contact]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rows: list[tuple[Invitation, forms.BoundField, forms.BoundField | None]] = []
        for invitation in invitations:
            cid = invitation.chamber_id
            present = "" if invitation.present is None else ("yes" if invitation.present else "no")
            self.fields[f"present-{cid}"] = forms.ChoiceField(
                label=_("Attendance of %(chamber)s") % {"chamber": invitation.chamber.short_name},
                choices=PRESENT_CHOICES,
                required=False,
                initial=present,
                widget=forms.RadioSelect,
            )
            people = contacts.get(cid, [])
            if people:
                self.fields[f"delegates-{cid}"] = forms.TypedMultipleChoiceField(
                    label=_("Delegates of %(chamber)s")
                    % {"chamber": invitation.chamber.short_name},
                    choices=[(c.pk, c.name) for c in people],
                    coerce=int,
                    required=False,
                    initial=[d.pk for d in invitation.delegates.all()],
                    widget=forms.CheckboxSelectMultiple,
                )
            delegates = self[f"delegates-{cid}"] if people else None
            self.rows.append((invitation, self[f"present-{cid}"], delegates))
        self._contacts = {c.pk: c for people in contacts.values() for c in people}

    def entries(self) -> list[tuple[Invitation, bool | None, list[Contact] | None]]:
        """The rows that changed: (invitation, present, delegates or None if unchanged)."""
        changed = set(self.changed_data)
        result = []
        for invitation, _present, _delegates in self.rows:
            cid = invitation.chamber_id
            if f"present-{cid}" not in changed and f"delegates-{cid}" not in changed:
                continue
            value = self.cleaned_data.get(f"present-{cid}")
            present = None if not value else value == "yes"
            delegates = None
            if f"delegates-{cid}" in changed:
                delegates = [self._contacts[pk] for pk in self.cleaned_data[f"delegates-{cid}"]]
            result.append((invitation, present, delegates))
        return result


class VotesForm(forms.Form):
    """The votes of the full members present on one decision, ``vote-<chamber id>``; a vote
    already recorded is shown, not asked again."""

    def __init__(self, *args: Any, chambers: list[Chamber], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for chamber in chambers:
            self.fields[f"vote-{chamber.pk}"] = forms.ChoiceField(
                label=chamber.short_name,
                choices=[("", "—"), *VoteChoice.choices],
                required=False,
            )
        self.chambers = {chamber.pk: chamber for chamber in chambers}

    def votes(self) -> list[tuple[Chamber, str]]:
        return [
            (chamber, self.cleaned_data[f"vote-{pk}"])
            for pk, chamber in self.chambers.items()
            if self.cleaned_data.get(f"vote-{pk}")
        ]


class DecisionAddForm(forms.Form):
    """A draft decision on the session's agenda, its effects as forms."""

    kind = forms.ChoiceField(label=_("Kind"), choices=DecisionKind.choices)
    # In every working language at once (core.forms); the service takes them as columns.
    title = TranslationsFormField(Decision._meta.get_field("title"), label=_("Title"))
    text = TranslationsFormField(Decision._meta.get_field("text"), label=_("Text"))
    method = forms.ChoiceField(label=_("Method"), choices=DecisionMethod.choices)
    effects = EffectsField(label=_("Effects"))
    published = forms.BooleanField(
        label=_("Public once adopted"),
        required=False,
        initial=True,
        help_text=_("Published decisions are in the public register and announced to members."),
    )


class MeetingStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=MeetingStatus.choices)
