"""Pages that span both apps."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.templatetags.static import static

from partnerships.models import Project
from recommendations.models import FollowUpItem, Recommendation, Status


def favicon(request):
    # Browsers ask for /favicon.ico on every page, the admin's included.
    return redirect(static("gfmd_tracker/favicon.svg"), permanent=True)


@login_required
def home(request):
    return redirect("my_items")


@login_required
def my_items(request):
    """What I own: overdue first, then by status."""
    items = [
        *Recommendation.objects.owned_by(request.user).select_related("session__meeting"),
        *FollowUpItem.objects.owned_by(request.user).select_related("session__meeting"),
        *Project.objects.owned_by(request.user),
    ]
    overdue = sorted((i for i in items if i.is_overdue), key=lambda i: i.due_date)
    groups = [("Overdue", overdue)] if overdue else []
    for status in Status:
        group = [i for i in items if i.status == status and not i.is_overdue]
        if group:
            groups.append((status.label, sorted(group, key=lambda i: (i.due_date is None, i.due_date, str(i)))))
    return render(request, "gfmd_tracker/my_items.html", {"groups": groups, "count": len(items)})
