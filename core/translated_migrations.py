"""What the migrations that add a text's columns per working language run: the value written
before is the value in the union's default language (it was written in it)."""

from __future__ import annotations

import contextlib
from typing import Any

from django.conf import settings
from django.db.models import Q


def copy_to_default_language(fields: dict[str, tuple[str, ...]]) -> Any:
    """A ``RunPython`` function: for each ``"app.Model": (field, ...)``, copy ``field`` into
    ``field_<LANGUAGE_CODE>`` where that is empty (historical models of simple-history too, when
    the app has one: ``app.HistoricalModel``)."""

    def run(apps: Any, schema_editor: Any) -> None:
        code = settings.LANGUAGE_CODE
        for label, names in fields.items():
            app_label, model_name = label.split(".")
            models = [apps.get_model(app_label, model_name)]
            with contextlib.suppress(LookupError):
                models.append(apps.get_model(app_label, f"Historical{model_name}"))
            for model in models:
                for name in names:
                    target = f"{name}_{code}"
                    empty = Q(**{f"{target}__isnull": True}) | Q(**{target: ""})
                    rows = model.objects.filter(empty).exclude(**{name: ""})
                    for row in rows.only("pk", name).iterator():
                        model.objects.filter(pk=row.pk).update(**{target: getattr(row, name)})

    return run
