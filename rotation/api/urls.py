"""Routes of the rotation API; registered on API v1's router in ``config/urls.py``."""

from .views import RotationViewSet, TermViewSet

ROUTES = [
    ("rotation/terms", TermViewSet, "term"),
    ("rotation", RotationViewSet, "rotation"),
]
