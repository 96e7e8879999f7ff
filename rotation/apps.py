from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RotationConfig(AppConfig):
    """The rotation of the chairmanship: the agreed order, approved terms and the forecast."""

    name = "rotation"
    verbose_name = _("Rotation of the chairmanship")

    def ready(self) -> None:
        from . import effects  # noqa: F401  registers the rotation decisions' effects
