from functools import partial

from django.urls import converters, path, re_path, register_converter

from .action_filters import ActionFilterSet
from .filters import FollowUpItemFilterSet, RecommendationFilterSet
from .models import FollowUpItem, Recommendation
from .views import action_list, actions, actors, items, lists, meetings, names, reports, slipped

app_name = "recommendations"


class SessionCodeConverter(converters.StringConverter):
    """Any text, "/" and "" included: the link must work for a code stored before codes were checked
    ("3.3/b"). The item's number, the last segment, marks where the code ends."""

    regex = ".*"


register_converter(SessionCodeConverter, "session_code")
ITEM = "<int:year>/<session_code:code>/<int:number>/"  # a session's item by its natural key
ACTION = "actions/a<int:action>/"  # an action by its number within its item


def actions_under(item, name, parent):
    """The addresses under an item's page (`item`, its path; `name`, its URL name): each action's page (its update
    and take), and the evidence files of both timelines. `parent(request, **the URL's values)` finds the item."""
    found = {"parent": parent}
    return [
        path(f"{item}{ACTION}", actions.action_detail, found, name=f"{name}_action"),
        path(f"{item}{ACTION}update/", actions.action_update, found, name=f"{name}_action_update"),
        path(f"{item}{ACTION}take/", actions.action_take, found, name=f"{name}_action_take"),
        path(f"{item}evidence/<int:entry>/", actions.item_evidence, found, name=f"{name}_evidence"),
        path(f"{item}{ACTION}evidence/<int:entry>/", actions.action_evidence, found, name=f"{name}_action_evidence"),
    ]


def item_actions(prefix, model):
    """A recommendation's or follow-up item's: adding an action, and the addresses `actions_under` its page."""
    item, name = f"{prefix}/{ITEM}", model.url_name
    return [
        path(f"{item}actions/add/", actions.session_item_add_action, {"model": model}, name=f"{name}_add_action"),
        *actions_under(item, name, partial(items.session_item, model=model)),
    ]


# First: an item's page would take ".../1/evidence/5/" as item 5 of a session coded "2.1/1/evidence".
urlpatterns = [
    *item_actions("recommendations", Recommendation),
    *item_actions("follow-up", FollowUpItem),
    path("recommendations/", lists.recommendation_list, name="list"),
    path("recommendations/bulk-update/", lists.recommendation_bulk_update, name="bulk_update"),
    path("recommendations/names/<str:field>/", names.names, {"filterset": RecommendationFilterSet}, name="names"),
    re_path(r"^recommendations/export\.(?P<fmt>csv|xlsx)$", lists.recommendation_export, name="export"),
    path(f"recommendations/{ITEM}", items.session_item_detail, {"model": Recommendation}, name="recommendation"),
    path(f"recommendations/{ITEM}update/", items.session_item_update, {"model": Recommendation},
         name="recommendation_update"),
    path(f"recommendations/{ITEM}take/", items.session_item_take, {"model": Recommendation},
         name="recommendation_take"),
    path("follow-up/", lists.follow_up_list, name="follow_up_list"),
    path("follow-up/names/<str:field>/", names.names, {"filterset": FollowUpItemFilterSet}, name="follow_up_names"),
    re_path(r"^follow-up/export\.(?P<fmt>csv|xlsx)$", lists.follow_up_export, name="follow_up_export"),
    path(f"follow-up/{ITEM}", items.session_item_detail, {"model": FollowUpItem}, name="follow_up_item"),
    path(f"follow-up/{ITEM}update/", items.session_item_update, {"model": FollowUpItem}, name="follow_up_item_update"),
    path(f"follow-up/{ITEM}take/", items.session_item_take, {"model": FollowUpItem}, name="follow_up_item_take"),
    path("actions/", action_list.action_list, name="action_list"),
    path("actions/names/<str:field>/", names.names, {"filterset": ActionFilterSet}, name="action_names"),
    re_path(r"^actions/export\.(?P<fmt>csv|xlsx)$", action_list.action_export, name="action_export"),
    path("reports/matrix/", reports.matrix, name="matrix"),
    path("reports/slipped/", slipped.slipped, {"kind": "recommendations"}, name="slipped"),
    path("reports/slipped/<slug:kind>/", slipped.slipped, name="slipped_kind"),
    re_path(r"^reports/slipped/(?P<kind>[a-z-]+)/export\.(?P<fmt>csv|xlsx)$", slipped.slipped_export,
            name="slipped_export"),
    path("reports/changes/", reports.changes, name="changes"),
    path("meetings/", meetings.meeting_list, name="meetings"),
    path("meetings/<int:year>/", meetings.meeting_detail, name="meeting"),
    path("actors/", actors.actor_list, name="actors"),
    re_path(r"^actors/export\.(?P<fmt>csv|xlsx)$", actors.actor_export, name="actors_export"),
    path("actors/<int:pk>/", actors.actor_detail, name="actor"),
]
