from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("indicators/", views.indicator_list, name="list"),
    path("indicators/<int:pk>/", views.indicator_detail, name="detail"),
]
