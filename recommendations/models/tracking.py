"""What every tracked item (a recommendation, a follow-up item, a PfP project, an action) shares: the rules for
changing its follow-up (the statuses: statuses.py; closure: closure.py), and `TrackedItem` (its timeline's
entries: `timeline.TimelineEntry`; its actions: actions.py)."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from gfmd_tracker.content import TranslatedHistory

from ..dates import DUE_DATE_PRECISIONS, STORED_AS_LAST_DAY, Precision, last_day
from ..services import Update, record_updates
from .closure import ClosureRules, Verification, check_evidence_file
from .followup import FollowUpQuerySet, FollowUpState
from .forum import Actor, Theme
from .statuses import CLOSED, NOTE_REQUIRED_FOR, REOPEN, TRANSITIONS, Status

__all__ = ["CLOSED", "NOTE_REQUIRED_FOR", "REOPEN", "TRANSITIONS", "EditConflict", "Priority",
           "Status", "TrackedItem", "TrackedItemQuerySet"]


class EditConflict(Exception):
    """Someone saved the item after the editor loaded it; their change must not be overwritten."""

    def __init__(self, item):
        self.item = item
        super().__init__(gettext("Someone else changed this item while you were editing it. Nothing of yours was "
                                 "saved; what you typed is still in the form. Check the item's current state, then "
                                 "submit again."))


class Priority(models.TextChoices):
    LOW = "low", pgettext_lazy("priority", "Low")
    MEDIUM = "medium", pgettext_lazy("priority", "Medium")
    HIGH = "high", pgettext_lazy("priority", "High")


class TrackedItemQuerySet(FollowUpQuerySet):
    def open(self):
        return self.exclude(status__in=CLOSED)

    def owned_by(self, user):
        return self.filter(owner=user)

    def visible_to(self, user):
        """All to those signed in (roles decide the rest); to the public, the published items only."""
        return self if user.is_authenticated else self.filter(is_public=True)

    @staticmethod
    def overdue_q(today=None):
        return ~models.Q(status__in=CLOSED) & models.Q(due_date__lt=today or timezone.localdate())

    @staticmethod
    def stale_q(days, now=None, latest="last_update_at"):
        """Open items with no timeline entry since the start of the day `days` days ago: one
        cut-off all day long, so that the list's count is computed once a day and change. `latest`:
        the field of the latest entry (the public's lists read `last_public_update_at`)."""
        day = timezone.localtime(now).date() - datetime.timedelta(days=days)
        since = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        return ~models.Q(status__in=CLOSED) & (models.Q(**{f"{latest}__lt": since}) | models.Q(**{latest: None}))

    def overdue(self, today=None):
        return self.filter(self.overdue_q(today))

    def stale(self, days, now=None, latest="last_update_at"):
        return self.filter(self.stale_q(days, now, latest))

    def headline_counts(self, stale_days, latest="last_update_at"):
        """Items per status, overdue and stale, in one pass over the table."""
        return self.aggregate(
            **{f"status_{status}": models.Count("pk", filter=models.Q(status=status)) for status in Status.values},
            overdue=models.Count("pk", filter=self.overdue_q()),
            stale=models.Count("pk", filter=self.stale_q(stale_days, latest=latest)),
        )

    def updated_since(self, when, latest="last_update_at"):
        return self.filter(**{f"{latest}__gte": when})


def changed_fields(values):
    """The fields a timeline entry's `values` change (those with an "_after")."""
    return [key.removesuffix("_after") for key in values if key.endswith("_after")]


class TrackedItem(ClosureRules, FollowUpState, models.Model):
    """The follow-up fields. A subclass has a timeline (a `TimelineEntry` whose `item` has
    related_name="updates") and lists its extra tracked fields in `tracked_fields`."""

    # The due date's precision rides along with it: written with it in every update (`apply_update`).
    tracked_fields = ("status", "owner", "progress", "due_date", "due_date_precision", "verification")
    # Where the item's meeting is (its freshness thresholds, whether a closure is verified), from the item.
    meeting_path = "session__meeting"

    # No index of its own: a recommendation's is in recommendation_status_ordinal, projects and follow-up
    # items are few, and every index of an item is written again by every update (an import of 10,000 rows).
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    # PROTECT here and in the timeline: a user named in the record is deactivated, never deleted.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="owned_%(class)ss", help_text=_("The person accountable for the follow-up."),
    )
    responsible_actors = models.ManyToManyField(
        Actor, verbose_name=_("responsible actors"), blank=True, related_name="responsible_for_%(class)ss",
        help_text=_("The governments and organizations doing the work."),
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="%(class)ss")
    due_date = models.DateField(_("due date"), null=True, blank=True,
                                help_text=_("The last day of the day, month or year it is due."))
    due_date_precision = models.CharField(
        _("due date precision"), max_length=5, choices=DUE_DATE_PRECISIONS, default=Precision.DAY,
        db_default=Precision.DAY, help_text=_("How precisely the due date is known: a day, a month or a year."),
    )
    progress = models.PositiveSmallIntegerField(
        _("progress"), default=0, validators=[MaxValueValidator(100)], help_text=_("Per cent, 0 to 100.")
    )
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, blank=True)
    # Set by the closure rules alone (closure.py): a claim awaits verification, a second person verifies it.
    verification = models.CharField(_("verification"), max_length=10, choices=Verification.choices, blank=True,
                                    default="", db_default="", editable=False)
    progress_from_actions = models.BooleanField(
        _("Progress rolled up from its actions"), default=False, db_default=False,
        help_text=_("Ticked: the item's progress is its reported actions' progress, weighted; unticked: entered by "
                    "hand."))
    # The roll-up of its actions, kept by the write path (services.refresh_rollups) for lists and reports.
    actions_count = models.PositiveIntegerField(_("actions count"), default=0, db_default=0, editable=False)
    actions_reported = models.PositiveIntegerField(
        _("actions reported"), default=0, db_default=0, editable=False,
        help_text=_("Its actions with a report (an entry besides the first)."))
    actions_progress = models.PositiveSmallIntegerField(
        _("actions progress"), null=True, blank=True, editable=False,
        help_text=_("Weighted progress of its reported actions, rounded half up; empty (unknown) when none reported."))
    last_update_at = models.DateTimeField(_("last update at"), null=True, blank=True, editable=False,
                                          help_text=_("When the timeline last grew."))
    # The latest entry that is a report: every entry but the one that opened the item (`start_timeline`).
    last_report_at = models.DateTimeField(_("last report at"), null=True, blank=True, editable=False,
                                          help_text=_("When someone last reported on the item."))
    last_update_precision = models.CharField(
        _("last update precision"), max_length=5, choices=Precision.choices, default=Precision.TIME,
        db_default=Precision.TIME, editable=False,
        help_text=_("How precisely the latest update's time is known (an event the report dates to a month)."),
    )
    last_note = models.TextField(_("last note"), blank=True, editable=False,
                                 help_text=_("The note of the timeline's latest entry, for lists and exports."))
    # What the public's lists and exports show instead: the latest entry marked public (internal notes never).
    last_public_update_at = models.DateTimeField(_("last public update at"), null=True, blank=True, editable=False,
                                                 help_text=_("When the timeline last grew by a public entry."))
    last_public_update_precision = models.CharField(
        _("last public update precision"), max_length=5, choices=Precision.choices, default=Precision.TIME,
        db_default=Precision.TIME, editable=False,
        help_text=_("How precisely the latest public update's time is known."),
    )
    last_public_note = models.TextField(_("last public note"), blank=True, editable=False,
                                        help_text=_("The note of the timeline's latest public entry."))
    is_public = models.BooleanField(
        _("public"), default=True,
        help_text=_("Shown to the public (anyone without an account). Untick to unpublish the whole item, "
                  "for instance a draft added by mistake: it then shows only to those who sign in."),
    )
    version = models.PositiveIntegerField(
        _("version"), default=1, editable=False,
        help_text=_("Raised on every save; a save based on an older version is refused."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # The latest update and note are a copy of the timeline's, kept for speed: not a change of
    # the record (and a history record written by an update's save would show them before it).
    history = TranslatedHistory(inherit=True, excluded_fields=[
        "last_update_at", "last_update_precision", "last_note", "last_public_update_at", "last_public_update_precision",
        "last_public_note", "last_report_at", "actions_count", "actions_reported", "actions_progress"])
    # Its lineage (`Lineage`): the links from it and those to it, deleted with it.
    lineage = GenericRelation("recommendations.Lineage", content_type_field="item_type", object_id_field="item_id")
    lineage_in = GenericRelation("recommendations.Lineage", content_type_field="target_type",
                                 object_id_field="target_id")
    lineage_key_help = _("Write its title.")

    class Meta:
        abstract = True
        constraints = [models.CheckConstraint(condition=models.Q(progress__lte=100), name="%(class)s_progress_max_100")]
        # Lists sorted by due date or last update (ties by id, in the same direction) page
        # straight off these; overdue, stale and "updated since" filters use them too.
        indexes = [
            models.Index(fields=["due_date", "id"], name="%(class)s_due_id"),
            models.Index(fields=["last_update_at", "id"], name="%(class)s_updated_id"),
            models.Index(fields=["last_public_update_at", "id"], name="%(class)s_pub_updated_id"),
        ]

    def lineage_key(self):
        """How a spreadsheet names the item: its natural key, the parts joined by "/" ("2010/3.1/3", a title)."""
        return "/".join(str(part) for part in self.natural_key())

    @classmethod
    def get_by_lineage_key(cls, key):
        return cls.objects.get_by_natural_key(key)

    def lineage_both_ways(self, public=False):
        """The links from this item and those to it (`Lineage.objects.of_item`), for its page; for the public
        (`public`), those whose other end is published too."""
        links = self._meta.get_field("lineage").related_model.objects  # not `self.lineage`: no content type read
        return (links.public() if public else links.all()).of_item(self)

    @classmethod
    def lineage_queryset(cls):
        """The items as another item's lineage shows them (with what their name and address need)."""
        return cls.objects.all()

    def start_timeline(self, *, note, at=None, by=None, public=False):
        """Write the first timeline entry: where the item came from and its status then."""
        values = {f"{field}_after": getattr(self, field) for field in self.tracked_fields}
        [entry] = record_updates([Update(self, note, values, public=public, opening=True)], by=by, at=at)
        return entry

    def clean(self):
        if self.due_date and self.due_date != (last := last_day(self.due_date, self.due_date_precision)):
            raise ValidationError({"due_date": STORED_AS_LAST_DAY[self.due_date_precision] % {"last": last}})

    @property
    def last_update_day(self):
        """The day of the latest update, for lists that show it at most to the day."""
        return timezone.localdate(self.last_update_at) if self.last_update_at else None

    @property
    def last_public_update_day(self):
        """The day of the latest public update (the public's lists)."""
        return timezone.localdate(self.last_public_update_at) if self.last_public_update_at else None

    # --- who may do what (roles are groups with model permissions; see gfmd_tracker.roles)

    def _perm(self, action, model=None):
        opts = (model or self)._meta
        return f"{opts.app_label}.{action}_{opts.model_name}"

    def can_log_update(self, user):
        return user.has_perm(self._perm("add", self.updates.model))

    def can_edit_any(self, user):
        """Editors: change every follow-up field of every item, assign owners, reopen."""
        return user.has_perm(self._perm("change"))

    def can_own(self, user):
        """An owner must be able to act on the item: an active user whose role may log
        updates on it (ModelBackend grants an inactive user nothing). `possible_owners` lists them."""
        return self.can_log_update(user)

    def check_owner(self, owner):
        if owner is not None and not self.can_own(owner):
            raise ValidationError({"owner": gettext(
                "%(username)s cannot own items: an owner must be an active user whose role may log updates (staff, "
                "editor or administrator).") % {"username": owner.username}})

    @classmethod
    def possible_owners(cls):
        """The users `can_own` accepts for an item of this kind, as one query: active, and a
        superuser or given the permission to add its timeline entries (by a group or directly)."""
        timeline = cls._meta.get_field("updates").related_model._meta
        return get_user_model().objects.with_perm(f"{timeline.app_label}.add_{timeline.model_name}",
                                                  backend="django.contrib.auth.backends.ModelBackend")

    def owner_choices(self):
        """The users this item's owner may be set to: `possible_owners`, and its current owner
        even if they no longer may, so that a change leaving the owner alone keeps them."""
        return type(self).possible_owners() | get_user_model().objects.filter(pk=self.owner_id)

    def may_take(self, user):
        """Staff take an item nobody owns, becoming its owner (editors assign anything)."""
        return self.owner_id is None and self.can_own(user)

    def can_change_follow_up(self, user):
        """Editors on any item; staff on the items they own."""
        return self.can_edit_any(user) or (self.can_log_update(user) and self.owner_id == user.pk)

    def next_statuses(self, user=None):
        """The statuses this item may move to now (for `user`, if given)."""
        allowed = set(TRANSITIONS[self.status])
        if user is None or self.can_edit_any(user):
            allowed |= REOPEN.get(self.status, set())
        return [s for s in Status if s in allowed]

    @property
    def is_closed(self):
        return self.status in CLOSED

    @property
    def is_overdue(self):
        return not self.is_closed and self.due_date is not None and self.due_date < timezone.localdate()

    def check_transition(self, new_status, *, by, note):
        if new_status not in Status.values:
            raise ValidationError({"status": gettext("Unknown status '%(status)s'.") % {"status": new_status}})
        if new_status not in self.next_statuses(by):
            current, target = Status(self.status).label, Status(new_status).label
            words = {"status": current.lower(), "current": current, "target": target}
            if self.status in CLOSED and new_status in REOPEN.get(self.status, ()):
                raise PermissionDenied(gettext("Only an editor can reopen an item that is %(status)s.") % words)
            raise ValidationError({"status": gettext("An item cannot go from %(current)s to %(target)s.") % words})
        if new_status in NOTE_REQUIRED_FOR and not note.strip():
            raise ValidationError({"note": NOTE_REQUIRED_FOR[new_status]})

    def check_permission(self, user, changes, evidence_url=""):
        if not self.can_log_update(user):
            raise PermissionDenied(gettext("You may read this item but not log updates on it."))
        if changes == {"owner": user} and self.may_take(user):
            changes = {}  # taking an item nobody owns; no other change, no evidence link
        if changes and not self.can_change_follow_up(user):
            raise PermissionDenied(gettext("Only the item's owner or an editor can change its status, owner or "
                                           "progress."))
        if evidence_url and not self.can_change_follow_up(user):
            raise PermissionDenied(gettext("Only the item's owner or an editor can attach an evidence link; you "
                                           "can add a note."))

    @transaction.atomic
    def record_update(self, *, by, note, at=None, at_precision=Precision.TIME, expected_version=None,
                      evidence_url="", edited=(), public=False, evidence_file=None, closure_reason="",
                      due_date_reason="", **changes):
        """Log an update: a note, and any changes of the tracked fields, in one timeline entry; the one
        way they change. `by` is None for a system process (an import from the command line). With
        `expected_version`, an item saved since that version was read is not changed (EditConflict).
        `edited` names other fields already set on this instance (the admin form's title), saved too.
        `at_precision`: how precisely `at` is known (the seed's events the report dates to a month).
        `public` publishes the entry (internal by default). A closure claim comes with its evidence
        (`evidence_url`, `evidence_file`: an uploaded file) or its `closure_reason`; a due date moved
        with its `due_date_reason` (`check_due_date`)."""
        current = type(self).objects.select_for_update().get(pk=self.pk)
        for field in (*self.tracked_fields, "version", "last_update_at", "last_public_update_at", "last_report_at"):
            setattr(self, field, getattr(current, field))
        note = (note or "").strip()
        changes = self.changed_values(changes)
        # A stale form is a conflict first: the owner whose item was handed over while they wrote
        # is shown its new state, not refused as if they had tried to take it.
        if changes and expected_version is not None and current.version != expected_version:
            raise EditConflict(current)
        evidence = evidence_url or evidence_file
        if by is not None:
            self.check_permission(by, changes, evidence)
        values = self.apply_update(by=by, note=note, changes=changes, permission_checked=True, evidence=evidence,
                                   evidence_file=evidence_file, closure_reason=closure_reason,
                                   due_date_reason=due_date_reason)
        saved = [*changed_fields(values), *edited] or None  # the rules' changes too (a claim's verification)
        if saved:
            self.full_clean(exclude=["responsible_actors", "themes"], validate_unique=False)
        update = Update(self, note, values, evidence_url, public=public, evidence_file=evidence_file,
                        closure_reason=closure_reason)
        [entry] = record_updates([update], by=by, at=at, at_precision=at_precision, fields=saved)
        return entry

    def changed_values(self, changes):
        """The tracked fields of `changes` whose value differs from this item's. A due date given
        without its precision is a day (what staff set in a form)."""
        unknown = set(changes) - set(self.tracked_fields)
        if unknown:
            raise TypeError(f"Not a tracked field: {', '.join(sorted(unknown))}")
        if "due_date" in changes:
            changes = {"due_date_precision": Precision.DAY, **changes}
        return {f: v for f, v in changes.items() if getattr(self, f) != v}

    def apply_update(self, *, by, note, changes, permission_checked=False, evidence=False, evidence_file=None,
                     closure_reason="", due_date_reason=""):
        """Check an update against the rules (who, which transition, what note, the closure's evidence
        or reason, a moved due date's reason), then set the new values on this instance, unsaved (an
        import checks every row so). `evidence`: whether a link or a file comes with it. Returns the
        timeline entry's values: before/after of each field changed (the rules' too), and a moved due
        date's reason and the days it slipped."""
        if by is not None and not permission_checked:
            self.check_permission(by, changes, evidence)
        if "status" in changes:
            self.check_transition(changes["status"], by=by, note=note)
        if "owner" in changes:
            self.check_owner(changes["owner"])
        if not note:
            raise ValidationError({"note": gettext("Write a note: what happened, or why the change.")})
        check_evidence_file(evidence_file)
        changes = self.closure_changes(changes, by=by, evidence=bool(evidence), closure_reason=closure_reason)
        values = self.check_due_date(changes, due_date_reason)
        if changes.keys() & {"due_date", "due_date_precision"}:  # the entry holds the due date whole
            changes = {"due_date": self.due_date, "due_date_precision": self.due_date_precision, **changes}
        for field, new in changes.items():
            values[f"{field}_before"], values[f"{field}_after"] = getattr(self, field), new
            setattr(self, field, new)
        return values

    def check_due_date(self, changes, reason):
        """A due date already set is moved only with a reason (`reason`); a first one needs none. Returns
        the entry's `due_date_reason` and `slipped_days` (how many days later, if it moved later)."""
        reason = (reason or "").strip()
        before, after = self.due_date, changes.get("due_date", self.due_date)
        if before is None or after == before:
            return {"due_date_reason": reason} if reason else {}
        if not reason:
            raise ValidationError({"due_date_reason": gettext("Say why the due date moves: a date already set is "
                                                              "changed only with its reason.")})
        later = after is not None and after > before
        return {"due_date_reason": reason, "slipped_days": (after - before).days if later else None}
