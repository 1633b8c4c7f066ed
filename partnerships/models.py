"""The Platform for Partnerships (PfP): projects, their partners and the concerns raised.

The PfP facilitates; governments own and implement; the PfP does not fund.
A project is followed up like a recommendation (`TrackedItem`) and also moves
through its lifecycle stage, recorded in the same timeline.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modeltrans.fields import TranslationField
from simple_history.models import HistoricalRecords

from recommendations.models import (
    ActionParent,
    Actor,
    Recommendation,
    SearchDocument,
    Session,
    TimelineEntry,
    TrackedItem,
    TrackedItemQuerySet,
    timeline_indexes,
)


class Stage(models.TextChoices):
    """The project life cycle as the report names it, plus the ways a project stops."""

    INITIATION = "initiation", _("Initiation")
    DESIGN = "design", _("Design")
    IMPLEMENTATION = "implementation", _("Implementation")
    COMPLETION = "completion", _("Completion / follow-up")
    ON_HOLD = "on_hold", _("On hold")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ProjectQuerySet(TrackedItemQuerySet):
    def get_by_natural_key(self, title):
        return self.get(title=title)


class Project(TrackedItem, ActionParent):
    tracked_fields = TrackedItem.tracked_fields + ("stage",)
    kind_label = _("PfP projects")  # in reports that list every kind of tracked item

    title = models.CharField(_("title"), max_length=300, unique=True)
    description = models.TextField(_("description"),
                                   help_text=_("Verbatim from the report where the report describes it."))
    origin = models.CharField(_("origin"), max_length=300, blank=True, help_text=_("Where the proposal comes from."))
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, null=True, blank=True, related_name="projects", verbose_name=_("session"),
        help_text=_("The session where the project was presented."),
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.INITIATION,
                             db_index=True)
    recommendations = models.ManyToManyField(
        Recommendation, blank=True, related_name="projects", verbose_name=_("recommendations"),
        help_text=_("The GFMD outcomes the project serves."),
    )
    partners = models.ManyToManyField(Actor, through="ProjectPartner", related_name="projects", blank=True,
                                      verbose_name=_("partners"))

    i18n = TranslationField(fields=("title", "description"))  # an editor's translations (README, "Languages")

    search_fields = ("title", "description", "origin")  # the full-text search document, in this order

    objects = ProjectQuerySet.as_manager()

    class Meta(TrackedItem.Meta):
        ordering = ["title"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.title,)

    def get_absolute_url(self):
        return reverse("partnerships:project", args=[self.pk])

    def get_update_url(self):
        return reverse("partnerships:project_update", args=[self.pk])


class ProjectSearch(SearchDocument):
    item = models.OneToOneField(Project, on_delete=models.CASCADE, primary_key=True, related_name="search_document")


class ProjectPartner(models.Model):
    class Role(models.TextChoices):
        PROPOSER = "proposer", _("Proposer / owner")
        SUPPORTER = "supporter", _("Supporter")
        IMPLEMENTER = "implementer", _("Implementer")
        TECHNICAL_PARTNER = "technical_partner", _("Technical partner")
        INTERESTED_PARTY = "interested_party", _("Interested party")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="project_partners",
                                verbose_name=_("project"))
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="project_roles", verbose_name=_("actor"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "role", "actor__name"]
        verbose_name = _("project partner")
        verbose_name_plural = _("project partners")
        constraints = [models.UniqueConstraint(fields=["project", "actor", "role"], name="partner_unique_role")]

    def __str__(self):
        return f"{self.actor} — {self.get_role_display()} — {self.project}"


class ProjectConcern(models.Model):
    """A concern or suggestion delegates raised about a project."""

    class Kind(models.TextChoices):
        CONCERN = "concern", _("Concern")
        SUGGESTION = "suggestion", _("Suggestion")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="concerns", verbose_name=_("project"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("text"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["project", "position"]
        verbose_name = _("project concern")
        verbose_name_plural = _("project concerns")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:70]}"


class ProjectUpdate(TimelineEntry):
    item = models.ForeignKey(Project, verbose_name=_("item"), on_delete=models.CASCADE, related_name="updates",
                             db_index=False)
    stage_before = models.CharField(_("stage before"), max_length=20, choices=Stage.choices, blank=True)
    stage_after = models.CharField(_("stage after"), max_length=20, choices=Stage.choices, blank=True)

    class Meta(TimelineEntry.Meta):
        indexes = timeline_indexes("projupdate", status_changes=False)
        verbose_name = _("project update")
        verbose_name_plural = _("project updates")


class ProjectSeedRecord(models.Model):
    """The project `seed_gfmd` made, or found, for an entry of the fixtures (see `SeedRecord`)."""

    key = models.CharField(max_length=400, unique=True, help_text=_('"project <its title in the fixtures>".'))
    project = models.ForeignKey(Project, on_delete=models.SET_NULL, null=True, related_name="+")

    def __str__(self):
        return self.key
