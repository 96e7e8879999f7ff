from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings.ics", views.meetings_ics, name="meetings-ics"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>.ics", views.meeting_ics, name="meeting-ics"),
    path("meetings/<int:pk>/rsvp/", views.meeting_rsvp, name="rsvp"),
    # The session workspace (staff): each form of the meeting page posts to its own URL.
    path("meetings/<int:pk>/invite-all/", views.meeting_invite_all, name="invite-all"),
    path("meetings/<int:pk>/check-in/", views.meeting_check_in, name="check-in"),
    path("meetings/<int:pk>/status/", views.meeting_status, name="status"),
    path("meetings/<int:pk>/decisions/", views.decision_add, name="decision-add"),
    path(
        "meetings/<int:pk>/decisions/<int:decision_pk>/votes/",
        views.decision_votes,
        name="decision-votes",
    ),
    path(
        "meetings/<int:pk>/decisions/<int:decision_pk>/adopt/",
        views.decision_adopt,
        name="decision-adopt",
    ),
    path(
        "meetings/<int:pk>/documents/<int:doc_pk>/",
        views.document_download,
        name="document",
    ),
    # The minutes: the draft generated, saved as versions, published (staff); a version read.
    path("meetings/<int:pk>/minutes/generate/", views.minutes_generate, name="minutes-generate"),
    path("meetings/<int:pk>/minutes/versions/", views.minutes_save, name="minutes-save"),
    path("meetings/<int:pk>/minutes/<int:number>/", views.minutes_version, name="minutes-version"),
    path(
        "meetings/<int:pk>/minutes/<int:number>/publish/",
        views.minutes_publish,
        name="minutes-publish",
    ),
    # Documents of record (PDF) and the verification of an extract.
    path("meetings/<int:pk>/agenda-pack.pdf", views.meeting_agenda_pack, name="agenda-pack"),
    path("meetings/<int:pk>/minutes.pdf", views.meeting_minutes_pdf, name="minutes-pdf"),
    path("decisions/<int:pk>/extract.pdf", views.decision_extract, name="decision-extract"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("decisions/", views.decision_register, name="decisions"),
    path("decisions/new/", views.decision_new, name="decision-new"),
    # A decision between sessions: written or silence procedure.
    path("decisions/<int:pk>/procedure/", views.procedure_page, name="procedure"),
    path("decisions/<int:pk>/procedure/open/", views.procedure_open, name="procedure-open"),
    path("decisions/<int:pk>/procedure/close/", views.procedure_close, name="procedure-close"),
    path(
        "decisions/<int:pk>/procedure/withdraw/",
        views.procedure_withdraw,
        name="procedure-withdraw",
    ),
    path("priorities/", views.priority_list, name="priorities"),
    path("action-items/<int:pk>/", views.action_item_update, name="action-item"),
]
