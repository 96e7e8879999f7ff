from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings.ics", views.meetings_ics, name="meetings-ics"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>.ics", views.meeting_ics, name="meeting-ics"),
    path("meetings/<int:pk>/rsvp/", views.meeting_rsvp, name="rsvp"),
    path(
        "meetings/<int:pk>/documents/<int:doc_pk>/",
        views.document_download,
        name="document",
    ),
    path("decisions/", views.decision_register, name="decisions"),
    path("priorities/", views.priority_list, name="priorities"),
    path("action-items/<int:pk>/", views.action_item_update, name="action-item"),
]
