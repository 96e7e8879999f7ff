"""factory_boy factories. Rows that carry business rules are made through the services."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from chambers import services
from chambers.models import Chamber, Contact, MembershipStatus
from core.access import Access

SYSTEM = Access(user=None, label="tests", is_staff=True, reads_all=True, can_write=True)
COUNTRIES = ["AZ", "KZ", "KG", "TR", "UZ", "TM", "HU", "DE", "FR", "IT", "ES", "PL"]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("pass-word-2026")


class ChamberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Chamber
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"chamber-{n}")
    short_name = factory.Sequence(lambda n: f"CCI {n}")
    name_en = factory.LazyAttribute(lambda c: f"Chamber of Commerce {c.short_name}")
    name = factory.SelfAttribute("name_en")
    country = factory.Sequence(lambda n: COUNTRIES[n % len(COUNTRIES)])
    city = "Capital"
    website = factory.LazyAttribute(lambda c: f"https://{c.slug}.example.org")


def make_chamber(
    *, status: str | None = MembershipStatus.MEMBER, since: dt.date = dt.date(2019, 1, 1), **kwargs
) -> Chamber:
    """A chamber with one open membership period (or none, with ``status=None``)."""
    chamber = ChamberFactory(**kwargs)
    if status:
        services.membership_change_status(
            actor=SYSTEM, chamber=chamber, status=status, effective=since
        )
    return chamber


def make_contact(chamber: Chamber, **data) -> Contact:
    data.setdefault("name", "Jane Delegate")
    data.setdefault("roles", ["delegate"])
    return services.contact_create(actor=SYSTEM, chamber=chamber, data=data)


def make_login(chamber: Chamber | None, role: str | None, *, username: str, staff: bool = False):
    user = UserFactory(username=username, is_staff=staff, is_superuser=staff)
    if chamber is not None and role is not None:
        services.member_login_set(actor=SYSTEM, user=user, chamber=chamber, role=role)
    return user
