"""Lineage: where a tracked item comes from, as the report states it. A link goes from a tracked item
to another tracked item or to a named reference (an earlier meeting's outcome, or a GFMD body's agenda,
that the report names but the tracker does not hold), and quotes the sentence that states it.

"Is implemented by" is not held here: a project's `recommendations` (the outcomes it serves) is that
relation, and the item pages show it in the same section.

Why a generic key (content type + id) and not foreign keys: a link may start or end at a PfP project,
and `partnerships` imports `recommendations`, never the reverse; a foreign key from this model to
`partnerships.Project` would turn that around. One table then holds links between items of any kind.
What a foreign key would give is kept otherwise: `clean` accepts only tracked items that exist, the
`GenericRelation`s of `TrackedItem` delete an item's links with it, and spreadsheets name items by
their natural keys (`TrackedItem.lineage_key`). A backup (`dumpdata`) writes the ids as they are, as it
does the ids in the change history's rows."""

from collections import defaultdict
from functools import reduce
from operator import or_
from typing import NamedTuple

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .followup import ActionParent, kind_name
from .tracking import TrackedItem

__all__ = ["Lineage", "tracked_kinds"]


def tracked_kinds():
    """{name: model} of every kind of tracked item the report names ("recommendation", "follow-up item",
    "project"; not an action, named under its item), in the order the apps define them; `partnerships` adds its
    own without this app naming it. The names are English in every language (`kind_name`): spreadsheets and the
    lineage admin name the kinds so."""
    return {kind_name(model): model for model in apps.get_models() if issubclass(model, ActionParent)}


# What `Lineage.check_end` refuses, for each end.
NOT_TRACKED = {
    "item": _("The item must be a tracked item: a recommendation, a follow-up item or a PfP project."),
    "target": _("The target must be a tracked item: a recommendation, a follow-up item or a PfP project."),
}
NO_SUCH_ID = {
    "item": _("No %(kind)s has the id %(id)s (the item)."),
    "target": _("No %(kind)s has the id %(id)s (the target)."),
}


class LineageOf(NamedTuple):
    """An item's lineage both ways, as its page shows it."""

    from_item: list
    to_item: list


class LineageQuerySet(models.QuerySet):
    def public(self):
        """The links the public sees: from a published item to a published item or to a named reference. A link
        with an unpublished item at either end is none of the public's business, nor is its sentence."""
        kinds = list(tracked_kinds().values())
        types = ContentType.objects.get_for_models(*kinds)  # one query at most, then remembered

        def published(end):
            return reduce(or_, (models.Q(**{f"{end}_type": types[model]})
                                & models.Exists(model.objects.filter(pk=models.OuterRef(f"{end}_id"), is_public=True))
                                for model in kinds))

        return self.filter(published("item"), models.Q(target_type=None) | published("target"))

    def visible_to(self, user):
        """All to those signed in; to the public, the links between published items (`public`)."""
        return self if user.is_authenticated else self.public()

    def with_ends(self, *ends):
        """The links with the items at these ends ("item", "target"; both by default), read once per kind of
        item, not once per link."""
        shown = [model.lineage_queryset() for model in tracked_kinds().values()]
        return self.prefetch_related(*(GenericPrefetch(end, shown) for end in ends or ("item", "target")))

    def of_item(self, item):
        """The links from `item` and those to it, each with the item at its other end: one query for the links,
        one per kind of item at their other ends, however many links there are."""
        content_type = ContentType.objects.get_for_model(item)
        links = self.filter(models.Q(item_type=content_type, item_id=item.pk)
                            | models.Q(target_type=content_type, target_id=item.pk))
        from_item, to_item = [], []
        for link in links:
            (from_item if (link.item_type_id, link.item_id) == (content_type.pk, item.pk) else to_item).append(link)
        ends = [(link, "target", link.target_type_id, link.target_id) for link in from_item if link.target_type_id]
        ends += [(link, "item", link.item_type_id, link.item_id) for link in to_item]
        wanted = defaultdict(set)
        for *_ends, type_id, pk in ends:
            wanted[type_id].add(pk)
        found = {type_id: ContentType.objects.get_for_id(type_id).model_class().lineage_queryset().in_bulk(ids)
                 for type_id, ids in wanted.items()}
        for link, end, type_id, pk in ends:
            Lineage._meta.get_field(end).set_cached_value(link, found[type_id].get(pk))
        return LineageOf(from_item, to_item)

    def get_by_natural_key(self, kind, item_kind, item, target_kind, target, reference_words):
        """A link by what a spreadsheet names it with (see `Lineage.ends`)."""
        return self.get(**Lineage.ends(kind, item_kind, item, target_kind, target, reference_words))


class Lineage(models.Model):
    """A tracked item originates from, reiterates, builds on or forms part of another tracked item,
    or a named reference; the report's sentence that says so, verbatim, and its line."""

    class Kind(models.TextChoices):
        ORIGINATES_FROM = "originates_from", _("Originates from")
        REITERATES = "reiterates", _("Reiterates")
        BUILDS_ON = "builds_on", _("Builds on")
        FORMS_PART_OF = "forms_part_of", _("Forms part of")

    # As the other end reads the link.
    INVERSE = {Kind.ORIGINATES_FROM: _("Origin of"), Kind.REITERATES: _("Reiterated by"),
               Kind.BUILDS_ON: _("Built on by"), Kind.FORMS_PART_OF: _("Includes")}

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    item_type = models.ForeignKey(ContentType, verbose_name=_("item type"), on_delete=models.PROTECT, related_name="+")
    item_id = models.PositiveBigIntegerField(_("item id"))
    item = GenericForeignKey("item_type", "item_id")
    # Either a tracked item ...
    target_type = models.ForeignKey(ContentType, verbose_name=_("target type"), on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    target_id = models.PositiveBigIntegerField(_("target id"), null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    # ... or a named reference: who or where, the part (a session) if the report names one, and its words.
    reference_source = models.CharField(
        max_length=200, blank=True, verbose_name=_("reference: who or where"),
        help_text=_('As the report names it: "GFMD 2009, Athens", "ad hoc Working Group on Policy Coherence, '
                  'Data and Research". Only what the report says (no city it does not name).'))
    reference_part = models.CharField(
        max_length=200, blank=True, verbose_name=_("reference: session"),
        help_text=_('The session, as the report names it ("Roundtable 1.2"); empty where it names none.'))
    reference_words = models.CharField(
        max_length=500, blank=True, verbose_name=_("reference: words"),
        help_text=_("The report's words for the earlier outcome, verbatim (they name the reference in spreadsheets)."))
    sentence = models.TextField(_("sentence"), help_text=_("The report's sentence that states the link, verbatim "
                                          "(emphasis markers removed)."))
    line = models.PositiveIntegerField(_("line"), validators=[MinValueValidator(1)],
                                       help_text=_("The report's line of the sentence."))

    history = HistoricalRecords()

    objects = LineageQuerySet.as_manager()

    class Meta:
        verbose_name = _("lineage link")
        verbose_name_plural = _("lineage links")
        ordering = ["line", "id"]  # the report's order
        indexes = [
            models.Index(fields=["item_type", "item_id"], name="lineage_item"),
            models.Index(fields=["target_type", "target_id"], name="lineage_target"),
        ]
        constraints = [
            # Exactly one target: a tracked item, or a named reference (who or where, and its words).
            models.CheckConstraint(name="lineage_one_target", condition=(
                models.Q(target_type__isnull=False, target_id__isnull=False,
                         reference_source="", reference_part="", reference_words="")
                | (models.Q(target_type__isnull=True, target_id__isnull=True)
                   & ~models.Q(reference_source="") & ~models.Q(reference_words=""))
            )),
            models.CheckConstraint(name="lineage_not_to_itself", condition=(
                models.Q(target_id__isnull=True) | ~models.Q(target_type=models.F("item_type"))
                | ~models.Q(target_id=models.F("item_id"))
            )),
            models.UniqueConstraint(fields=["kind", "item_type", "item_id", "target_type", "target_id"],
                                    condition=models.Q(target_id__isnull=False), name="lineage_unique_item_target"),
            models.UniqueConstraint(fields=["kind", "item_type", "item_id", "reference_words"],
                                    condition=models.Q(target_id__isnull=True), name="lineage_unique_reference"),
        ]

    def __str__(self):
        return f"{self.item_label()} — {self.get_kind_display().lower()} — {self.target_label()}"

    @property
    def inverse_label(self):
        return self.INVERSE[self.kind]

    @property
    def reference_name(self):
        """Who or where, and the session: "GFMD 2009, Athens — Roundtable 1.2"."""
        return " — ".join(part for part in (self.reference_source, self.reference_part) if part)

    def item_label(self):
        return _label(self.item_type, self.item)

    def target_label(self):
        if self.target_type_id is None:
            return f'{self.reference_name}: "{self.reference_words}"'
        return _label(self.target_type, self.target)

    @staticmethod
    def find_end(kind, key):
        """The tracked item of kind `kind` (its English name, `tracked_kinds`: "recommendation", "project") that `key`
        names ("2010/3.1/3", a title); a ValidationError saying what to write if there is none."""
        kinds = {name.lower(): model for name, model in tracked_kinds().items()}
        model = kinds.get(str(kind or "").strip().lower())
        if model is None:
            raise ValidationError(gettext("Unknown kind of item '%(kind)s'. Use one of: %(kinds)s.")
                                  % {"kind": kind or "", "kinds": ", ".join(kinds)})
        try:
            return model.get_by_lineage_key(str(key or "").strip())
        except (ValueError, model.DoesNotExist):
            raise ValidationError(gettext("No %(kind)s '%(key)s'. %(help)s") % {
                "kind": model._meta.verbose_name, "key": key or "", "help": model.lineage_key_help}) from None

    @classmethod
    def ends(cls, kind, item_kind, item, target_kind, target, reference_words):
        """The lookup of the link these natural keys name: its kind, its item, and its target item or the
        words of its named reference."""
        item = cls.find_end(item_kind, item)
        lookup = {"kind": kind, "item_type": ContentType.objects.get_for_model(item), "item_id": item.pk}
        if target_kind or target:
            target = cls.find_end(target_kind, target)
            return {**lookup, "target_type": ContentType.objects.get_for_model(target), "target_id": target.pk}
        return {**lookup, "target_type": None, "reference_words": reference_words or ""}

    def clean(self):
        """What the database's constraints refuse too, said so that an editor knows what to change. The ends
        are checked once an item is set: a form or a spreadsheet cell that names none says so itself."""
        has_target = self.target_type_id is not None or self.target_id is not None
        if has_target and any((self.reference_source, self.reference_part, self.reference_words)):
            raise ValidationError(gettext("A lineage link points at a tracked item or at a named reference, not both: "
                                    "empty the reference, or the target item."))
        if not has_target and not (self.reference_source and self.reference_words):
            raise ValidationError(gettext("A lineage link needs a target: a tracked item, or a named reference (who or "
                                    "where, and the report's words for it)."))
        if has_target:
            self.check_end("target")
        if self.item_type_id is not None:
            self.check_end("item")
            self.check_new()

    def check_end(self, name):
        content_type, pk = getattr(self, f"{name}_type"), getattr(self, f"{name}_id")
        model = content_type.model_class() if content_type is not None else None
        if model is None or not issubclass(model, TrackedItem):
            raise ValidationError(NOT_TRACKED[name])
        if pk is None or not model.objects.filter(pk=pk).exists():
            raise ValidationError(NO_SUCH_ID[name] % {"kind": model._meta.verbose_name, "id": pk})

    def check_new(self):
        """Not the item itself, and not a link the item has already."""
        if (self.item_type_id, self.item_id) == (self.target_type_id, self.target_id):
            raise ValidationError(gettext("An item's lineage cannot point at the item itself."))
        same = Lineage.objects.filter(kind=self.kind, item_type_id=self.item_type_id, item_id=self.item_id)
        if self.target_type_id is not None:
            same = same.filter(target_type_id=self.target_type_id, target_id=self.target_id)
        else:
            same = same.filter(target_type=None, reference_words=self.reference_words)
        if same.exclude(pk=self.pk).exists():
            raise ValidationError(gettext("%(item)s has this link already: %(kind)s %(target)s.") % {
                "item": self.item_label(), "kind": self.get_kind_display().lower(), "target": self.target_label()})

    def validate_constraints(self, exclude=None):
        """`clean` says what the constraints refuse, in words an editor acts on: not their names again."""


def _label(content_type, item):
    """ "project Handbook on …", "recommendation 2010/3.1/3": how spreadsheets name an item (in English, as they
    name its kind: `kind_name`)."""
    if item is None:
        return "(deleted)"
    return f"{kind_name(content_type.model_class())} {item.lineage_key()}"
