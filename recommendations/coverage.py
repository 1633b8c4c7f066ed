"""Coverage of the reports' aggregates (issue #20): for a session, a roundtable, a meeting, a theme, how many items,
how many reported and reported lately, the progress over those whose progress is known, how many unknown. The
counts come from the database, grouped (`FollowUpQuerySet.coverage_by`); here they are only added up."""

from dataclasses import dataclass, replace

from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from gfmd_tracker.templatetags.tracker import percent

from .models import Theme

RECENT_DAYS = 90  # "reported in the last … days", as the coverage block says


@dataclass
class Coverage:
    label: str = ""
    total: int = 0
    reported: int = 0
    reported_recent: int = 0
    progress_sum: int = 0
    progress_known: int = 0
    claimed: int = 0  # closures awaiting verification
    verified: int = 0
    session: object = None  # the session it is of, if it is one's
    theme: object = None  # the theme it is of, if it is one's

    @classmethod
    def of(cls, row, label=""):
        """From a row of `coverage_by`."""
        return cls(label, row["total"], row["reported"], row["reported_recent"], row["progress_sum"] or 0,
                   row["progress_known"], row["claimed"], row["verified"])

    @property
    def unknown(self):
        return self.total - self.reported

    @property
    def reported_share(self):
        return _percent(self.reported, self.total)

    @property
    def reported_recent_share(self):
        return _percent(self.reported_recent, self.total)

    @property
    def progress(self):
        """The average progress over the items whose progress is known, rounded; None if none is."""
        return round(self.progress_sum / self.progress_known) if self.progress_known else None

    def add(self, other):
        self.total += other.total
        self.reported += other.reported
        self.reported_recent += other.reported_recent
        self.progress_sum += other.progress_sum
        self.progress_known += other.progress_known
        self.claimed += other.claimed
        self.verified += other.verified


def _percent(part, whole):
    return round(100 * part / whole) if whole else None


def by_session(queryset, now=None):
    """(session id, its meeting's year, Coverage) of the items of `queryset` in each session, in one query."""
    rows = queryset.coverage_by("session", "session__meeting__year", days=RECENT_DAYS, now=now)
    return [(row["session"], row["session__meeting__year"], Coverage.of(row)) for row in rows]


def by_theme(queryset, now=None):
    """A Coverage per theme of the items of `queryset` (an item of two themes counts in both), by the themes'
    names, then the items of no theme; two queries."""
    rows = {row["themes"]: row for row in queryset.coverage_by("themes", days=RECENT_DAYS, now=now)}
    themes = Theme.objects.filter(pk__in=[pk for pk in rows if pk is not None]).order_by("name")
    found = [replace(Coverage.of(rows[theme.pk], theme.name), theme=theme) for theme in themes]
    if None in rows:
        found.append(Coverage.of(rows[None], gettext("No theme")))
    return found


METHOD = _("An item is reported once anyone logged an update on it, or on one of its actions, after the entry "
           "that added it; one nobody reported on is unknown, never 0 %. Reported lately: the items' own reports. "
           "Progress: the average over the items whose progress is known (rolled up from their reported actions, "
           "weighted, where it comes from them; else their own reports'). A closure awaits verification until an "
           "editor other than its claimant verifies it.")


def about_rows(figures, days=RECENT_DAYS):
    """The coverage of an exported set (`FollowUpQuerySet.coverage`) as (label, value) rows, for the "About this
    export" sheet."""
    def share(name):
        value = figures[f"{name}_share"]
        return f"{figures[name]} ({percent(round(100 * value))})" if value is not None else str(figures[name])

    progress = figures["progress"]
    return [
        (gettext("Coverage: items"), figures["total"]),
        (gettext("Coverage: reported"), share("reported")),
        (gettext("Coverage: reported in the last %(days)s days") % {"days": days}, share("reported_recent")),
        (gettext("Coverage: unknown (no report)"), share("unknown")),
        (gettext("Coverage: progress over the reported"),
         pgettext("progress", "unknown") if progress is None else percent(round(progress))),
        (gettext("Coverage: closures awaiting verification"), figures["claimed"]),
        (gettext("Coverage: closures verified"), figures["verified"]),
        (gettext("How this is computed"), str(METHOD)),
    ]
