import django_filters as filters
from django import forms
from django.db.models import Q

from recommendations.filters import TrackedItemFilterSet
from recommendations.models import Actor

from .models import Project, Stage


class ProjectFilterSet(TrackedItemFilterSet):
    text_fields = ("title", "description", "origin")

    stage = filters.MultipleChoiceFilter(choices=Stage.choices, widget=forms.CheckboxSelectMultiple, label="Stage")
    partner = filters.ModelChoiceFilter(
        field_name="partners", queryset=Actor.objects.filter(project_roles__isnull=False).distinct(), distinct=True, label="Partner",
    )
    sort = filters.OrderingFilter(
        fields=(("title", "title"), ("stage", "stage"), ("status", "status"), ("owner__username", "owner"),
                ("due_date", "due"), ("progress", "progress"), ("last_update_at", "updated")),
        label="Sort by",
    )

    class Meta:
        model = Project
        fields = []

    def filter_country(self, queryset, name, value):
        return queryset.filter(Q(responsible_actors__country=value) | Q(partners__country=value)).distinct()
