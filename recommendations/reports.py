"""Status reports (the matrix now or as of a date, what changed, progress by roundtable) for views/reports.py
and the dashboard: counted in the database, only arranged in Python (the actors' figures: scorecards.py)."""

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext

from . import coverage
from .coverage import Coverage
from .models import (
    CLOSED,
    Action,
    Meeting,
    Session,
    Status,
    tracked_kinds,
)


def end_of_day(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def status_as_of(queryset, day):
    """Annotate each item with its status at the end of `day`, read from its timeline
    (`report_status`); items that did not exist yet are left out."""
    entries = queryset.model.updates.rel.related_model.objects.filter(
        item=OuterRef("pk"), created_at__lte=end_of_day(day)
    ).exclude(status_after="").order_by("-created_at", "-pk")
    return queryset.annotate(report_status=Subquery(entries.values("status_after")[:1])).exclude(report_status=None)


@dataclass
class Row:
    label: str
    session: Session | None = None
    counts: dict = field(default_factory=dict)
    coverage: Coverage = field(default_factory=Coverage)  # what is known of its items (none as of a past date)

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def closed(self):
        return sum(n for status, n in self.counts.items() if status in CLOSED)

    @property
    def share_closed(self):
        return round(100 * self.closed / self.total) if self.total else 0

    def cells(self):
        return [(status, self.counts.get(status, 0)) for status in Status]

    def bars(self):
        """Stacked-bar segments (status, count, x, width) in per cent of the row's total."""
        x, segments = 0.0, []
        for status, n in self.cells():
            if n:
                width = 100 * n / self.total
                segments.append((status, n, round(x, 3), round(width, 3)))
                x += width
        return segments

    def add(self, other):
        for status, n in other.counts.items():
            self.counts[status] = self.counts.get(status, 0) + n
        self.coverage.add(other.coverage)


@dataclass
class Group:
    label: str
    rows: list
    subtotal: Row
    roundtable: object = None  # its sessions' (the page shows its title in the reader's language)


MEETINGS_ON_ONE_PAGE = 3


@dataclass
class Matrix:
    groups: list
    total: Row
    meetings: list = field(default_factory=list)  # every meeting with counted items
    shown: object = None  # the meeting whose sessions are detailed, when there are too many to show all
    by_meeting: list = field(default_factory=list)  # a Row per meeting (its counts and coverage)
    statuses: list = field(default_factory=lambda: list(Status))

    @property
    def chart_rows(self):
        """Each session's row, for the chart's bars."""
        return [row for group in self.groups for row in group.rows]


def status_matrix(queryset, *, as_of=None, year=None, with_coverage=True):
    """Sessions grouped by roundtable (then the other segments) × statuses.

    One aggregate query counts everything (the totals are over all meetings); with more
    than MEETINGS_ON_ONE_PAGE meetings, only one meeting's sessions (`year`, else the
    first) are laid out, and the others are a click away."""
    key = "status"
    if as_of is not None:
        queryset, key = status_as_of(queryset, as_of), "report_status"
    counts = {}
    for session_id, status, n in queryset.order_by().values_list("session_id", key).annotate(n=Count("pk")):
        counts.setdefault(session_id, {})[status] = n
    # The coverage is today's, as of a past date too (of the items that existed then): a past date's own would need
    # each item's reports as they stood.
    known = {pk: (y, c) for pk, y, c in coverage.by_session(queryset)} if with_coverage else {}
    total, by_meeting = totals(counts, known)
    meetings = list(Meeting.objects.filter(sessions__in=counts.keys()).distinct().order_by("year"))
    sessions = Session.objects.filter(pk__in=counts.keys())
    shown = None
    if len(meetings) > MEETINGS_ON_ONE_PAGE:
        shown = next((m for m in meetings if m.year == year), meetings[0])
        sessions = sessions.filter(meeting=shown)
    groups = session_groups(sessions, counts, known)
    return Matrix(groups, total, meetings, shown, by_meeting=[by_meeting[y] for y in sorted(by_meeting)])


def totals(counts, known):
    """The row of all sessions, and a row per meeting whose coverage is `known` ({year: Row})."""
    total, by_meeting = Row(gettext("All sessions")), {}
    for session_id, session_counts in counts.items():
        meeting_year, session_coverage = known.get(session_id, (None, Coverage()))
        row = Row("", None, session_counts, session_coverage)
        total.add(row)
        if meeting_year is not None:
            by_meeting.setdefault(meeting_year, Row(gettext("GFMD %(year)s") % {"year": meeting_year})).add(row)
    return total, by_meeting


def session_groups(sessions, counts, known):
    """The matrix's groups: the sessions by roundtable (then the other segments), each with its counts and
    coverage (`known`: {session id: (year, Coverage)}), and a subtotal per group."""
    groups = {}
    for session in sessions.select_related("meeting", "roundtable").order_by("meeting__year", "position"):
        if session.roundtable:
            label = gettext("GFMD %(year)s · Roundtable %(number)s: %(title)s") % {
                "year": session.meeting.year, "number": session.roundtable.number, "title": session.roundtable.title}
        else:
            label = gettext("GFMD %(year)s · Other sessions") % {"year": session.meeting.year}
        group = groups.setdefault(label, Group(label, [], Row(gettext("Subtotal")), session.roundtable))
        row = Row(f"{session.code} {session.title}", session, counts[session.pk],
                  known.get(session.pk, (None, Coverage()))[1])
        group.rows.append(row)
        group.subtotal.add(row)
    return list(groups.values())


def actions_matrix(items, *, as_of=None, year=None, public=False):
    """The actions under `items` (recommendations or follow-up items) by their own status, per their item's
    session: a matrix as the items' (without coverage); for the public (`public`), the published actions (`items`
    are the published items)."""
    session = items.model.objects.filter(pk=OuterRef("parent_id")).values("session_id")
    return status_matrix(actions_under(items, public).annotate(session_id=Subquery(session)), as_of=as_of, year=year,
                         with_coverage=False)


def actions_under(items, public=False):
    """The actions under `items` (of one kind); for the public (`public`), the published ones."""
    actions = Action.objects.filter(parent_type=ContentType.objects.get_for_model(items.model),
                                    parent_id__in=items.values("pk"))
    return actions.filter(is_public=True) if public else actions


def changes_by_kind(start, end, shown=200, public=False):
    """For each kind of tracked item: its label, the first `shown` status changes written to the
    timeline between two days (inclusive), newest first, and how many of each kind (from → to). For the
    public (`public`), those of published items: a status is public, whoever changed it and why is not
    (the page shows the note of a published entry only)."""
    labels, found = dict(Status.choices), []
    since = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    for item in tracked_kinds().values():  # PfP projects included: this app never imports partnerships
        label = str(getattr(item, "kind_label", None) or item._meta.verbose_name_plural.capitalize())
        timeline = item._meta.get_field("updates").related_model
        entries = timeline.objects.filter(created_at__gte=since, created_at__lte=end_of_day(end))
        if public:
            entries = entries.filter(item__is_public=True)
        entries = entries.exclude(status_before="").exclude(status_after="")
        summary = entries.order_by().values_list("status_before", "status_after").annotate(n=Count("pk"))
        summary = sorted(((labels[a], labels[b], n) for a, b, n in summary), key=lambda t: -t[2])
        found.append((label, list(entries.select_related("author", "item__session__meeting")[:shown]), summary))
    return found




def progress_by_roundtable(queryset):
    """The latest meeting's items by roundtable (then the other segments) and session: their coverage (how many,
    how many reported, their progress over those whose progress is known: `coverage.by_session`), one grouped
    query. Returns (meeting, groups) where groups are (roundtable Coverage, [session Coverage, …])."""
    meeting = Meeting.objects.filter(sessions__in=queryset.values("session")).order_by("-year").first()
    if meeting is None:
        return None, []
    known = {pk: row for pk, _, row in coverage.by_session(queryset.filter(session__meeting=meeting))}
    groups = {}
    sessions = meeting.sessions.filter(pk__in=known.keys()).select_related("roundtable").order_by("position")
    for session in sessions:
        rt = session.roundtable
        label = (gettext("Roundtable %(number)s: %(title)s") % {"number": rt.number, "title": rt.title} if rt
                 else gettext("Other sessions"))
        group, rows = groups.setdefault(label, (Coverage(label), []))
        row = known[session.pk]
        row.label, row.session = f"{session.code} {session.title}", session
        group.add(row)
        rows.append(row)
    return meeting, list(groups.values())
