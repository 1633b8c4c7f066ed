"""The filters of the actions list (issue #20): those of every tracked item (`TrackedItemFilterSet`: status,
closure, freshness, owner, responsible actor, overdue, …), with the meeting an action's item belongs to, its
item's session, and a text search of the actions' own words."""

import django_filters as filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from .filter_fields import StableOrderingFilter
from .filters import TrackedItemFilterSet, meeting_choices
from .models import Action, FollowUpItem, Recommendation

# The kinds of item numbered within a session (a project belongs to at most one session, through its own).
SESSION_ITEMS = (Recommendation, FollowUpItem)


def under_session(code):
    """The actions whose item is in a session of this code (of any meeting: the meeting filter narrows it)."""
    condition = Q(pk__in=[])
    for model in SESSION_ITEMS:
        items = model.objects.filter(pk=OuterRef("parent_id"), session__code=code)
        condition |= Q(parent_type=ContentType.objects.get_for_model(model)) & Exists(items)
    return condition


class ActionFilterSet(TrackedItemFilterSet):
    names_url = "recommendations:action_names"
    common_filters = ("q", "status", "verification", "freshness", "meeting", "session", "owner")
    q = filters.CharFilter(method="filter_text", label=_("Text"),
                           widget=forms.TextInput(attrs={"placeholder": _("e.g. recruitment agencies")}))
    meeting = filters.ChoiceFilter(field_name="meeting__year", label=_("Meeting"), widget=forms.Select,
                                   choices=meeting_choices, empty_label=_("Any meeting"))
    session = filters.CharFilter(method="filter_session", label=_("Session code"),
                                 widget=forms.TextInput(attrs={"placeholder": _("e.g. 2.1"), "size": 6}))
    lineage = None  # an action has no lineage of its own
    sort = StableOrderingFilter(
        fields=(("meeting__year", "meeting"), ("title", "title"), ("status", "status"), ("owner__username", "owner"),
                ("due_date", "due"), ("progress", "progress"), ("last_update_at", "updated")),
        field_labels={"meeting__year": _("Meeting"), "title": _("Title"), "status": _("Status"),
                      "owner__username": _("Owner"), "due_date": _("Due"), "progress": _("Progress"),
                      "last_update_at": _("Last update")},
        label=_("Sort by"),
    )

    class Meta:
        model = Action
        fields = []

    def filter_text(self, queryset, name, value):
        """Every word in the action's title or description (actions have no search documents of their own)."""
        for word in value.split():
            queryset = queryset.filter(Q(title__icontains=word) | Q(description__icontains=word))
        return queryset

    def filter_session(self, queryset, name, value):
        return queryset.filter(under_session(value.strip()))
