"""Filters of the chamber list, shared by the API and the portal."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.translated import codes, column

from .models import STATUS_CHOICES, Chamber


class CountryCodeField(forms.ChoiceField):
    """An ISO 3166-1 alpha-2 code, accepted in either case (``kz`` or ``KZ``)."""

    def to_python(self, value: Any) -> str:
        return super().to_python(value).upper()


class CountryCodeFilter(django_filters.ChoiceFilter):
    field_class = CountryCodeField


class ChamberFilter(django_filters.FilterSet):
    country = CountryCodeFilter(
        choices=lambda: [(code, name) for code, name in countries],
        label=_("Country (ISO 3166-1 alpha-2)"),
    )
    status = django_filters.ChoiceFilter(choices=STATUS_CHOICES, label=_("Status today"))
    q = django_filters.CharFilter(method="filter_q", label=_("Search"), max_length=100)

    class Meta:
        model = Chamber
        fields = ["country", "status", "q"]

    def filter_q(self, queryset: QuerySet[Chamber], name: str, value: str) -> QuerySet[Chamber]:
        value = value.strip()
        if not value:
            return queryset
        match = Q(slug__icontains=value)
        for name in ("name", "short_name", "city"):  # in every working language
            for code in codes():
                match |= Q(**{f"{column(name, code)}__icontains": value})
        return queryset.filter(match)
