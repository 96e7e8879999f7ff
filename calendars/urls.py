from django.urls import path

from . import views

app_name = "calendars"

urlpatterns = [
    path("calendar/", views.subscription_page, name="subscription"),
    path("calendar/issue/", views.subscription_issue, name="issue"),
    path("calendar/revoke/", views.subscription_revoke, name="revoke"),
    path("calendar/<str:key>.ics", views.subscription_feed, name="feed"),
]
