"""The GFMD's meetings, their sessions and outcomes, and the follow-up of each.

Everything that is followed up (a recommendation here, a PfP project in
`partnerships`) is a `TrackedItem`: status, owner, responsible actors, due date,
progress, priority, and an append-only timeline of updates written by
`TrackedItem.record_update`, the one way those fields change.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models, transaction
from django.db.models.functions import Cast, Lower
from django.urls import reverse
from django.utils import timezone
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from . import bulk
from .services import Update, record_updates


class NaturalKeyManager(models.Manager):
    """Finds a record by its natural key (one unique field), as fixtures and backups name it."""

    key_field = None

    def get_by_natural_key(self, value):
        return self.get(**{self.key_field: value})


class ActorManager(NaturalKeyManager):
    key_field = "name"


class ThemeManager(NaturalKeyManager):
    key_field = "slug"


class MeetingManager(NaturalKeyManager):
    key_field = "year"


class Actor(models.Model):
    """A government, organization or GFMD body: one record, reused everywhere."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", "Government"
        INTERNATIONAL_ORGANIZATION = "international_organization", "International organization"
        CIVIL_SOCIETY = "civil_society", "Civil society"
        GFMD_BODY = "gfmd_body", "GFMD body"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(
        max_length=50, blank=True, help_text="Abbreviation as the report writes it, e.g. IOM, UK, UAE."
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    country = CountryField(blank=True, help_text="ISO 3166 code, for governments and national bodies.")
    members = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="member_of",
        help_text="For groups such as the Steering Group, the Troika or the assessment team.",
    )
    notes = models.TextField(blank=True)

    objects = ActorManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="actor_name_unique_ci"),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class Theme(models.Model):
    """A subject that cuts across sessions: "everything on children"."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    objects = ThemeManager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class Meeting(models.Model):
    """One annual meeting of the Forum (GFMD 2010, Puerto Vallarta, ...)."""

    year = models.PositiveSmallIntegerField(unique=True)
    edition = models.CharField(max_length=30, help_text='e.g. "Fourth"')
    title = models.CharField(max_length=200)
    theme = models.CharField(max_length=300, blank=True)
    city = models.CharField(max_length=100)
    country = CountryField()
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    chair = models.CharField(max_length=200, blank=True, help_text="The Chair-in-Office, as the report names them.")
    chair_country = models.ForeignKey(
        Actor, on_delete=models.PROTECT, null=True, blank=True, related_name="chaired_meetings"
    )

    objects = MeetingManager()

    class Meta:
        ordering = ["-year"]

    def __str__(self):
        return f"GFMD {self.year} ({self.city})"

    def natural_key(self):
        return (self.year,)


class Roundtable(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="roundtables")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    coordinator = models.CharField(max_length=200, blank=True)
    rapporteurs = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="roundtable_number_unique_per_meeting"),
        ]

    def __str__(self):
        return f"Roundtable {self.number}: {self.title}"


class SessionQuerySet(models.QuerySet):
    def get_by_natural_key(self, year, code):
        return self.get(meeting__year=year, code=code)


# A session code is part of its items' web addresses (/recommendations/2010/3.3/5/).
SESSION_CODE = RegexValidator(
    r"\A[A-Za-z0-9][A-Za-z0-9.-]*\Z",
    "A session code is letters, digits, dots and hyphens, starting with a letter or a digit "
    "(1.1, CSD, 2-A): no “/”, spaces or other signs, as the code is part of its items' web addresses.",
)


class Session(models.Model):
    """A roundtable session (1.1 ... 3.3) or another segment of a meeting (CSD, PFP, FOF)."""

    class Kind(models.TextChoices):
        ROUNDTABLE = "roundtable", "Roundtable session"
        CIVIL_SOCIETY_DAYS = "civil_society_days", "Civil Society Days"
        PFP = "pfp", "Platform for Partnerships working session"
        SPECIAL = "special", "Special session"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="sessions")
    roundtable = models.ForeignKey(
        Roundtable, on_delete=models.CASCADE, null=True, blank=True, related_name="sessions"
    )
    code = models.CharField(max_length=10, validators=[SESSION_CODE],
                            help_text='"1.1" ... "3.3", or "CSD", "PFP", "FOF": letters, digits, dots and hyphens.')
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.ROUNDTABLE)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order within the meeting.")
    actors = models.ManyToManyField(Actor, through="SessionParticipant", related_name="sessions", blank=True)
    chaired_by = models.CharField(
        max_length=300, blank=True, help_text="Chairs or moderators who are people, as the report words it."
    )
    rapporteurs = models.CharField(max_length=300, blank=True)
    outcomes_intro = models.TextField(
        blank=True, help_text="The sentence that introduces the session's numbered outcomes, if any."
    )

    history = HistoricalRecords()

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "code"], name="session_code_unique_per_meeting"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def natural_key(self):
        return (self.meeting.year, self.code)

    natural_key.dependencies = ["recommendations.meeting"]

    def participants_in_role(self, role):
        # Reads the prefetched participants when a view has prefetched them.
        return [p.actor for p in self.participants.all() if p.role == role]

    @property
    def co_chairs(self):
        return self.participants_in_role(SessionParticipant.Role.CO_CHAIR)

    @property
    def team_members(self):
        return self.participants_in_role(SessionParticipant.Role.TEAM_MEMBER)

    @property
    def international_organizations(self):
        return self.participants_in_role(SessionParticipant.Role.INTERNATIONAL_ORGANIZATION)


class SessionParticipant(models.Model):
    """An actor's place in a session's team, as in the annex "Co-chairs and government teams"."""

    class Role(models.TextChoices):
        CO_CHAIR = "co_chair", "Co-chair"
        TEAM_MEMBER = "team_member", "Government team member"
        INTERNATIONAL_ORGANIZATION = "international_organization", "International organization"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="participants")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="session_roles")
    role = models.CharField(max_length=30, choices=Role.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["session", "role", "position"]
        constraints = [
            models.UniqueConstraint(fields=["session", "actor", "role"], name="participant_unique_role"),
        ]

    def __str__(self):
        return f"{self.actor} ({self.get_role_display()}, {self.session.code})"


class GoodPractice(models.Model):
    """A practice a session names: who does it and what they do."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="good_practices")
    actors = models.ManyToManyField(Actor, related_name="good_practices")
    text = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["session", "position"]

    def __str__(self):
        return self.text[:80]


# --- Follow-up ------------------------------------------------------------------------


class Status(models.TextChoices):
    """One vocabulary for every tracked item."""

    NOT_STARTED = "not_started", "Not started"
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    IMPLEMENTED = "implemented", "Implemented"
    ONGOING = "ongoing", "Ongoing"
    STALLED = "stalled", "Stalled"
    NOT_PURSUED = "not_pursued", "Not pursued"


# The allowed changes of status, checked in one place (TrackedItem.check_transition).
# Implemented and not pursued close an item; only an editor reopens it (REOPEN).
TRANSITIONS = {
    Status.NOT_STARTED: {Status.PLANNED, Status.IN_PROGRESS, Status.STALLED, Status.NOT_PURSUED},
    Status.PLANNED: {Status.NOT_STARTED, Status.IN_PROGRESS, Status.STALLED, Status.NOT_PURSUED},
    Status.IN_PROGRESS: {Status.PLANNED, Status.IMPLEMENTED, Status.ONGOING, Status.STALLED, Status.NOT_PURSUED},
    Status.ONGOING: {Status.IN_PROGRESS, Status.IMPLEMENTED, Status.STALLED, Status.NOT_PURSUED},
    Status.STALLED: {Status.PLANNED, Status.IN_PROGRESS, Status.NOT_PURSUED},
    Status.IMPLEMENTED: set(),
    Status.NOT_PURSUED: set(),
}
CLOSED = {Status.IMPLEMENTED, Status.NOT_PURSUED}
REOPEN = {
    Status.IMPLEMENTED: {Status.IN_PROGRESS, Status.ONGOING},
    Status.NOT_PURSUED: {Status.NOT_STARTED, Status.PLANNED, Status.IN_PROGRESS},
}
# What the note must say when an item moves to these statuses.
NOTE_REQUIRED_FOR = {
    Status.STALLED: "Say why the item is stalled: the note is the reason.",
    Status.NOT_PURSUED: "Say why the item is not pursued: the note is the reason.",
    Status.IMPLEMENTED: "Say what was done: the note records how the item was implemented.",
}


class EditConflict(Exception):
    """Someone saved the item after the editor loaded it; their change must not be overwritten."""

    def __init__(self, item):
        self.item = item
        super().__init__(
            "Someone else changed this item while you were editing it. Nothing of yours was saved; "
            "what you typed is still in the form. Check the item's current state, then submit again."
        )


class Priority(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class TrackedItemQuerySet(models.QuerySet):
    """Questions about many tracked items at once."""

    def open(self):
        return self.exclude(status__in=CLOSED)

    def owned_by(self, user):
        return self.filter(owner=user)

    @staticmethod
    def overdue_q(today=None):
        return ~models.Q(status__in=CLOSED) & models.Q(due_date__lt=today or timezone.localdate())

    @staticmethod
    def stale_q(days, now=None):
        """Open items with no timeline entry since the start of the day `days` days ago: one
        cut-off all day long, so that the list's count is computed once a day and change."""
        day = timezone.localtime(now).date() - datetime.timedelta(days=days)
        since = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        return ~models.Q(status__in=CLOSED) & (models.Q(last_update_at__lt=since) | models.Q(last_update_at=None))

    def overdue(self, today=None):
        return self.filter(self.overdue_q(today))

    def stale(self, days, now=None):
        """Open items with no timeline entry in the last `days` days."""
        return self.filter(self.stale_q(days, now))

    def headline_counts(self, stale_days):
        """Items per status, overdue and stale, in one pass over the table."""
        return self.aggregate(
            **{f"status_{status}": models.Count("pk", filter=models.Q(status=status)) for status in Status.values},
            overdue=models.Count("pk", filter=self.overdue_q()),
            stale=models.Count("pk", filter=self.stale_q(stale_days)),
        )

    def updated_since(self, when):
        return self.filter(last_update_at__gte=when)


class TrackedItem(models.Model):
    """The follow-up fields shared by recommendations, follow-up items and PfP projects.

    A subclass has a timeline model (a `TimelineEntry` whose `item` foreign key has
    related_name="updates") and lists extra tracked fields in `tracked_fields`.
    """

    tracked_fields = ("status", "owner", "progress", "due_date")

    # No index of its own: a recommendation's status is indexed with its order
    # (recommendation_status_ordinal); projects and follow-up items are few. Every index
    # of an item is written again by every update of it (an import of 10,000 rows).
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    # PROTECT here and in the timeline: a user named in the record is deactivated, never deleted.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="owned_%(class)ss", help_text="The person accountable for the follow-up.",
    )
    responsible_actors = models.ManyToManyField(
        Actor, blank=True, related_name="responsible_for_%(class)ss",
        help_text="The governments and organizations doing the work.",
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="%(class)ss")
    due_date = models.DateField(null=True, blank=True)
    progress = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(100)], help_text="Per cent, 0 to 100."
    )
    priority = models.CharField(max_length=10, choices=Priority.choices, blank=True)
    last_update_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the timeline last grew."
    )
    last_note = models.TextField(
        blank=True, editable=False, help_text="The note of the timeline's latest entry, for lists and exports."
    )
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised on every save; a save based on an older version is refused."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The latest update and note are a copy of the timeline's, kept for speed: not a change of
    # the record (and a history record written by an update's save would show them before it).
    history = HistoricalRecords(inherit=True, excluded_fields=["last_update_at", "last_note"])

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="%(class)s_progress_max_100"),
        ]
        # Lists sorted by due date or last update (ties by id, in the same direction) page
        # straight off these; overdue, stale and "updated since" filters use them too.
        indexes = [
            models.Index(fields=["due_date", "id"], name="%(class)s_due_id"),
            models.Index(fields=["last_update_at", "id"], name="%(class)s_updated_id"),
        ]

    def start_timeline(self, *, note, at=None, by=None):
        """Write the first timeline entry: where the item came from and its status then."""
        values = {f"{field}_after": getattr(self, field) for field in self.tracked_fields}
        [entry] = record_updates([Update(self, note, values)], by=by, at=at)
        return entry

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
            raise ValidationError({"owner": (
                f"{owner.username} cannot own items: an owner must be an active user whose role may log "
                "updates (staff, editor or administrator)."
            )})

    @classmethod
    def possible_owners(cls):
        """The users `can_own` accepts for an item of this kind, as one query: active, and a
        superuser or given the permission to add its timeline entries (by a group or directly)."""
        timeline = cls._meta.get_field("updates").related_model._meta
        may_log = Permission.objects.filter(
            content_type__app_label=timeline.app_label, codename=f"add_{timeline.model_name}"
        )
        user_model = get_user_model()
        in_groups = user_model.groups.through.objects.filter(
            group__in=Group.permissions.through.objects.filter(permission__in=may_log).values("group")
        )
        given = user_model.user_permissions.through.objects.filter(permission__in=may_log)
        return user_model.objects.filter(
            models.Q(is_superuser=True) | models.Q(pk__in=in_groups.values("user"))
            | models.Q(pk__in=given.values("user")),
            is_active=True,
        )

    def owner_choices(self):
        """The users this item's owner may be set to: `possible_owners`, and its current owner
        even if they no longer may, so that a change leaving the owner alone keeps them."""
        return type(self).possible_owners() | get_user_model().objects.filter(pk=self.owner_id)

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
            raise ValidationError({"status": f"Unknown status '{new_status}'."})
        if new_status not in self.next_statuses(by):
            current, target = Status(self.status).label, Status(new_status).label
            if self.status in CLOSED and new_status in REOPEN.get(self.status, ()):
                raise PermissionDenied(f"Only an editor can reopen an item that is {current.lower()}.")
            raise ValidationError({"status": f"An item cannot go from {current} to {target}."})
        if new_status in NOTE_REQUIRED_FOR and not note.strip():
            raise ValidationError({"note": NOTE_REQUIRED_FOR[new_status]})

    def check_permission(self, user, changes, evidence_url=""):
        if not self.can_log_update(user):
            raise PermissionDenied("You may read this item but not log updates on it.")
        if changes and not self.can_change_follow_up(user):
            raise PermissionDenied("Only the item's owner or an editor can change its status, owner or progress.")
        if evidence_url and not self.can_change_follow_up(user):
            raise PermissionDenied("Only the item's owner or an editor can attach an evidence link; "
                                   "you can add a note.")

    @transaction.atomic
    def record_update(self, *, by, note, at=None, expected_version=None, evidence_url="", edited=(), **changes):
        """Log an update: a note, and any changes of the tracked fields, in one timeline entry.

        The one way status, owner, progress, due date (and a project's stage) change:
        user views, admin forms and actions, imports. `by` is the user (None for a
        system process such as an import run from the command line). With
        `expected_version`, the change is refused (EditConflict) if the item was
        saved since that version was read. `edited` names other fields already set on
        this instance (the admin form's title, text), saved in the same save.
        """
        current = type(self).objects.select_for_update().get(pk=self.pk)
        for field in (*self.tracked_fields, "version", "last_update_at"):
            setattr(self, field, getattr(current, field))
        note = (note or "").strip()
        changes = self.changed_values(changes)
        # A stale form is a conflict first: the owner whose item was handed over while they wrote
        # is shown its new state, not refused as if they had tried to take it.
        if changes and expected_version is not None and current.version != expected_version:
            raise EditConflict(current)
        if by is not None:
            self.check_permission(by, changes, evidence_url)
        values = self.apply_update(by=by, note=note, changes=changes, permission_checked=True)
        saved = [*changes, *edited] if changes or edited else None
        if saved:
            self.full_clean(exclude=["responsible_actors", "themes"], validate_unique=False)
        [entry] = record_updates([Update(self, note, values, evidence_url)], by=by, at=at, fields=saved)
        return entry

    def changed_values(self, changes):
        """The tracked fields of `changes` whose value differs from this item's."""
        unknown = set(changes) - set(self.tracked_fields)
        if unknown:
            raise TypeError(f"Not a tracked field: {', '.join(sorted(unknown))}")
        return {f: v for f, v in changes.items() if getattr(self, f) != v}

    def apply_update(self, *, by, note, changes, permission_checked=False):
        """Check an update against the rules (who, which transition, what note), then set
        the new values on this instance, unsaved. Returns the timeline entry's before/after
        values. `record_update` checks one item this way, a spreadsheet import every row; both
        write through `services.record_updates`."""
        if by is not None and not permission_checked:
            self.check_permission(by, changes)
        if "status" in changes:
            self.check_transition(changes["status"], by=by, note=note)
        if "owner" in changes:
            self.check_owner(changes["owner"])
        if not note:
            raise ValidationError({"note": "Write a note: what happened, or why the change."})
        values = {}
        for field, new in changes.items():
            values[f"{field}_before"], values[f"{field}_after"] = getattr(self, field), new
            setattr(self, field, new)
        return values


class TimelineEntryManager(models.Manager):
    def log_updates(self, updates, *, by, at):
        """One entry per update (`services.Update`: an item, its note, before/after values and
        evidence link), by `by` at `at`, as Django's `LogEntry.objects.log_actions` writes its
        entries. One update's entry is returned, with its id; many are written in a few statements
        without reading their ids back (10,000 in 0.4 s instead of 1.7 s by `bulk_create`)."""
        rows = [{"item": u.item, "author": by, "created_at": at, "note": u.note, "evidence_url": u.evidence_url,
                 **u.values} for u in updates]
        if len(rows) == 1:
            return [self.create(**rows[0])]
        bulk.insert(self.model, rows)
        return []


class TimelineEntry(models.Model):
    """One dated update of a tracked item: who, when, what was said, what changed.

    Append-only: entries are never edited or deleted through the application.
    """

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)  # indexed with the id, by each subclass
    note = models.TextField()
    evidence_url = models.URLField(max_length=500, blank=True, help_text="A link to evidence of what was done.")
    status_before = models.CharField(max_length=20, choices=Status.choices, blank=True)
    status_after = models.CharField(max_length=20, choices=Status.choices, blank=True)
    owner_before = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner_after = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    progress_before = models.PositiveSmallIntegerField(null=True, blank=True)
    progress_after = models.PositiveSmallIntegerField(null=True, blank=True)
    due_date_before = models.DateField(null=True, blank=True)
    due_date_after = models.DateField(null=True, blank=True)

    objects = TimelineEntryManager()

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d} {self.note[:60]}"

    def changes(self):
        """(field label, before, after) for each field this entry changed, as people read them."""
        result = []
        for field in self.item.tracked_fields:
            before, after = getattr(self, f"{field}_before"), getattr(self, f"{field}_after")
            if before in (None, "") and after in (None, ""):
                continue
            choices = dict(self._meta.get_field(f"{field}_after").choices or ())
            label = self.item._meta.get_field(field).verbose_name
            result.append((label, choices.get(before, before), choices.get(after, after)))
        return result


class NumberedItemQuerySet(TrackedItemQuerySet):
    """Items numbered within a session (recommendations, follow-up items)."""

    def get_by_natural_key(self, year, session_code, number):
        return self.get(session__meeting__year=year, session__code=session_code, number=number)


class RecommendationQuerySet(NumberedItemQuerySet):
    def renumber(self):
        """Recompute `ordinal` (the report order) of these recommendations from their
        sessions, in one UPDATE. Called wherever a recommendation gets or changes its session
        and wherever a session's position or meeting changes."""
        place = Session.objects.filter(pk=models.OuterRef("session_id")).annotate(
            place=Cast("meeting__year", models.BigIntegerField()) * ORDINAL_YEAR
            + models.F("position") * ORDINAL_SESSION
        ).values("place")
        return self.order_by().update(ordinal=models.Subquery(place) + models.F("number"))


# ordinal = meeting year × ORDINAL_YEAR + session position × ORDINAL_SESSION + number
ORDINAL_YEAR = 10**9
ORDINAL_SESSION = 10**4


class Recommendation(TrackedItem):
    """A numbered item of a session's "Outcomes and recommendations", verbatim."""

    # Indexed first in the unique (session, number): no index of its own.
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="recommendations", db_index=False)
    number = models.PositiveSmallIntegerField(help_text="As printed in the report.")
    title = models.CharField(max_length=200, blank=True, help_text="Short title for lists.")
    text = models.TextField(help_text="Verbatim from the report.")
    # The report order (meeting, session, number) in one indexed column, so that a list of
    # hundreds of thousands sorts and pages by index instead of sorting across three tables.
    ordinal = models.PositiveBigIntegerField(default=0, editable=False)

    search_fields = ("title", "text")  # the full-text search document, in this order

    objects = RecommendationQuerySet.as_manager()

    class Meta(TrackedItem.Meta):
        ordering = ["ordinal", "pk"]
        constraints = TrackedItem.Meta.constraints + [
            models.UniqueConstraint(fields=["session", "number"], name="recommendation_number_unique_per_session"),
        ]
        indexes = TrackedItem.Meta.indexes + [
            models.Index(fields=["ordinal", "id"], name="recommendation_ordinal"),
            # Covering: counting and joining by status read the index only, not the wide rows.
            models.Index(fields=["status", "ordinal"], include=["id"], name="recommendation_status_ordinal"),
        ]

    def __str__(self):
        return f"{self.session.code}/{self.number} {self.title}"

    def natural_key(self):
        return (self.session.meeting.year, self.session.code, self.number)

    def get_absolute_url(self):
        return reverse("recommendations:recommendation", args=self.natural_key())

    def get_update_url(self):
        return reverse("recommendations:recommendation_update", args=self.natural_key())


class SearchDocument(models.Model):
    """An item's full-text search document, in a table of its own (PostgreSQL).

    Written by database triggers when an item is inserted or its `search_fields` change
    (see `recommendations.search`), never by Django; SQLite leaves the table empty and
    searches word by word. A subclass adds `item`, a one-to-one primary key."""

    document = SearchVectorField(null=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"search document of {self.item}"


class RecommendationSearch(SearchDocument):
    item = models.OneToOneField(Recommendation, on_delete=models.CASCADE, primary_key=True,
                                related_name="search_document")


class ListCells(models.Model):
    """An item's many-to-many lists as the CSV export shows them ("; "-joined, in name order),
    in a table of its own (PostgreSQL).

    Written by database triggers when links change or a linked theme or actor is renamed
    (see `recommendations.listcells`), never by Django; an item's row goes with the item (a
    foreign key ON DELETE CASCADE in the database). SQLite leaves the table empty and its
    export aggregates the links instead. A subclass adds `item`, a one-to-one primary key."""

    themes = models.TextField(db_default="")
    responsible_actors = models.TextField(db_default="")

    class Meta:
        abstract = True

    def __str__(self):
        return f"list cells of {self.item}"


class RecommendationListCells(ListCells):
    # The database cascades the delete: Django deleting this row in the same delete as the
    # item's links would let a link trigger write it again before the item goes.
    item = models.OneToOneField(Recommendation, on_delete=models.DO_NOTHING, db_constraint=False,
                                primary_key=True, related_name="+")


class RecommendationUpdate(TimelineEntry):
    # Indexed first in (item, -created_at): no index of its own.
    item = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="updates", db_index=False)

    class Meta(TimelineEntry.Meta):
        indexes = [
            models.Index(fields=["item", "-created_at"], name="recupdate_item_created"),
            # The audit list's order, whole: ties in created_at (a bulk import) need no sort.
            models.Index(fields=["-created_at", "-id"], name="recupdate_created_id"),
            # "What changed": the status changes of a period, without the notes-only entries.
            models.Index(fields=["-created_at", "-id"], name="recupdate_status_changes",
                         condition=~models.Q(status_after="") & ~models.Q(status_before="")),
        ]


class FollowUpItemQuerySet(NumberedItemQuerySet):
    pass


class FollowUpItem(TrackedItem):
    """Other follow-up the report asks for: the Civil Society Days' priority subjects,
    the GFMD assessment. Numbered within its session like a recommendation."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="follow_up_items", db_index=False)
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    text = models.TextField(help_text="Verbatim from the report.")

    search_fields = ("title", "text")

    objects = FollowUpItemQuerySet.as_manager()

    class Meta(TrackedItem.Meta):
        verbose_name = "follow-up item"
        ordering = ["session__meeting__year", "session__position", "number"]
        constraints = TrackedItem.Meta.constraints + [
            models.UniqueConstraint(fields=["session", "number"], name="followupitem_number_unique_per_session"),
        ]

    def __str__(self):
        return f"{self.session.code}/{self.number} {self.title}"

    def natural_key(self):
        return (self.session.meeting.year, self.session.code, self.number)

    def get_absolute_url(self):
        return reverse("recommendations:follow_up_item", args=self.natural_key())

    def get_update_url(self):
        return reverse("recommendations:follow_up_item_update", args=self.natural_key())


class FollowUpItemSearch(SearchDocument):
    item = models.OneToOneField(FollowUpItem, on_delete=models.CASCADE, primary_key=True,
                                related_name="search_document")


class FollowUpItemUpdate(TimelineEntry):
    item = models.ForeignKey(FollowUpItem, on_delete=models.CASCADE, related_name="updates", db_index=False)

    class Meta(TimelineEntry.Meta):
        verbose_name = "follow-up item update"
        indexes = [
            models.Index(fields=["item", "-created_at"], name="fuupdate_item_created"),
            models.Index(fields=["-created_at", "-id"], name="fuupdate_created_id"),
            models.Index(fields=["-created_at", "-id"], name="fuupdate_status_changes",
                         condition=~models.Q(status_after="") & ~models.Q(status_before="")),
        ]


class DataVersion(models.Model):
    """One stamp, replaced in the same transaction as every change of the tracked data
    (see `recommendations.versioning`). Reports that aggregate hundreds of thousands of rows
    are cached under it, so a cached report is never older than the data it shows."""

    stamp = models.BigIntegerField(default=0)

    def __str__(self):
        return f"data version {self.stamp}"


class SeedRecord(models.Model):
    """The record `seed_gfmd` made, or found, for one entry of the fixtures, so that every later
    run finds it again whatever an editor has changed since (an actor's name, a theme's slug, a
    session's code, a meeting's year, a recommendation's number). A deleted record leaves its
    entry here with the link emptied: the seed does not bring back what an editor removed.

    One link per kind of record, named after its model; the projects' are in
    `partnerships.ProjectSeedRecord`."""

    key = models.CharField(max_length=400, unique=True,
                           help_text='The kind of record and the entry, as the fixtures name it: "session 2010/3.3".')
    actor = models.ForeignKey(Actor, on_delete=models.SET_NULL, null=True, related_name="+")
    theme = models.ForeignKey(Theme, on_delete=models.SET_NULL, null=True, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.SET_NULL, null=True, related_name="+")
    roundtable = models.ForeignKey(Roundtable, on_delete=models.SET_NULL, null=True, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.SET_NULL, null=True, related_name="+")
    recommendation = models.ForeignKey(Recommendation, on_delete=models.SET_NULL, null=True, related_name="+")
    followupitem = models.ForeignKey(FollowUpItem, on_delete=models.SET_NULL, null=True, related_name="+")
    goodpractice = models.ForeignKey(GoodPractice, on_delete=models.SET_NULL, null=True, related_name="+")

    def __str__(self):
        return self.key
