"""The status matrix (now or as of a past date) and what changed between two dates (counted in ../reports.py)."""

import datetime

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gfmd_tracker.portal import is_public, portal_page

from .. import versioning
from ..coverage import RECENT_DAYS, by_theme
from ..filters import DatePicker, FollowUpItemFilterSet, RecommendationFilterSet
from ..models import FollowUpItem, Recommendation
from ..reports import actions_matrix, actions_under, changes_by_kind, status_matrix
from .lists import only_set_parameters


class AsOfForm(forms.Form):
    as_of = forms.DateField(required=False, label=_("Status as of"), widget=DatePicker)


@portal_page("recommendations.view_recommendation")
@only_set_parameters
def matrix(request):
    """Sessions × statuses; every count links to the list behind it. The public's counts are of the
    published items (the filtersets narrow them), cached apart."""
    filterset = RecommendationFilterSet(request.GET or None, queryset=Recommendation.objects.all(), request=request)
    as_of_form = AsOfForm(request.GET or None)
    as_of = as_of_form.cleaned_data.get("as_of") if as_of_form.is_valid() else None
    year, public = request.GET.get("year", ""), is_public(request)
    year = int(year) if year.isdecimal() else None
    asked = (public, sorted(request.GET.lists()))
    # Counting hundreds of thousands of items is done once per change of the data (and day).
    report = versioning.cached_report("matrix", asked, lambda: status_matrix(
        filterset.whole_qs(), as_of=as_of, year=year))
    themes = versioning.cached_report("matrix-themes", asked, lambda: by_theme(filterset.whole_qs()))
    actions = versioning.cached_report("matrix-actions", asked, lambda: actions_matrix(
        filterset.whole_qs(), as_of=as_of, year=year, public=public))
    # What is known of those actions, closures verified included (no coverage as of a past date, as above).
    actions_coverage = None if as_of else versioning.cached_report("matrix-actions-coverage", asked, lambda: (
        actions_under(filterset.whole_qs(), public).coverage(days=RECENT_DAYS)))
    # The other follow-up items (civil society's subjects, the assessment): a matrix of their own.
    follow_up = versioning.cached_report("matrix-follow-up", asked, lambda: status_matrix(
        FollowUpItemFilterSet(request.GET or None, queryset=FollowUpItem.objects.all(), request=request).whole_qs(),
        as_of=as_of,
    ))
    keep = request.GET.copy()
    for key in ("session", "status", "page", "as_of", "sort", "year"):
        keep.pop(key, None)
    return render(request, "recommendations/matrix.html", {
        "filter": filterset, "matrix": report, "follow_up_matrix": follow_up, "as_of_form": as_of_form, "as_of": as_of,
        "filters_described": filterset.describe(), "keep": keep, "themes": themes, "actions_matrix": actions,
        "actions_coverage": actions_coverage,
        "recent_days": RECENT_DAYS,
        # The table and chart are the same for every reader of these parameters until the data
        # changes: drawn once per version (one meeting's sessions can be hundreds of rows).
        "matrix_cache_key": f"{versioning.current()}|{timezone.localdate()}|{public}|{request.GET.urlencode()}",
    })


class PeriodForm(forms.Form):
    start = forms.DateField(label=pgettext_lazy("period", "From"), widget=DatePicker)
    end = forms.DateField(label=pgettext_lazy("period", "To"), widget=DatePicker)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["start"] > cleaned["end"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return cleaned


@portal_page("recommendations.view_recommendation")
def changes(request):
    """What changed between two dates: every status change in the timeline, and a summary (for the
    public, of the published items)."""
    today, public = timezone.localdate(), is_public(request)
    form = PeriodForm(request.GET or {"start": today - datetime.timedelta(days=30), "end": today})
    sections = []
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        sections = versioning.cached_report("changes", (start, end, public),
                                            lambda: changes_by_kind(start, end, public=public))
    return render(request, "recommendations/changes.html", {"form": form, "sections": sections})
