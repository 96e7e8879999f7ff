from rest_framework.routers import DefaultRouter

from .views import ChamberViewSet, ContactViewSet

router = DefaultRouter()
router.include_format_suffixes = False
router.register("chambers", ChamberViewSet, basename="chamber")
router.register("contacts", ContactViewSet, basename="contact")

urlpatterns = router.urls
