from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("reminders/", views.my_reminders, name="mine"),
    path("reminders/due/", views.due_reminders, name="due"),
]
