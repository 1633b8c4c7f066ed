"""A tracked item's timeline: `TimelineEntry`, one dated update of an item (who, when, what was said, what
changed), appended by the one write path (`services.record_updates`), internal or public."""

import os

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import db
from ..dates import DUE_DATE_PRECISIONS, Precision, shown
from .closure import ClosureReason, Verification
from .statuses import Status

__all__ = ["TimelineEntry", "TimelineEntryManager", "TimelineEntryQuerySet", "timeline_indexes"]


class TimelineEntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """All to those signed in; to the public, the published entries of published items."""
        return self if user.is_authenticated else self.filter(is_public=True, item__is_public=True)

    def slips(self):
        """Per item whose due date moved later: {"item", "slips" (how many times), "days_slipped" (in all)},
        counted in the database; the reasons: `slip_reasons`."""
        return (self.filter(slipped_days__isnull=False).order_by("item").values("item")
                .annotate(slips=models.Count("pk"), days_slipped=models.Sum("slipped_days")))

    def slip_reasons(self):
        """(item id, when, days later, reason) of each move of a due date later, in the timeline's order."""
        return self.filter(slipped_days__isnull=False).order_by("item", "created_at", "pk").values_list(
            "item", "created_at", "slipped_days", "due_date_reason")


class TimelineEntryManager(models.Manager.from_queryset(TimelineEntryQuerySet)):
    def log_updates(self, updates, *, by, at, at_precision=Precision.TIME):
        """One entry per `services.Update`, by `by` at `at` known to `at_precision`, as Django's
        `LogEntry.objects.log_actions` writes its entries. One update's entry is returned, with its id; many
        are written in a few statements without reading their ids back (10,000 in 0.4 s instead of 1.7 s by
        `bulk_create`). Writing an entry leaves no change history: the history records what changes an entry
        later (publishing it)."""
        rows = [{"item": u.item, "author": by, "created_at": at, "created_at_precision": at_precision,
                 "note": u.note, "evidence_url": u.evidence_url, "is_public": u.public,
                 "closure_reason": u.closure_reason, "evidence_file": self.stored(u.evidence_file), **u.values}
                for u in updates]
        if len(rows) == 1:
            entry = self.model(**rows[0])
            entry.skip_history_when_saving = True  # django-simple-history's switch for this save
            entry.save(force_insert=True, using=self.db)
            return [entry]
        db.insert(self.model, rows)
        return []

    def stored(self, file):
        """The name an uploaded evidence file is stored under (settings.STORAGES["default"]), "" for none."""
        if not file:
            return ""
        field = self.model._meta.get_field("evidence_file")
        return field.storage.save(field.generate_filename(None, file.name), file, max_length=field.max_length)


def timeline_indexes(prefix, *, status_changes=True):
    """The indexes of a timeline's table, named `<prefix>_…` (a subclass of TimelineEntry, in its Meta)."""
    # "What changed": the status changes of a period, without the notes-only entries.
    changes = models.Index(fields=["-created_at", "-id"], name=f"{prefix}_status_changes",
                           condition=~models.Q(status_after="") & ~models.Q(status_before=""))
    return [
        # Its item's key first: the item's own index.
        models.Index(fields=["item", "-created_at"], name=f"{prefix}_item_created"),
        # The audit list's order, whole: ties in created_at (a bulk import) need no sort.
        models.Index(fields=["-created_at", "-id"], name=f"{prefix}_created_id"),
        *([changes] if status_changes else []),
        # The few items whose due date slipped (scorecards, the Slipped report): a tiny index.
        models.Index(fields=["item"], name=f"{prefix}_slipped", condition=models.Q(slipped_days__isnull=False)),
    ]


class TimelineEntry(models.Model):
    """One dated update of a tracked item: who, when, what was said, what changed. Append-only."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)  # indexed with the id, by each subclass
    # An event the report dates to a month or a year: `created_at` is noon UTC on its first day (`dates`),
    # which the as-of reports and "what changed" read; the pages show the month or the year.
    created_at_precision = models.CharField(_("created at precision"), max_length=5, choices=Precision.choices,
                                            default=Precision.TIME,
                                            db_default=Precision.TIME)
    note = models.TextField(_("note"))
    evidence_url = models.URLField(_("evidence url"), max_length=500, blank=True,
                                   help_text=_("A link to evidence of what was done."))
    status_before = models.CharField(_("status before"), max_length=20, choices=Status.choices, blank=True)
    status_after = models.CharField(_("status after"), max_length=20, choices=Status.choices, blank=True)
    owner_before = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner before"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    owner_after = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner after"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    progress_before = models.PositiveSmallIntegerField(_("progress before"), null=True, blank=True)
    progress_after = models.PositiveSmallIntegerField(_("progress after"), null=True, blank=True)
    due_date_before = models.DateField(_("due date before"), null=True, blank=True)
    due_date_after = models.DateField(_("due date after"), null=True, blank=True)
    # Internal by default: nothing written before visibility existed, nor since without a choice, is public.
    is_public = models.BooleanField(
        _("public"), default=False,
        help_text=_("Shown to the public with its note and evidence link; internal (staff only) when unticked."),
    )
    # Defaults in the database too, as for the other precisions: rows written by COPY (tools.scale) leave them out.
    due_date_precision_before = models.CharField(_("due date precision before"), max_length=5,
                                                 choices=DUE_DATE_PRECISIONS, blank=True, default="",
                                                 db_default="")
    due_date_precision_after = models.CharField(_("due date precision after"), max_length=5,
                                                choices=DUE_DATE_PRECISIONS, blank=True, default="",
                                                db_default="")
    verification_before = models.CharField(_("verification before"), max_length=10, choices=Verification.choices,
                                           blank=True, default="",
                                           db_default="")
    verification_after = models.CharField(_("verification after"), max_length=10, choices=Verification.choices,
                                          blank=True, default="",
                                          db_default="")
    # A closure claim's reason (not pursued) and evidence file (the link: evidence_url), checked by closure.py.
    closure_reason = models.CharField(_("closure reason"), max_length=20, choices=ClosureReason.choices, blank=True,
                                      default="",
                                      db_default="")
    evidence_file = models.FileField(_("evidence file"), upload_to="evidence/%Y/%m/", max_length=200, blank=True,
                                     default="",
                                     db_default="", help_text=_("A file of evidence of what was done."))
    # A due date already set moves only with its reason; `slipped_days`: how many days later (none if earlier).
    due_date_reason = models.TextField(_("due date reason"), blank=True, default="", db_default="")
    slipped_days = models.PositiveIntegerField(_("slipped days"), null=True, blank=True)

    objects = TimelineEntryManager()
    # Publishing or unpublishing an entry is recorded here (services.set_entries_public), never by
    # rewriting the entry: the entry's text and values stay as written.
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d} {self.note[:60]}"

    def changes(self, public=False):
        """(field label, before, after) for each field this entry changed, as people read them (a due
        date at its precision: "2013"); for the public (`public`), not the owner (an owner's identity is
        internal). A closure's verification is said in words (`closure_step`)."""
        result = []
        for field in self.item.tracked_fields:
            if field in ("due_date_precision", "verification") or (public and field == "owner"):
                continue  # the precision is shown with the due date
            before, after = getattr(self, f"{field}_before"), getattr(self, f"{field}_after")
            if before in (None, "") and after in (None, ""):
                continue
            if field == "due_date":
                before = shown(before, self.due_date_precision_before) if before else before
                after = shown(after, self.due_date_precision_after) if after else after
            choices = dict(self._meta.get_field(f"{field}_after").choices or ())
            label = self.item._meta.get_field(field).verbose_name
            result.append((label, choices.get(before, before), choices.get(after, after)))
        return result

    @property
    def closure_step(self):
        """What this entry did to a closure, in words ("" nothing): claimed it (it awaits verification), verified
        it, returned it (reopened a claim awaiting verification), or reopened a verified closure."""
        before, after = self.verification_before, self.verification_after
        if after == Verification.AWAITING:
            return gettext("Closure claimed")
        if after == Verification.VERIFIED and before == Verification.AWAITING:
            return gettext("Closure verified")
        if before == Verification.AWAITING:
            return gettext("Closure returned")
        return gettext("Verified closure reopened") if before == Verification.VERIFIED else ""

    @property
    def evidence_file_name(self):
        return os.path.basename(self.evidence_file.name) if self.evidence_file else ""

    @property
    def evidence_file_size(self):
        """The evidence file's size in bytes; None when the storage no longer has it."""
        try:
            return self.evidence_file.size if self.evidence_file else None
        except OSError:
            return None
