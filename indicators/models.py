"""Trade and economic indicators as data.

A :class:`Series` is what is measured: a reporter (a member's country), a partner (a country,
the union as a whole, or the world), a flow (exports, imports, turnover, balance, or a named
indicator such as the share of intra-union trade) and a unit. A :class:`Value` is the figure
of one period of a series, an exact decimal with its source; the same (series, period) is one
value, and each change of it is a :class:`Revision`, so the history of a figure (a ministry's
preliminary number, then its final one) is kept. Values are written by
:mod:`indicators.services` only.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import CountryField

from core.bounds import validate_single_line

from .periods import Period

#: The partners that are not one country.
UNION, WORLD = "union", "world"
PARTNER_LABELS = {UNION: _("the union"), WORLD: _("the world")}


class Flow(models.TextChoices):
    EXPORTS = "exports", _("Exports")
    IMPORTS = "imports", _("Imports")
    TURNOVER = "turnover", _("Turnover")
    BALANCE = "balance", _("Balance")
    INDICATOR = "indicator", _("Named indicator")


class Series(models.Model):
    reporter = CountryField(_("reporter"))
    #: A country's ISO code, ``union`` (the members together) or ``world``.
    partner = models.CharField(_("partner"), max_length=8)
    flow = models.CharField(_("flow"), max_length=10, choices=Flow.choices)
    #: A named indicator's stable key (``intra-union-share``); empty for the four flows.
    key = models.SlugField(_("key"), max_length=60, blank=True)
    #: A named indicator's name, in every working language (the flows are named by the flow).
    name = models.CharField(
        _("name"), max_length=200, blank=True, validators=[validate_single_line]
    )
    unit = models.CharField(_("unit"), max_length=20, validators=[validate_single_line])
    #: What the union publishes: the public sees published series only; members see all.
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = models.Manager()  # named: the type checker reads it (modeltranslation wraps it)

    class Meta:
        ordering = ["reporter", "flow", "key", "partner", "unit", "pk"]
        verbose_name = _("indicator series")
        verbose_name_plural = _("indicator series")
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "partner", "flow", "key", "unit"],
                name="indicator_series_unique",
            ),
            models.CheckConstraint(
                condition=~models.Q(flow="indicator") | ~models.Q(key=""),
                name="indicator_series_named_has_key",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def latest(self) -> Value | None:
        """The value of the period that ends last (the later start when two end together), as
        ``selectors.latest_values`` picks it; from the prefetch of ``selectors.with_values``."""
        values = list(self.values.all())
        return max(values, key=lambda v: (v.period_end, v.period_start), default=None)

    @property
    def partner_label(self) -> str:
        if self.partner in PARTNER_LABELS:
            return str(PARTNER_LABELS[self.partner])
        return str(dict(countries).get(self.partner, self.partner))

    @property
    def what(self) -> str:
        """The flow's name, or the named indicator's (in the active language)."""
        if self.flow == Flow.INDICATOR:
            return self.name or self.key
        return str(self.get_flow_display())

    @property
    def title(self) -> str:
        """Kazakhstan – Türkiye: Exports (USD), in the active language."""
        return _("%(reporter)s – %(partner)s: %(what)s (%(unit)s)") % {
            "reporter": self.reporter.name,
            "partner": self.partner_label,
            "what": self.what,
            "unit": self.unit,
        }


class Value(models.Model):
    series = models.ForeignKey(
        Series, on_delete=models.CASCADE, related_name="values", verbose_name=_("series")
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    value = models.DecimalField(_("value"), max_digits=24, decimal_places=6)
    source_name = models.CharField(_("source"), max_length=300, validators=[validate_single_line])
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    #: How many times the figure was written (1: never revised).
    revision = models.PositiveIntegerField(_("revision"), default=1)
    recorded_at = models.DateTimeField(_("recorded"))
    recorded_by = models.CharField(_("recorded by"), max_length=150, blank=True)

    class Meta:
        ordering = ["series", "period_start", "period_end"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "period_start", "period_end"], name="indicator_value_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="indicator_value_period_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.period}: {self.value}"

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_end)


class Revision(models.Model):
    """One version of a value, the first included: what it was, from which source, when."""

    entry = models.ForeignKey(
        Value, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("value")
    )
    number = models.PositiveIntegerField(_("revision"))
    value = models.DecimalField(_("value"), max_digits=24, decimal_places=6)
    source_name = models.CharField(_("source"), max_length=300)
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(_("recorded"))
    recorded_by = models.CharField(_("recorded by"), max_length=150, blank=True)

    class Meta:
        ordering = ["entry", "number"]
        verbose_name = _("revision of a value")
        verbose_name_plural = _("revisions of values")
        constraints = [
            models.UniqueConstraint(fields=["entry", "number"], name="indicator_revision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} #{self.number}: {self.value}"


class Target(models.Model):
    """A priority measured by an indicator: from a baseline to a target value by a date."""

    priority = models.ForeignKey(
        "meetings.Priority",
        on_delete=models.CASCADE,
        related_name="indicator_targets",
        verbose_name=_("priority"),
    )
    series = models.ForeignKey(
        Series, on_delete=models.PROTECT, related_name="targets", verbose_name=_("series")
    )
    baseline = models.DecimalField(_("baseline"), max_digits=24, decimal_places=6)
    baseline_period = models.CharField(_("baseline period"), max_length=20)
    target = models.DecimalField(_("target value"), max_digits=24, decimal_places=6)
    target_date = models.DateField(_("target date"))

    class Meta:
        ordering = ["priority", "pk"]
        verbose_name = _("target indicator")
        verbose_name_plural = _("target indicators")
        constraints = [
            models.UniqueConstraint(fields=["priority", "series"], name="indicator_target_unique")
        ]

    def __str__(self) -> str:
        return f"{self.series}: {self.target}"
