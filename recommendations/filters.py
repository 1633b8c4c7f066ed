"""The filters of the status reports (django-filter). The same FilterSet drives a list,
its CSV/XLSX export and the status matrix, so what you see is what you export."""

import datetime

import django_filters as filters
from django import forms
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django_countries import countries

from .models import Actor, Meeting, Recommendation, Roundtable, Session, SessionParticipant, Status, Theme

UNASSIGNED = "none"
DEFAULT_STALE_DAYS = 90


def owner_choices():
    users = get_user_model().objects.filter(is_active=True).order_by("username")
    return [(UNASSIGNED, "— unassigned —"), *((str(u.pk), u.get_full_name() or u.username) for u in users)]


class TrackedItemFilterSet(filters.FilterSet):
    """Filters every kind of tracked item understands."""

    text_fields = ("title",)

    q = filters.CharFilter(method="filter_text", label="Text")
    status = filters.MultipleChoiceFilter(choices=Status.choices, widget=forms.CheckboxSelectMultiple, label="Status")
    owner = filters.ChoiceFilter(choices=owner_choices, method="filter_owner", empty_label="Anyone", label="Owner")
    theme = filters.ModelMultipleChoiceFilter(
        field_name="themes__slug", to_field_name="slug", queryset=Theme.objects.all(), distinct=True,
        widget=forms.CheckboxSelectMultiple, label="Theme",
    )
    responsible = filters.ModelChoiceFilter(
        field_name="responsible_actors", queryset=Actor.objects.all(), label="Responsible actor", distinct=True,
    )
    country = filters.ChoiceFilter(choices=countries, method="filter_country", label="Country")
    due_after = filters.DateFilter(field_name="due_date", lookup_expr="gte", label="Due on or after",
                                   widget=forms.DateInput(attrs={"type": "date"}))
    due_before = filters.DateFilter(field_name="due_date", lookup_expr="lte", label="Due on or before",
                                    widget=forms.DateInput(attrs={"type": "date"}))
    overdue = filters.BooleanFilter(method="filter_overdue", label="Overdue only",
                                    widget=forms.CheckboxInput)
    stale = filters.NumberFilter(method="filter_stale", label="No update in (days)", min_value=1,
                                 widget=forms.NumberInput(attrs={"placeholder": DEFAULT_STALE_DAYS}))
    updated_since = filters.DateFilter(method="filter_updated_since", label="Updated since",
                                       widget=forms.DateInput(attrs={"type": "date"}))

    def filter_text(self, queryset, name, value):
        words = value.split()
        if not words:
            return queryset
        notes = queryset.model.updates.rel.related_model.objects.filter(item=OuterRef("pk"))
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery, SearchVector

            query = SearchQuery(value, search_type="websearch", config="english")
            vector = SearchVector(*self.text_fields, config="english")
            in_notes = notes.annotate(document=SearchVector("note", config="english")).filter(document=query)
            return queryset.annotate(document=vector).filter(Q(document=query) | Exists(in_notes))
        # SQLite and others: every word must appear in the text or in a note.
        for word in words:
            in_text = Q()
            for field in self.text_fields:
                in_text |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(in_text | Exists(notes.filter(note__icontains=word)))
        return queryset

    def filter_owner(self, queryset, name, value):
        if value == UNASSIGNED:
            return queryset.filter(owner=None)
        return queryset.filter(owner_id=value)

    def filter_country(self, queryset, name, value):
        return queryset.filter(responsible_actors__country=value).distinct()

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset

    def filter_stale(self, queryset, name, value):
        return queryset.stale(int(value))

    def filter_updated_since(self, queryset, name, value):
        start = timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))
        return queryset.updated_since(start)

    def describe(self):
        """The active filters in words, for the top of a printed or exported report."""
        if not self.is_bound or not self.form.is_valid():
            return []
        return [
            f"{self.form.fields[name].label}: {_show(self.form.fields[name], value)}"
            for name, value in self.form.cleaned_data.items()
            if value not in (None, "", False) and not (hasattr(value, "__len__") and len(value) == 0)
        ]


def _show(field, value):
    labels = {}
    if hasattr(field, "choices") and not isinstance(field, forms.ModelChoiceField):
        labels = dict(iter(field.choices))  # iterate: django-filter's lazy choices have no len()
    if isinstance(value, (list, tuple)) or hasattr(value, "model"):
        return ", ".join(str(labels.get(v, v)) for v in value)
    if value is True:
        return "yes"
    return str(labels.get(value, value))


class RecommendationFilterSet(TrackedItemFilterSet):
    text_fields = ("title", "text")

    meeting = filters.ModelChoiceFilter(field_name="session__meeting", queryset=Meeting.objects.all(), label="Meeting")
    roundtable = filters.ModelChoiceFilter(
        field_name="session__roundtable", queryset=Roundtable.objects.select_related("meeting"), label="Roundtable"
    )
    session = filters.ModelChoiceFilter(queryset=Session.objects.select_related("meeting"), label="Session")
    co_chair = filters.ModelChoiceFilter(
        queryset=Actor.objects.filter(session_roles__role=SessionParticipant.Role.CO_CHAIR).distinct(),
        method="filter_co_chair", label="Co-chair",
    )
    sort = filters.OrderingFilter(
        fields=(("session__position", "session"), ("number", "number"), ("status", "status"),
                ("owner__username", "owner"), ("due_date", "due"), ("progress", "progress"),
                ("last_update_at", "updated")),
        field_labels={"session__position": "Session", "last_update_at": "Last update"},
        label="Sort by",
    )

    class Meta:
        model = Recommendation
        fields = []

    def filter_co_chair(self, queryset, name, value):
        return queryset.filter(
            session__participants__actor=value, session__participants__role=SessionParticipant.Role.CO_CHAIR
        )

    def filter_country(self, queryset, name, value):
        # A country's recommendations: those it is responsible for or whose session it co-chaired or joined.
        return queryset.filter(
            Q(responsible_actors__country=value) | Q(session__participants__actor__country=value)
        ).distinct()
