import django_filters as filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from recommendations.filters import (
    LineageFilter,
    NameFilter,
    StableOrderingFilter,
    TrackedItemFilterSet,
    actors,
    any_name,
)

from .models import Project, Stage


class ProjectFilterSet(TrackedItemFilterSet):
    names_url = "partnerships:names"
    common_filters = ("q", "status", "stage", "owner")

    stage = filters.MultipleChoiceFilter(choices=Stage.choices, widget=forms.CheckboxSelectMultiple,
                                         label=_("Stage"), distinct=False)
    partner = NameFilter(queryset=actors(project_roles__isnull=False), to_field_name="name",
                         method="filter_partner", label=_("Partner"), widget=any_name(_("Any partner: type a name")))
    lineage = LineageFilter(implementation=(_("Implements a GFMD outcome"), "recommendations"))
    sort = StableOrderingFilter(
        fields=(("title", "title"), ("stage", "stage"), ("status", "status"), ("owner__username", "owner"),
                ("due_date", "due"), ("progress", "progress"), ("last_update_at", "updated")),
        field_labels={"title": _("Title"), "stage": _("Stage"), "status": _("Status"), "owner__username": _("Owner"),
                      "due_date": pgettext_lazy("sort", "Due"), "progress": _("Progress"),
                      "last_update_at": pgettext_lazy("sort", "Updated")},
        label=_("Sort by"),
    )

    class Meta:
        model = Project
        fields = []

    def filter_partner(self, queryset, name, value):
        return queryset.filter(self.m2m("partners", actor=value))

    def filter_country(self, queryset, name, value):
        partnered = self.m2m("partners", actor__country=value)
        return queryset.filter(self.m2m("responsible_actors", actor__country=value) | partnered)
