from django.urls import path, re_path, register_converter

from . import names, views
from .filters import RecommendationFilterSet

app_name = "recommendations"


class SessionCodeConverter:
    """A session code in an item's address: any text, "/" included. Codes are checked where
    they are entered, but the link to an item must work for a code stored before the check
    ("3.3/b"): the item's number, the last segment, marks where the code ends."""

    regex = ".*"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(SessionCodeConverter, "session_code")

urlpatterns = [
    path("recommendations/", views.recommendation_list, name="list"),
    path("recommendations/names/<str:field>/", names.names, {"filterset": RecommendationFilterSet}, name="names"),
    re_path(r"^recommendations/export\.(?P<fmt>csv|xlsx)$", views.recommendation_export, name="export"),
    path("recommendations/<int:year>/<session_code:code>/<int:number>/", views.recommendation_detail,
         name="recommendation"),
    path("recommendations/<int:year>/<session_code:code>/<int:number>/update/", views.recommendation_update,
         name="recommendation_update"),
    path("follow-up/<int:year>/<session_code:code>/<int:number>/", views.follow_up_item_detail, name="follow_up_item"),
    path("follow-up/<int:year>/<session_code:code>/<int:number>/update/", views.follow_up_item_update,
         name="follow_up_item_update"),
    path("reports/matrix/", views.matrix, name="matrix"),
    path("reports/changes/", views.changes, name="changes"),
    path("actors/", views.actor_list, name="actors"),
    path("actors/<int:pk>/", views.actor_detail, name="actor"),
]
