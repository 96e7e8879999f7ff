"""Serializers of API v1: output shapes and input validation. No business rule lives here."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries.serializer_fields import CountryField
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from core import bounds

from ..models import (
    STATUS_CHOICES,
    Chamber,
    Contact,
    ContactRole,
    MembershipPeriod,
    MembershipStatus,
)
from ..services import CONTACT_FIELDS

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class NamesSerializer(serializers.Serializer):
    """The official name in each language of the union."""

    en = serializers.CharField(max_length=300, validators=[bounds.validate_single_line])
    ru = serializers.CharField(
        max_length=300, required=False, allow_blank=True, validators=[bounds.validate_single_line]
    )
    kk = serializers.CharField(
        max_length=300, required=False, allow_blank=True, validators=[bounds.validate_single_line]
    )
    tr = serializers.CharField(
        max_length=300, required=False, allow_blank=True, validators=[bounds.validate_single_line]
    )


CHAMBER_EXAMPLE = {
    "slug": "atameken",
    "name": "National Chamber of Entrepreneurs of Kazakhstan",
    "names": {
        "en": "National Chamber of Entrepreneurs of Kazakhstan",
        "ru": "Национальная палата предпринимателей Казахстана",
        "kk": "",
        "tr": "",
    },
    "short_name": "Atameken",
    "country": "KZ",
    "country_name": "Kazakhstan",
    "city": "Astana",
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
class ChamberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(
        read_only=True, help_text=_("Official name in the request's language.")
    )
    names = serializers.SerializerMethodField()
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
            "names",
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

    @extend_schema_field(NamesSerializer)
    def get_names(self, chamber: Chamber) -> dict[str, str]:
        return {code: getattr(chamber, f"name_{code}") or "" for code in LANGUAGE_CODES}


class ChamberWriteSerializer(serializers.Serializer):
    """Input of ``POST`` (all required fields) and ``PATCH`` (any subset) of a chamber."""

    slug = serializers.SlugField(max_length=80)
    names = NamesSerializer()
    short_name = serializers.CharField(max_length=80, validators=[bounds.validate_single_line])
    country = CountryField(help_text="ISO 3166-1 alpha-2")
    city = serializers.CharField(
        max_length=120, required=False, allow_blank=True, validators=[bounds.validate_single_line]
    )
    website = serializers.URLField(required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    founded = bounds.DateField(required=False, allow_null=True)

    def to_service_data(self) -> dict:
        data = dict(self.validated_data)
        for code, value in data.pop("names", {}).items():
            data[f"name_{code}"] = value
        return data


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A new member",
            value={
                "slug": "atameken",
                "names": {"en": "National Chamber of Entrepreneurs of Kazakhstan"},
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


class ChamberPatchNamesSerializer(NamesSerializer):
    en = serializers.CharField(
        max_length=300, required=False, validators=[bounds.validate_single_line]
    )


class ChamberPatchSerializer(ChamberWriteSerializer):
    names = ChamberPatchNamesSerializer(required=False)


class MembershipPeriodSerializer(serializers.ModelSerializer):
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
class ContactSerializer(serializers.ModelSerializer):
    chamber: serializers.SlugRelatedField[Chamber] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=ContactRole.choices), required=False
    )
    preferred_language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)

    class Meta:
        model = Contact
        fields = ["id", "chamber", *CONTACT_FIELDS]  # what the contact services write
        read_only_fields = ["id", "chamber"]

    def validate_roles(self, roles: list[str]) -> list[str]:
        return sorted(set(roles))
