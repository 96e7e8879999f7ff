"""What an adopted decision does: a registry of effect types.

An effect is a JSON object with a ``type`` and its fields, stored on the decision. Each type
says which decision kinds may carry it, how its fields are validated, and how it is applied.
Validation runs when the decision is recorded and again on adoption; applying runs inside the
adoption's transaction, so an effect that fails (a :class:`DomainError`) undoes the adoption.
Other apps (the rotation) register their own types in their ``AppConfig.ready``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from chambers import services as chamber_services
from chambers.models import FORMER, STATUS_CHOICES, Chamber, Contact
from core import bounds
from core.errors import DomainError

if TYPE_CHECKING:
    from core.access import Access

    from .models import Decision


@dataclass(frozen=True)
class EffectType:
    name: str
    kinds: frozenset[str]
    fields: type[serializers.Serializer]
    apply: Callable[..., None]
    label: Any = None


REGISTRY: dict[str, EffectType] = {}


def register(effect: EffectType) -> EffectType:
    REGISTRY[effect.name] = effect
    return effect


def validate_effects(kind: str, effects: Any) -> list[dict]:
    """Check a decision's effects against its kind; return them normalised (JSON-ready)."""
    if effects is None:
        effects = []
    if not isinstance(effects, list):
        raise DomainError(_("Effects must be a list of objects."), field="effects")
    normalised = []
    for index, effect in enumerate(effects):
        if not isinstance(effect, dict) or not isinstance(effect.get("type"), str):
            raise DomainError(
                _("Effect %(index)s needs a type.") % {"index": index + 1}, field="effects"
            )
        effect_type = REGISTRY.get(effect["type"])
        if effect_type is None:
            raise DomainError(
                _("Effect %(index)s: unknown type %(type)s.")
                % {"index": index + 1, "type": effect["type"]},
                field="effects",
            )
        if kind not in effect_type.kinds:
            raise DomainError(
                _("Effect %(index)s (%(type)s) is not for a decision of this kind.")
                % {"index": index + 1, "type": effect_type.label or effect["type"]},
                field="effects",
            )
        fields = effect_type.fields(data={k: v for k, v in effect.items() if k != "type"})
        if not fields.is_valid():
            where, error = first_error(fields.errors)
            raise DomainError(
                _("Effect %(index)s, %(field)s: %(error)s")
                % {"index": index + 1, "field": where, "error": error},
                field="effects",
            )
        normalised.append(
            {"type": effect["type"], **fields.to_representation(fields.validated_data)}
        )
    return normalised


def first_error(errors: Any) -> tuple[str, str]:
    """The first of a serializer's errors as words: where (``chambers, item 3``) and what.
    Errors of a list field are keyed by position, and may be nested (never shown raw)."""
    path: list[str] = []
    while True:
        if isinstance(errors, dict):
            if not errors:
                break
            key, errors = next(iter(errors.items()))
            if isinstance(key, int):
                path.append(_("item %(number)s") % {"number": key + 1})
            elif key != "non_field_errors":
                path.append(str(key).replace("_", " "))
        elif isinstance(errors, list | tuple):
            if not errors:
                break
            errors = errors[0]
        else:
            break
    return ", ".join(path) or _("effect"), str(errors)


def apply_effects(decision: Decision, actor: Access) -> None:
    for effect in validate_effects(decision.kind, decision.effects):
        effect_type = REGISTRY[effect["type"]]
        fields = effect_type.fields(data={k: v for k, v in effect.items() if k != "type"})
        fields.is_valid(raise_exception=True)
        effect_type.apply(decision=decision, actor=actor, **fields.validated_data)


def describe(effects: Iterable[dict[str, Any]]) -> list[str]:
    """Each effect in words, for pages and e-mails: "Approve a term: Türkiye CCI, 2031-01-01 –
    2031-12-31"."""
    return describe_all([list(effects)])[0]


def describe_all(groups: list[list[dict[str, Any]]]) -> list[list[str]]:
    """:func:`describe` for the effects of several decisions, in one query per kind of name
    whatever their number."""
    from .models import MinutesVersion, Priority

    effects = [e for group in groups for e in group if isinstance(e, dict)]
    slugs = {
        slug
        for e in effects
        for key, value in e.items()
        if key.startswith("chamber")
        for slug in (value if isinstance(value, list) else [value])
        if isinstance(slug, str)
    }
    chambers = dict(Chamber.objects.filter(slug__in=slugs).values_list("slug", "short_name"))
    contacts = dict(
        Contact.objects.filter(
            pk__in=[e["president"] for e in effects if isinstance(e.get("president"), int)]
        ).values_list("pk", "name")
    )
    priorities = dict(
        Priority.objects.filter(
            pk__in=[pk for e in effects for pk in e.get("priorities", []) if isinstance(pk, int)]
        ).values_list("pk", "title")
    )
    versions = {
        version.pk: str(version)
        for version in MinutesVersion.objects.filter(
            pk__in=[e["version"] for e in effects if isinstance(e.get("version"), int)]
        ).select_related("meeting")
    }
    labels = dict(STATUS_CHOICES)

    def words(effect: dict[str, Any]) -> str:
        effect_type = REGISTRY.get(str(effect.get("type")))
        label = str(effect_type.label) if effect_type and effect_type.label else effect.get("type")
        parts: list[str] = []
        # In the order the type declares its fields: PostgreSQL's jsonb keeps keys sorted.
        order = list(effect_type.fields._declared_fields) if effect_type else sorted(effect)
        for key in sorted(effect, key=lambda k: order.index(k) if k in order else len(order)):
            value = effect[key]
            if key == "type" or value in (None, ""):
                continue
            if key.startswith("chamber"):
                names = value if isinstance(value, list) else [value]
                parts.append(" → ".join(chambers.get(n, str(n)) for n in names))
            elif key == "president":
                parts.append(_("President: %(name)s") % {"name": contacts.get(value, value)})
            elif key == "priorities":
                parts.append(", ".join(priorities.get(pk, str(pk)) for pk in value))
            elif key == "version":
                parts.append(versions.get(value, str(value)))
            elif key == "status":
                parts.append(str(labels.get(value, value)))
            elif key == "end" and parts:
                parts[-1] = f"{parts[-1]} – {value}"
            else:
                parts.append(str(value))
        return f"{label}: {', '.join(parts)}" if parts else str(label)

    return [[words(e) for e in group if isinstance(e, dict)] for group in groups]


# Built-in effects ---------------------------------------------------------------------------


class ChangeStatusFields(serializers.Serializer):
    chamber: serializers.SlugRelatedField[Chamber] = serializers.SlugRelatedField(
        slug_field="slug", queryset=Chamber.objects.all()
    )
    status = serializers.ChoiceField(choices=STATUS_CHOICES)
    effective = bounds.DateField()


def _change_status(
    *,
    decision: Decision,
    actor: Access,
    chamber: Chamber,
    status: str,
    effective: dt.date,
    admission: bool = False,
) -> None:
    chamber_services.membership_change_status(
        actor=actor,
        chamber=chamber,
        status=status,
        effective=effective,
        basis=decision.reference,
        decision=decision,
        admission=admission,
    )


def _admit(
    *, decision: Decision, actor: Access, chamber: Chamber, status: str, effective: dt.date
) -> None:
    if chamber.status_on(effective) != FORMER:  # refused early, on the decision's effects
        raise DomainError(
            _("%(chamber)s is already in the union on %(date)s.")
            % {"chamber": chamber.short_name, "date": effective.isoformat()},
            field="effects",
        )
    _change_status(  # and again under the chamber's lock, for an admission racing this one
        decision=decision,
        actor=actor,
        chamber=chamber,
        status=status,
        effective=effective,
        admission=True,
    )


class PrioritiesFields(serializers.Serializer):
    priorities = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)


def _activate_priorities(*, decision: Decision, actor: Access, priorities: list[int]) -> None:
    from . import services

    services.priorities_activate(actor=actor, decision=decision, priority_ids=priorities)


class _VersionField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self) -> Any:
        from .models import MinutesVersion

        return MinutesVersion.objects.select_related("meeting", "approved_by__meeting")


class ApproveMinutesFields(serializers.Serializer):
    """The version of a meeting's minutes that the decision approves (its id)."""

    version = _VersionField()

    def validate_version(self, version: Any) -> Any:
        if version.is_approved:
            raise serializers.ValidationError(
                _("this version is approved already (%(decision)s)")
                % {"decision": version.approved_by.reference}
            )
        if not version.is_published:
            raise serializers.ValidationError(
                _("this version is not published: the members have not seen it")
            )
        return version


def _approve_minutes(*, decision: Decision, actor: Access, version: Any) -> None:
    from .services.minutes import minutes_approve

    minutes_approve(actor=actor, decision=decision, version=version)


register(
    EffectType(
        "change_status",
        frozenset({"membership"}),
        ChangeStatusFields,
        _change_status,
        gettext_lazy("Change a chamber's membership status"),
    )
)
register(
    EffectType(
        "admit",
        frozenset({"membership"}),
        ChangeStatusFields,
        _admit,
        gettext_lazy("Admit a chamber"),
    )
)
register(
    EffectType(
        "activate_priorities",
        frozenset({"priorities"}),
        PrioritiesFields,
        _activate_priorities,
        gettext_lazy("Make priorities active"),
    )
)
register(
    EffectType(
        "approve_minutes",
        frozenset({"general"}),
        ApproveMinutesFields,
        _approve_minutes,
        gettext_lazy("Approve the minutes"),
    )
)
