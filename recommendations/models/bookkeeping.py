"""Records the application keeps about its data rather than records of the domain: the
stamp reports are cached under, and what `seed_gfmd` made from the fixtures."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .forum import Actor, GoodPractice, Meeting, MeetingContribution, Roundtable, Session, Theme
from .items import FollowUpItem, Recommendation
from .lineage import Lineage

__all__ = ["DataVersion", "SeedRecord"]


class DataVersion(models.Model):
    """One stamp, replaced in the same transaction as every change of the tracked data
    (see `recommendations.versioning`). Reports that aggregate hundreds of thousands of rows
    are cached under it, so a cached report is never older than the data it shows."""

    stamp = models.BigIntegerField(default=0)

    def __str__(self):
        return f"data version {self.stamp}"


class SeedRecord(models.Model):
    """The record `seed_gfmd` made, or found, for one entry of the fixtures, so that every later run
    finds it again whatever an editor has changed since (a name, a code, a year, a number). A deleted
    record leaves its entry with the link emptied: the seed does not bring back what an editor removed.
    One link per kind of record, named after its model; an entry with none records a link the seed made
    between two records ("goodpractice-actor 2010/1.1/…/Georgia"), so that it is made once only."""

    key = models.CharField(
        max_length=400, unique=True,
        help_text=_('The kind of record and the entry, as the fixtures name it: "session 2010/3.3".'))
    actor = models.ForeignKey(Actor, on_delete=models.SET_NULL, null=True, related_name="+")
    theme = models.ForeignKey(Theme, on_delete=models.SET_NULL, null=True, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.SET_NULL, null=True, related_name="+")
    roundtable = models.ForeignKey(Roundtable, on_delete=models.SET_NULL, null=True, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.SET_NULL, null=True, related_name="+")
    recommendation = models.ForeignKey(Recommendation, on_delete=models.SET_NULL, null=True, related_name="+")
    followupitem = models.ForeignKey(FollowUpItem, on_delete=models.SET_NULL, null=True, related_name="+")
    goodpractice = models.ForeignKey(GoodPractice, on_delete=models.SET_NULL, null=True, related_name="+")
    meetingcontribution = models.ForeignKey(MeetingContribution, on_delete=models.SET_NULL, null=True,
                                            related_name="+")
    lineage = models.ForeignKey(Lineage, on_delete=models.SET_NULL, null=True, related_name="+")

    def __str__(self):
        return self.key
