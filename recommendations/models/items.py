"""What the report asks to follow up, numbered within a session: recommendations and other
follow-up items, their timelines and the tables the database keeps for them."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modeltrans.fields import TranslationField

from .followup import ActionParent
from .forum import Session
from .timeline import TimelineEntry, timeline_indexes
from .tracking import TrackedItem, TrackedItemQuerySet

__all__ = ["ORDINAL_SESSION", "ORDINAL_YEAR", "FollowUpItem", "FollowUpItemSearch", "FollowUpItemUpdate",
           "Recommendation", "RecommendationSearch", "RecommendationUpdate", "SearchDocument"]


class NumberedItemQuerySet(TrackedItemQuerySet):
    def get_by_natural_key(self, year, session_code, number):
        return self.get(session__meeting__year=year, session__code=session_code, number=number)


class NumberedItem(TrackedItem, ActionParent):
    """An item numbered within its session as the report prints it (2010, 3.3, 5: its
    natural key and web address). A subclass has `session`, `number`, `title` and `text` fields,
    and names its pages in `url_name`."""

    url_name = None  # "<url_name>" and "<url_name>_update" in recommendations/urls.py
    search_fields = ("title", "text")  # the full-text search document, in this order

    class Meta(TrackedItem.Meta):
        abstract = True
        constraints = TrackedItem.Meta.constraints + [
            models.UniqueConstraint(fields=["session", "number"], name="%(class)s_number_unique_per_session"),
        ]

    def __str__(self):
        return f"{self.session.code}/{self.number} {self.title}"

    def natural_key(self):
        return (self.session.meeting.year, self.session.code, self.number)

    def get_absolute_url(self):
        return reverse(f"recommendations:{self.url_name}", args=self.natural_key())

    def get_update_url(self):
        return reverse(f"recommendations:{self.url_name}_update", args=self.natural_key())

    lineage_key_help = _("Write it as year/session/number, e.g. 2010/3.1/3.")

    @classmethod
    def get_by_lineage_key(cls, key):
        """ "2010/3.1/3": the year before the first "/", the number after the last (a code stored before codes
        were checked may hold one)."""
        year, _, rest = key.partition("/")
        code, _, number = rest.rpartition("/")
        if not (_is_number(year, 4) and code and _is_number(number, 5)):
            raise ValueError(f"Not year/session/number: {key!r}")
        return cls.objects.get_by_natural_key(int(year), code, int(number))

    @classmethod
    def lineage_queryset(cls):
        return cls.objects.select_related("session__meeting")

    def neighbours(self, user):
        """The previous and the next item of the same session that `user` may see (or None), for the item
        page's links."""
        siblings = type(self).objects.visible_to(user).filter(session_id=self.session_id)
        siblings = siblings.select_related("session__meeting")
        siblings = siblings.only("session__code", "session__meeting__year", "number", "title", "i18n")
        return (siblings.filter(number__lt=self.number).order_by("-number").first(),
                siblings.filter(number__gt=self.number).order_by("number").first())


def _is_number(text, digits):
    return text.isascii() and text.isdecimal() and len(text) <= digits


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


class Recommendation(NumberedItem):
    """A numbered item of a session's "Outcomes and recommendations", verbatim."""

    # Indexed first in the unique (session, number): no index of its own.
    session = models.ForeignKey(Session, verbose_name=_("session"), on_delete=models.PROTECT,
                                related_name="recommendations", db_index=False)
    number = models.PositiveSmallIntegerField(_("number"), help_text=_("As printed in the report."))
    title = models.CharField(_("title"), max_length=200, blank=True, help_text=_("Short title for lists."))
    text = models.TextField(_("text"), help_text=_("Verbatim from the report."))
    i18n = TranslationField(fields=("title", "text"))  # an editor's translations (README, "Languages")
    # The report order (meeting, session, number) in one indexed column, so that a list of
    # hundreds of thousands sorts and pages by index instead of sorting across three tables.
    ordinal = models.PositiveBigIntegerField(default=0, editable=False)

    url_name = "recommendation"
    kind_label = _("Recommendations")  # in reports that list every kind of tracked item

    objects = RecommendationQuerySet.as_manager()

    class Meta(NumberedItem.Meta):
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["ordinal", "pk"]
        indexes = NumberedItem.Meta.indexes + [
            models.Index(fields=["ordinal", "id"], name="recommendation_ordinal"),
            # Covering: counting and joining by status read the index only, not the wide rows.
            models.Index(fields=["status", "ordinal"], include=["id"], name="recommendation_status_ordinal"),
        ]


class SearchDocument(models.Model):
    """An item's full-text search documents (PostgreSQL), one per language, each analysed with its language's
    configuration: `document` the report's English (`search_fields`), `document_fr` and `document_es` an
    editor's translations of them (null where there is none). Written by the triggers of the migrations
    `0002_postgresql` and `0014_search_translations` when an item's `search_fields` or `i18n` change, never by
    Django; SQLite leaves them empty and searches word by word. A subclass adds `item`, a one-to-one primary key.
    Why a document per language rather than one mixing them: `recommendations.db.postgres`."""

    document = SearchVectorField(null=True)
    document_fr = SearchVectorField(null=True)
    document_es = SearchVectorField(null=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"search document of {self.item}"


class RecommendationSearch(SearchDocument):
    item = models.OneToOneField(Recommendation, on_delete=models.CASCADE, primary_key=True,
                                related_name="search_document")


class RecommendationUpdate(TimelineEntry):
    # Indexed first in (item, -created_at): no index of its own.
    item = models.ForeignKey(Recommendation, verbose_name=_("item"), on_delete=models.CASCADE, related_name="updates",
                             db_index=False)

    class Meta(TimelineEntry.Meta):
        verbose_name = _("recommendation update")
        verbose_name_plural = _("recommendation updates")
        indexes = timeline_indexes("recupdate")


class FollowUpItem(NumberedItem):
    """Other follow-up the report asks for: the Civil Society Days' priority subjects,
    the GFMD assessment. Numbered within its session like a recommendation."""

    session = models.ForeignKey(Session, verbose_name=_("session"), on_delete=models.PROTECT,
                                related_name="follow_up_items", db_index=False)
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), help_text=_("Verbatim from the report."))
    i18n = TranslationField(fields=("title", "text"))

    url_name = "follow_up_item"
    kind_label = _("Follow-up items")

    objects = NumberedItemQuerySet.as_manager()

    class Meta(NumberedItem.Meta):
        verbose_name = _("follow-up item")
        verbose_name_plural = _("follow-up items")
        ordering = ["session__meeting__year", "session__position", "number"]


class FollowUpItemSearch(SearchDocument):
    item = models.OneToOneField(FollowUpItem, on_delete=models.CASCADE, primary_key=True,
                                related_name="search_document")


class FollowUpItemUpdate(TimelineEntry):
    item = models.ForeignKey(FollowUpItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="updates",
                             db_index=False)

    class Meta(TimelineEntry.Meta):
        verbose_name = _("follow-up item update")
        verbose_name_plural = _("follow-up item updates")
        indexes = timeline_indexes("fuupdate")
