"""The actors: the table of all of them with their scorecards' figures (sortable, downloadable), and each one's
page: its scorecard, how its figures evolved, and what it chairs, joins, is responsible for and partners in."""

import csv
import io
import math
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from gfmd_tracker.portal import is_public, portal_page
from gfmd_tracker.spreadsheets import write_table

from .. import scorecards, versioning
from ..exports import attachment
from ..imports.widgets import neutralise_formula
from ..models import Actor, Freshness, Meeting, Recommendation, SessionParticipant
from ..models.actions import parent_models
from .lists import download_limit, only_set_parameters

ACTOR_PAGE_ITEMS = 50

# The table's columns: (sort key, heading, the export's column, the value of an actor's row). The headings are the
# page's, in the reader's language; the export's columns keep their names (and its cells are in English, as the
# lists' downloads are: `exports.in_english`).
COLUMNS = [
    ("actor", _("Actor"), "actor", lambda a: a.name),
    ("kind", _("Kind"), "kind", lambda a: str(a.get_kind_display())),
    ("country", _("Country"), "country", lambda a: a.country.code),
    ("chairs", _("Sessions co-chaired"), "sessions_co_chaired", lambda a: a.chairs),
    ("recommendations", _("Recommendations"), "recommendations", lambda a: a.responsible),
    ("total", _("Items and actions"), "items_and_actions", lambda a: a.card.total),
    ("reported", pgettext_lazy("coverage", "Reported"), "reported", lambda a: a.card.reported),
    ("recent", _("Reported in the last 90 days"), "reported_last_90_days", lambda a: a.card.reported_recent),
    ("unknown", pgettext_lazy("coverage", "Unknown"), "unknown", lambda a: a.card.unknown),
    ("progress", _("Progress over the reported"), "progress_over_reported", lambda a: a.card.progress),
    ("claimed", _("Closures awaiting verification"), "closures_awaiting_verification", lambda a: a.card.claimed),
    ("verified", _("Closures verified"), "closures_verified", lambda a: a.card.verified),
    ("overdue", _("Overdue"), "overdue", lambda a: a.card.overdue),
    ("slipped", _("Slipped"), "slipped", lambda a: a.card.slipped),
    ("current", _("Current"), "current", lambda a: a.card.current),
    ("ageing", _("Ageing"), "ageing", lambda a: a.card.ageing),
    ("stale", _("Stale"), "stale", lambda a: a.card.stale),
    ("inactive", _("Inactive"), "inactive", lambda a: a.card.inactive),
    ("partner", _("Partner in PfP projects"), "partner_in_projects", lambda a: a.partner.total),
]
SORTS = {key: value for key, _, _, value in COLUMNS}


def export_cell(value):
    """A figure as a number (progress rounded half up, as the page shows it; unknown empty), a name as text no
    spreadsheet runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, float):
        return math.floor(value + 0.5)
    return neutralise_formula(value) if isinstance(value, str) else value


def sort_value(value):
    """Words without case."""
    return value.lower() if isinstance(value, str) else value


def actors_table(request):
    """Every actor with its figures (counted once per data version and day, for the public apart), sorted as
    asked (by kind and name unless). Returns (actors, the sort refused or None)."""
    public = is_public(request)
    table = versioning.cached_report("actor-table", (public,), lambda: scorecards.actor_table(request.user))
    actors = list(Actor.objects.order_by("kind", "name"))
    recommendations = scorecards.label_of(Recommendation)  # a kind's figures are under its name in this language
    for actor in actors:
        found = table.get(actor.pk) or scorecards.ActorFigures()
        actor.chairs, actor.card, actor.partner = found.chairs, found.total, found.partner
        actor.responsible = found.by_kind.get(recommendations, scorecards.Scorecard()).total
    sort = request.GET.get("sort", "")
    if sort and sort.removeprefix("-") not in SORTS:
        return actors, sort
    if sort:
        value = SORTS[sort.removeprefix("-")]
        known = [actor for actor in actors if value(actor) is not None]
        known.sort(key=lambda actor: sort_value(value(actor)), reverse=sort.startswith("-"))
        actors = known + [actor for actor in actors if value(actor) is None]  # unknown last, whichever way
    return actors, None


@portal_page("recommendations.view_actor")
@only_set_parameters
def actor_list(request):
    actors, refused = actors_table(request)
    context = {"actors": actors, "columns": [(key, heading) for key, heading, _, _ in COLUMNS[3:]],
               "refused_sort": refused, "recent_days": scorecards.RECENT_DAYS}
    return render(request, "recommendations/actor_list.html", context, status=400 if refused else 200)


@download_limit
@portal_page("recommendations.view_actor")
@only_set_parameters
def actor_export(request, fmt):
    """The table of all actors as CSV or XLSX, sorted as the page is (the same figures: the public's for it)."""
    actors, refused = actors_table(request)
    if refused:
        return HttpResponse(gettext("Unknown sort “%(sort)s”: sort by one of the table's columns.") % {"sort": refused},
                            status=400, content_type="text/plain; charset=utf-8")
    rows = [[name for _, _, name, _ in COLUMNS]]
    with translation.override(settings.LANGUAGE_CODE):  # the cells in English, as the lists' downloads
        rows += [[export_cell(value(actor)) for _, _, _, value in COLUMNS] for actor in actors]
    if fmt == "csv":
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        return HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8",
                            headers=attachment("actors", "csv"))
    book = Workbook(write_only=True)
    write_table(book, gettext("Actors"), rows)
    out = io.BytesIO()
    book.save(out)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return HttpResponse(out.getvalue(), content_type=xlsx, headers=attachment("actors", "xlsx"))


def responsible_lists(actor, user):
    """(label, the first ACTOR_PAGE_ITEMS items, how many, the filtered list's address when there are more) of
    each kind of item the actor is responsible for, with what their rows show (freshness: the meeting)."""
    parents = [model.objects.select_related("session__meeting") for model in parent_models()]
    actions = actor.responsible_for_actions.visible_to(user).select_related("meeting").prefetch_related(
        GenericPrefetch("parent", parents))
    def items(related):
        return related.visible_to(user).select_related("session__meeting")

    lists = [
        (gettext("Recommendations"), items(actor.responsible_for_recommendations), reverse("recommendations:list")),
        (gettext("Follow-up items"), items(actor.responsible_for_followupitems), None),
        (gettext("PfP projects"), items(actor.responsible_for_projects), reverse("partnerships:list")),
        (gettext("Actions"), actions, None),
    ]
    found = []
    for label, items, list_url in lists:
        shown = list(items[:ACTOR_PAGE_ITEMS + 1])
        total = len(shown) if len(shown) <= ACTOR_PAGE_ITEMS else items.count()
        full_list = f"{list_url}?responsible={actor.pk}" if list_url and total > ACTOR_PAGE_ITEMS else None
        found.append((label, shown[:ACTOR_PAGE_ITEMS], total, full_list))
    return found


def scorecard(actor, request):
    """The actor's scorecard and how it evolved, counted once per data version and day (the public's apart)."""
    def compute():
        by_kind, total, partner = scorecards.actor_scorecard(actor, request.user)
        return {"by_kind": by_kind, "total": total, "partner": partner,
                "evolution": scorecards.evolution(actor, request.user), "recent_days": scorecards.RECENT_DAYS}
    return versioning.cached_report("actor-scorecard", (actor.pk, is_public(request)), compute)


def session_roles(actor):
    """(role, the sessions in which the actor has it) of each role."""
    roles = actor.session_roles.select_related("session__meeting").order_by(
        "session__meeting__year", "session__position")
    return [(label, [r.session for r in roles if r.role == role]) for role, label in SessionParticipant.Role.choices]


@portal_page("recommendations.view_actor")
def actor_detail(request, pk):
    """An actor's scorecard; what it chairs, joins, is responsible for and partners in (of the items the reader
    may see). Long lists show their first ACTOR_PAGE_ITEMS in report order and link to the full, filterable
    list. The page is the same for every reader alike until the data change, on one day: drawn once
    (`page_cache_key`); what it shows is read only then (lazy objects and querysets the template resolves)."""
    actor, user, public = get_object_or_404(Actor, pk=pk), request.user, is_public(request)
    chaired = Meeting.objects.filter(Q(chair_country=actor) | Q(next_chair_country=actor)).order_by("year")
    return render(request, "recommendations/actor_detail.html", {
        "actor": actor,
        "page_cache_key": f"{versioning.current()}|{timezone.localdate()}|{public}|{actor.pk}",
        "scorecard": SimpleLazyObject(partial(scorecard, actor, request)),
        "freshness_states": list(Freshness),
        "roles": SimpleLazyObject(partial(session_roles, actor)),
        "responsible_for": SimpleLazyObject(partial(responsible_lists, actor, user)),
        "partner_roles": actor.project_roles.filter(project__in=actor.projects.visible_to(user).values("pk"))
        .select_related("project__session__meeting").order_by("project__title", "pk"),
        "practices": actor.good_practices.select_related("session__meeting"),
        "contributions": actor.contributions.select_related("meeting").order_by("meeting__year", "role", "source_line"),
        "meetings_chaired": chaired,
        "member_of": actor.member_of.all(),
        "members": actor.members.all(),
    })
