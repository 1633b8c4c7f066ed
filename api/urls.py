"""/api/: version 1 of the read API and the update endpoint (/api/v1/), the OpenAPI schema (/api/schema/), its
human docs (/api/docs/, Swagger UI served from this site) and the signed-in page of personal tokens."""

from django.urls import path
from django.views.decorators.cache import never_cache
from drf_spectacular.views import SpectacularAPIView

from . import actions, docs, tokens, updates, views

app_name = "api"

ITEM = "<int:year>/<path:code>/<int:number>/"  # a session's item by its natural key, as on its page
LIST, ONE = {"get": "list"}, {"get": "retrieve"}
TIMELINE = {"get": "list", "post": "create"}


def resource(prefix, name, viewset, key=None, timeline=None):
    """A resource's list (`<name>-list`), its records by `key` (`<name>`) and their timelines (`<name>-updates`)."""
    routes = [path(f"v1/{prefix}/", viewset.as_view(LIST), name=f"{name}-list")]
    if timeline:
        routes.append(path(f"v1/{prefix}/{key}updates/", timeline.as_view(TIMELINE), name=f"{name}-updates"))
    if key:
        routes.append(path(f"v1/{prefix}/{key}", viewset.as_view(ONE), name=name))
    return routes


urlpatterns = [
    path("v1/", views.Root.as_view(), name="root"),
    *resource("meetings", "meeting", views.MeetingViewSet, "<int:year>/"),
    *resource("sessions", "session", views.SessionViewSet, "<int:year>/<path:code>/"),
    *resource("actors", "actor", views.ActorViewSet, "<path:name>/"),
    *resource("themes", "theme", views.ThemeViewSet, "<slug:slug>/"),
    *resource("recommendations", "recommendation", views.RecommendationViewSet, ITEM, updates.RecommendationUpdates),
    *resource("follow-up-items", "follow_up_item", views.FollowUpItemViewSet, ITEM, updates.FollowUpItemUpdates),
    *resource("projects", "project", views.ProjectViewSet, "<int:id>/", updates.ProjectUpdates),
    *resource("actions", "action", actions.ActionViewSet, "<path:key>/", updates.ActionUpdates),
    *resource("partners", "partner", views.PartnerViewSet),
    *resource("lineage", "lineage", views.LineageViewSet),
    # Never stored: the schema and the docs are drawn for the reader (a signed-in reader's differ), and a shared
    # cache must not hand one reader's to another.
    path("schema/", never_cache(SpectacularAPIView.as_view()), name="schema"),
    path("docs/", never_cache(docs.Docs.as_view()), name="docs"),
    path("tokens/", tokens.tokens, name="tokens"),
    path("tokens/revoke/", tokens.revoke, name="revoke_token"),
]
