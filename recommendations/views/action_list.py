"""The actions list (issue #20): every action under any item, filtered, sorted, paged, exported; for the public,
the published actions of published items (`ActionQuerySet.visible_to`, through the FilterSet)."""

from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Case, CharField, F, OuterRef, Prefetch, Subquery, Value, When
from django.db.models.functions import Cast, Concat

from gfmd_tracker.portal import is_public, portal_page

from ..action_filters import ActionFilterSet
from ..exports import Column, Table
from ..models import Action, Actor, Theme, Verification
from ..models.actions import parent_models
from .lists import FOLLOW_UP_COLUMNS, download_limit, export, filtered_list, only_set_parameters


def parents():
    """Each kind of item an action is under, with what its name and address need."""
    return [model.objects.select_related("session__meeting") for model in parent_models()]


def actions(public=False):
    """The list's actions with their item, meeting (the freshness light's thresholds), owner and names."""
    rows = Action.objects.select_related("meeting").prefetch_related(
        GenericPrefetch("parent", parents()), Prefetch("themes", queryset=Theme.objects.only("name", "i18n")),
        Prefetch("responsible_actors", queryset=Actor.objects.only("name")))
    return rows if public else rows.select_related("owner")


@portal_page("recommendations.view_action")
@only_set_parameters
def action_list(request):
    filterset = ActionFilterSet(request.GET or None, queryset=actions(is_public(request)), request=request)
    return filtered_list(request, filterset, "recommendations/action_list.html")


def item_key(prefix=""):
    """An action's item as the spreadsheets name it ("2010/2.1/1", a project's title), read by the database; of
    rows reaching the action by `prefix` ("item__": its timeline's entries)."""
    keys = []
    for model in parent_models():
        if any(field.name == "number" for field in model._meta.fields):
            key = Concat(Cast("session__meeting__year", CharField()), Value("/"), "session__code", Value("/"),
                         Cast("number", CharField()), output_field=CharField())
        else:
            key = F("title")
        item = model.objects.filter(pk=OuterRef(f"{prefix}parent_id")).annotate(key=key).values("key")
        keys.append(When(**{f"{prefix}parent_type": ContentType.objects.get_for_model(model)}, then=Subquery(item)))
    return Case(*keys, output_field=CharField())


def action_table(queryset):
    """The export columns: the action's meeting, its item's key and its own number (together, its key:
    2010/2.1/1 and a1), its words, the follow-up columns, its closure's verification and weight."""
    named = queryset.annotate(item_key=item_key(), action_key=Concat(Value("a"), Cast("number", CharField())))
    return Table(named, [
        Column("meeting", "meeting__year"), Column("item", "item_key"), Column("action", "action_key"),
        Column("title", "title"), Column("description", "description"), *FOLLOW_UP_COLUMNS,
        Column("verification", "verification", dict(Verification.choices)), Column("weight", "weight"),
    ], by_copy=False)  # the item's key is an annotation: written here, not by COPY


@download_limit
@portal_page("recommendations.view_action")
@only_set_parameters
def action_export(request, fmt):
    filterset = ActionFilterSet(request.GET or None, queryset=Action.objects.all(), request=request)
    return export(request, filterset, action_table, "actions", fmt)
