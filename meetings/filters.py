"""Filters of meetings and decisions, shared by the API and the portal."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.bounds import YEARS

from .models import (
    Decision,
    DecisionKind,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Procedure,
    ProcedureMode,
    ProcedureState,
)


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
    # An id the database can hold: a larger number is a 400, never an overflow (500).
    meeting = django_filters.NumberFilter(
        field_name="meeting_id", min_value=1, max_value=2**31 - 1, label=_("Meeting")
    )
    year = django_filters.NumberFilter(
        method="filter_year", min_value=YEARS[0], max_value=YEARS[1], label=_("Year")
    )

    class Meta:
        model = Decision
        fields = ["kind", "meeting", "year"]

    def filter_year(
        self, queryset: QuerySet[Decision], name: str, value: int
    ) -> QuerySet[Decision]:
        return queryset.filter(year_q(int(value)))


def year_q(year: int) -> Q:
    """A decision of ``year``: its meeting's, or the year it is numbered in between sessions."""
    return Q(meeting__starts_at__year=year) | Q(meeting__isnull=True, year=year)


class ProcedureFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=ProcedureState.choices, label=_("State"))
    mode = django_filters.ChoiceFilter(choices=ProcedureMode.choices, label=_("Mode"))
    year = django_filters.NumberFilter(
        field_name="closes_at",
        lookup_expr="year",
        min_value=YEARS[0],
        max_value=YEARS[1],
        label=_("Year of the deadline"),
    )

    class Meta:
        model = Procedure
        fields = ["state", "mode", "year"]
