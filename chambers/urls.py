from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("chambers/", views.chamber_index, name="chambers"),
    path("chambers/<slug:slug>/", views.chamber_detail, name="chamber"),
    path("secretariat/", views.secretariat, name="secretariat"),
    path("secretariat/audit/", views.audit_trail, name="audit"),
    path("my-chamber/", views.MyChamberView.as_view(), name="my-chamber"),
    path("my-chamber/contacts/add/", views.ContactEditView.as_view(), name="contact-add"),
    path("my-chamber/contacts/<int:pk>/", views.ContactEditView.as_view(), name="contact-edit"),
    path(
        "my-chamber/contacts/<int:pk>/delete/",
        views.ContactDeleteView.as_view(),
        name="contact-delete",
    ),
]
