from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("", views.open_data, name="page"),
    path("gfmd-tracker.zip", views.download, name="download"),
]
