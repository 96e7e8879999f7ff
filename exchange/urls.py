from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("exports/<str:pk>/", views.export_file, name="export-file"),
]
