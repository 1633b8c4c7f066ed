"""The spreadsheet of actions (models/actions.py): each named by its natural key in the `action` column
("2010/2.1/1/a1", a project's "Title/a1"), its item in `parent`. A row with an action's key changes that action
through the update path, as the other tracked items' rows do (`TrackedItemResource`); a row with an empty `action`
and an item in `parent` adds an action under it, numbered next among the item's actions (those of the file
counted), as `services.add_action` adds one: by anyone who may log updates on the item, owned by the importer
where they may own it, its timeline opened by "Action added: …", and whatever the row sets besides checked by
the rules as a change from a new action (an implemented one with its evidence). The items' roll-ups follow
(`services.record_updates`)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils.translation import gettext, pgettext_lazy
from import_export import fields

from ..models import Action
from .tracked import TrackedItemResource
from .widgets import WholeNumberWidget


def key_help():
    # Translators: "parent" is the spreadsheet's column: it stays in English.
    return gettext("Write an action's key (2010/2.1/1/a1), or leave the cell empty and name its item in parent to add "
                   "one.")


def no_action(key):
    return gettext("No action %(key)s. %(help)s") % {"key": key, "help": key_help()}


class ActionResource(TrackedItemResource):
    action = fields.Field(column_name="action", readonly=True)
    parent = fields.Field(column_name="parent", readonly=True)
    weight = fields.Field(attribute="weight",
                          widget=WholeNumberWidget(pgettext_lazy("a sentence's subject", "The weight"), 1, 100))

    class Meta(TrackedItemResource.Meta):
        model = Action
        import_id_fields = ("action",)
        fields = ("action", "parent", "title", "description", "weight", "status", "owner", "responsible_actors",
                  "due_date", "progress", "freshness", "verification", "public", "note")

    create_note = ""  # a new action's entry: "Action added: …" (plan_creation)

    def get_queryset(self):
        return super().get_queryset().select_related(None).select_related("meeting", "owner").with_parents()

    def dehydrate_action(self, action):
        return action.lineage_key() if action.number else ""

    def dehydrate_parent(self, action):
        return action.parent.lineage_key() if action.parent_id else ""

    # --- the rows' records

    def row_key(self, row):
        return str(row.get("action") or "").strip() or None

    def describe_key(self, key):
        return gettext("action %(key)s") % {"key": key}

    def before_import(self, dataset, **kwargs):
        self.parents, self.problems, self.numbers = {}, {}, {}
        super().before_import(dataset, **kwargs)

    def preload(self, keys):
        """The actions the file names, found under their items (each item looked for once)."""
        found = {}
        for key in keys:
            parent_key, _, number = key.rpartition("/a")
            parent = self.find_parent(parent_key) if number.isdecimal() and len(number) <= 5 else None
            action = None
            if parent is not None:
                action = self.locked(Action.objects.of_parent(parent)).filter(number=int(number)).first()
            if action is None:
                self.problems.setdefault(key, no_action(key))
                continue
            action.parent = parent
            found[key] = action
        return found

    def find_parent(self, key):
        """The item named `key` (None, its problem remembered, if none or several), locked like the records."""
        if key not in self.parents:
            try:
                parent = Action.find_parent(key)
            except (ValueError, Action.DoesNotExist) as error:
                self.problems[key] = str(error).strip("'\"") if isinstance(error, ValueError) else (
                    gettext("No recommendation, follow-up item or project '%(key)s' (write year/session/number, such "
                            "as 2010/2.1/1, or a project's title).") % {"key": key})
                parent = None
            else:
                if connection.in_atomic_block and connection.features.has_select_for_update:
                    type(parent).objects.select_for_update().filter(pk=parent.pk).exists()  # as add_action does
            self.parents[key] = parent
        return self.parents[key]

    def import_instance(self, instance, row, **kwargs):
        """The row's cells, and its action: the one its key names, or a new one under the row's item."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            self.find_action(instance, str(row.get("parent") or "").strip())
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def find_action(self, instance, parent_key):
        key = self.current_key
        if key is not None and instance.pk is None:
            raise ValidationError({"action": self.problems.get(key) or no_action(key)})
        if instance.pk is None:
            self.place(instance, parent_key)
        elif parent_key and parent_key != instance.parent.lineage_key():
            words = {"key": key, "item": instance.parent.lineage_key(), "parent": parent_key}
            raise ValidationError({"parent": gettext("Action %(key)s is under %(item)s, not %(parent)s: an action "
                                                     "does not move to another item.") % words})

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """A row whose action or item is not found is said so, and checked no further."""
        if {"action", "parent"} & set(import_validation_errors or {}):
            raise ValidationError(import_validation_errors)
        super().validate_instance(instance, import_validation_errors, validate_unique)

    def place(self, instance, parent_key):
        """A new action under the item `parent_key`, numbered next (after those the file adds before it)."""
        if not parent_key:
            raise ValidationError({"parent": gettext("Name the item to add this action under. %(help)s")
                                             % {"help": key_help()}})
        parent = self.find_parent(parent_key)
        if parent is None:
            raise ValidationError({"parent": self.problems[parent_key]})
        number = self.numbers.get(parent_key) or Action.next_number(parent)
        self.numbers[parent_key] = number + 1
        instance.parent, instance.number, instance.meeting = parent, number, parent.get_meeting()

    # --- the rules of a new action

    def plan_creation(self, instance, errors):
        """A new action as `services.add_action` adds one (who may, its owner, its opening entry), then what the
        row sets of its follow-up checked as an update of that new action (`apply_update`)."""
        user, change = self.import_user, instance.row_change
        if user is not None and not instance.parent.can_log_update(user):
            raise PermissionDenied(gettext("You may read this item but not add actions to it."))
        changes = self.new_values(instance)
        change.entry_note = f"Action added: {instance.title.strip()}." + (f" {change.note}" if change.note else "")
        values = instance.apply_update(by=user, note=change.entry_note, changes=changes, permission_checked=True,
                                       evidence=change.evidence_url, closure_reason=change.closure_reason,
                                       due_date_reason=change.due_date_reason) if changes else {}
        change.values = {**values, **{f"{name}_after": getattr(instance, name) for name in instance.tracked_fields}}

    def new_values(self, instance):
        """What the row sets of a new action's follow-up, as changes from a new action (whose follow-up fields it
        gets back): owned by the importer, where the row names nobody and they may own it."""
        fresh, user = Action(), self.import_user
        row_values = {name: getattr(instance, name) for name in instance.tracked_fields}
        for name in instance.tracked_fields:
            setattr(instance, name, getattr(fresh, name))
        if row_values["owner"] is None and user is not None and instance.can_own(user):
            row_values["owner"] = user
        return {name: value for name, value in row_values.items() if value != getattr(fresh, name)}
