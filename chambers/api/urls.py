from rest_framework import routers
from rest_framework.permissions import AllowAny

from .views import ChamberViewSet, ContactViewSet


class PublicAPIRootView(routers.APIRootView):
    """The index of API v1 is public, like the chamber list it points to."""

    permission_classes = [AllowAny]


class Router(routers.DefaultRouter):
    APIRootView = PublicAPIRootView
    include_format_suffixes = False


router = Router()
router.register("chambers", ChamberViewSet, basename="chamber")
router.register("contacts", ContactViewSet, basename="contact")
