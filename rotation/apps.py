from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RotationConfig(AppConfig):
    """The rotation of the chairmanship: the agreed order, approved terms and the forecast."""

    name = "rotation"
    verbose_name = _("Rotation of the chairmanship")

    def ready(self) -> None:
        from core.guards import membership_guards
        from core.pages import register_context, register_worklist

        from . import (
            effects,  # noqa: F401  registers the rotation decisions' effects
            guards,
            pages,
            selectors,
        )

        membership_guards.register(guards.HOLDS_TERM)
        register_context("dashboard", "troika", lambda request: {"troika": selectors.troika()})
        register_worklist("next-chair", pages.next_chair, order=30)
        # The union's record (core.audit): terms, and the rotation's settings with its order
        # (the snapshot: {"order": [slugs]}, compared before and after each save).
        from core import audit

        audit.register("rotation.Term")
        audit.register("rotation.Rotation", snapshot=_order)
        # A contact who was the union's President (core.privacy): the record, kept as is.
        from core import privacy

        privacy.register("presidencies", collect=_presidencies_of, erase=lambda c, e: 0)


def _order(rotation: Any) -> dict[str, Any]:
    """The order as it stands after a change of the rotation (its places are rows of their
    own, written in bulk by ``order_set``)."""
    slugs = rotation.places.order_by("position").values_list("chamber__slug", flat=True)
    return {"order": list(slugs)}


def _presidencies_of(contact_id: int, email: str) -> list[dict[str, object]]:
    from .models import Term

    return [
        {"term": pk, "start": start.isoformat(), "end": end.isoformat()}
        for pk, start, end in Term.objects.filter(president_id=contact_id)
        .order_by("start")
        .values_list("pk", "start", "end")
    ]
