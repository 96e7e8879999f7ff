from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChambersConfig(AppConfig):
    """Member chambers, their membership history, contacts, member logins and API tokens."""

    name = "chambers"
    verbose_name = _("Chambers")

    def ready(self) -> None:
        from core.access import register_resolver

        from . import (
            access,
            mfa,  # noqa: F401  marks a password login of a user with a second factor unverified
            schema,  # noqa: F401  registers the token scheme with drf-spectacular
        )

        register_resolver(user=access.access_for_user, request=access.access_for_request)
        # Who may act for whom is the union's record too (core.audit): periods, tokens, logins
        # and users' rights. Chambers and contacts keep their own change history.
        from core import audit

        audit.register("chambers.MembershipPeriod")
        audit.register("chambers.ApiToken", exclude=["key_hash", "last_used_at"])
        audit.register("chambers.MemberLogin")
        audit.register("auth.User", fields=["username", "is_active", "is_staff", "is_superuser"])
