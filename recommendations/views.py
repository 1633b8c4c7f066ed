"""User views of recommendations and other follow-up items, and the item-page helpers
that every kind of tracked item shares (partnerships uses them for projects)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .forms import UpdateForm
from .models import EditConflict, FollowUpItem, Meeting, Recommendation, Session, SessionParticipant

TIMELINE_PAGE_SIZE = 25


def item_page(request, item, template, *, form_class=UpdateForm, form=None, status=200):
    """Render a tracked item with its timeline (newest first, paginated) and the update form."""
    user = request.user
    if form is None and item.can_log_update(user):
        form = form_class(item=item, user=user)
    timeline = item.updates.select_related("author", "owner_before", "owner_after")
    page = Paginator(timeline, TIMELINE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "item": item, "form": form, "timeline": page, "may_change": item.can_change_follow_up(user),
    }
    return render(request, template, context, status=status)


def log_update(request, item, render_page, form_class=UpdateForm):
    """Handle a posted "Log an update" form; on any refusal, re-render with what the user typed."""
    if not item.can_log_update(request.user):
        messages.error(request, "You may read this item but not log updates on it.")
        return render_page(status=403)
    form = form_class(request.POST, item=item, user=request.user)
    if form.is_valid():
        try:
            item.record_update(
                by=request.user, note=form.cleaned_data["note"], evidence_url=form.cleaned_data["evidence_url"],
                expected_version=form.cleaned_data["version"], **form.changes(),
            )
        except EditConflict as conflict:
            # Show the current state; keep the text; let the next submit be based on what they now see.
            data = request.POST.copy()
            data["version"] = conflict.item.version
            form = form_class(data, item=conflict.item, user=request.user)
            form.is_valid()
            form.add_error(None, str(conflict))
            return render_page(item=conflict.item, form=form, status=409)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "Your update is in the timeline.")
            return redirect(item.get_absolute_url())
    return render_page(form=form, status=400)


def _recommendation(year, code, number):
    return get_object_or_404(
        Recommendation.objects.select_related("session__meeting", "session__roundtable", "owner")
        .prefetch_related("themes", "responsible_actors", "projects", session_participants()),
        session__meeting__year=year, session__code=code, number=number,
    )


def session_participants():
    return Prefetch("session__participants", SessionParticipant.objects.select_related("actor"))


@login_required
@permission_required("recommendations.view_recommendation", raise_exception=True)
def recommendation_detail(request, year, code, number):
    item = _recommendation(year, code, number)
    return item_page(request, item, "recommendations/recommendation_detail.html")


@login_required
@require_POST
def recommendation_update(request, year, code, number):
    item = _recommendation(year, code, number)

    def render_page(item=item, **kwargs):
        return item_page(request, item, "recommendations/recommendation_detail.html", **kwargs)

    return log_update(request, item, render_page)


def _follow_up_item(year, code, number):
    return get_object_or_404(
        FollowUpItem.objects.select_related("session__meeting", "owner")
        .prefetch_related("themes", "responsible_actors", session_participants()),
        session__meeting__year=year, session__code=code, number=number,
    )


@login_required
@permission_required("recommendations.view_followupitem", raise_exception=True)
def follow_up_item_detail(request, year, code, number):
    return item_page(request, _follow_up_item(year, code, number), "recommendations/recommendation_detail.html")


@login_required
@require_POST
def follow_up_item_update(request, year, code, number):
    item = _follow_up_item(year, code, number)

    def render_page(item=item, **kwargs):
        return item_page(request, item, "recommendations/recommendation_detail.html", **kwargs)

    return log_update(request, item, render_page)


@login_required
@permission_required("recommendations.view_recommendation", raise_exception=True)
def recommendation_list(request):
    """Every meeting's sessions with their recommendations and follow-up items."""
    meetings = Meeting.objects.prefetch_related(
        Prefetch("sessions", Session.objects.prefetch_related(
            Prefetch("participants", SessionParticipant.objects.select_related("actor")),
            Prefetch("recommendations", Recommendation.objects.select_related("owner", "session__meeting")),
            Prefetch("follow_up_items", FollowUpItem.objects.select_related("owner", "session__meeting")),
        ).select_related("roundtable")),
    )
    return render(request, "recommendations/recommendation_list.html", {"meetings": meetings})
