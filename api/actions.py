"""Actions in the API (`/api/v1/actions/`): each named by its natural key ("2010/2.1/1/a1", a project's
"Title/a1") under its item; the public reads the published actions of published items (`visible_to`), without
their owners. Their timelines and updates are updates.py's (`ActionUpdates`), through `record_update`."""

import django_filters as filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from recommendations.action_filters import ActionFilterSet
from recommendations.models import Action, Actor, kind_name
from recommendations.models.actions import parent_models

from .filters import AsOf
from .records import End
from .serializers import TrackedItemSerializer, item_key, item_path
from .views import ItemViewSet

# The kinds of item an action is under, as the `parent_kind` filter names them.
PARENT_KINDS = {"recommendation": "recommendations.recommendation", "follow_up_item": "recommendations.followupitem",
                "project": "partnerships.project"}


class ActionFilter(AsOf, ActionFilterSet):
    """The actions list's own filters (status, verification, freshness, meeting, session, owner for those signed in,
    …), and the kind of item an action is under; without the list's `sort` (a cursor walks one order)."""

    sort = None
    parent_kind = filters.ChoiceFilter(choices=[(name, name.replace("_", " ")) for name in PARENT_KINDS],
                                       method="filter_parent_kind", label="The kind of item it is under")

    class Meta(ActionFilterSet.Meta):
        pass

    def filter_parent_kind(self, queryset, name, value):
        model = next(m for m in parent_models() if m._meta.label_lower == PARENT_KINDS[value])
        return queryset.filter(parent_type=ContentType.objects.get_for_model(model))


class ActionSerializer(TrackedItemSerializer):
    key = serializers.SerializerMethodField(help_text="Its item's key and its number: 2010/2.1/1/a1.")
    parent = serializers.SerializerMethodField(help_text="The item it is under.")

    class Meta:
        model = Action
        fields = ("key", "url", "web_url", "updates_url", "parent", "number", "title", "description", "weight",
                  *(name for name in TrackedItemSerializer.tracked if name != "themes"))

    def get_key(self, action) -> str:
        return action.lineage_key()

    @extend_schema_field(End)
    def get_parent(self, action):
        item = action.parent
        return {"kind": kind_name(item), "key": str(item_key(item)), "url": self.link(item_path(item))}


@extend_schema_view(
    list=extend_schema(description="Actions taken on recommendations, follow-up items and projects (the public: "
                                   "the published actions of published items)."),
    retrieve=extend_schema(parameters=[OpenApiParameter("key", str, OpenApiParameter.PATH,
                                                        description="2010/2.1/1/a1, or a project's Title/a1.")]))
class ActionViewSet(ItemViewSet):
    model = Action
    serializer_class = ActionSerializer
    filterset_class = ActionFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is drawn without a reader
            return Action.objects.none()
        rows = Action.objects.visible_to(self.request.user).select_related("meeting").with_parents()
        if self.request.user.is_authenticated:
            rows = rows.select_related("owner")
        return rows.prefetch_related(Prefetch("responsible_actors", Actor.objects.only("name"), to_attr="actor_list"))

    def lookup(self, key):
        try:
            return {"pk": Action.get_by_lineage_key(key).pk}
        except (ValueError, Action.DoesNotExist):
            raise Http404(gettext("No action %(key)s.") % {"key": key}) from None
