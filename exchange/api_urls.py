"""API v1 routes of exports and imports (included under /api/v1/ by config/urls.py)."""

urlpatterns: list = []
