"""Routes of the chambers API; registered on API v1's router in ``config/urls.py``."""

from .views import ChamberViewSet, ContactViewSet

ROUTES = [
    ("chambers", ChamberViewSet, "chamber"),
    ("contacts", ContactViewSet, "contact"),
]
