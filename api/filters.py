"""The API's filters: the lists' own FilterSets (the same filters, the public's without the owner), with
`as_of` (the status as it stood, read as the matrix reads it: `reports.status_as_of`) and without their `sort`
(a cursor walks one fixed order); small FilterSets for the other records."""

import django_filters as filters
from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from partnerships.filters import ProjectFilterSet
from partnerships.models import ProjectPartner
from recommendations.filters import FollowUpItemFilterSet, RecommendationFilterSet
from recommendations.models import Actor, Lineage, Session
from recommendations.reports import status_as_of


class AsOf(filters.FilterSet):
    """`as_of`: each item's status at the end of that day, from its timeline; items made later are left out.
    The lists' filters by a name are strings in the schema (a slug, an actor's name, a country's code)."""

    as_of = filters.DateFilter(method="filter_as_of", label="Status as of (YYYY-MM-DD)")

    def filter_as_of(self, queryset, name, value):
        return status_as_of(queryset, value)

    @extend_schema_field(OpenApiTypes.STR)
    def filter_theme(self, queryset, name, value):
        return super().filter_theme(queryset, name, value)

    @extend_schema_field(OpenApiTypes.STR)
    def filter_responsible(self, queryset, name, value):
        return super().filter_responsible(queryset, name, value)

    @extend_schema_field(OpenApiTypes.STR)
    def filter_country(self, queryset, name, value):
        return super().filter_country(queryset, name, value)

    @extend_schema_field(OpenApiTypes.STR)
    def filter_co_chair(self, queryset, name, value):
        return super().filter_co_chair(queryset, name, value)

    @extend_schema_field(OpenApiTypes.STR)
    def filter_partner(self, queryset, name, value):
        return super().filter_partner(queryset, name, value)


class RecommendationFilter(AsOf, RecommendationFilterSet):
    sort = None

    class Meta(RecommendationFilterSet.Meta):
        pass


class FollowUpItemFilter(AsOf, FollowUpItemFilterSet):
    sort = None

    class Meta(FollowUpItemFilterSet.Meta):
        pass


class ProjectFilter(AsOf, ProjectFilterSet):
    sort = None

    class Meta(ProjectFilterSet.Meta):
        pass


class IdFilter(filters.NumberFilter):
    """A whole number within a database integer's range: any other value is a 400 naming the parameter (not a
    query the database cannot take)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=2**31 - 1, **kwargs)


class SessionFilter(filters.FilterSet):
    meeting = IdFilter(field_name="meeting__year", label="Meeting (year)")

    class Meta:
        model = Session
        fields = ["kind"]


class ActorFilter(filters.FilterSet):
    class Meta:
        model = Actor
        fields = ["kind"]


class PartnerFilter(filters.FilterSet):
    project = IdFilter(field_name="project_id", label="Project (id)")
    actor = filters.CharFilter(field_name="actor__name", label="Actor (name)")

    class Meta:
        model = ProjectPartner
        fields = ["role"]


class LineageFilter(filters.FilterSet):
    class Meta:
        model = Lineage
        fields = ["kind"]
