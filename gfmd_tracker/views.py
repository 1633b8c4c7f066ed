"""Pages that span both apps: the dashboard and My items; health and error pages."""

import sys
from itertools import chain
from operator import attrgetter

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.db.models import F
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.views.decorators.cache import never_cache

from partnerships.models import Project, ProjectUpdate
from recommendations import versioning
from recommendations.filters import DEFAULT_STALE_DAYS
from recommendations.models import (
    CLOSED,
    FollowUpItem,
    FollowUpItemUpdate,
    Recommendation,
    RecommendationUpdate,
    Status,
)

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


def tracked_querysets():
    return (
        Recommendation.objects.select_related("session__meeting"),
        FollowUpItem.objects.select_related("session__meeting"),
        Project.objects.all(),
    )


@login_required
def home(request):
    """Where the follow-up stands: headline numbers, overdue, stale, recent activity, my items.
    What every reader sees alike is counted once per change of the data and day."""
    shared = versioning.cached_report("dashboard", {}, dashboard_figures)
    return render(request, "gfmd_tracker/dashboard.html", {
        **shared, "stale_days": DEFAULT_STALE_DAYS,
        "mine": sum(qs.owned_by(request.user).open().count() for qs in tracked_querysets()),
    })


def dashboard_figures():
    headline = Recommendation.objects.headline_counts(DEFAULT_STALE_DAYS)
    counts = {status: headline[f"status_{status}"] for status in Status.values}
    total = sum(counts.values())
    closed = sum(n for status, n in counts.items() if status in CLOSED)
    # The most overdue of each kind, then the most overdue of those.
    overdue = sorted(chain.from_iterable(
        qs.overdue().order_by("due_date", "pk")[:RECENT] for qs in tracked_querysets()
    ), key=attrgetter("due_date"))[:RECENT]
    recent = sorted(chain.from_iterable(
        model.objects.select_related("author", "item__session__meeting").order_by("-created_at", "-pk")[:RECENT]
        for model in (RecommendationUpdate, FollowUpItemUpdate, ProjectUpdate)
    ), key=attrgetter("created_at"), reverse=True)[:RECENT]
    projects = Project.objects.select_related("owner").order_by(F("last_update_at").desc(nulls_last=True), "pk")
    return {
        "total": total, "by_status": [(status, counts[status]) for status in Status],
        "share_closed": round(100 * closed / total) if total else 0,
        "overdue": overdue, "overdue_count": headline["overdue"], "stale_count": headline["stale"],
        "recent": recent, "projects": list(projects[:RECENT]), "project_count": Project.objects.count(),
    }


@login_required
def my_items(request):
    """What I own: overdue first, then by status."""
    items = list(chain.from_iterable(qs.owned_by(request.user) for qs in tracked_querysets()))
    overdue = sorted((i for i in items if i.is_overdue), key=attrgetter("due_date"))
    groups = [("Overdue", overdue)] if overdue else []
    for status in Status:
        group = [i for i in items if i.status == status and not i.is_overdue]
        if group:
            groups.append((status.label, sorted(group, key=lambda i: (i.due_date is None, i.due_date, str(i)))))
    return render(request, "gfmd_tracker/my_items.html", {"groups": groups, "count": len(items)})
