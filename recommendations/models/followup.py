"""What the follow-up of many items says about itself (issue #20): how fresh each item's follow-up is
(`Freshness`), how much of a set of items is known (`coverage`), and whose due dates slipped (`slipped`).
Questions about many items: `FollowUpQuerySet`, a base of `TrackedItemQuerySet`; aggregated in the database.

Freshness: the days since an item's latest timeline entry (`last_update_at`: its opening entry if nobody has
reported on it since), counted in whole days (today's date minus that entry's date, in the site's time zone):
current below its meeting's `ageing_after_days`, ageing from it, stale from `stale_after_days`, inactive from
`INACTIVE_AFTER_DAYS` (two years). A closed item has no freshness. An item with no meeting (a project presented
at no session) uses the defaults; one with no timeline at all is inactive."""

import datetime
from functools import cache, reduce
from operator import or_

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Subquery, Sum, When
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .forum import Meeting
from .statuses import CLOSED

__all__ = ["DEFAULT_AGEING_DAYS", "DEFAULT_STALE_DAYS", "INACTIVE_AFTER_DAYS", "ActionParent", "FollowUpQuerySet",
           "Freshness", "freshness_of", "kind_name", "start_of_day"]

DEFAULT_AGEING_DAYS = 90
DEFAULT_STALE_DAYS = 180
INACTIVE_AFTER_DAYS = 730


class Freshness(models.TextChoices):
    CURRENT = "current", _("Current")
    AGEING = "ageing", _("Ageing")
    STALE = "stale", _("Stale")
    INACTIVE = "inactive", _("Inactive")


def freshness_of(days, ageing=DEFAULT_AGEING_DAYS, stale=DEFAULT_STALE_DAYS):
    """The state of an open item whose latest entry is `days` whole days old (None: it has none)."""
    if days is None or days >= INACTIVE_AFTER_DAYS:
        return Freshness.INACTIVE
    if days >= stale:
        return Freshness.STALE
    return Freshness.AGEING if days >= ageing else Freshness.CURRENT


def start_of_day(day):
    """The first moment of `day` in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def thresholds_of(meeting):
    """(ageing, stale) days of a meeting, or the defaults for an item with none."""
    if meeting is None:
        return DEFAULT_AGEING_DAYS, DEFAULT_STALE_DAYS
    return meeting.ageing_after_days, meeting.stale_after_days


class FollowUpQuerySet(models.QuerySet):
    # --- freshness

    @staticmethod
    def freshness_band(state, ageing, stale, today):
        """The condition on `last_update_at` of an open item in `state` under these thresholds: an entry `n` whole
        days old was written before the start of the day `n - 1` days ago."""
        def older(days):  # at least `days` whole days old
            return Q(last_update_at__lt=start_of_day(today - datetime.timedelta(days=days - 1)))

        def newer(days):
            return Q(last_update_at__gte=start_of_day(today - datetime.timedelta(days=days - 1)))

        bands = {
            Freshness.CURRENT: newer(ageing),
            Freshness.AGEING: older(ageing) & newer(stale),
            Freshness.STALE: older(stale) & newer(INACTIVE_AFTER_DAYS),
            Freshness.INACTIVE: older(INACTIVE_AFTER_DAYS) | Q(last_update_at=None),
        }
        return bands[Freshness(state)]

    @staticmethod
    def thresholds():
        """(meeting id, ageing days, stale days) of every meeting, as `freshness_q` reads them."""
        return list(Meeting.objects.values_list("pk", "ageing_after_days", "stale_after_days"))

    def freshness_q(self, state, now=None, thresholds=None):
        """The open items in freshness `state`, by the thresholds of each one's meeting: an OR over the meetings
        (they are few) and the items with none. The cut-offs are the starts of days, as for `stale_q`.
        `thresholds`: the meetings' (`thresholds()`), read once where several conditions are built."""
        today = timezone.localdate(now)
        path = self.model.meeting_path
        by_meeting = [Q(**{path: pk}) & self.freshness_band(state, ageing, stale, today)
                      for pk, ageing, stale in (self.thresholds() if thresholds is None else thresholds)]
        without = Q(**{f"{path}__isnull": True}) & self.freshness_band(state, *thresholds_of(None), today)
        return ~Q(status__in=CLOSED) & reduce(or_, by_meeting, without)

    def fresh(self, state, now=None):
        return self.filter(self.freshness_q(state, now))

    # --- coverage

    @staticmethod
    def reported_q():
        """Items with any report: their own, or one of their actions'."""
        return Q(last_report_at__isnull=False) | Q(actions_reported__gt=0)

    @staticmethod
    def known_progress():
        """An item's progress where it is known: rolled up from its reported actions, or entered by hand and
        reported (the item's own report); NULL (unknown) otherwise, never 0."""
        return Case(When(progress_from_actions=True, then=F("actions_progress")),
                    When(last_report_at__isnull=False, then=F("progress")),
                    default=None, output_field=models.PositiveSmallIntegerField())

    def coverage_terms(self, days=90, now=None):
        """The aggregates `coverage` reads, to group by too (`coverage_by`): how many items, with any report
        (their own or an action's), with a report of their own in the last `days` days; the sum and the count
        of the known progress; closures claimed (awaiting verification), verified, and closed with no
        verification (not required, or closed before verification existed)."""
        since = start_of_day(timezone.localdate(now) - datetime.timedelta(days=days))
        known = self.known_progress()
        return dict(
            total=Count("pk"),
            reported=Count("pk", filter=self.reported_q()),
            reported_recent=Count("pk", filter=Q(last_report_at__gte=since)),
            progress_sum=Sum(known),
            progress_known=Count(known),
            claimed=Count("pk", filter=Q(verification="awaiting")),
            verified=Count("pk", filter=Q(verification="verified")),
            closed_unverified=Count("pk", filter=Q(status__in=CLOSED, verification="")),
        )

    def coverage(self, days=90, now=None):
        """What is known of these items, in one query (`coverage_terms`): the counts, how many unknown, the
        average progress over the items whose progress is known (None if none), and the shares of the total
        (None when there are no items)."""
        figures = self.aggregate(**self.coverage_terms(days, now))
        progress_sum, known = figures.pop("progress_sum"), figures.pop("progress_known")
        figures["progress"] = progress_sum / known if known else None
        figures["unknown"] = figures["total"] - figures["reported"]
        for name in ("reported", "reported_recent", "unknown"):
            figures[f"{name}_share"] = figures[name] / figures["total"] if figures["total"] else None
        return figures

    def coverage_by(self, *fields, days=90, now=None):
        """The `coverage_terms` of each value of `fields`, in one grouped query: dicts of the fields and terms."""
        return self.order_by().values(*fields).annotate(**self.coverage_terms(days, now))

    # --- slipped due dates

    def slipped(self):
        """The items whose due date moved later at least once, each with `slips` (how many times) and
        `days_slipped` (by how many days in all), counted in the database."""
        entries = self.model._meta.get_field("updates").related_model.objects.filter(
            item=OuterRef("pk"), slipped_days__isnull=False).order_by().values("item")
        return self.filter(Exists(entries)).annotate(
            slips=Subquery(entries.annotate(n=Count("pk")).values("n")),
            days_slipped=Subquery(entries.annotate(days=Sum("slipped_days")).values("days")),
        )


class FollowUpState:
    """What one item's follow-up says about itself (a mixin of `TrackedItem`): where its meeting is, how fresh
    it is, whether anything is reported, and its progress where it is known."""

    def get_meeting(self):
        """The item's meeting, along `meeting_path` (None if it has none): loaded with the item, or read."""
        found = self
        for part in self.meeting_path.split("__"):
            found = getattr(found, part)
            if found is None:
                return None
        return found

    def freshness_on(self, now=None):
        """The item's `Freshness` at `now` (None: a closed item has none)."""
        if self.is_closed:
            return None
        days = None
        if self.last_update_at is not None:
            days = (timezone.localdate(now) - timezone.localdate(self.last_update_at)).days
        return freshness_of(days, *thresholds_of(self.get_meeting()))

    @property
    def freshness(self):
        return self.freshness_on()

    @property
    def is_reported(self):
        """Whether anyone reported on it: on the item itself, or on one of its actions."""
        return self.last_report_at is not None or self.actions_reported > 0

    @property
    def known_progress(self):
        """Its progress where known (`FollowUpQuerySet.known_progress`): None (unknown), never a 0 for nothing."""
        if self.progress_from_actions:
            return self.actions_progress
        return self.progress if self.last_report_at is not None else None

    @property
    def rollup_summary(self):
        """What its actions' roll-up is built from: "3 of 4 actions reported" ("" without actions)."""
        if not self.actions_count:
            return ""
        return ngettext("%(reported)s of %(count)s action reported", "%(reported)s of %(count)s actions reported",
                        self.actions_count) % {"reported": self.actions_reported, "count": self.actions_count}


class ActionParent(models.Model):
    """A tracked item that may have actions (actions.py): a recommendation, a follow-up item, a project; not
    an action. Its `actions` are deleted with it."""

    actions = GenericRelation("recommendations.Action", content_type_field="parent_type", object_id_field="parent_id")

    class Meta:
        abstract = True


def kind_name(model):
    """The English name of a kind of tracked item ("recommendation", "follow-up item", "project", "action"; a model
    or one of its records): how spreadsheets, their imports, the API and the open data name it, whatever the
    reader's language (the verbose name is in the reader's)."""
    return _english_name(model._meta.model)


@cache
def _english_name(model):
    with translation.override("en"):
        return str(model._meta.verbose_name)
