"""Routes of the indicators API; registered on API v1's router in ``config/urls.py``."""

from .views import IndicatorViewSet

ROUTES = [("indicators", IndicatorViewSet, "indicator")]
