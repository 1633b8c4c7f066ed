from django.urls import path

from . import views

app_name = "partnerships"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("<int:pk>/", views.project_detail, name="project"),
    path("<int:pk>/update/", views.project_update, name="project_update"),
]
