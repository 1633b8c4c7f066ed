from django.urls import converters, path, re_path, register_converter

from .filters import RecommendationFilterSet
from .views import actors, items, lists, names, reports

app_name = "recommendations"


class SessionCodeConverter(converters.StringConverter):
    """Any text, "/" and "" included: the link must work for a code stored before codes were checked
    ("3.3/b"). The item's number, the last segment, marks where the code ends."""

    regex = ".*"


register_converter(SessionCodeConverter, "session_code")

urlpatterns = [
    path("recommendations/", lists.recommendation_list, name="list"),
    path("recommendations/names/<str:field>/", names.names, {"filterset": RecommendationFilterSet}, name="names"),
    re_path(r"^recommendations/export\.(?P<fmt>csv|xlsx)$", lists.recommendation_export, name="export"),
    path("recommendations/<int:year>/<session_code:code>/<int:number>/", items.recommendation_detail,
         name="recommendation"),
    path("recommendations/<int:year>/<session_code:code>/<int:number>/update/", items.recommendation_update,
         name="recommendation_update"),
    path("follow-up/<int:year>/<session_code:code>/<int:number>/", items.follow_up_item_detail, name="follow_up_item"),
    path("follow-up/<int:year>/<session_code:code>/<int:number>/update/", items.follow_up_item_update,
         name="follow_up_item_update"),
    path("reports/matrix/", reports.matrix, name="matrix"),
    path("reports/changes/", reports.changes, name="changes"),
    path("actors/", actors.actor_list, name="actors"),
    path("actors/<int:pk>/", actors.actor_detail, name="actor"),
]
