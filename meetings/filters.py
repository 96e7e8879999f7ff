"""Filters of meetings and decisions, shared by the API and the portal."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from core.bounds import YEARS

from .models import Decision, DecisionKind, Meeting, MeetingKind, MeetingStatus


class MeetingFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=MeetingKind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices, label=_("Status"))
    year = django_filters.NumberFilter(
        field_name="starts_at",
        lookup_expr="year",
        min_value=YEARS[0],
        max_value=YEARS[1],
        label=_("Year"),
    )

    class Meta:
        model = Meeting
        fields = ["kind", "status", "year"]


class DecisionFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=DecisionKind.choices, label=_("Kind"))
    meeting = django_filters.NumberFilter(field_name="meeting_id", min_value=1, label=_("Meeting"))
    year = django_filters.NumberFilter(
        field_name="meeting__starts_at",
        lookup_expr="year",
        min_value=YEARS[0],
        max_value=YEARS[1],
        label=_("Year"),
    )

    class Meta:
        model = Decision
        fields = ["kind", "meeting", "year"]
