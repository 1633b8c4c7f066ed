"""Pages that span both apps: the dashboard, My items and the search; health and error pages."""

import sys
from itertools import chain
from operator import attrgetter
from urllib.parse import quote

from django import forms
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.cache import never_cache

from partnerships.models import Project, ProjectUpdate
from recommendations import selectors, versioning
from recommendations.coverage import RECENT_DAYS
from recommendations.filters import DEFAULT_STALE_DAYS
from recommendations.models import (
    CLOSED,
    Actor,
    FollowUpItem,
    FollowUpItemUpdate,
    Recommendation,
    RecommendationUpdate,
    Status,
)
from recommendations.reports import changes_by_kind, progress_by_roundtable

from .portal import is_public, portal_page

RECENT = 12


@never_cache
@transaction.non_atomic_requests
def health(request):
    """For load balancers and monitors: 200 when the database answers, 503 when it does not.
    No login; says nothing about the data."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def server_error(request):
    """handler500. A database out of reach (being restarted, say) is said as such, with 503 and
    Retry-After; the next request reconnects by itself (CONN_HEALTH_CHECKS). No technical details."""
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse(render_to_string("500.html"), status=500)


def favicon(request):
    # Browsers ask for /favicon.ico on every page, the admin's included.
    return redirect(static("gfmd_tracker/favicon.svg"), permanent=True)


def tracked_querysets(user):
    """Every kind of tracked item, as `user` may see them."""
    return (
        Recommendation.objects.visible_to(user).select_related("session__meeting"),
        FollowUpItem.objects.visible_to(user).select_related("session__meeting"),
        Project.objects.visible_to(user),
    )


@portal_page()
def home(request):
    """Where the follow-up stands: headline numbers, overdue, stale, recent activity, my items (for
    those who may own items). What every reader sees alike is counted once per change of the data and day
    (the public's figures apart: published items and entries only)."""
    public = is_public(request)
    shared = versioning.cached_report("dashboard", {"public": public}, lambda: dashboard_figures(request.user))
    can_own = Recommendation().can_own(request.user)
    return render(request, "gfmd_tracker/dashboard.html", {
        **shared, "stale_days": DEFAULT_STALE_DAYS, "can_own": can_own,
        "mine": sum(qs.owned_by(request.user).open().count() for qs in tracked_querysets(request.user))
        if can_own else None,
    })


def dashboard_figures(user):
    """The dashboard's figures over what `user` sees (the same for every signed-in reader)."""
    public = not user.is_authenticated
    recommendations, follow_up, projects = tracked_querysets(user)
    latest = "last_public_update_at" if public else "last_update_at"
    headline = recommendations.headline_counts(DEFAULT_STALE_DAYS, latest=latest)
    counts = {status: headline[f"status_{status}"] for status in Status.values}
    total = sum(counts.values())
    closed = sum(n for status, n in counts.items() if status in CLOSED)
    most = max(counts.values(), default=0)
    today = timezone.localdate()
    month_start = today.replace(day=1)
    meeting, progress = progress_by_roundtable(recommendations)
    # The most overdue of each kind, then the most overdue of those.
    overdue = sorted(chain.from_iterable(
        qs.overdue().order_by("due_date", "pk")[:RECENT] for qs in tracked_querysets(user)
    ), key=attrgetter("due_date"))[:RECENT]
    recent = sorted(chain.from_iterable(
        model.objects.visible_to(user).select_related("author", "item__session__meeting")
        .order_by("-created_at", "-pk")[:RECENT]
        for model in (RecommendationUpdate, FollowUpItemUpdate, ProjectUpdate)
    ), key=attrgetter("created_at"), reverse=True)[:RECENT]
    projects = projects.order_by(F(latest).desc(nulls_last=True), "pk")
    return {
        "total": total, "by_status": [(status, counts[status]) for status in Status],
        "status_chart": [(status, counts[status], round(100 * counts[status] / most, 3) if most else 0)
                         for status in Status],
        "follow_up_count": follow_up.count(),
        "progress_meeting": meeting, "progress": progress, "month_start": month_start, "today": today,
        "this_month": changes_by_kind(month_start, today, shown=0, public=public),
        "share_closed": round(100 * closed / total) if total else 0,
        "overdue": overdue, "overdue_count": headline["overdue"], "stale_count": headline["stale"],
        "recent": recent, "projects": list(projects[:RECENT]), "project_count": projects.count(),
        "coverage": recommendations.coverage(days=RECENT_DAYS), "recent_days": RECENT_DAYS,
    }


@login_required
def my_items(request):
    """What I own: overdue first, then by status."""
    items = list(chain.from_iterable(qs.owned_by(request.user) for qs in tracked_querysets(request.user)))
    overdue = sorted((i for i in items if i.is_overdue), key=attrgetter("due_date"))
    groups = [(pgettext("heading", "Overdue"), overdue)] if overdue else []
    for status in Status:
        group = [i for i in items if i.status == status and not i.is_overdue]
        if group:
            groups.append((status.label, sorted(group, key=lambda i: (i.due_date is None, i.due_date, str(i)))))
    context = {"groups": groups, "count": len(items), "can_own": Recommendation().can_own(request.user)}
    return render(request, "gfmd_tracker/my_items.html", context)


class SearchForm(forms.Form):
    q = forms.CharField(max_length=200, required=False, label=gettext_lazy("Search every item"))


SEARCH_SHOWN = 10  # items shown of each kind; the list behind holds them all


def searched_kinds():
    """(label, items, their list, the permission to read them) of each kind the header's box searches
    (the public reads every kind: `visible_to` narrows the items)."""
    return (
        (_("Recommendations"), Recommendation.objects.select_related("session__meeting"),
         reverse("recommendations:list"), "recommendations.view_recommendation"),
        (_("Follow-up items"), FollowUpItem.objects.select_related("session__meeting"),
         reverse("recommendations:follow_up_list"), "recommendations.view_followupitem"),
        (_("PfP projects"), Project.objects.all(), reverse("partnerships:list"), "partnerships.view_project"),
    )


def found_of_each_kind(user, text):
    """(label, the first items found, how many, the list of them all) of each kind `user` may read."""
    groups, public = [], not user.is_authenticated
    for label, items, list_url, permission in searched_kinds():
        if public or user.has_perm(permission):
            found = selectors.search_items(items.visible_to(user), text, public=public)
            count = len(found.ids) if found.ids is not None else versioning.cached_count(
                found.whole if found.broad else found.items)
            shown = list(found.items[:SEARCH_SHOWN]) if count else []
            groups.append((label, shown, count, f"{list_url}?q={quote(text)}"))
    return groups


def actors_named(text):
    """The actors whose name or short name holds every word of `text`."""
    condition = Q()
    for word in text.split():
        condition &= Q(name__icontains=word) | Q(short_name__icontains=word)
    return list(Actor.objects.filter(condition).order_by("name")[:SEARCH_SHOWN * 2])


@portal_page()
def search(request):
    """The header's box: a code ("2.1/6") opens its item; words find items of every kind by their text
    or notes (the lists' own search, `search_items`) and actors by name, grouped by kind."""
    form = SearchForm(request.GET)
    text = form.cleaned_data["q"].strip() if form.is_valid() else ""
    user, public = request.user, is_public(request)
    context = {"form": form, "text": text, "by_code": [], "groups": [], "actors": []}
    if text:
        numbered = [m for m in (Recommendation, FollowUpItem) if public or user.has_perm(m()._perm("view"))]
        by_code = selectors.items_by_code(text, numbered, user)
        if by_code and len(by_code) == 1:
            return redirect(by_code[0].get_absolute_url())
        readable = public or user.has_perm("recommendations.view_actor")
        context.update(by_code=by_code or [], groups=found_of_each_kind(user, text),
                       actors=actors_named(text) if readable else [])
    return render(request, "gfmd_tracker/search.html", context)
