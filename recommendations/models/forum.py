"""The Forum's records: meetings, their roundtables and sessions, the actors who take part,
the themes, and the good practices the sessions name."""

from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modeltrans.fields import TranslationField
from simple_history.models import HistoricalRecords

from gfmd_tracker.content import TranslatedHistory

__all__ = ["Actor", "GoodPractice", "Meeting", "MeetingContribution", "Roundtable", "Session", "SessionParticipant",
           "Theme"]


class NaturalKeyManager(models.Manager):
    def get_by_natural_key(self, value):
        return self.get(**{self.model.natural_key_field: value})


class NaturalKeyModel(models.Model):
    """A record that fixtures and backups name by one unique field, its `natural_key_field`."""

    natural_key_field = None
    objects = NaturalKeyManager()

    class Meta:
        abstract = True

    def natural_key(self):
        return (getattr(self, self.natural_key_field),)


class Actor(NaturalKeyModel):
    """A government, organization or GFMD body: one record, reused everywhere."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government")
        INTERNATIONAL_ORGANIZATION = "international_organization", _("International organization")
        CIVIL_SOCIETY = "civil_society", _("Civil society")
        GFMD_BODY = "gfmd_body", _("GFMD body")
        OTHER = "other", pgettext_lazy("kind of actor", "Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(
        _("short name"),
        max_length=50, blank=True, help_text=_("Abbreviation as the report writes it, e.g. IOM, UK, UAE.")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    country = CountryField(_("country"), blank=True, help_text=_("ISO 3166 code, for governments and national bodies."))
    members = models.ManyToManyField(
        "self", verbose_name=_("members"), symmetrical=False, blank=True, related_name="member_of",
        help_text=_("For groups such as the Steering Group, the Troika or the assessment team."),
    )
    notes = models.TextField(_("notes"), blank=True)

    natural_key_field = "name"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="actor_name_unique_ci")]

    def __str__(self):
        return self.name


class Theme(NaturalKeyModel):
    """A subject that cuts across sessions: "everything on children"."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    i18n = TranslationField(fields=("name", "description"))  # an editor's translations (README, "Languages")

    natural_key_field = "slug"

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Meeting(NaturalKeyModel):
    """One annual meeting of the Forum (GFMD 2010, Puerto Vallarta, ...)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    edition = models.CharField(_("edition"), max_length=30, help_text=_('e.g. "Fourth"'))
    title = models.CharField(_("title"), max_length=200)
    theme = models.CharField(_("theme"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100)
    country = CountryField(_("country"))
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    chair = models.CharField(_("chair"), max_length=200, blank=True,
                             help_text=_("The Chair-in-Office, as the report names them."))
    chair_country = models.ForeignKey(
        Actor, verbose_name=_("chair country"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="chaired_meetings",
    )
    # The handover, as the meeting's report states it: a next meeting is a Meeting only once its place is known.
    next_chair = models.CharField(_("next chair"), max_length=300, blank=True,
                                  help_text=_("The incoming Chair, as the report names them."))
    next_chair_country = models.ForeignKey(
        Actor, verbose_name=_("next chair country"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="incoming_chair_of",
    )
    next_chair_line = models.PositiveIntegerField(_("next chair line"), null=True, blank=True,
                                                  help_text=_("The report's line that names the incoming Chair."))
    handover = models.TextField(_("handover"), blank=True,
                                help_text=_("What the report says of the next year, in its words."))
    handover_line = models.PositiveIntegerField(_("handover line"), null=True, blank=True,
                                                help_text=_("The report's line those words are on."))
    # The follow-up of its items (README, "The follow-up model"): set by an editor per meeting.
    closure_verification_required = models.BooleanField(
        _("closure verification required"), default=True, db_default=True,
        help_text=_("A closure of its items (implemented, not pursued) awaits verification by a second editor."))
    ageing_after_days = models.PositiveSmallIntegerField(
        _("ageing after days"),
        default=90, db_default=90, help_text=_("Days without a report after which an open item is ageing."))
    stale_after_days = models.PositiveSmallIntegerField(
        _("stale after days"), default=180, db_default=180,
        help_text=_("Days without a report after which an open item is stale (inactive after two years)."))

    natural_key_field = "year"

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-year"]
        constraints = [models.CheckConstraint(
            condition=models.Q(ageing_after_days__gt=0, stale_after_days__gt=models.F("ageing_after_days"),
                               stale_after_days__lt=730),
            name="meeting_freshness_thresholds_ordered")]

    def __str__(self):
        return f"GFMD {self.year} ({self.city})"

    def get_absolute_url(self):
        return reverse("recommendations:meeting", args=[self.year])

    def clean(self):
        ageing, stale = self.ageing_after_days, self.stale_after_days
        if ageing is not None and stale is not None and not 0 < ageing < stale < 730:
            raise ValidationError({"stale_after_days": gettext(
                "An item is ageing after %(ageing)s days and stale after %(stale)s: ageing comes first (more than 0 "
                "days), then stale, before inactive at two years (730 days).") % {"ageing": ageing, "stale": stale}})

    def validate_constraints(self, exclude=None):
        """`clean` says what the thresholds' constraint refuses, in words an editor acts on."""
        exclude = {*(exclude or ()), "ageing_after_days", "stale_after_days"}
        super().validate_constraints(exclude=exclude)


LINE_LESS_TWICE = _("This actor has this role at this meeting already without a report line: give each of its "
                    "rows the report's line, or change that row.")


class MeetingContribution(models.Model):
    """What an actor gave or did to make a meeting happen, as the report words it: a donor of the
    annex "International contributions", or the organiser of a segment. Not a partner of a project."""

    class Role(models.TextChoices):
        CONTRIBUTOR = "contributor", _("Contributor")
        ORGANISER = "organiser", _("Organiser")

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="contributions")
    actor = models.ForeignKey(Actor, verbose_name=_("actor"), on_delete=models.PROTECT, related_name="contributions")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    description = models.TextField(_("description"), help_text=_("What they gave or did, in the report's words."))
    source_line = models.PositiveIntegerField(_("source line"), null=True, blank=True,
                                              help_text=_("The report's line that says it."))

    class Meta:
        verbose_name = _("meeting contribution")
        verbose_name_plural = _("meeting contributions")
        ordering = ["meeting", "role", "actor__name", "source_line"]
        constraints = [
            # One actor may give twice (the Netherlands: money on line 1057, a secondment on line 1067).
            models.UniqueConstraint(fields=["meeting", "actor", "role", "source_line"],
                                    name="contribution_unique_role_line"),
            # The rule above lets any number of rows without a line through (NULLs differ): one at most, so that
            # the spreadsheet's natural key (meeting, actor, role, line) names one row.
            models.UniqueConstraint(
                fields=["meeting", "actor", "role"], condition=models.Q(source_line__isnull=True),
                name="contribution_unique_role_without_line", violation_error_message=LINE_LESS_TWICE),
        ]

    def __str__(self):
        return f"{self.actor} ({self.get_role_display()}, GFMD {self.meeting.year})"


class Roundtable(models.Model):
    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="roundtables")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    coordinator = models.CharField(_("coordinator"), max_length=200, blank=True)
    rapporteurs = models.CharField(_("rapporteurs"), max_length=500, blank=True)
    i18n = TranslationField(fields=("title",))

    class Meta:
        verbose_name = _("roundtable")
        verbose_name_plural = _("roundtables")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="roundtable_number_unique_per_meeting"),
        ]

    def __str__(self):
        return gettext("Roundtable %(number)s: %(title)s") % {"number": self.number, "title": self.title}


class SessionQuerySet(models.QuerySet):
    def get_by_natural_key(self, year, code):
        return self.get(meeting__year=year, code=code)


# A session code is part of its items' web addresses (/recommendations/2010/3.3/5/).
SESSION_CODE = RegexValidator(
    r"\A[A-Za-z0-9][A-Za-z0-9.-]*\Z",
    _("A session code is letters, digits, dots and hyphens, starting with a letter or a digit "
      "(1.1, CSD, 2-A): no “/”, spaces or other signs, as the code is part of its items' web addresses."),
)


class Session(models.Model):
    """A roundtable session (1.1 ... 3.3) or another segment of a meeting (CSD, CS, PFP, FOF)."""

    class Kind(models.TextChoices):
        ROUNDTABLE = "roundtable", _("Roundtable session")
        CIVIL_SOCIETY_DAYS = "civil_society_days", _("Civil Society Days")
        COMMON_SPACE = "common_space", _("Common Space")
        PFP = "pfp", _("Platform for Partnerships working session")
        SPECIAL = "special", _("Special session")

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="sessions")
    roundtable = models.ForeignKey(Roundtable, verbose_name=_("roundtable"), on_delete=models.CASCADE, null=True,
                                   blank=True, related_name="sessions")
    code = models.CharField(_("code"), max_length=10, validators=[SESSION_CODE],
                            help_text=_('"1.1" ... "3.3", or "CSD", "PFP", "FOF": letters, digits, dots and hyphens.'))
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.ROUNDTABLE)
    position = models.PositiveSmallIntegerField(_("position"), default=0, help_text=_("Order within the meeting."))
    actors = models.ManyToManyField(Actor, verbose_name=_("actors"), through="SessionParticipant",
                                    related_name="sessions", blank=True)
    chaired_by = models.CharField(
        _("chaired by"),
        max_length=300, blank=True, help_text=_("Chairs or moderators who are people, as the report words it.")
    )
    rapporteurs = models.CharField(_("rapporteurs"), max_length=300, blank=True)
    outcomes_intro = models.TextField(
        _("outcomes intro"),
        blank=True, help_text=_("The sentence that introduces the session's numbered outcomes, if any.")
    )
    i18n = TranslationField(fields=("title", "outcomes_intro"))

    history = TranslatedHistory()

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["meeting", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["meeting", "code"], name="session_code_unique_per_meeting")]

    def __str__(self):
        return f"{self.code} {self.title}"

    def natural_key(self):
        return (self.meeting.year, self.code)

    natural_key.dependencies = ["recommendations.meeting"]

    def get_absolute_url(self):
        """Its place on its meeting's page."""
        return f"{self.meeting.get_absolute_url()}#session-{quote(self.code)}"

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
        CO_CHAIR = "co_chair", _("Co-chair")
        TEAM_MEMBER = "team_member", _("Government team member")
        INTERNATIONAL_ORGANIZATION = "international_organization", _("International organization")

    session = models.ForeignKey(Session, verbose_name=_("session"), on_delete=models.CASCADE,
                                related_name="participants")
    actor = models.ForeignKey(Actor, verbose_name=_("actor"), on_delete=models.PROTECT, related_name="session_roles")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("session participant")
        verbose_name_plural = _("session participants")
        ordering = ["session", "role", "position"]
        constraints = [models.UniqueConstraint(fields=["session", "actor", "role"], name="participant_unique_role")]

    def __str__(self):
        return f"{self.actor} ({self.get_role_display()}, {self.session.code})"


class GoodPractice(models.Model):
    """A practice a session names: who does it and what they do."""

    session = models.ForeignKey(Session, verbose_name=_("session"), on_delete=models.CASCADE,
                                related_name="good_practices")
    actors = models.ManyToManyField(Actor, verbose_name=_("actors"), related_name="good_practices")
    text = models.TextField(_("text"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    source_line = models.PositiveIntegerField(_("source line"), null=True, blank=True,
                                              help_text=_("The report's line it starts on."))

    class Meta:
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        ordering = ["session", "position"]

    def __str__(self):
        return self.text[:80]
