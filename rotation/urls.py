"""Portal pages of the rotation, and its iCalendar feed beside the meetings feed."""

from django.urls import path

from . import views

app_name = "rotation"

urlpatterns = [
    path("rotation/", views.rotation_overview, name="rotation"),
    path("rotation.ics", views.rotation_ics, name="rotation-ics"),
    path("rotation/terms/<int:pk>/", views.term_detail, name="term"),
]
