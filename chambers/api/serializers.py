"""Serializers of API v1: output shapes and input validation. No business rule lives here."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries.serializer_fields import CountryField
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from core import bounds
from core.translated import by_language
from core.translated_api import TranslatedSerializerMixin, plain_field

from ..models import (
    STATUS_CHOICES,
    Chamber,
    Contact,
    ContactRole,
    MembershipPeriod,
    MembershipStatus,
)
from ..services import CONTACT_BASE_FIELDS

CHAMBER_EXAMPLE = {
    "slug": "atameken",
    "name": "National Chamber of Entrepreneurs of Kazakhstan",
    "names": by_language(
        en="National Chamber of Entrepreneurs of Kazakhstan",
        ru="Национальная палата предпринимателей Казахстана",
        kk="Қазақстан Республикасының «Атамекен» ұлттық кәсіпкерлер палатасы",
    ),
    "short_name": "Atameken",
    "short_names": by_language(en="Atameken", ru="Атамекен", kk="Атамекен"),
    "country": "KZ",
    "country_name": "Kazakhstan",
    "city": "Astana",
    "cities": by_language(en="Astana", ru="Астана", kk="Астана", tr="Astana"),
    "website": "https://atameken.kz",
    "email": "info@atameken.kz",
    "phone": "+7 7172 919300",
    "logo": None,
    "founded": "2013-07-04",
    "status": "member",
    "member_since": "2019-01-01",
}


@extend_schema_serializer(
    examples=[OpenApiExample("A member chamber", value=CHAMBER_EXAMPLE, response_only=True)]
)
class ChamberSerializer(TranslatedSerializerMixin, serializers.ModelSerializer):
    translated = {"name": "names", "short_name": "short_names", "city": "cities"}
    name = serializers.CharField(
        read_only=True, help_text=_("Official name in the request's language.")
    )
    country = serializers.CharField(
        source="country.code", read_only=True, help_text="ISO 3166-1 alpha-2"
    )
    country_name = serializers.CharField(source="country.name", read_only=True)
    # Declared for the schema: blank when unknown, which a read-only model field does not say.
    website = serializers.URLField(read_only=True, allow_blank=True)
    email = serializers.EmailField(read_only=True, allow_blank=True)
    status = serializers.ChoiceField(choices=STATUS_CHOICES, read_only=True)
    member_since = serializers.DateField(read_only=True, allow_null=True)
    logo = serializers.ImageField(read_only=True, allow_null=True, use_url=True)

    class Meta:
        model = Chamber
        fields = [
            "slug",
            "name",
            "short_name",
            "country",
            "country_name",
            "city",
            "website",
            "email",
            "phone",
            "logo",
            "founded",
            "status",
            "member_since",
        ]
        read_only_fields = fields


class ChamberWriteSerializer(TranslatedSerializerMixin, serializers.Serializer):
    """Input of ``POST`` (all required fields) and ``PATCH`` (any subset) of a chamber. Each
    name may be given plain (``name``: in the request's language, as ``GET`` shows it) or by
    language (``names``), or both; a new chamber needs a name and a short name in one language
    at least."""

    translated = {"name": "names", "short_name": "short_names", "city": "cities"}
    slug = serializers.SlugField(max_length=80)
    name = plain_field(Chamber, "name", help_text=_("Official name in the request's language."))
    short_name = plain_field(Chamber, "short_name")
    country = CountryField(help_text="ISO 3166-1 alpha-2")
    city = plain_field(Chamber, "city")
    website = serializers.URLField(required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    founded = bounds.DateField(required=False, allow_null=True)

    def to_service_data(self) -> dict:
        return dict(self.validated_data)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A new member",
            value={
                "slug": "atameken",
                "name": "National Chamber of Entrepreneurs of Kazakhstan",
                "names": {"ru": "Национальная палата предпринимателей Казахстана"},
                "short_name": "Atameken",
                "country": "KZ",
                "city": "Astana",
                "status": "member",
                "since": "2019-01-01",
                "basis": "General Assembly, decision 2018/4",
            },
            request_only=True,
        )
    ]
)
class ChamberCreateSerializer(ChamberWriteSerializer):
    status = serializers.ChoiceField(choices=MembershipStatus.choices, required=False)
    since = bounds.DateField(required=False, help_text=_("First day of the first period."))
    basis = serializers.CharField(
        max_length=500, required=False, allow_blank=True, validators=[bounds.validate_single_line]
    )


class ChamberPatchSerializer(ChamberWriteSerializer):
    pass


class MembershipPeriodSerializer(TranslatedSerializerMixin, serializers.ModelSerializer):
    translated = {"basis": "bases"}

    class Meta:
        model = MembershipPeriod
        fields = ["status", "start", "end", "basis", "decision"]


class StatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=STATUS_CHOICES,
        help_text=_("`former` ends the membership."),
    )
    effective = bounds.DateField(help_text=_("First day of the new status."))
    basis = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        validators=[bounds.validate_single_line],
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "The head of a chamber",
            value={
                "id": 12,
                "chamber": "atameken",
                "name": "Raimbek Batalov",
                "position": "Chairman of the Presidium",
                "positions": by_language(
                    en="Chairman of the Presidium",
                    ru="Председатель Президиума",
                    kk="Төралқа төрағасы",
                ),
                "roles": ["head"],
                "email": "chair@atameken.kz",
                "phone": "",
                "preferred_language": "ru",
                "active": True,
            },
            response_only=True,
        ),
        OpenApiExample(
            "A new contact",
            value={
                "name": "Aigerim Sadykova",
                "position": "International relations",
                "roles": ["focal_point"],
                "email": "intl@atameken.kz",
                "preferred_language": "en",
            },
            request_only=True,
        ),
    ]
)
class ContactSerializer(TranslatedSerializerMixin, serializers.ModelSerializer):
    translated = {"position": "positions"}
    chamber: serializers.SlugRelatedField[Chamber] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=ContactRole.choices), required=False
    )
    preferred_language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)

    class Meta:
        model = Contact
        fields = ["id", "chamber", *CONTACT_BASE_FIELDS]  # what the contact services write
        read_only_fields = ["id", "chamber"]

    def validate_roles(self, roles: list[str]) -> list[str]:
        return sorted(set(roles))
