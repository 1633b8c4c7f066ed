"""The filtered lists and their downloads (CSV, XLSX); partnerships uses the helpers too."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from gfmd_tracker.portal import anonymous_rate_limit, is_public, portal_page

from .. import services, versioning
from ..coverage import RECENT_DAYS, about_rows
from ..exports import (
    FOLLOW_UP_STATE_COLUMNS,
    Column,
    Many,
    Table,
    csv_response,
    translation_columns,
    xlsx_response,
)
from ..filters import FollowUpItemFilterSet, RecommendationFilterSet
from ..forms import BulkUpdateForm
from ..models import Actor, FollowUpItem, Priority, Recommendation, Status, Theme

PAGE_SIZE = 50


class DeferredJoinPaginator(Paginator):
    """Pages deep into a long list: the page's ids first (an index-only walk over the sort order),
    then just those rows, instead of reading and discarding every row before the page. The rows
    (as `counted`, the same rows as best counted) are counted once per list and data version.
    Given `ids`, the whole list's ids in its order, a page is a slice of them."""

    def __init__(self, object_list, per_page, *, ids, counted):
        super().__init__(object_list, per_page)
        self.ids, self.counted = ids, counted

    @cached_property
    def count(self):
        if self.ids is not None:
            return len(self.ids)
        return versioning.cached_count(self.counted)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        listed = self.object_list
        all_ids = listed.values_list("pk", flat=True) if self.ids is None else self.ids
        ids = list(all_ids[bottom:bottom + self.per_page])
        rows = listed.model.objects.filter(pk__in=ids)  # the filters are done: read the rows by id
        rows.query.select_related = listed.query.select_related
        rows.query.deferred_loading = listed.query.deferred_loading
        rows = rows.prefetch_related(*listed._prefetch_related_lookups)
        by_id = {row.pk: row for row in rows}
        return self._get_page([by_id[pk] for pk in ids if pk in by_id], number, self)


def only_set_parameters(view):
    """A list's address carries only the filters that are set, each value once: a GET with empty or
    repeated parameters (a form sent as it is, `?q=x&owner=&meeting=2010&meeting=2010`) is redirected
    to the same page without them. That address redirects no further, so a bad value gets the form's message."""
    @wraps(view)
    def only_set(request, *args, **kwargs):
        given = [(key, value) for key, values in request.GET.lists() for value in values]
        kept = list(dict.fromkeys((key, value) for key, value in given if value.strip()))
        if kept != given:
            return redirect(f"{request.path}?{urlencode(kept)}" if kept else request.path)
        return view(request, *args, **kwargs)
    return only_set


def filtered_list(request, filterset, template, bulk_form=None):
    """A filtered, sorted, paginated list of tracked items; the filters live in the URL. The rows are
    the same for every reader until the data changes (and alike for those given the `bulk_form`, whose
    rows have boxes to tick): the template caches them under `rows_cache_key`."""
    page = DeferredJoinPaginator(filterset.qs, PAGE_SIZE, ids=filterset.presorted_ids(),
                                 counted=filterset.whole_qs()).get_page(request.GET.get("page"))
    rows = ",".join(str(item.pk) for item in page)
    # The day too: an item's freshness light changes with it.
    rows_cache_key = f"{versioning.current()}|{timezone.localdate()}|{rows}|{bulk_form is not None}|{filterset.public}"
    context = {"filter": filterset, "page": page, "filters_described": filterset.describe(), "bulk_form": bulk_form}
    return render(request, template, {**context, "rows_cache_key": rows_cache_key})


def export(request, filterset, table, stem, fmt, back=None):
    """The filtered rows as CSV (streamed) or XLSX (capped, with the coverage of the rows); `table` turns a
    queryset into rows (for the public, its public columns); `back`: the page an XLSX too large returns to (by
    default the list of the export's name)."""
    rows = table(filterset.whole_qs())
    if filterset.public:
        rows = rows.public()
    if fmt == "csv":
        return csv_response(rows, stem)
    match = request.resolver_match  # "export" goes back to "list", "follow_up_export" to "follow_up_list"
    back = (back or reverse(f"{match.namespace}:{match.url_name.replace('export', 'list')}")) + "?" + \
        request.GET.urlencode()
    known = about_rows(filterset.whole_qs().coverage(days=RECENT_DAYS))
    return xlsx_response(request, rows, stem, filterset.describe(), back, about=known)


# Anonymous downloads are counted per address (ANON_EXPORT_RATE); the pages themselves are not.
download_limit = anonymous_rate_limit("anonymous-downloads", "ANON_EXPORT_RATE")


# The last columns of every tracked item's spreadsheet (before the last update, which Table adds).
FOLLOW_UP_COLUMNS = (
    Many("themes", "themes", ("slug",), order=("name",)),
    Column("status", "status", dict(Status.choices)), Column("owner", "owner__username", internal=True),
    Many("responsible_actors", "responsible_actors", ("name",), order=("name",)),
    Column("due_date", "due_date", precision="due_date_precision"), Column("progress", "progress"),
    Column("priority", "priority", dict(Priority.choices)),
)


def recommendation_table(queryset):
    """The export columns: those of the recommendations spreadsheet, plus the last update
    (the follow-up items' too: the same columns)."""
    return Table(queryset, [
        Column("meeting", "session__meeting__year"), Column("session", "session__code"), Column("number", "number"),
        Column("title", "title"), Column("text", "text"), *translation_columns("title", "text"), *FOLLOW_UP_COLUMNS,
        *FOLLOW_UP_STATE_COLUMNS,
    ])


# The columns a row of the list shows (and its link needs): a page read the texts, the audit fields and
# the owner's password hash too, and turned them into Python. The public's rows show the responsible
# actors and the latest public update instead of the owner and the latest update.
LIST_ROW_FIELDS = ("session__code", "session__meeting__year", "number", "title", "status", "verification", "progress",
                   "progress_from_actions", "actions_progress",  # the progress shown when rolled up
                   "due_date", "due_date_precision", "priority",
                   "session__title", "session__roundtable__number",  # these two: the session's heading
                   "i18n", "session__i18n",  # the title and the session's in the reader's language
                   # the freshness light and the closure's verification
                   "verification", "last_update_at", "session__meeting__ageing_after_days",
                   "session__meeting__stale_after_days")


def recommendations(model=Recommendation, public=False):
    rows = model.objects.select_related("session__meeting", "session__roundtable")
    if public:
        return rows.only(*LIST_ROW_FIELDS, "last_public_update_at", "last_public_update_precision")
    return rows.select_related("owner").only(*LIST_ROW_FIELDS, "owner__username", "last_update_precision")


def listed(model, public):
    """A list's rows with the names they show: themes, and for the public the responsible actors."""
    names = [Prefetch("themes", queryset=Theme.objects.only("name", "i18n"))]
    if public:
        names.append(Prefetch("responsible_actors", queryset=Actor.objects.only("name")))
    return recommendations(model, public).prefetch_related(*names)


@portal_page("recommendations.view_recommendation")
@only_set_parameters
def recommendation_list(request):
    rows = listed(Recommendation, is_public(request))
    filterset = RecommendationFilterSet(request.GET or None, queryset=rows, request=request)
    bulk = BulkUpdateForm() if request.user.has_perm("recommendations.change_recommendation") else None
    return filtered_list(request, filterset, "recommendations/recommendation_list.html", bulk)


@login_required
@require_POST
@permission_required("recommendations.change_recommendation", raise_exception=True)
def recommendation_bulk_update(request):
    """The list's bulk actions (editors): one update of every selected row by `services.update_each`, the
    admin's rules and write path; one refused row and nothing is changed. Back to the list as it was."""
    back = reverse("recommendations:list") + "?" + QueryDict(request.POST.get("query", "")).urlencode()
    form = BulkUpdateForm(request.POST)
    if not form.is_valid():
        problems = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(request, gettext("Nothing was changed. %(problems)s") % {"problems": " ".join(problems)})
        return redirect(back)
    items = form.cleaned_data["items"]
    refused = services.update_each(items, by=request.user, note=form.cleaned_data["note"], **form.changes())
    if refused:
        reasons = " | ".join(f"{item.session.code}/{item.number}: {reason}" for item, reason in refused)
        messages.error(request, ngettext(
            "Nothing was changed: %(refused)s of %(count)s rows was refused. %(reasons)s",
            "Nothing was changed: %(refused)s of %(count)s rows were refused. %(reasons)s", len(refused))
            % {"refused": len(refused), "count": len(items), "reasons": reasons})
    else:
        messages.success(request, ngettext(
            "Updated %(count)s recommendation; each timeline has the note.",
            "Updated %(count)s recommendations; each timeline has the note.", len(items)) % {"count": len(items)})
    return redirect(back)


@download_limit
@portal_page("recommendations.view_recommendation")
@only_set_parameters
def recommendation_export(request, fmt):
    filterset = RecommendationFilterSet(request.GET or None, queryset=recommendations(public=is_public(request)),
                                        request=request)
    return export(request, filterset, recommendation_table, "recommendations", fmt)


@portal_page("recommendations.view_followupitem")
@only_set_parameters
def follow_up_list(request):
    rows = listed(FollowUpItem, is_public(request))
    filterset = FollowUpItemFilterSet(request.GET or None, queryset=rows, request=request)
    return filtered_list(request, filterset, "recommendations/follow_up_list.html")


@download_limit
@portal_page("recommendations.view_followupitem")
@only_set_parameters
def follow_up_export(request, fmt):
    rows = recommendations(FollowUpItem, is_public(request))
    filterset = FollowUpItemFilterSet(request.GET or None, queryset=rows, request=request)
    return export(request, filterset, recommendation_table, "follow-up-items", fmt)
