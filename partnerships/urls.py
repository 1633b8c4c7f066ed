from django.urls import path, re_path

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
    path("<int:pk>/actions/a<int:action>/", views.project_action_detail, name="project_action"),
    path("<int:pk>/actions/a<int:action>/update/", views.project_action_update, name="project_action_update"),
    path("<int:pk>/actions/a<int:action>/take/", views.project_action_take, name="project_action_take"),
    path("<int:pk>/evidence/<int:entry>/", views.project_evidence, name="project_evidence"),
    path("<int:pk>/actions/a<int:action>/evidence/<int:entry>/", views.project_action_evidence,
         name="project_action_evidence"),
]
