"""Routes of the meetings API; registered on API v1's router in ``config/urls.py``."""

from .views import (
    ActionItemViewSet,
    DecisionViewSet,
    MeetingViewSet,
    PriorityViewSet,
    ProcedureViewSet,
)

ROUTES = [
    ("meetings", MeetingViewSet, "meeting"),
    ("decisions", DecisionViewSet, "decision"),
    ("procedures", ProcedureViewSet, "procedure"),
    ("priorities", PriorityViewSet, "priority"),
    ("action-items", ActionItemViewSet, "action-item"),
]
