"""Teach drf-spectacular how integrations authenticate (``Authorization: Token <key>``)."""

from typing import Any

from django_countries import countries
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema

#: ISO 3166-1 alpha-2 codes, named once in the schema (chamber and venue countries).
COUNTRY_CHOICES = [(code, name) for code, name in countries]


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "chambers.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`; keys are issued by the secretariat.",
        }
