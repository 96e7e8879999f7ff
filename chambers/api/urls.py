from rest_framework import routers
from rest_framework.permissions import AllowAny

from .views import ChamberViewSet, ContactViewSet


class PublicAPIRootView(routers.APIRootView):
    """The index of API v1 is public, like the chamber list it points to."""

    permission_classes = [AllowAny]


class Router(routers.DefaultRouter):
    """The one router of API v1. Path converters, not regexes: a detail route's lookup is any
    path segment (``<str:pk>``), so a malformed id or slug reaches the view and is answered by
    the API (a JSON 404), not by the site's HTML "page not found"."""

    APIRootView = PublicAPIRootView
    include_format_suffixes = False


router = Router(use_regex_path=False)
router.register("chambers", ChamberViewSet, basename="chamber")
router.register("contacts", ContactViewSet, basename="contact")
