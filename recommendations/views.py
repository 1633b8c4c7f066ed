"""User views of recommendations and other follow-up items, and the item-page helpers
that every kind of tracked item shares (partnerships uses them for projects)."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.http import require_POST

from . import versioning
from .exports import Column, Many, Table, csv_response, xlsx_response
from .filters import DatePicker, RecommendationFilterSet
from .forms import UpdateForm
from .models import (
    Actor,
    EditConflict,
    FollowUpItem,
    FollowUpItemUpdate,
    Priority,
    Recommendation,
    RecommendationUpdate,
    SessionParticipant,
    Status,
    Theme,
)
from .reports import status_changes, status_matrix

TIMELINE_PAGE_SIZE = 25


def item_page(request, item, template, *, form_class=UpdateForm, form=None, status=200, prefetch=()):
    """Render a tracked item with its timeline (newest first, paginated) and the update form.

    What every reader sees alike (the text, facts, follow-up and timeline page) is cached per
    data version: the template's `{% cache %}` fragments "item-main" and "item-facts", under
    `item_cache_key`. Only when one of them is missing are the item's related records
    (`prefetch`) and the timeline page read.
    """
    user = request.user
    if form is None and item.can_log_update(user):
        form = form_class(item=item, user=user)
    timeline = item.updates.select_related("author", "owner_before", "owner_after")
    paginator = Paginator(timeline, TIMELINE_PAGE_SIZE)
    paginator.count = versioning.cached(f"timeline-count|{item._meta.label}|{item.pk}", timeline.count)
    page = paginator.get_page(request.GET.get("page"))  # the entries are read when the template shows them
    key = f"{item._meta.label}|{item.pk}|{versioning.current()}|{page.number}"
    if any(cache.get(make_template_fragment_key(name, [key])) is None for name in ITEM_FRAGMENTS):
        prefetch_related_objects([item], *prefetch)
    context = {
        "item": item, "form": form, "timeline": page, "may_change": item.can_change_follow_up(user),
        "item_cache_key": key,
    }
    return render(request, template, context, status=status)


ITEM_FRAGMENTS = ("item-main", "item-facts")


def log_update(request, item, template, form_class=UpdateForm, prefetch=()):
    """Handle a posted "Log an update" form; on any refusal, re-render with what the user typed."""

    def render_page(item=item, **kwargs):
        return item_page(request, item, template, form_class=form_class, prefetch=prefetch, **kwargs)

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
        except PermissionDenied as refused:
            form.add_error(None, str(refused))
            return render_page(form=form, status=403)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "Your update is in the timeline.")
            return redirect(item.get_absolute_url())
    return render_page(form=form, status=400)


def _recommendation(year, code, number):
    return get_object_or_404(
        Recommendation.objects.select_related("session__meeting", "session__roundtable", "owner"),
        session__meeting__year=year, session__code=code, number=number,
    )


def recommendation_related():
    return ("themes", "responsible_actors", "projects", session_participants())


def session_participants():
    return Prefetch("session__participants", SessionParticipant.objects.select_related("actor"))


@login_required
@permission_required("recommendations.view_recommendation", raise_exception=True)
def recommendation_detail(request, year, code, number):
    item = _recommendation(year, code, number)
    return item_page(request, item, "recommendations/recommendation_detail.html", prefetch=recommendation_related())


@login_required
@require_POST
def recommendation_update(request, year, code, number):
    return log_update(request, _recommendation(year, code, number), "recommendations/recommendation_detail.html",
                      prefetch=recommendation_related())


def _follow_up_item(year, code, number):
    return get_object_or_404(
        FollowUpItem.objects.select_related("session__meeting", "owner"),
        session__meeting__year=year, session__code=code, number=number,
    )


def follow_up_item_related():
    return ("themes", "responsible_actors", session_participants())


@login_required
@permission_required("recommendations.view_followupitem", raise_exception=True)
def follow_up_item_detail(request, year, code, number):
    return item_page(request, _follow_up_item(year, code, number), "recommendations/recommendation_detail.html",
                     prefetch=follow_up_item_related())


@login_required
@require_POST
def follow_up_item_update(request, year, code, number):
    return log_update(request, _follow_up_item(year, code, number), "recommendations/recommendation_detail.html",
                      prefetch=follow_up_item_related())


# --- reports -----------------------------------------------------------------------------

PAGE_SIZE = 50


class DeferredJoinPaginator(Paginator):
    """Pages deep into a long list: find the page's ids first (an index-only walk over the
    sort order), then read just those rows, instead of reading and discarding every row
    before the page. The number of matching rows is counted once per list and change of the
    data (paging on, or coming back, does not count a search of 300,000 items again), as
    `counted` (the same rows, as best counted; default the list). Given `ids`, the whole
    list's ids in its order, a page is a slice of them."""

    def __init__(self, object_list, per_page, ids=None, counted=None):
        super().__init__(object_list, per_page)
        self.ids = ids
        self.counted = object_list if counted is None else counted  # the same rows, as best counted

    @cached_property
    def count(self):
        if self.ids is not None:
            return len(self.ids)
        return versioning.cached_count(self.counted)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        listed = self.object_list
        if self.ids is not None:
            ids = self.ids[bottom:bottom + self.per_page]
        else:
            ids = list(listed.values_list("pk", flat=True)[bottom:bottom + self.per_page])
        rows = listed.model.objects.filter(pk__in=ids)  # the filters are done: read the rows by id
        rows.query.select_related = listed.query.select_related
        rows.query.deferred_loading = listed.query.deferred_loading
        rows = rows.prefetch_related(*listed._prefetch_related_lookups)
        by_id = {row.pk: row for row in rows}
        return self._get_page([by_id[pk] for pk in ids if pk in by_id], number, self)


def filtered_list(request, filterset, template, extra=None):
    """A filtered, sorted, paginated list of tracked items; the filters live in the URL.

    The page's rows are the same for every reader until the data changes: the template may
    cache them (`{% cache %}`) under `rows_cache_key`, the data version and the rows' ids."""
    page = DeferredJoinPaginator(filterset.qs, PAGE_SIZE, ids=filterset.presorted_ids(),
                                 counted=filterset.whole_qs()).get_page(request.GET.get("page"))
    rows_cache_key = f"{versioning.current()}|{','.join(str(item.pk) for item in page)}"
    return render(request, template, {
        "filter": filterset, "page": page, "filters_described": filterset.describe(),
        "rows_cache_key": rows_cache_key, **(extra or {}),
    })


def export(request, filterset, table, stem, fmt, back_url):
    """The filtered rows as CSV (streamed) or XLSX (capped); `table` turns a queryset into rows."""
    if fmt == "csv":
        return csv_response(table(filterset.whole_qs()), stem)
    return xlsx_response(request, table(filterset.whole_qs()), stem, filterset.describe(), back_url)


def recommendation_table(queryset):
    """The export columns: those of the recommendations spreadsheet, plus the last update."""
    return Table(queryset, [
        Column("meeting", "session__meeting__year"), Column("session", "session__code"), Column("number", "number"),
        Column("title", "title"), Column("text", "text"),
        Many("themes", "themes", ("slug",), order=("name",)),
        Column("status", "status", dict(Status.choices)), Column("owner", "owner__username"),
        Many("responsible_actors", "responsible_actors", ("name",), order=("name",)),
        Column("due_date", "due_date"), Column("progress", "progress"),
        Column("priority", "priority", dict(Priority.choices)),
    ])


# The columns a row of the list shows (and its link needs): the texts, the audit fields and the
# owner's password hash stay in the database. A page read all of them and turned them into Python.
LIST_ROW_FIELDS = ("session__code", "session__meeting__year", "number", "title", "status", "progress",
                   "owner__username", "due_date", "last_update_at")


def recommendations():
    """The list's rows: what a row shows (session, owner) read with it."""
    return Recommendation.objects.select_related("session__meeting", "owner").only(*LIST_ROW_FIELDS)


@login_required
@permission_required("recommendations.view_recommendation", raise_exception=True)
def recommendation_list(request):
    listed = recommendations().prefetch_related(Prefetch("themes", queryset=Theme.objects.only("name")))
    filterset = RecommendationFilterSet(request.GET or None, queryset=listed, request=request)
    return filtered_list(request, filterset, "recommendations/recommendation_list.html")


@login_required
@permission_required("recommendations.view_recommendation", raise_exception=True)
def recommendation_export(request, fmt):
    filterset = RecommendationFilterSet(request.GET or None, queryset=recommendations(), request=request)
    back = reverse("recommendations:list") + "?" + request.GET.urlencode()
    return export(request, filterset, recommendation_table, "recommendations", fmt, back)


class AsOfForm(forms.Form):
    as_of = forms.DateField(required=False, label="Status as of", widget=DatePicker)


@login_required
@permission_required("recommendations.view_recommendation", raise_exception=True)
def matrix(request):
    """Sessions × statuses; every count links to the list behind it."""
    filterset = RecommendationFilterSet(request.GET or None, queryset=Recommendation.objects.all(), request=request)
    as_of_form = AsOfForm(request.GET or None)
    as_of = as_of_form.cleaned_data.get("as_of") if as_of_form.is_valid() else None
    year = request.GET.get("year", "")
    # Counting hundreds of thousands of items is done once per change of the data.
    report = versioning.cached_report("matrix", request.GET, lambda: status_matrix(
        filterset.whole_qs(), as_of=as_of, year=int(year) if year.isdecimal() else None
    ))
    keep = request.GET.copy()
    for key in ("session", "status", "page", "as_of", "sort", "year"):
        keep.pop(key, None)
    return render(request, "recommendations/matrix.html", {
        "filter": filterset, "matrix": report, "as_of_form": as_of_form, "as_of": as_of,
        "filters_described": filterset.describe(), "keep": keep,
        # The table and chart are the same for every reader of these parameters until the data
        # changes: drawn once per version (one meeting's sessions can be hundreds of rows).
        "matrix_cache_key": f"{versioning.current()}|{timezone.localdate()}|{request.GET.urlencode()}",
    })


class PeriodForm(forms.Form):
    start = forms.DateField(label="From", widget=DatePicker)
    end = forms.DateField(label="To", widget=DatePicker)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["start"] > cleaned["end"]:
            raise forms.ValidationError("The start date is after the end date.")
        return cleaned


@login_required
@permission_required("recommendations.view_recommendation", raise_exception=True)
def changes(request):
    """What changed between two dates: every status change in the timeline, and a summary."""
    today = timezone.localdate()
    form = PeriodForm(request.GET or {"start": today - datetime.timedelta(days=30), "end": today})
    sections = []
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]

        def compute():
            found = []
            for label, model in (("Recommendations", RecommendationUpdate), ("Follow-up items", FollowUpItemUpdate)):
                entries, summary = status_changes(model, start, end)
                found.append((label, list(entries[:200]), summary))
            return found

        # Counted once per period and change of the data.
        sections = versioning.cached_report("changes", (start, end), compute)
    return render(request, "recommendations/changes.html", {"form": form, "sections": sections})


ACTOR_PAGE_ITEMS = 50


def actor_counts():
    """{actor id: (sessions co-chaired, recommendations responsible for)}: two grouped counts
    over the link tables, once per change of the data (not one count joining both: see
    docs/performance.md)."""
    def counts():
        chairs = dict(SessionParticipant.objects.filter(role=SessionParticipant.Role.CO_CHAIR).order_by()
                      .values_list("actor").annotate(n=Count("session", distinct=True)))
        links = Recommendation.responsible_actors.through.objects
        responsible = dict(links.order_by().values_list("actor").annotate(n=Count("recommendation")))
        return {pk: (chairs.get(pk, 0), responsible.get(pk, 0)) for pk in {*chairs, *responsible}}
    return versioning.cached("actor-counts", counts)


@login_required
@permission_required("recommendations.view_actor", raise_exception=True)
def actor_list(request):
    counts = actor_counts()
    actors = list(Actor.objects.order_by("kind", "name"))
    for actor in actors:
        actor.chairs, actor.responsible = counts.get(actor.pk, (0, 0))
    return render(request, "recommendations/actor_list.html", {"actors": actors})


@login_required
@permission_required("recommendations.view_actor", raise_exception=True)
def actor_detail(request, pk):
    """What a country or organization chairs, joins, is responsible for and partners in. Long
    lists show their first ACTOR_PAGE_ITEMS in report order and link to the full, filterable list."""
    actor = get_object_or_404(Actor, pk=pk)
    roles = SessionParticipant.objects.filter(actor=actor).select_related("session__meeting").order_by(
        "session__meeting__year", "session__position"
    )
    lists = [
        ("Recommendations", actor.responsible_for_recommendations.select_related("owner", "session__meeting"),
         reverse("recommendations:list")),
        ("Follow-up items", actor.responsible_for_followupitems.select_related("owner", "session__meeting"), None),
        ("PfP projects", actor.responsible_for_projects.select_related("owner"), reverse("partnerships:list")),
    ]
    responsible_for = []
    for label, items, list_url in lists:
        shown = list(items[:ACTOR_PAGE_ITEMS + 1])
        total = len(shown) if len(shown) <= ACTOR_PAGE_ITEMS else items.count()
        full_list = f"{list_url}?responsible={actor.pk}" if list_url and total > ACTOR_PAGE_ITEMS else None
        responsible_for.append((label, shown[:ACTOR_PAGE_ITEMS], total, full_list))
    return render(request, "recommendations/actor_detail.html", {
        "actor": actor,
        "roles": [
            (label, [r.session for r in roles if r.role == role]) for role, label in SessionParticipant.Role.choices
        ],
        "responsible_for": responsible_for,
        "partner_roles": actor.project_roles.select_related("project").order_by("project__title", "pk"),
        "practices": actor.good_practices.select_related("session__meeting"),
        "member_of": actor.member_of.all(),
        "members": actor.members.all(),
    })
