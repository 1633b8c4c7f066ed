"""Actor scorecards (issue #20): what the follow-up of the items and actions an actor is responsible for says,
and apart that of the PfP projects it partners in; counted in the database, only arranged in Python.

- `actor_scorecard`: one actor's figures, one aggregate per kind of item (recommendations, follow-up items, PfP
  projects, actions) and one for the projects it partners in;
- `actor_table`: every actor's, one grouped query per kind (and one for the partners, one for the co-chairs);
- `evolution`: how an actor's reports and verified closures grew, per quarter (per year over a long span).

Every figure is one of `COUNTS`, an aggregate the rules define (`FollowUpQuerySet`: reported, known progress,
freshness; `TrackedItemQuerySet.overdue_q`; the timeline's slipped due dates); `Scorecard` adds up the kinds.
The public (`user` not signed in) counts the published items and actions only (`visible_to`)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncQuarter
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import (
    Action,
    Actor,
    FollowUpQuerySet,
    Freshness,
    SessionParticipant,
    Verification,
    start_of_day,
    tracked_kinds,
)

RECENT_DAYS = 90  # "reported in the last 90 days"
COUNTS = ("total", "reported", "reported_recent", "progress_known", "progress_sum", "claimed", "verified", "overdue",
          "slipped", *Freshness.values)


@dataclass
class Scorecard:
    """The figures of a set of items (`COUNTS`), and the shares and progress people read from them. The names
    are those of `FollowUpQuerySet.coverage`, so that partials/coverage.html shows a scorecard too."""

    label: str = ""
    total: int = 0
    reported: int = 0  # by a report of its own or of one of its actions
    reported_recent: int = 0  # by a report of its own in the last RECENT_DAYS days
    progress_known: int = 0  # items whose progress is known (`known_progress`)...
    progress_sum: int = 0  # ...and the sum of it
    claimed: int = 0  # closures awaiting verification
    verified: int = 0
    overdue: int = 0
    slipped: int = 0  # items whose due date moved later at least once
    current: int = 0
    ageing: int = 0
    stale: int = 0
    inactive: int = 0

    @classmethod
    def of(cls, label, row):
        return cls(label, **{name: row[name] or 0 for name in COUNTS})

    def add(self, other):
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self

    @property
    def unknown(self):
        return self.total - self.reported

    def share(self, count):
        return count / self.total if self.total else None

    @property
    def reported_share(self):
        return self.share(self.reported)

    @property
    def reported_recent_share(self):
        return self.share(self.reported_recent)

    @property
    def unknown_share(self):
        return self.share(self.unknown)

    @property
    def progress(self):
        """The average progress over the items whose progress is known; None (unknown) when none is."""
        return self.progress_sum / self.progress_known if self.progress_known else None


def figures(items, now=None, thresholds=None):
    """The aggregates of `COUNTS` over `items` (a queryset of one kind of tracked item)."""
    # The few items with a slipped date, as one set read off its partial index (`*_slipped`).
    slipped = items.model._meta.get_field("updates").related_model.objects.filter(
        slipped_days__isnull=False).values("item")
    known = items.known_progress()
    since = start_of_day(timezone.localdate(now) - datetime.timedelta(days=RECENT_DAYS))  # as `coverage` counts
    return {
        "total": Count("pk"),
        "reported": Count("pk", filter=items.reported_q()),
        "reported_recent": Count("pk", filter=Q(last_report_at__gte=since)),
        "progress_known": Count(known),
        "progress_sum": Sum(known),
        "claimed": Count("pk", filter=Q(verification=Verification.AWAITING)),
        "verified": Count("pk", filter=Q(verification=Verification.VERIFIED)),
        "overdue": Count("pk", filter=items.overdue_q(timezone.localdate(now))),
        "slipped": Count("pk", filter=Q(pk__in=slipped)),
        **{state: Count("pk", filter=items.freshness_q(state, now, thresholds)) for state in Freshness.values},
    }


def label_of(model):
    """The name of a kind of item in the reports, in the reader's language (the figures are counted and cached per
    language, under it)."""
    return str(getattr(model, "kind_label", None) or model._meta.verbose_name_plural.capitalize())


def kinds(user):
    """(label, the items `user` may see) of every kind an actor is responsible for: the report's items (this
    app's and partnerships' projects, without importing it), then the actions."""
    return [(label_of(model), model.objects.visible_to(user)) for model in (*tracked_kinds().values(), Action)]


def partner_roles():
    """The model of a partner's role in a project, and that of the projects (read from Actor's relations: this
    app never imports partnerships)."""
    roles = Actor._meta.get_field("project_roles").related_model
    return roles, roles._meta.get_field("project").related_model


PARTNER_LABEL = _("PfP projects it partners in")
ALL_LABEL = _("All it is responsible for")


def actor_scorecard(actor, user, now=None):
    """(a Scorecard of each kind, their sum, the Scorecard of the projects it partners in) of one actor."""
    thresholds = FollowUpQuerySet.thresholds()
    by_kind = [Scorecard.of(label, items.filter(responsible_actors=actor).aggregate(**figures(items, now, thresholds)))
               for label, items in kinds(user)]
    roles, projects = partner_roles()
    projects = projects.objects.visible_to(user)
    partnered = projects.filter(Exists(roles.objects.filter(project=OuterRef("pk"), actor=actor)))
    partner = Scorecard.of(PARTNER_LABEL, partnered.aggregate(**figures(projects, now, thresholds)))
    total = Scorecard(ALL_LABEL)
    for card in by_kind:
        total.add(card)
    return by_kind, total, partner


@dataclass
class ActorFigures:
    """One actor's row of the table of all actors."""

    chairs: int = 0  # sessions co-chaired
    by_kind: dict = field(default_factory=dict)  # {kind label: Scorecard}
    total: Scorecard = field(default_factory=lambda: Scorecard(ALL_LABEL))
    partner: Scorecard = field(default_factory=lambda: Scorecard(PARTNER_LABEL))


def actor_table(user, now=None):
    """{actor id: ActorFigures} of every actor with a figure: one grouped query per kind of item, one for the
    projects partnered in, one for the sessions co-chaired."""
    thresholds = FollowUpQuerySet.thresholds()
    table = {}

    def row(pk):
        return table.setdefault(pk, ActorFigures())

    for label, items in kinds(user):
        grouped = items.filter(responsible_actors__isnull=False).order_by().values("responsible_actors")
        for counts in grouped.annotate(**figures(items, now, thresholds)):
            card = Scorecard.of(label, counts)
            figures_of = row(counts["responsible_actors"])
            figures_of.by_kind[label] = card
            figures_of.total.add(card)
    roles, projects = partner_roles()
    projects = projects.objects.visible_to(user)
    # An actor may have several roles in one project: each project counted once, by its actor's first role.
    first_roles = roles.objects.exclude(Exists(roles.objects.filter(
        project=OuterRef("project"), actor=OuterRef("actor"), pk__lt=OuterRef("pk")))).values("pk")
    grouped = projects.filter(project_partners__in=first_roles).order_by().values("project_partners__actor")
    for counts in grouped.annotate(**figures(projects, now, thresholds)):
        row(counts["project_partners__actor"]).partner = Scorecard.of(PARTNER_LABEL, counts)
    chairs = SessionParticipant.objects.filter(role=SessionParticipant.Role.CO_CHAIR).order_by().values_list(
        "actor").annotate(n=Count("session", distinct=True))
    for pk, n in chairs:
        row(pk).chairs = n
    return table


# --- how the figures evolved

# The entry that opens an item's timeline writes every tracked field's value after and none before
# (`TrackedItem.start_timeline`, an import's new row): not a report. Any other entry is one.
OPENING = Q(status_before="") & ~Q(status_after="")
MAX_QUARTERS = 40  # a longer span is shown by year


@dataclass
class Period:
    label: str
    reports: int = 0
    verified: int = 0  # closures verified in the period
    reports_so_far: int = 0
    verified_so_far: int = 0


@dataclass
class Evolution:
    """An actor's reports and verified closures per period, from its items' first entry to today."""

    periods: list
    by: str = "quarter"  # or "year"

    def bars(self, name, height=50):
        """The chart's bars of `name` (a Period's figure): (x, width, y, bar height, period, value) in a box 100
        wide and `height` high, the highest bar at full height."""
        highest = max((getattr(p, name) for p in self.periods), default=0)
        width = 100 / len(self.periods) if self.periods else 0
        bars = []
        for i, period in enumerate(self.periods):
            value = getattr(period, name)
            tall = height * value / highest if highest else 0
            bars.append((round(i * width + width * 0.1, 3), round(width * 0.8, 3), round(height - tall, 3),
                         round(tall, 3), period, value))
        return bars

    @property
    def report_bars(self):
        return self.bars("reports")

    @property
    def verified_bars(self):
        return self.bars("verified_so_far")

    @property
    def most_reports(self):
        return max((p.reports for p in self.periods), default=0)

    @property
    def verified_total(self):
        return self.periods[-1].verified_so_far if self.periods else 0

    @property
    def first_label(self):
        return self.periods[0].label if self.periods else ""

    @property
    def last_label(self):
        return self.periods[-1].label if self.periods else ""


def quarter_of(moment):
    moment = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return moment.year, (moment.month - 1) // 3 + 1


def quarterly(actor, user):
    """{(year, quarter): [reports, closures verified]} on the items and actions the actor is responsible for, one
    grouped query per kind."""
    counted = {}
    for _label, items in kinds(user):
        entries = items.model._meta.get_field("updates").related_model.objects.filter(
            item__in=items.filter(responsible_actors=actor).values("pk"))
        rows = entries.order_by().annotate(period=TruncQuarter("created_at")).values("period").annotate(
            reports=Count("pk", filter=~OPENING),
            verified=Count("pk", filter=Q(verification_after=Verification.VERIFIED)))
        for row in rows:
            found = counted.setdefault(quarter_of(row["period"]), [0, 0])
            found[0] += row["reports"]
            found[1] += row["verified"]
    return counted


def evolution(actor, user, now=None):
    """The actor's `Evolution`: per quarter from its items' first entry to today's (`quarterly`), by year when
    that is longer than MAX_QUARTERS; with the running totals."""
    counted = quarterly(actor, user)
    if not counted:
        return Evolution([])
    first, last = min(counted), max(max(counted), quarter_of(timezone.localtime(now)))
    quarters = [(year, q) for year in range(first[0], last[0] + 1) for q in range(1, 5) if first <= (year, q) <= last]
    by_year = len(quarters) > MAX_QUARTERS
    periods = {}
    for key in quarters:
        label = str(key[0]) if by_year else gettext("%(year)s Q%(quarter)s") % {"year": key[0], "quarter": key[1]}
        period = periods.setdefault(label, Period(label))
        reports, verified = counted.get(key, (0, 0))
        period.reports += reports
        period.verified += verified
    so_far = Period("")
    for period in periods.values():
        so_far.reports += period.reports
        so_far.verified += period.verified
        period.reports_so_far, period.verified_so_far = so_far.reports, so_far.verified
    return Evolution(list(periods.values()), "year" if by_year else "quarter")
