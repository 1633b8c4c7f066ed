"""The read API (`/api/v1/`): one read-only viewset per kind of record, looked up by natural keys. The rows are
the reader's (`visible_to`), filtered by the lists' FilterSets (filters.py), read with what they show in a fixed
number of queries; the policy (who, how often, caching) is access.py's; the update endpoint is updates.py's."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from gfmd_tracker.portal import is_public
from partnerships.models import Project, ProjectPartner
from recommendations.models import (
    Actor,
    FollowUpItem,
    Lineage,
    Meeting,
    Recommendation,
    Session,
    SessionParticipant,
    Theme,
)

from . import filters, records, serializers
from .access import ConditionalReads


def path_parameters(**types):
    """The path's parameters, for the schema (the lookups are natural keys, not model fields)."""
    return [OpenApiParameter(name, kind, OpenApiParameter.PATH) for name, kind in types.items()]


class ReadViewSet(ConditionalReads, viewsets.ReadOnlyModelViewSet):
    """A kind of record: `model`, read in `ordering` (the cursor's), found by `lookup` of the address's keys."""

    model = None
    ordering = ("pk",)

    def lookup(self, **kwargs):
        return kwargs

    def get_object(self):
        if not hasattr(self, "_object"):
            found = get_object_or_404(self.filter_queryset(self.get_queryset()), **self.lookup(**self.kwargs))
            self.check_object_permissions(self.request, found)
            self._object = found
        return self._object

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "public": is_public(self.request)}


# --- the tracked items


def item_queryset(model, request, *related):
    """A kind of tracked item as the reader may see it, with what its serializer shows (for the public, no owner
    and only the published items it links to)."""
    public = is_public(request)
    rows = model.objects.visible_to(request.user).select_related("session__meeting")
    if not public:
        rows = rows.select_related("owner")
    return rows.prefetch_related(Prefetch("themes", Theme.objects.only("slug"), to_attr="theme_list"),
                                 Prefetch("responsible_actors", Actor.objects.only("name"), to_attr="actor_list"),
                                 *(Prefetch(name, linked.filter(is_public=True) if public else linked, to_attr=attr)
                                   for name, linked, attr in related))


class ItemViewSet(ReadViewSet):
    """A signed-in reader's ETag of a tracked item also names its version: send it back in If-Match with an
    update. The public's does not (the version counts internal changes too)."""

    def get_etag(self, request):
        etag = super().get_etag(request)
        if self.action == "retrieve" and not is_public(request):
            return f'"v{self.get_object().version}-{etag.strip(chr(34))}"'
        return etag


NUMBERED = path_parameters(year=int, code=str, number=int)
AS_OF = "With as_of=YYYY-MM-DD: the status as it stood at the end of that day (as the status matrix's as-of)."


@extend_schema_view(list=extend_schema(description=f"Recommendations, in the report's order. {AS_OF}"),
                    retrieve=extend_schema(parameters=NUMBERED, description=AS_OF))
class RecommendationViewSet(ItemViewSet):
    model = Recommendation
    serializer_class = serializers.RecommendationSerializer
    filterset_class = filters.RecommendationFilter
    ordering = ("ordinal", "pk")

    def get_queryset(self):
        return item_queryset(Recommendation, self.request,
                             ("projects", Project.objects.only("pk", "is_public"), "project_list"))

    def lookup(self, year, code, number):
        return {"session__meeting__year": year, "session__code": code, "number": number}


@extend_schema_view(list=extend_schema(description=f"The other follow-up items (the civil society's calls, the "
                                                   f"assessment). {AS_OF}"),
                    retrieve=extend_schema(parameters=NUMBERED, description=AS_OF))
class FollowUpItemViewSet(ItemViewSet):
    model = FollowUpItem
    serializer_class = serializers.FollowUpItemSerializer
    filterset_class = filters.FollowUpItemFilter

    def get_queryset(self):
        return item_queryset(FollowUpItem, self.request)

    def lookup(self, year, code, number):
        return {"session__meeting__year": year, "session__code": code, "number": number}


@extend_schema_view(list=extend_schema(description=f"PfP projects. {AS_OF}"),
                    retrieve=extend_schema(parameters=path_parameters(id=int), description=AS_OF))
class ProjectViewSet(ItemViewSet):
    model = Project
    serializer_class = serializers.ProjectSerializer
    filterset_class = filters.ProjectFilter

    def get_queryset(self):
        served = Recommendation.objects.select_related("session__meeting").only(
            "number", "is_public", "session__code", "session__meeting__year")
        partners = Prefetch("project_partners", ProjectPartner.objects.select_related("actor"), to_attr="partner_list")
        rows = item_queryset(Project, self.request, ("recommendations", served, "recommendation_list"))
        return rows.prefetch_related(partners)

    def lookup(self, id):
        return {"pk": id}


# --- the Forum's records


@extend_schema_view(retrieve=extend_schema(parameters=path_parameters(year=int)))
class MeetingViewSet(ReadViewSet):
    model = Meeting
    serializer_class = records.MeetingSerializer
    ordering = ("year",)
    queryset = Meeting.objects.select_related("chair_country", "next_chair_country").prefetch_related(
        Prefetch("sessions", Session.objects.order_by("position", "code").only("meeting_id", "code")))

    def lookup(self, year):
        return {"year": year}


@extend_schema_view(retrieve=extend_schema(parameters=path_parameters(year=int, code=str)))
class SessionViewSet(ReadViewSet):
    model = Session
    serializer_class = records.SessionSerializer
    filterset_class = filters.SessionFilter
    queryset = Session.objects.select_related("meeting", "roundtable").prefetch_related(
        Prefetch("participants", SessionParticipant.objects.select_related("actor")))

    def lookup(self, year, code):
        return {"meeting__year": year, "code": code}


@extend_schema_view(retrieve=extend_schema(parameters=path_parameters(name=str)))
class ActorViewSet(ReadViewSet):
    model = Actor
    serializer_class = records.ActorSerializer
    filterset_class = filters.ActorFilter
    ordering = ("name",)
    queryset = Actor.objects.prefetch_related(Prefetch("members", Actor.objects.only("name")))


@extend_schema_view(retrieve=extend_schema(parameters=path_parameters(slug=str)))
class ThemeViewSet(ReadViewSet):
    model = Theme
    serializer_class = records.ThemeSerializer
    ordering = ("slug",)
    queryset = Theme.objects.all()


class PartnerViewSet(ConditionalReads, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Who partners in which PfP project, in what role (for the public, in published projects)."""

    model = ProjectPartner
    serializer_class = records.PartnerSerializer
    filterset_class = filters.PartnerFilter
    ordering = ("pk",)

    def get_queryset(self):
        projects = Project.objects.visible_to(self.request.user)
        return ProjectPartner.objects.filter(project__in=projects).select_related("actor", "project")


class LineageViewSet(ConditionalReads, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Where items come from, as the report states it (for the public, between published items only)."""

    model = Lineage
    serializer_class = records.LineageSerializer
    filterset_class = filters.LineageFilter
    ordering = ("line", "pk")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is drawn without a reader
            return Lineage.objects.none()
        return Lineage.objects.visible_to(self.request.user).with_ends()


class Root(ConditionalReads, APIView):
    """Every resource of version 1, by its list's address."""

    permission_classes = [permissions.AllowAny]
    lists = ("meeting", "session", "actor", "theme", "recommendation", "follow_up_item", "project", "action",
             "partner", "lineage")

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response({name: request.build_absolute_uri(reverse(f"api:{name}-list")) for name in self.lists})
