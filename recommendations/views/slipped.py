"""The Slipped report (issue #20): the items, follow-up items or actions whose due date moved later, how many
times, by how many days in all (counted in the database: `FollowUpQuerySet.slipped`), and the reasons given,
latest first; filtered as their lists are, sorted by times or days, paged, exported, printed. The public sees the
published items and the reasons of the published entries only."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gfmd_tracker.portal import is_public, portal_page

from ..action_filters import ActionFilterSet
from ..exports import Column, Entries, Table
from ..filter_fields import StableOrderingFilter
from ..filters import FollowUpItemFilterSet, RecommendationFilterSet
from ..models import FollowUpItem, Recommendation, Status
from .action_list import actions, item_key
from .lists import PAGE_SIZE, download_limit, export, listed, only_set_parameters


def slipped_sort():
    return StableOrderingFilter(
        fields=(("slips", "times"), ("days_slipped", "days"), ("due_date", "due"), ("status", "status")),
        field_labels={"slips": _("Times moved later"), "days_slipped": _("Days later in all"),
                      "due_date": _("Current due date"), "status": _("Status")}, label=_("Sort by"))


class SlippedRecommendations(RecommendationFilterSet):
    sort = slipped_sort()


class SlippedFollowUpItems(FollowUpItemFilterSet):
    sort = slipped_sort()


class SlippedActions(ActionFilterSet):
    sort = slipped_sort()


# Each move later of a due date: when, by how many days, to which date, why (newest first).
REASONS = Entries("reasons", {"slipped_days__isnull": False},
                  ("created_at__date", "slipped_days", "due_date_after", "due_date_reason"),
                  "{0}: {1} days later, to {2}: {3}")
SLIP_COLUMNS = (
    Column("status", "status", dict(Status.choices)), Column("owner", "owner__username", internal=True),
    Column("due_date", "due_date", precision="due_date_precision"), Column("times_moved_later", "slips"),
    Column("days_later_in_all", "days_slipped"), REASONS,
)


def item_table(queryset):
    return Table(queryset, [Column("meeting", "session__meeting__year"), Column("session", "session__code"),
                            Column("number", "number"), Column("title", "title"), *SLIP_COLUMNS],
                 last_note=False, by_copy=False)  # counts and reasons are annotations and entries: written here


def action_table(queryset):
    named = queryset.annotate(item_key=item_key(), action_key=Concat(Value("a"), Cast("number", CharField())))
    return Table(named, [Column("meeting", "meeting__year"), Column("item", "item_key"),
                         Column("action", "action_key"), Column("title", "title"), *SLIP_COLUMNS],
                 last_note=False, by_copy=False)


@dataclass(frozen=True)
class Kind:
    label: str
    item_label: str  # the heading of the items' column
    # The page's sentences, whole for each kind: a label given to a sentence would take the wrong article or
    # agreement in a language whose kinds differ in gender ("las recomendaciones", "los elementos").
    intro: str
    empty: str  # no item of the kind slipped (under the filters)
    filterset: type
    rows: object  # public → the rows a page shows
    table: object
    permission: str


KINDS = {
    "recommendations": Kind(
        _("Recommendations"), _("Recommendation"),
        _("The recommendations whose due date was moved later: how many times, by how many days in all, and the "
          "reasons given, latest first. A due date already set moves only with its reason."),
        _("No due date of these recommendations moved later."),
        SlippedRecommendations, lambda public: listed(Recommendation, public), item_table,
        "recommendations.view_recommendation"),
    "follow-up": Kind(
        _("Follow-up items"), _("Follow-up item"),
        _("The follow-up items whose due date was moved later: how many times, by how many days in all, and the "
          "reasons given, latest first. A due date already set moves only with its reason."),
        _("No due date of these follow-up items moved later."),
        SlippedFollowUpItems, lambda public: listed(FollowUpItem, public), item_table,
        "recommendations.view_followupitem"),
    "actions": Kind(
        _("Actions"), _("Action"),
        _("The actions whose due date was moved later: how many times, by how many days in all, and the reasons "
          "given, latest first. A due date already set moves only with its reason."),
        _("No due date of these actions moved later."),
        SlippedActions, actions, action_table, "recommendations.view_action"),
}


def kind_of(request, kind):
    """The kind of item asked for, if it is one and the reader may read it (the public reads every kind)."""
    if kind not in KINDS:
        raise Http404(gettext("No slipped report of '%(kind)s': choose recommendations, follow-up or actions.")
                      % {"kind": kind})
    found = KINDS[kind]
    if not is_public(request) and not request.user.has_perm(found.permission):
        raise Http404(gettext("You may not read these items."))
    return found


def filtered(request, kind, rows):
    """The kind's FilterSet over its items that slipped, the most days later first unless sorted otherwise."""
    slipped = rows.slipped().order_by("-days_slipped", "-slips", "pk")
    return kind.filterset(request.GET or None, queryset=slipped, request=request)


def with_reasons(items, public):
    """Each item of `items` given `moves`: its moves later (when, days, to which date, why), newest first; for
    the public, those of published entries (`hidden`: how many moves' reasons are not published). One query."""
    if not items:
        return items
    timeline = type(items[0])._meta.get_field("updates").related_model
    entries = timeline.objects.filter(item__in=items, slipped_days__isnull=False)
    if public:
        entries = entries.filter(is_public=True)
    moves = {}
    for entry in entries.order_by("-created_at", "-pk").only(
            "item_id", "created_at", "created_at_precision", "slipped_days", "due_date_after",
            "due_date_precision_after", "due_date_reason"):
        moves.setdefault(entry.item_id, []).append(entry)
    for item in items:
        item.moves = moves.get(item.pk, [])
        item.hidden = item.slips - len(item.moves)
    return items


@portal_page("recommendations.view_recommendation")
@only_set_parameters
def slipped(request, kind):
    found, public = kind_of(request, kind), is_public(request)
    filterset = filtered(request, found, found.rows(public))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    with_reasons(list(page), public)
    return render(request, "recommendations/slipped.html", {
        "filter": filterset, "page": page, "filters_described": filterset.describe(), "kind": kind,
        "kinds": [(slug, k.label) for slug, k in KINDS.items()], "kind_label": found.label,
        "item_label": found.item_label, "intro": found.intro, "empty": found.empty,
    })


@download_limit
@portal_page("recommendations.view_recommendation")
@only_set_parameters
def slipped_export(request, kind, fmt):
    found = kind_of(request, kind)
    filterset = filtered(request, found, found.rows(is_public(request)))
    back = reverse("recommendations:slipped_kind", args=[kind])
    return export(request, filterset, found.table, f"slipped-{kind}", fmt, back=back)
