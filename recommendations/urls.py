from django.urls import path, re_path

from . import views

app_name = "recommendations"

urlpatterns = [
    path("recommendations/", views.recommendation_list, name="list"),
    re_path(r"^recommendations/export\.(?P<fmt>csv|xlsx)$", views.recommendation_export, name="export"),
    path("recommendations/<int:year>/<str:code>/<int:number>/", views.recommendation_detail, name="recommendation"),
    path("recommendations/<int:year>/<str:code>/<int:number>/update/", views.recommendation_update,
         name="recommendation_update"),
    path("follow-up/<int:year>/<str:code>/<int:number>/", views.follow_up_item_detail, name="follow_up_item"),
    path("follow-up/<int:year>/<str:code>/<int:number>/update/", views.follow_up_item_update,
         name="follow_up_item_update"),
    path("reports/matrix/", views.matrix, name="matrix"),
    path("reports/changes/", views.changes, name="changes"),
    path("actors/", views.actor_list, name="actors"),
    path("actors/<int:pk>/", views.actor_detail, name="actor"),
]
