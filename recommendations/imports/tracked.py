"""The import of tracked items: every row checked by the rules of `record_update`, then written
with the other rows of its batch through the same update path (`services.record_updates`)."""

from collections import defaultdict
from copy import copy
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import connection, transaction
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets

from gfmd_tracker.content import stored
from gfmd_tracker.spreadsheets import grouped

from .. import db, services
from ..exports import VERIFICATION_LABELS
from ..forms import NOTE_MAX_LENGTH
from ..models import NOTE_REQUIRED_FOR, Actor, Freshness, Priority, Status, Theme
from .base import BaseResource
from .widgets import (
    ChoiceWidget,
    LinksField,
    LookupWidget,
    NamedManyWidget,
    PreciseDateField,
    PreciseDateWidget,
    WholeNumberWidget,
    in_english,
)


@dataclass
class RowChange:
    """What a row changes of its record, worked out as the row is read and checked."""

    note: str  # the row's note cell
    # What the follow-up rules ask with a closure and a moved due date (cells of these names, if the file has them).
    evidence_url: str = ""
    closure_reason: str = ""
    due_date_reason: str = ""
    public: bool = False  # the row's public cell: its timeline entry is published
    tracked: dict = field(default_factory=dict)  # {tracked field: value}, as it was
    changed: list = field(default_factory=list)  # the attnames whose value the row changes
    links: dict = field(default_factory=dict)  # {many-to-many field: (ids before, ids the row sets)}
    entry_note: str = ""  # the note of the timeline entry
    values: dict | None = None  # the timeline entry's before/after values; None: no entry

    def links_changed(self):
        return any(before != after for before, after in self.links.values())


class YesNoWidget(widgets.Widget):
    """The `public` cell as a preview shows it."""

    def render(self, value, obj=None, **kwargs):
        return "yes" if value else "no"


# The export-only columns of an item's follow-up state, after its follow-up fields (an action has no actions).
FOLLOW_UP_STATE = ("freshness", "verification", "actions_reported", "actions_total", "rolled_up_progress")


class TrackedItemResource(BaseResource):
    """Shared columns and import rules of every tracked item. A subclass names a row's record
    (`row_key`, `describe_key`) and loads a file's records in a fixed number of queries (`preload`).

    Each row's change is checked by `TrackedItem.apply_update` (the rules of `record_update`), so
    the timeline says who changed what by import, as after a user's update. Rows are checked one
    by one against records loaded once per file (locked on PostgreSQL until the import ends), then
    written per batch through `services.record_updates`. A file with any bad row is rolled back whole.
    """

    class Meta(BaseResource.Meta):
        use_bulk = True  # rows written per batch (save_instance)

    status = fields.Field(attribute="status", widget=ChoiceWidget(Status.choices, "Status"))
    owner = fields.Field(attribute="owner", widget=LookupWidget(get_user_model(), field="username",
                                                                unknown=_("Unknown user '%(value)s'.")))
    responsible_actors = LinksField(attribute="responsible_actors",
                                    widget=NamedManyWidget(Actor, "name", _("Unknown actor(s): %(names)s.")))
    themes = LinksField(attribute="themes", widget=NamedManyWidget(Theme, "slug", _("Unknown theme(s): %(names)s.")))
    due_date = PreciseDateField(attribute="due_date", widget=PreciseDateWidget())
    progress = fields.Field(attribute="progress",
                            widget=WholeNumberWidget(pgettext_lazy("a sentence's subject", "Progress"), 0, 100))
    priority = fields.Field(attribute="priority", widget=ChoiceWidget(Priority.choices, "Priority", allow_blank=True))
    # What the follow-up says of itself (exports.FOLLOW_UP_STATE_COLUMNS): columns of exports only, never read.
    freshness = fields.Field(column_name="freshness", readonly=True)
    verification = fields.Field(attribute="verification", readonly=True,
                                widget=ChoiceWidget(VERIFICATION_LABELS.items(), "Verification"))
    actions_reported = fields.Field(attribute="actions_reported", readonly=True)
    actions_total = fields.Field(attribute="actions_count", readonly=True)
    rolled_up_progress = fields.Field(attribute="actions_progress", readonly=True)
    # The timeline note of the row's change, and whether it is published: columns of imports only (see
    # get_export_order).
    note = fields.Field(attribute="row_change__note", readonly=True)
    public = fields.Field(attribute="row_change__public", readonly=True, widget=YesNoWidget())

    export_only = FOLLOW_UP_STATE
    # Never read by an import (the database copies the history): not loading them saves 0.1 s per 10,000.
    not_read = ("created_at", "updated_at", "last_note")

    # The notes of a row with none (one that closes or stalls an item must have its own: NOTE_REQUIRED_FOR).
    # Stored in the timeline, as services' "Action added: …": the record's words, not the importer's language.
    import_note = "Changed by spreadsheet import."
    create_note = "Created by spreadsheet import."
    # Up to this many rows the preview shows each changed value; a larger file, each row's outcome.
    diff_preview_rows = 1_000
    # Rows written together; on PostgreSQL while the next batch is checked (import_data).
    batch = 2_000

    def get_queryset(self):  # with what an export's columns show
        return (super().get_queryset().select_related("session__meeting", "owner")
                .prefetch_related("themes", "responsible_actors"))

    def dehydrate_freshness(self, item):
        state = item.freshness
        return in_english(Freshness.choices)[state] if state else ""

    def get_export_order(self):  # not the note: what an editor writes beside a change they import
        return tuple(name for name in super().get_export_order() if name not in ("note", "public"))

    def locked(self, queryset):
        """Locked until the import ends, so that no update made meanwhile is overwritten
        (PostgreSQL; SQLite locks the whole database on write anyway)."""
        if connection.in_atomic_block and connection.features.has_select_for_update:
            return queryset.select_for_update(of=("self",))
        return queryset

    def import_data(self, dataset, **kwargs):
        # A batch is written while the next is checked (PostgreSQL's pipeline mode), in a transaction:
        # a write refused as the pipeline ends still rolls the whole file back.
        using = self.get_db_connection_name()
        with transaction.atomic(using=using), db.pipelined(using):
            return super().import_data(dataset, **kwargs)

    def get_instance(self, instance_loader, row):
        return self.instances.get(self.current_key)  # the row's, worked out by before_import_row

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.import_user = kwargs.get("user")
        self.seen, self.checked, self.current_key = {}, [], None
        if len(dataset) > self.diff_preview_rows and not self._meta.skip_diff:
            self._meta = copy(self._meta)  # this resource only
            self._meta.skip_diff = True
        keys = {self.row_key(row) for row in dataset.dict} - {None}
        self.instances = self.preload(keys) if keys else {}
        self.read_columns(dataset)
        self.edits_any = self.may_edit_any(self.import_user)
        self.load_links(list(self.instances.values()))

    def read_columns(self, dataset):
        """The file's columns that set something of the record, and the records each names."""
        columns = [f for f in self.get_import_fields() if f.column_name in dataset.headers]
        for column in columns:
            if callable(getattr(column.widget, "preload", None)):
                column.widget.preload(dataset[column.column_name])
        self.cell_fields = [f for f in columns if f.attribute and not f.readonly]
        self.link_fields = [f for f in self.cell_fields if isinstance(f.widget, widgets.ManyToManyWidget)]

    def may_edit_any(self, user):
        """An editor may change any item: checked once per file, not once per row."""
        blank = self._meta.model()
        return user is None or (blank.can_log_update(user) and blank.can_edit_any(user))

    def load_links(self, items):
        """Each record's links as sets of ids, a query per column (a prefetch builds an object per link)."""
        pks = [item.pk for item in items]
        self.links_before = {}
        for link_field in self.link_fields:
            relation = self._meta.model._meta.get_field(link_field.attribute)
            links = self.links_before[link_field.attribute] = defaultdict(set)
            for pk, linked in db.pairs(relation.remote_field.through, f"{relation.m2m_field_name()}_id",
                                         f"{relation.m2m_reverse_field_name()}_id", pks):
                links[pk].add(linked)
            if not self._meta.skip_diff:
                self.show_links(items, link_field, links)

    @staticmethod
    def show_links(items, link_field, links):
        """The records each item is linked to now, in their model's order (`LinksField`)."""
        related = getattr(link_field.widget, "related_queryset", None)
        queryset = related() if related else link_field.widget.model._default_manager.all()
        records = queryset.in_bulk(set().union(*links.values()))
        for item in items:
            ids = links.get(item.pk, set())
            item.shown_links = {**getattr(item, "shown_links", {}),
                                link_field.attribute: [record for pk, record in records.items() if pk in ids]}

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        key = self.current_key = self.row_key(row)
        if key in self.seen:
            raise ValidationError(gettext("This row names the same record as row %(row)s (%(record)s); a file may "
                                          "list each record once.")
                                  % {"row": self.seen[key], "record": self.describe_key(key)})
        if key is not None:
            self.seen[key] = kwargs["row_number"] + 1  # as the spreadsheet numbers it (SheetResult)

    def import_instance(self, instance, row, **kwargs):
        """Each cell read onto the record, and what the row changes (`row_change`)."""
        change = instance.row_change = RowChange(note=str(row.get("note") or "").strip(), **{
            name: str(row.get(name) or "").strip() for name in ("evidence_url", "closure_reason", "due_date_reason")})
        if instance.pk is not None:
            change.tracked = {name: getattr(instance, name) for name in instance.tracked_fields}
        errors = {}
        for cell_field in self.cell_fields:
            try:
                value = cell_field.clean(row)
            except ValueError as error:
                errors[cell_field.attribute] = ValidationError(str(error), code="invalid")
                continue
            if cell_field in self.link_fields:
                self.set_links(instance, cell_field.attribute, value)
            else:
                self.set_cell(instance, cell_field, value)
        if len(change.note) > NOTE_MAX_LENGTH:
            errors["note"] = ValidationError(gettext("The note has %(count)s characters; at most %(most)s are "
                                                     "accepted.") % {"count": grouped(len(change.note)),
                                                                     "most": grouped(NOTE_MAX_LENGTH)},
                                             code="invalid")
        try:
            change.public = read_public(row.get("public"))
        except ValidationError as error:
            errors["public"] = error
        if errors:
            raise ValidationError(errors)

    def set_cell(self, instance, cell_field, value):
        """A cell's value onto the record: a due date with its precision (two fields), any other one field."""
        if isinstance(cell_field, PreciseDateField):
            for attribute, part in cell_field.parts(value).items():
                self.set_value(instance, attribute, part)
        elif value is not None or cell_field.saves_null_values:
            self.set_value(instance, cell_field.attribute, value)

    def set_value(self, instance, attribute, value):
        """`value` onto the record where it differs from the record's (a foreign key compared by id)."""
        model_field = instance._meta.get_field(attribute)
        old = getattr(instance, model_field.attname)
        if instance.pk is None or old != (value.pk if model_field.many_to_one and value is not None else value):
            setattr(instance, attribute, value)
            instance.row_change.changed.append(model_field.attname)

    def set_links(self, instance, attribute, records):
        before = self.links_before[attribute].get(instance.pk, set())
        instance.row_change.links[attribute] = (before, {record.pk for record in records})
        if not self._meta.skip_diff:  # a new dictionary: the preview's copy of the record keeps its own
            instance.shown_links = {**getattr(instance, "shown_links", {}), attribute: records}

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """A row that changes no cell and no link of its record."""
        if import_validation_errors or not self._meta.skip_unchanged or instance.pk is None:
            return False
        return not instance.row_change.changed and not instance.row_change.links_changed()

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's own checks of what the row changed, then the follow-up rules. No query for
        uniqueness: a row's key is its record's natural key, and repeated keys are refused."""
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(exclude=self.unchecked(instance, errors), validate_unique=False,
                                validate_constraints=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        # The rules judge the cells that were read, so a refused change is shown with the bad cells.
        if NON_FIELD_ERRORS not in errors:
            errors = self.check_rules(instance, errors)
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def unchecked(instance, errors):
        """The fields `full_clean` leaves alone: those the row left as they were (checked when
        they were saved), those already refused, and relations found by their widget."""
        opts = instance._meta
        read = opts.concrete_fields if instance.pk is None else map(opts.get_field, instance.row_change.changed)
        checked = {f.name for f in read if not (f.is_relation and getattr(instance, f.attname) is not None)}
        return {f.name for f in opts.fields} - (checked - set(errors))

    def check_rules(self, instance, errors):
        try:
            if instance.pk is not None:
                self.plan_update(instance)
            else:
                self.plan_creation(instance, errors)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        except PermissionDenied as error:
            errors = ValidationError(str(error)).update_error_dict(errors)
        return errors

    def plan_update(self, instance):
        """The row's change of follow-up fields, checked and set by `apply_update`."""
        change = instance.row_change
        changes = {f: getattr(instance, f) for f, old in change.tracked.items() if getattr(instance, f) != old}
        for name in changes:
            setattr(instance, name, change.tracked[name])
        change.entry_note = change.note
        if not change.note and changes.get("status") not in NOTE_REQUIRED_FOR:
            change.entry_note = self.import_note
        if change.evidence_url:
            URLValidator(message=gettext("Write the evidence link as a web address (https://…)."))(
                change.evidence_url)
        if changes:
            change.values = instance.apply_update(by=self.import_user, note=change.entry_note, changes=changes,
                                                  permission_checked=self.edits_any,
                                                  evidence=change.evidence_url, closure_reason=change.closure_reason,
                                                  due_date_reason=change.due_date_reason)
            ruled = [key.removesuffix("_after") for key in change.values if key.endswith("_after")]
            change.changed += [instance._meta.get_field(name).attname for name in ruled
                               if instance._meta.get_field(name).attname not in change.changed]  # the rules' too

    def plan_creation(self, instance, errors):
        """A new item's owner, by the rule `apply_update` applies; its timeline starts with the row."""
        if "owner" not in errors:
            instance.check_owner(instance.owner)
        change = instance.row_change
        change.entry_note = change.note or self.create_note
        change.values = {f"{name}_after": getattr(instance, name) for name in instance.tracked_fields}

    def save_instance(self, instance, is_create, row, **kwargs):
        """Checked: written with the other rows of its batch (in bulk mode, Meta.use_bulk, which also
        spares a savepoint per row: 0.7 s for 10,000 rows)."""
        self.checked.append(instance)
        if len(self.checked) == self.batch:
            self.write_checked(**kwargs)

    def after_import(self, dataset, result, **kwargs):
        if not (result.has_errors() or result.has_validation_errors()):
            self.write_checked(**kwargs)  # the last batch
        super().after_import(dataset, result, **kwargs)

    def write_checked(self, *, dry_run=False, using_transactions=False, **kwargs):
        """The checked rows, written through the update path unless a dry run could not be undone."""
        items, self.checked = self.checked, []
        if not items or (dry_run and not using_transactions):
            return
        created = [item for item in items if item.pk is None]
        updated = [item for item in items if item.pk is not None]
        changed = stored(sorted({attname for item in updated for attname in item.row_change.changed}))
        services.record_updates(self.updates(created), by=self.import_user, created=True)
        services.record_updates(self.updates(updated), by=self.import_user, fields=changed)

    @staticmethod
    def updates(items):
        return [services.Update(item, item.row_change.entry_note, item.row_change.values, links=item.row_change.links,
                                public=item.row_change.public, evidence_url=item.row_change.evidence_url,
                                closure_reason=item.row_change.closure_reason) for item in items]


PUBLIC_CELLS = {"yes": True, "y": True, "true": True, "1": True, "public": True,
                "no": False, "n": False, "false": False, "0": False, "internal": False, "": False}


def read_public(value):
    """The `public` cell: yes publishes the row's timeline entry; no, or an empty cell, keeps it internal."""
    cell = PUBLIC_CELLS.get(str(value if value is not None else "").strip().lower())
    if cell is None:
        # Translators: "public" is the column's name, "yes" and "no" its values: they stay in English.
        raise ValidationError(gettext("Unknown value '%(value)s' in the public column: write yes to publish the "
                                      "row's note or no to keep it internal (an empty cell is no).")
                              % {"value": value}, code="invalid")
    return cell
