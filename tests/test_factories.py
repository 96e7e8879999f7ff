"""Every model of the project's apps has a factory in ``tests/factories.py``, and each factory
makes a row the model's own validation accepts (the factories are for set-up and volume: a row
that a form or a service would refuse would test nothing)."""

from __future__ import annotations

import factory
import pytest
from django.apps import apps

from chambers.models import StatusesAsOf
from meetings.models import GovernanceRules
from rotation.models import Rotation
from tests import factories

PROJECT_APPS = (
    "core", "chambers", "meetings", "rotation", "indicators", "reminders", "webhooks", "calendars",
    "exchange",
)  # fmt: skip
#: Models of one row (pk 1, a check constraint): their factories get or change it.
SINGLE_ROW = {GovernanceRules, Rotation, StatusesAsOf}

FACTORIES = {
    value._meta.model: value
    for value in vars(factories).values()
    if isinstance(value, type)
    and issubclass(value, factory.django.DjangoModelFactory)
    and value._meta.model is not None
}
MODELS = [
    model
    for label in PROJECT_APPS
    for model in apps.get_app_config(label).get_models()
    if not model.__name__.startswith("Historical")  # simple-history's own copies
]


def test_every_model_of_the_project_has_a_factory() -> None:
    missing = [model._meta.label for model in MODELS if model not in FACTORIES]
    assert not missing, f"add factories to tests/factories.py for {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_each_factory_makes_a_valid_row(model) -> None:
    row = FACTORIES[model]()
    row.full_clean()  # field validators, choices, the model's clean() and its constraints
    assert model.objects.filter(pk=row.pk).exists()
    second = FACTORIES[model]()  # sequences make rows that do not collide
    second.full_clean()
    if model in SINGLE_ROW:
        assert second.pk == row.pk == 1
    else:
        assert second.pk != row.pk


def test_bulk_makes_rows_in_one_insert(db, django_assert_num_queries) -> None:
    chamber = factories.ChamberFactory()
    with django_assert_num_queries(1):
        contacts = factories.bulk(factories.ContactFactory, 25, chamber=chamber)
    assert len({c.pk for c in contacts}) == 25
    assert chamber.contacts.count() == 25
