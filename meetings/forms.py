"""Portal forms for meetings. They validate input; the views pass the cleaned data to the
services, which hold the rules (who may answer, which delegates, which fields)."""

from __future__ import annotations

import zoneinfo
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chambers.models import Chamber, Contact
from core.bounds import YEARS
from core.forms import TranslationsFormField

from .effect_forms import EffectsField
from .models import (
    MODE_ANSWERS,
    RSVP,
    ActionItem,
    BallotAnswer,
    Decision,
    DecisionKind,
    DecisionMethod,
    Invitation,
    MeetingStatus,
    Procedure,
    ProcedureMode,
    VoteChoice,
    validate_time_zone,
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

    def __init__(
        self,
        *args: Any,
        contacts: QuerySet[Contact],
        holders: list[Chamber] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        delegates = cast("forms.ModelMultipleChoiceField[Contact]", self.fields["delegates"])
        delegates.queryset = contacts
        self.holders = {chamber.pk: chamber for chamber in holders or []}
        if holders is not None:
            self.fields["proxy"] = forms.TypedChoiceField(
                label=_("Give our vote to"),
                choices=[("", _("No proxy")), *((c.pk, c.short_name) for c in holders)],
                coerce=int,
                empty_value=None,
                required=False,
                help_text=_(
                    "If your chamber does not attend, a full member that attends may vote for it."
                ),
            )

    def proxy(self) -> Chamber | None:
        """The chamber chosen to hold the proxy (among those offered), or None."""
        chosen = self.cleaned_data.get("proxy")
        return self.holders.get(chosen) if chosen else None


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

    def __init__(
        self,
        *args: Any,
        chambers: list[Chamber],
        proxies: dict[int, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        proxies = proxies or {}
        for chamber in chambers:
            label = chamber.short_name
            if chamber.pk in proxies:
                label = _("%(chamber)s (by proxy: %(holder)s)") % {
                    "chamber": chamber.short_name,
                    "holder": proxies[chamber.pk],
                }
            self.fields[f"vote-{chamber.pk}"] = forms.ChoiceField(
                label=label,
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


class ProcedureOpenForm(forms.Form):
    """Put a draft decision to written procedure: the mode, the deadline in a named time zone,
    and the letter in every working language."""

    mode = forms.ChoiceField(
        label=_("Mode"), choices=ProcedureMode.choices, widget=forms.RadioSelect
    )
    closes_at = forms.DateTimeField(
        label=_("Deadline"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    time_zone = forms.CharField(
        label=_("Time zone of the deadline"),
        validators=[validate_time_zone],
        help_text=_("An IANA name, such as Asia/Almaty or Europe/Istanbul."),
    )
    letter = TranslationsFormField(Procedure._meta.get_field("letter"), label=_("Letter"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        when, zone = data.get("closes_at"), data.get("time_zone")
        if when is not None and zone:
            # The form read the wall time in the server's zone; it is meant in the one named.
            wall = timezone.make_naive(when) if timezone.is_aware(when) else when
            data["closes_at"] = wall.replace(tzinfo=zoneinfo.ZoneInfo(zone))
        return data


class BallotForm(forms.Form):
    """A voting chamber's answer; the secretariat's form also names the chamber and the day a
    paper answer arrived."""

    answer = forms.ChoiceField(label=_("Your answer"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required with an objection."),
    )

    def __init__(
        self,
        *args: Any,
        mode: str,
        voters: list[Chamber] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        answer = cast("forms.ChoiceField", self.fields["answer"])
        answer.choices = [(a, BallotAnswer(a).label) for a in MODE_ANSWERS[ProcedureMode(mode)]]
        if voters is not None:  # the secretariat's paper answer
            answer.label = _("Answer")
            self.fields["chamber"] = forms.TypedChoiceField(
                label=_("Chamber"),
                choices=[("", "—"), *((c.pk, c.short_name) for c in voters)],
                coerce=int,
            )
            self.fields["received_on"] = forms.DateField(
                label=_("Received on"),
                widget=forms.DateInput(attrs={"type": "date"}),
                initial=timezone.localdate,
            )
            self.order_fields(["chamber", "answer", "reason", "received_on"])
