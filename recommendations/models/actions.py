"""Actions under a tracked item (issue #20): what governments and organisations do about one outcome, each with
its owner, due date, status, progress and timeline. An action IS a tracked item (the same statuses, rules,
locking, history and visibility), written through the same path (`record_update`, `services.record_updates`);
`services.add_action` adds one, `services.delete_actions` removes some, and the parent's roll-up
(`actions_count`, `actions_reported`, `actions_progress`) is kept by the write path.

Its parent is any tracked item but an action, by a generic key (as `Lineage`'s ends, and for the same reason:
`partnerships` imports this app, never the reverse). An action's natural key is its parent's and "a" with its
number: "2010/2.1/1/a1", a project's "Title of project/a1"."""

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.text import get_text_list
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from .forum import Meeting
from .timeline import TimelineEntry, TimelineEntryManager, TimelineEntryQuerySet, timeline_indexes
from .tracking import TrackedItem, TrackedItemQuerySet

__all__ = ["ACTION_PARENTS", "Action", "ActionQuerySet", "ActionUpdate", "ActionUpdateQuerySet"]

# The kinds of item an action may be under ("app_label.model"): not an action (no actions under actions).
ACTION_PARENTS = ("recommendations.recommendation", "recommendations.followupitem", "partnerships.project")


def parent_models():
    return [apps.get_model(label) for label in ACTION_PARENTS]


class ActionQuerySet(TrackedItemQuerySet):
    def of_parent(self, parent):
        return self.filter(parent_type=ContentType.objects.get_for_model(parent), parent_id=parent.pk)

    def visible_to(self, user):
        """All to those signed in; to the public, the published actions under a published item."""
        if user.is_authenticated:
            return self
        types = ContentType.objects.get_for_models(*parent_models())
        published = Q()
        for model, content_type in types.items():
            published |= Q(parent_type=content_type) & Exists(
                model.objects.filter(pk=OuterRef("parent_id"), is_public=True))
        return self.filter(published, is_public=True)

    def with_parents(self):
        """With their items and what the items' keys need: a query per kind of item."""
        return self.prefetch_related(GenericPrefetch(
            "parent", [model.objects.select_related("session__meeting") for model in parent_models()]))

    def get_by_natural_key(self, *key):
        return self.model.get_by_lineage_key("/".join(str(part) for part in key))


class Action(TrackedItem):
    """One action taken on a tracked item, numbered within it (a1, a2, …)."""

    meeting_path = "meeting"  # copied from the parent: freshness and filters need no generic join
    kind_label = _("Actions")  # in reports that list every kind of tracked item

    parent_type = models.ForeignKey(ContentType, verbose_name=_("parent type"), on_delete=models.PROTECT,
                                    related_name="+")
    parent_id = models.PositiveBigIntegerField(_("parent id"))
    parent = GenericForeignKey("parent_type", "parent_id")
    number = models.PositiveSmallIntegerField(_("number"), editable=False,
                                              help_text=_("Its number within its item: a1, a2, …"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("How much it counts in its item's progress, 1 to 100, against its other actions."))
    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, null=True, blank=True,
                                editable=False,
                                related_name="actions", help_text=_("Its item's meeting, copied when it was added."))

    objects = ActionQuerySet.as_manager()
    lineage_key_help = _("Write its item's key and the action's number, e.g. 2010/2.1/1/a1.")

    class Meta(TrackedItem.Meta):
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["parent_type", "parent_id", "number"]
        constraints = TrackedItem.Meta.constraints + [
            models.UniqueConstraint(fields=["parent_type", "parent_id", "number"],
                                    name="action_number_unique_per_parent"),
            models.CheckConstraint(condition=Q(weight__gte=1, weight__lte=100), name="action_weight_1_to_100"),
        ]
        indexes = TrackedItem.Meta.indexes + [models.Index(fields=["meeting", "status"], name="action_meeting_status")]

    def __str__(self):
        return f"a{self.number} {self.title}"

    def natural_key(self):
        return (*self.parent.natural_key(), f"a{self.number}")

    def get_absolute_url(self):
        """Its page, under its item's: ".../2010/2.1/1/actions/a1/" (recommendations/urls.py, partnerships)."""
        return f"{self.parent.get_absolute_url()}actions/a{self.number}/"

    def get_update_url(self):
        return f"{self.get_absolute_url()}update/"

    @classmethod
    def next_number(cls, parent):
        numbers = cls.objects.of_parent(parent).aggregate(highest=models.Max("number"))
        return (numbers["highest"] or 0) + 1

    @classmethod
    def get_by_lineage_key(cls, key):
        """ "2010/2.1/1/a1": the parent's key before the last "/a" (`find_parent`), the number after it."""
        parent_key, separator, number = key.rpartition("/a")
        if not (separator and parent_key and number.isascii() and number.isdecimal() and len(number) <= 5):
            raise ValueError(f"Not an item's key and an action's number (…/a1): {key!r}")
        return cls.objects.of_parent(cls.find_parent(parent_key)).get(number=int(number))

    @classmethod
    def find_parent(cls, parent_key):
        """The item an action may be under named by `parent_key`, looked for among every kind of such item; a key
        that names more than one is refused."""
        found = []
        for model in parent_models():
            try:
                found.append(model.get_by_lineage_key(parent_key))
            except (ValueError, TypeError, model.DoesNotExist):
                continue
        if not found:
            raise cls.DoesNotExist(gettext("No recommendation, follow-up item or project '%(key)s'.")
                                   % {"key": parent_key})
        if len(found) > 1:
            kinds = get_text_list([str(item._meta.verbose_name) for item in found],
                                  pgettext("kinds of item an action's key names", "and a"))
            raise ValueError(gettext("'%(key)s' names both a %(kinds)s: the action's item is ambiguous. Rename one "
                                     "of them (a project's title) so that the key names one item.")
                             % {"key": parent_key, "kinds": kinds})
        return found[0]

    def clean(self):
        super().clean()
        model = self.parent_type.model_class() if self.parent_type_id else None
        if model is None or model._meta.label_lower not in ACTION_PARENTS:
            raise ValidationError(gettext("An action is under a recommendation, a follow-up item or a PfP project."))
        if not model.objects.filter(pk=self.parent_id).exists():
            raise ValidationError(gettext("No %(kind)s has the id %(id)s.")
                                  % {"kind": model._meta.verbose_name, "id": self.parent_id})
        if self.progress_from_actions:
            raise ValidationError({"progress_from_actions": gettext("An action has no actions of its own to roll up.")})


class ActionUpdateQuerySet(TimelineEntryQuerySet):
    def visible_to(self, user):
        """All to those signed in; to the public, the published entries of the actions it may see (published,
        under a published item: `ActionQuerySet.visible_to`)."""
        if user.is_authenticated:
            return self
        return self.filter(is_public=True, item__in=Action.objects.visible_to(user).values("pk"))


class ActionUpdate(TimelineEntry):
    # Indexed first in (item, -created_at): no index of its own.
    item = models.ForeignKey(Action, verbose_name=_("item"), on_delete=models.CASCADE, related_name="updates",
                             db_index=False)

    objects = TimelineEntryManager.from_queryset(ActionUpdateQuerySet)()

    class Meta(TimelineEntry.Meta):
        verbose_name = _("action update")
        verbose_name_plural = _("action updates")
        indexes = timeline_indexes("actupdate")
