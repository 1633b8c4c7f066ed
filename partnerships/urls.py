from django.urls import path, re_path

from recommendations.urls import actions_under
from recommendations.views.names import names

from . import views
from .filters import ProjectFilterSet

app_name = "partnerships"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("names/<str:field>/", names, {"filterset": ProjectFilterSet}, name="names"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", views.project_export, name="export"),
    path("<int:pk>/", views.project_detail, name="project"),
    path("<int:pk>/update/", views.project_update, name="project_update"),
    path("<int:pk>/take/", views.project_take, name="project_take"),
    path("<int:pk>/actions/add/", views.project_add_action, name="project_add_action"),
    *actions_under("<int:pk>/", "project", views.project_of),
]
