"""Routes of the meetings API; registered on API v1's router in ``config/urls.py``."""

from .views import ActionItemViewSet, DecisionViewSet, MeetingViewSet, PriorityViewSet

ROUTES = [
    ("meetings", MeetingViewSet, "meeting"),
    ("decisions", DecisionViewSet, "decision"),
    ("priorities", PriorityViewSet, "priority"),
    ("action-items", ActionItemViewSet, "action-item"),
]
