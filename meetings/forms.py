"""Portal forms for meetings. They validate input; the views pass the cleaned data to the
services, which hold the rules (who may answer, which delegates, which fields)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from chambers.models import Contact

from .models import RSVP, ActionItem, DecisionKind


class RSVPForm(forms.Form):
    """A chamber's answer to an invitation; delegates are offered among its active contacts."""

    response = forms.ChoiceField(
        label=_("Answer"),
        choices=[(RSVP.ATTENDING, RSVP.ATTENDING.label), (RSVP.DECLINED, RSVP.DECLINED.label)],
        widget=forms.RadioSelect,
    )
    delegates = forms.ModelMultipleChoiceField(
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
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2999)


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
