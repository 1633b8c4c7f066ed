"""Spreadsheet import/export (django-import-export) with natural-key columns.

Rows point at other records by what people read (meeting year, session code,
actor name, theme slug, username), never by database id. Every bad cell gets a
message that says what is wrong, and a file with any bad row writes nothing.
Changes to status, owner, progress or due date go through `record_update`, so an
import leaves the same timeline entries as a user view.
"""

import datetime
import logging
import re
from collections import defaultdict
from copy import copy

from diff_match_patch import diff_match_patch
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from import_export import fields, resources, results, widgets

from . import db as bulk  # the database seam: its writes keep the names they had in bulk.py
from . import versioning
from .forms import NOTE_MAX_LENGTH
from .models import NOTE_REQUIRED_FOR, Actor, FollowUpItem, Priority, Recommendation, Session, Status, Theme

logger = logging.getLogger(__name__)


def _label_list(choices):
    return ", ".join(str(label) for _, label in choices)


class ChoiceWidget(widgets.Widget):
    """Exports a choice's label; imports its label or its value, in any case."""

    def __init__(self, choices, what, allow_blank=False, **kwargs):
        self.choices = choices
        self.what = what
        self.allow_blank = allow_blank
        self.lookup = {}
        for value, label in choices:
            self.lookup[str(value).lower()] = value
            self.lookup[str(label).lower()] = value
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            if self.allow_blank:
                return ""
            raise ValueError(f"{self.what} is required. Use one of: {_label_list(self.choices)}.")
        try:
            return self.lookup[text.lower()]
        except KeyError:
            raise ValueError(
                f"Unknown {self.what.lower()} '{text}'. Use one of: {_label_list(self.choices)}."
            ) from None

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices).get(value, value or ""))


class LookupWidget(widgets.ForeignKeyWidget):
    """A foreign key by one readable field, with a clear message when nothing matches.

    Each value is looked up once per import (`start_import` empties the cache), so a
    file of 10,000 rows naming 20 owners asks the database 20 times, not 10,000."""

    def __init__(self, model, field, what, **kwargs):
        self.what = what
        self.cache = {}
        super().__init__(model, field=field, **kwargs)

    def start_import(self):
        self.cache = {}

    def preload(self, values):
        """Look up every value of a column in one query (a plain lookup by `field` only)."""
        texts = {str(v).strip() for v in values if str(v or "").strip()}
        texts -= {key[0][1] for key in self.cache}
        found = {
            getattr(obj, self.field): obj
            for obj in self.get_queryset(None, None).filter(**{f"{self.field}__in": texts})
        } if texts else {}
        for text in texts:
            self.cache[((self.field, text),)] = found.get(text)

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return None
        lookup = self.get_lookup_kwargs(text, row)
        key = tuple(sorted(lookup.items()))
        if key not in self.cache:
            self.cache[key] = self.get_queryset(text, row).filter(**lookup).first()
        if self.cache[key] is None:
            raise ValueError(self.not_found_message(text, row))
        return self.cache[key]

    def not_found_message(self, text, row):
        return f"Unknown {self.what} '{text}'."


class SessionWidget(LookupWidget):
    """A session by its code, within the meeting named in the row's `meeting` column."""

    def memo_key(self, value, row):
        """The same code names another session in another meeting."""
        return value, (row or {}).get("meeting")

    def __init__(self, **kwargs):
        super().__init__(Session, field="code", what="session", **kwargs)

    def get_queryset(self, value, row, *args, **kwargs):
        return Session.objects.select_related("meeting")

    def get_lookup_kwargs(self, value, row, **kwargs):
        return {"code": value, "meeting__year": whole_number((row or {}).get("meeting"))}

    preload = None  # by code and meeting: see `remember`

    def start_import(self):
        super().start_import()
        self.remembered = {}

    def remember(self, session):
        """Known without a query from now on (a resource that loaded its sessions already)."""
        lookup = self.get_lookup_kwargs(session.code, {"meeting": session.meeting.year})
        self.cache[tuple(sorted(lookup.items()))] = session
        self.remembered[session.pk] = session

    def not_found_message(self, text, row):
        return f"Unknown session '{text}' for meeting {(row or {}).get('meeting') or '(no meeting given)'}."

    def render(self, value, obj=None, **kwargs):
        return value.code if value else ""


WHOLE_NUMBER = re.compile(r"[+-]?[0-9]{1,9}(\.0*)?")


def whole_number(value):
    """A whole number as a spreadsheet may hold it (2010, 2010.0, "2010", "2010.0") as an int;
    anything else (2010.5, "1e3", "inf", "soon", an empty cell) as given."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and WHOLE_NUMBER.fullmatch(value.strip()):
        return int(value.strip().split(".")[0])
    return value


class WholeNumberWidget(widgets.IntegerWidget):
    """A whole number from `low` to `high`, read by `whole_number`: any other cell, 50.5
    included, gets a message saying what the column holds; nothing is rounded."""

    def __init__(self, what, low, high, **kwargs):
        self.what, self.low, self.high = what, low, high
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        number = whole_number(value)
        if type(number) is int and self.low <= number <= self.high:
            return number
        rule = f"a whole number from {self.low:,} to {self.high:,}"
        if self.is_empty(value):
            raise ValueError(f"{self.what} is required: {rule}.")
        raise ValueError(f"{self.what} must be {rule}, not '{str(value).strip()}'.")


class DayWidget(widgets.DateWidget):
    """A date written year-month-day (as exported), or a date cell of Excel."""

    def __init__(self, what, **kwargs):
        self.what = what
        super().__init__("%Y-%m-%d", **kwargs)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value if value is not None else "").strip()
        if not text:
            return None
        try:
            return datetime.datetime.strptime(text, "%Y-%m-%d").date()
        except ValueError:
            raise ValueError(f"'{text}' is not a date: write the {self.what} as year-month-day, "
                             "e.g. 2027-03-31.") from None


class NamedManyWidget(widgets.ManyToManyWidget):
    """Several records by name, separated by ';'. Any unknown name is an error, not skipped."""

    def __init__(self, model, field, what, **kwargs):
        self.what = what
        self.cache = {}
        super().__init__(model, separator=";", field=field, **kwargs)

    def start_import(self):
        self.cache = {}  # name -> record, or None where no record has that name

    def preload(self, values):
        """Look up every name of a column in one query."""
        self.lookup({n.strip() for v in values for n in str(v or "").split(self.separator) if n.strip()})

    def lookup(self, names):
        missing = [n for n in names if n not in self.cache]
        if missing:
            self.cache.update(dict.fromkeys(missing))
            self.cache.update(
                {getattr(obj, self.field): obj for obj in self.model.objects.filter(**{f"{self.field}__in": missing})}
            )

    def clean(self, value, row=None, **kwargs):
        names = [n.strip() for n in str(value or "").split(self.separator) if n.strip()]
        self.lookup(names)
        found = {n: self.cache[n] for n in names if self.cache[n] is not None}
        unknown = [n for n in names if n not in found]
        if unknown:
            raise ValueError(f"Unknown {self.what}: {', '.join(unknown)}.")
        return [found[n] for n in names]

    def render(self, value, obj=None, **kwargs):
        return "; ".join(str(getattr(o, self.field)) for o in value.all()) if value is not None else ""


class MeetingYearField(fields.Field):
    """The meeting's year: read through the session on export; the session widget uses it on import."""

    def __init__(self):
        super().__init__(attribute="session__meeting__year", column_name="meeting", readonly=True)

    def problem(self, row):
        """What is wrong with the row's meeting cell, if anything."""
        year = row.get(self.column_name)
        if year in (None, ""):
            if str(row.get("session") or "").strip():
                return "The meeting is required with a session: write its year, such as 2010."
        elif type(whole_number(year)) is not int:
            return f"The meeting must be a year, such as 2010, not '{str(year).strip()}'."
        return None


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """Make a cell a spreadsheet would run as a formula inert, by a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def restore_formula_text(value):
    """The inverse on import, so that an exported file imports back unchanged."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


class SheetResult(results.Result):
    """An import's outcome as the editor reads it: rows numbered as a spreadsheet numbers them
    (the column names are row 1), and an empty cell the record needs said so in those words."""

    def append_invalid_row(self, number, row, validation_error):
        if hasattr(validation_error, "error_dict"):  # the model's words for an empty cell, as the editor's
            validation_error = ValidationError({
                field: [ValidationError(f"The {field} cell is empty; it must be filled in.")
                        if error.code in ("blank", "null") else error for error in errors]
                for field, errors in validation_error.error_dict.items()
            })
        super().append_invalid_row(number + 1, row, validation_error)

    def append_error_row(self, number, row, errors):
        super().append_error_row(number + 1, row, errors)

    def row_errors(self):
        return [(number + 1, errors) for number, errors in super().row_errors()]


class SheetError(results.Error):
    """An error that is not a bad cell (a bug, a refused write): shown by its own message where
    it is one of ours (a ValueError or ValidationError), else by a plain sentence, the details
    written to the log."""

    def __init__(self, error, row=None, number=None):
        super().__init__(error, row=row, number=number)
        if not isinstance(error, (ValueError, ValidationError)):
            logger.error("Spreadsheet import failed", exc_info=error)

    @property
    def message(self):
        if isinstance(self.error, ValidationError):
            return " ".join(self.error.messages)
        if isinstance(self.error, ValueError):
            return str(self.error)
        return ("This could not be imported because of an error in the application (written to the server's "
                "log); nothing was written.")


class BaseResource(resources.ModelResource):
    """What every spreadsheet of the tracker does.

    - A file with any invalid row writes nothing, whoever calls the import.
    - No exported cell runs as a formula in a spreadsheet (=, +, -, @, tab, CR).
    """

    deferred_m2m = ()  # many-to-many columns checked after all rows are in

    def get_diff_class(self):
        return MarkupDiff

    def get_result_class(self):
        return SheetResult

    def get_error_result_class(self):
        return SheetError

    def import_data(self, dataset, **kwargs):
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(dataset, **kwargs)

    def before_import(self, dataset, **kwargs):
        self._clean_memo, self._import_plan = {}, None  # nothing remembered from an earlier file
        for field in self.fields.values():
            if hasattr(field.widget, "start_import"):
                field.widget.start_import()
        super().before_import(dataset, **kwargs)

    def export_field(self, field, instance, **kwargs):
        return neutralise_formula(super().export_field(field, instance, **kwargs))

    def import_row(self, row, instance_loader, **kwargs):
        if all(value in (None, "") for value in row.values()):  # a blank line of the file: nothing to do
            skipped = self.get_row_result_class()()
            skipped.import_type = skipped.IMPORT_TYPE_SKIP
            return skipped
        return super().import_row(row, instance_loader, **kwargs)

    export_chunk = 2_000

    def iter_queryset(self, queryset):
        """The rows of an export a chunk at a time, each chunk read with the related records
        the columns show (this resource's `get_queryset`): one query per chunk and relation,
        whatever queryset the caller passes (the admin passes its changelist's, which
        would otherwise cost a query per row and column)."""
        if not isinstance(queryset, QuerySet):
            yield from queryset
            return
        shown = self.get_queryset()
        ids = list(queryset.values_list("pk", flat=True))  # in the caller's order
        for start in range(0, len(ids), self.export_chunk):
            chunk = ids[start:start + self.export_chunk]
            rows = {row.pk: row for row in shown.filter(pk__in=chunk)}
            yield from (rows[pk] for pk in chunk if pk in rows)

    max_cell_chars = 100_000

    # A cell's cleaned value depends on its text alone for most widgets (a status label, a
    # username, a date): each distinct cell of such a column is cleaned once per file, and a
    # column of 10,000 statuses holds a handful. A widget whose value depends on other cells
    # of the row says so by a `memo_key(value, row)`; texts are cleaned each time (cheap, and
    # not worth keeping).
    def clean_cell(self, field, row, memo=None):
        """`field.clean(row)`, remembered per column and cell for this import."""
        value = row[field.column_name]
        widget = field.widget
        if type(widget) in TEXT_WIDGETS:
            return field.clean(row)
        key = widget.memo_key(value, row) if hasattr(widget, "memo_key") else value
        if memo is None:
            memo = self._clean_memo.setdefault(field.column_name, {})
        try:
            cleaned, error = memo[key]
        except KeyError:
            try:
                cleaned, error = field.clean(row), None
            except ValueError as problem:
                cleaned, error = None, problem
            memo[key] = cleaned, error
        except TypeError:  # a cell that cannot be a dictionary key
            return field.clean(row)
        if error is not None:
            raise ValueError(str(error))
        return list(cleaned) if isinstance(cleaned, list) else cleaned

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if is_m2m or field.readonly or not field.attribute or "__" in field.attribute or field.column_name not in row:
            return super().import_field(field, instance, row, is_m2m, **kwargs)
        cleaned = self.clean_cell(field, row)
        if cleaned is not None or field.saves_null_values:
            if not self.unchanged(instance, field.attribute, cleaned):  # most cells are as they were
                setattr(instance, field.attribute, cleaned)

    def unchanged(self, instance, attribute, value):
        """Whether the record holds `value` already (a foreign key compared by id: no query)."""
        if instance.pk is None:
            return False
        try:
            model_field = instance._meta.get_field(attribute)
        except FieldDoesNotExist:
            return False
        if model_field.many_to_one:
            return getattr(instance, model_field.attname) == (value.pk if value is not None else None)
        return model_field.concrete and getattr(instance, model_field.attname) == value

    def before_import_row(self, row, **kwargs):
        errors = {}
        for key, value in row.items():
            if value is None:
                row[key] = ""  # an empty cell of an Excel file, as in a CSV file
            elif isinstance(value, str):
                if "\x00" in value:
                    errors[key] = f"The {key} cell contains a NUL character; remove it."
                elif len(value) > self.max_cell_chars:
                    errors[key] = (f"The {key} cell has {len(value):,} characters; at most "
                                   f"{self.max_cell_chars:,} are accepted.")
                elif value[:1] == "'":
                    row[key] = restore_formula_text(value)
        meeting = self.fields.get("meeting")
        if isinstance(meeting, MeetingYearField) and "meeting" in row and "meeting" not in errors:
            if problem := meeting.problem(row):
                errors["meeting"] = problem
        if errors:
            raise ValidationError(errors)
        super().before_import_row(row, **kwargs)

    def get_import_fields(self):
        # Asked for several times per row by django-import-export; the fields do not change
        # during an import.
        if getattr(self, "_import_fields", None) is None:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    def import_instance(self, instance, row, **kwargs):
        """Every cell of the row onto the record, as django-import-export does, in one pass
        that also reads the many-to-many cells: those are saved after the row, and checked
        now, so that a bad name is reported with the row's other problems, not as a crash."""
        errors = {}
        instance._m2m_values = {}
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget):
                if field.column_name in row and field.column_name not in self.deferred_m2m:
                    try:
                        instance._m2m_values[field.attribute] = self.clean_cell(field, row)
                    except ValueError as error:
                        errors[field.attribute] = ValidationError(str(error), code="invalid")
                continue
            try:
                self.import_field(field, instance, row, **kwargs)
            except ValueError as error:
                errors[field.attribute] = ValidationError(force_str(error), code="invalid")
        if errors:
            raise ValidationError(errors)


TEXT_WIDGETS = (widgets.Widget, widgets.CharWidget)  # a text cell cleans to itself
MEMO_KEYS = {str, int, float, type(None)}  # the cells a column's memo is looked up by directly


class Listed:
    """A list that answers `.all()`, as a related manager does, for widgets' render()."""

    def __init__(self, items):
        self.items = items

    def all(self):
        return self.items


class MarkupDiff(resources.Diff):
    """The import preview's diff, marked up with <ins>/<del> rather than inline styles (the
    admin's Content-Security-Policy forbids those); gfmd_tracker/admin.css colours them."""

    def as_html(self):
        tags = {-1: "del", 0: "span", 1: "ins"}
        cells = []
        for old, new in zip(self.left, self.right):
            if old != new and self.new:
                old = ""
            dmp = diff_match_patch()
            parts = dmp.diff_main(force_str(old), force_str(new))
            dmp.diff_cleanupSemantic(parts)
            cells.append(mark_safe("".join(
                format_html("<{0}>{1}</{0}>", tags[op], text) for op, text in parts
            )))
        return cells


class ImportDiff(MarkupDiff):
    """The preview's old and new values, read without a query per row."""

    def __init__(self, resource, instance, new):  # not super(): it would read the values the slow way
        self.left, self.right, self.new = self.read(resource, instance), [], new

    def compare_with(self, resource, instance):
        self.right = self.read(resource, instance)

    @staticmethod
    def read(resource, instance):
        return [resource.diff_value(field, instance) if instance is not None else ""
                for field in resource.get_import_fields()]


class TrackedItemResource(BaseResource):
    """Shared columns and import rules of every tracked item, and a fast import.

    Follow-up fields read from a row are not written straight onto the record: each
    row's change is checked by `TrackedItem.apply_update` (the rules of `record_update`:
    who may change what, which status may follow which, the note), so the timeline
    says who changed what by import, exactly as after a user's update.

    Rows are checked one by one, each with its own messages, against records loaded
    once per file (locked on PostgreSQL until the import ends). Nothing is written until
    every row is checked; then items, timeline entries, history records and theme/actor
    links are written in a few bulk statements. A file with any bad row writes nothing.
    """

    status = fields.Field(attribute="status", column_name="status", widget=ChoiceWidget(Status.choices, "Status"))
    owner = fields.Field(
        attribute="owner", column_name="owner",
        widget=LookupWidget(get_user_model(), field="username", what="user"),
    )
    responsible_actors = fields.Field(
        attribute="responsible_actors", column_name="responsible_actors",
        widget=NamedManyWidget(Actor, field="name", what="actor(s)"),
    )
    themes = fields.Field(attribute="themes", column_name="themes", widget=NamedManyWidget(Theme, "slug", "theme(s)"))
    due_date = fields.Field(attribute="due_date", column_name="due_date", widget=DayWidget("due date"))
    progress = fields.Field(attribute="progress", column_name="progress",
                            widget=WholeNumberWidget("Progress", 0, 100))
    priority = fields.Field(
        attribute="priority", column_name="priority",
        widget=ChoiceWidget(Priority.choices, "Priority", allow_blank=True),
    )
    # The timeline note of the row's change: a column of imports only (see get_export_order).
    note = fields.Field(column_name="note", readonly=True)

    # Columns an import never reads (the history is copied from the rows by the database):
    # not loaded, which for 10,000 records is a tenth of a second.
    not_read = ("created_at", "updated_at", "last_note")

    # The notes of a row with none: a row that closes or stalls an item must have its own
    # (NOTE_REQUIRED_FOR, as in the update form).
    import_note = "Changed by spreadsheet import."
    create_note = "Created by spreadsheet import."
    # Up to this many rows the preview shows each changed value; a larger file is previewed
    # by each row's outcome (new, update, skip, error), which is what one can read at that size.
    diff_preview_rows = 1_000
    batch = 2_000

    def get_export_order(self):
        """Every column but the note: an export holds the records; a note is what an editor
        writes beside a change they import."""
        return tuple(name for name in super().get_export_order() if name != "note")

    # --- identifying rows: a subclass says which columns name a record and loads them

    def row_key(self, row):
        """The value(s) that name this row's record, or None if they are unreadable."""
        raise NotImplementedError

    def preload(self, keys):
        """{key: record} for the keys of a file, in a fixed number of queries."""
        raise NotImplementedError

    def describe_key(self, key):
        return " / ".join(str(part) for part in key)

    def get_instance(self, instance_loader, row):
        return self.instances.get(self.key_of(row))

    def key_of(self, row):
        """`row_key(row)`, worked out once for the row being imported (asked for twice)."""
        last = getattr(self, "_last_key", None)
        if last is not None and last[0] is row:
            return last[1]
        key = self.row_key(row)
        self._last_key = row, key
        return key

    @property
    def timeline_model(self):
        return self._meta.model._meta.get_field("updates").related_model

    def locked(self, queryset):
        """Lock the file's records until the import ends, so that no update made meanwhile
        is overwritten (PostgreSQL; SQLite locks the whole database on write anyway)."""
        if connection.in_atomic_block and connection.features.has_select_for_update:
            return queryset.select_for_update(of=("self",))
        return queryset

    # --- the import

    def import_data_inner(self, dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs):
        # The writes of one batch run in the database while the next batch is checked.
        with bulk.pipelined(self.get_db_connection_name()):
            return super().import_data_inner(
                dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs
            )

    def before_import(self, dataset, **kwargs):
        self.import_user = kwargs.get("user")
        self.now = timezone.now()
        self.seen, self._last_key = {}, None
        if len(dataset) > self.diff_preview_rows and not self._meta.skip_diff:
            self._meta = copy(self._meta)  # this resource only
            self._meta.skip_diff = True
        super().before_import(dataset, **kwargs)
        keys = set()
        for values in dataset:
            key = self.row_key(dict(zip(dataset.headers, values)))
            if key is not None:
                keys.add(key)
        self.instances = self.preload(keys) if keys else {}
        for field in self.get_import_fields():
            if field.column_name in dataset.headers and callable(getattr(field.widget, "preload", None)):
                field.widget.preload(dataset[field.column_name])
        user = self.import_user
        # An editor may change any item: checked once per file, not once per row.
        blank = self._meta.model()
        self.edits_any = user is None or (blank.can_log_update(user) and blank.can_edit_any(user))
        self.load_links(list(self.instances.values()))

    def link_fields(self):
        """(import field, link table, its column of this record, its column of the linked record)
        of each many-to-many column."""
        model = self._meta.model
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget):
                relation = model._meta.get_field(field.attribute)
                yield (field, relation.remote_field.through,
                       f"{relation.m2m_field_name()}_id", f"{relation.m2m_reverse_field_name()}_id")

    def load_links(self, items):
        """Each record's current many-to-many links as sets of ids (`_m2m_before`): one query
        of ids per column, plus one for the linked records (kept for the preview), instead of
        a prefetch that builds an object per link. Sets also survive the preview's copy of
        each record."""
        pks = [item.pk for item in items]
        self.linked_records = {}
        for item in items:
            item._m2m_before = {}
        for field, through, source, target in self.link_fields():
            attr = field.attribute
            links = defaultdict(set)
            for item_pk, target_pk in bulk.pairs(through, source, target, pks):
                links[item_pk].add(target_pk)
            for item in items:
                item._m2m_before[attr] = links.get(item.pk) or set()
            related = getattr(field.widget, "related_queryset", None)
            queryset = related() if related else field.widget.model._default_manager.all()
            self.linked_records[attr] = queryset.in_bulk(set().union(*(item._m2m_before[attr] for item in items)))

    def linked(self, instance, attribute):
        """The records `instance` is linked to now, in their model's order (for the preview)."""
        records = self.linked_records[attribute]  # in the related model's order
        ids = instance._m2m_before[attribute]
        return [record for pk, record in records.items() if pk in ids]

    def get_diff_class(self):
        return ImportDiff

    def diff_value(self, field, instance):
        if field is self.fields["note"]:  # not a field of the record: the preview shows the row's
            return getattr(instance, "_row_note", "")
        # The preview shows a record's links as the row sets them (they are written at the
        # end) or as they were loaded.
        if isinstance(field.widget, widgets.ManyToManyWidget):
            if field.attribute in getattr(instance, "_m2m_values", {}):
                return field.widget.render(Listed(instance._m2m_values[field.attribute]), instance)
            if field.attribute in getattr(instance, "_m2m_before", {}):
                return field.widget.render(Listed(self.linked(instance, field.attribute)), instance)
        return field.export(instance)

    def import_plan(self):
        """What each import column needs per row, worked out once per import: (field, column,
        attname of the model field it sets or None, whether that is a foreign key, whether
        its cell is a text that cleans to itself, whether its cleaned cells are remembered by
        the cell alone, the column's remembered cleaned cells)."""
        if getattr(self, "_import_plan", None) is None:
            opts, plan = self._meta.model._meta, []
            for field in self.get_import_fields():
                try:
                    model_field = opts.get_field(field.attribute) if field.attribute else None
                except FieldDoesNotExist:
                    model_field = None
                concrete = (model_field is not None and model_field.concrete and not model_field.many_to_many
                            and not field.readonly)
                text = concrete and type(field.widget) in TEXT_WIDGETS
                plain = concrete and not text and not hasattr(field.widget, "memo_key")
                plan.append((field, field.column_name, model_field.attname if concrete else None,
                             concrete and model_field.many_to_one, text, plain,
                             self._clean_memo.setdefault(field.column_name, {})))
            self._import_plan = plan
        return self._import_plan

    def import_instance(self, instance, row, **kwargs):
        """The row's cells onto the record. Each value that differs from the record's is set
        and its old value kept in `_changed` (attname: old), which the checks and the bulk
        update read; a cell equal to the record's value is not set again."""
        key = self.key_of(row)
        if key is not None:
            if key in self.seen:
                raise ValidationError(
                    f"This row names the same record as row {self.seen[key]} ({self.describe_key(key)}); "
                    "a file may list each record once."
                )
            self.seen[key] = kwargs["row_number"] + 1  # as the spreadsheet numbers it (SheetResult)
        existing = instance.pk is not None
        if existing:
            instance._tracked_before = {f: getattr(instance, f) for f in instance.tracked_fields}
        changed = instance._changed = {}
        instance._m2m_values, instance._m2m_new = {}, {}
        errors = {}
        instance._row_note = str(row.get("note") or "").strip()
        if len(instance._row_note) > NOTE_MAX_LENGTH:
            errors["note"] = ValidationError(f"The note has {len(instance._row_note):,} characters; at most "
                                             f"{NOTE_MAX_LENGTH:,} are accepted.", code="invalid")
        for field, column, attname, foreign_key, text, plain, memo in self.import_plan():
            if column not in row or field.readonly:
                continue
            if text and existing and row[column] == getattr(instance, attname):
                continue  # a text as the record has it (cleaning a text returns it as it is)
            try:
                if attname is None:
                    if isinstance(field.widget, widgets.ManyToManyWidget):
                        if column not in self.deferred_m2m:
                            instance._m2m_values[field.attribute] = self.clean_cell(field, row, memo)
                    else:
                        self.import_field(field, instance, row, **kwargs)
                    continue
                remembered = memo.get(row[column]) if plain and type(row[column]) in MEMO_KEYS else None
                if remembered is None:
                    cleaned = self.clean_cell(field, row, memo)
                elif remembered[1] is not None:  # what clean_cell does with a remembered cell
                    raise ValueError(str(remembered[1]))
                else:
                    cleaned = list(remembered[0]) if isinstance(remembered[0], list) else remembered[0]
            except ValueError as error:
                errors[field.attribute] = ValidationError(force_str(error), code="invalid")
                continue
            if cleaned is None and not field.saves_null_values:
                continue
            old = getattr(instance, attname)
            if not existing or old != (cleaned.pk if foreign_key and cleaned is not None else cleaned):
                setattr(instance, field.attribute, cleaned)
                if existing:
                    changed.setdefault(attname, old)
        if errors:
            raise ValidationError(errors)

    def m2m_attributes(self):
        if not hasattr(self, "_m2m_attributes"):
            self._m2m_attributes = [
                f.attribute for f in self.get_import_fields() if isinstance(f.widget, widgets.ManyToManyWidget)
            ]
        return self._m2m_attributes

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or not self._meta.skip_unchanged or not instance.pk:
            return False
        if any(getattr(instance, f) != old for f, old in instance._changed.items()):
            return False
        return all(self.new_links(instance, attr) == instance._m2m_before[attr] for attr in instance._m2m_values)

    @staticmethod
    def new_links(instance, attr):
        """The ids of the records the row links `instance` to."""
        cache = instance._m2m_new
        if attr not in cache:
            cache[attr] = {o.pk for o in instance._m2m_values[attr]}
        return cache[attr]

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's own checks, then the follow-up rules. Uniqueness needs no query: a
        row's key is its record's natural key, and repeated keys are refused above; a
        related record was found by its widget, so it exists."""
        errors = dict(import_validation_errors or {})
        by_attname, names = self.model_fields()
        if instance.pk:  # a value the row leaves as the record has it was checked when it was saved
            fields = [by_attname[attname] for attname in instance._changed]
        else:
            fields = by_attname.values()
        check = {f.name for f in fields if not (f.is_relation and getattr(instance, f.attname) is not None)}
        exclude = names - (check - set(errors))
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        # The follow-up rules judge the cells that were read (a cell that could not be read left
        # its field as it was), so that a row's refused change is reported with its bad cells, in
        # one preview; a row that was not read (a repeated record) is not judged.
        if NON_FIELD_ERRORS not in errors:
            try:
                if instance.pk:
                    self.plan_update(instance)
                elif "owner" not in errors:  # a new item's owner, by the rule `apply_update` applies
                    instance.check_owner(instance.owner)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
            except PermissionDenied as error:
                errors = ValidationError(str(error)).update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def model_fields(self):
        """({attname: concrete field}, names of all fields) of the model, worked out once."""
        if getattr(self, "_model_fields", None) is None:
            opts = self._meta.model._meta
            self._model_fields = {f.attname: f for f in opts.concrete_fields}, frozenset(f.name for f in opts.fields)
        return self._model_fields

    def plan_update(self, instance):
        """Check the row's change of follow-up fields by the rules of `record_update`."""
        before = instance._tracked_before
        changes = {f: getattr(instance, f) for f, old in before.items() if getattr(instance, f) != old}
        for field in changes:
            setattr(instance, field, before[field])
        note = instance._row_note
        if not note and changes.get("status") not in NOTE_REQUIRED_FOR:
            note = self.import_note
        instance._timeline_values = (
            instance.apply_update(by=self.import_user, note=note, changes=changes, permission_checked=self.edits_any)
            if changes else None
        )
        instance._import_note = note

    # --- writing: everything at once, after every row was checked

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        self.write_all(self.create_instances, self.create_all, using_transactions, dry_run, raise_errors, result)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        self.write_all(self.update_instances, self.update_all, using_transactions, dry_run, raise_errors, result)

    def write_all(self, items, write, using_transactions, dry_run, raise_errors, result):
        """Run `write(items)` unless there is nothing to write or a dry run cannot be rolled
        back; then the links, a new data version, and an empty list for the next batch."""
        if not items or (dry_run and not using_transactions):
            items.clear()
            return
        try:
            write(items)
            self.write_m2m(items)
            versioning.bump()
        except Exception as error:
            self.handle_import_error(result, error, raise_errors)
        finally:
            items.clear()

    def timeline_row(self, item, note, values):
        return {"item_id": item.pk, "author_id": self.import_user.pk if self.import_user else None,
                "note": note, "created_at": self.now, **values}

    def create_all(self, items):
        model = self._meta.model
        for item in items:
            item.last_update_at, item.last_note = self.now, item._row_note or self.create_note
        model.objects.bulk_create(items, batch_size=self.batch)  # the links and timeline need the ids
        bulk.history(model, [item.pk for item in items], update=False, user=self.import_user, date=self.now)
        bulk.insert(self.timeline_model, [
            self.timeline_row(item, item.last_note, {f"{f}_after": getattr(item, f) for f in item.tracked_fields})
            for item in items
        ])
        if hasattr(model.objects, "renumber"):
            model.objects.filter(pk__in=[item.pk for item in items]).renumber()

    def update_all(self, items):
        model = self._meta.model
        changed = {f for item in items for f, old in item._changed.items() if getattr(item, f) != old}
        entries, latest, others = [], [], []
        for item in items:
            item.version += 1  # an open edit form of this item is now out of date
            item.updated_at = self.now
            if item._timeline_values is not None:
                entries.append(self.timeline_row(item, item._import_note, item._timeline_values))
                if item.last_update_at is None or item.last_update_at <= self.now:
                    item.last_update_at, item.last_note = self.now, item._import_note
                    latest.append(item)
                    continue
            others.append(item)
        names = {f.attname: f.name for f in model._meta.concrete_fields}
        fields = [names[f] for f in sorted(changed)] + ["version", "updated_at"]
        # The latest update and note only where this import wrote them: the rest keep theirs,
        # and their note was never read (`not_read`: reading it would cost a query per row).
        bulk.bulk_update(model, latest, fields + ["last_update_at", "last_note"], batch_size=self.batch)
        bulk.bulk_update(model, others, fields, batch_size=self.batch)
        bulk.history(model, [item.pk for item in items], update=True, user=self.import_user, date=self.now)
        bulk.insert(self.timeline_model, entries)

    def write_m2m(self, items):
        """Links added and removed, per many-to-many column, in one statement each."""
        model = self._meta.model
        for attr in self.m2m_attributes():
            field = model._meta.get_field(attr)
            through = field.remote_field.through
            source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
            added, removed = [], []
            for item in items:
                if attr not in getattr(item, "_m2m_values", {}):
                    continue
                new = self.new_links(item, attr)
                old = getattr(item, "_m2m_before", {}).get(attr, set())
                added += [(item.pk, pk) for pk in new - old]
                removed += [(item.pk, pk) for pk in old - new]
            bulk.relink(through, source, target, added, removed)
            for item in items:  # the instances now say what the database says
                if attr in getattr(item, "_m2m_values", {}) and hasattr(item, "_prefetched_objects_cache"):
                    item._prefetched_objects_cache.pop(field.name, None)


class RecommendationResource(TrackedItemResource):
    meeting = MeetingYearField()
    session = fields.Field(attribute="session", column_name="session", widget=SessionWidget())
    number = fields.Field(attribute="number", column_name="number", widget=WholeNumberWidget("The number", 1, 32767))

    class Meta:
        model = Recommendation
        import_id_fields = ("meeting", "session", "number")
        fields = (
            "meeting", "session", "number", "title", "text", "themes", "status", "owner", "responsible_actors",
            "due_date", "progress", "priority", "note",
        )
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_bulk = True

    def row_key(self, row):
        year, number = whole_number(row.get("meeting")), whole_number(row.get("number"))
        if not isinstance(year, int) or not isinstance(number, int):
            return None  # the field widgets say what is wrong with the row
        return (year, str(row.get("session") or "").strip(), number)

    def describe_key(self, key):
        return f"meeting {key[0]}, session {key[1]}, number {key[2]}"

    def preload(self, keys):
        years, codes = {k[0] for k in keys}, {k[1] for k in keys}
        sessions = {}
        for session in Session.objects.select_related("meeting").filter(meeting__year__in=years, code__in=codes):
            sessions[session.pk] = (session.meeting.year, session.code)
            self.fields["session"].widget.remember(session)
        found = {}
        ids = sorted(sessions)
        model = self._meta.model
        for start in range(0, len(ids), 500):
            session_ids = ids[start:start + 500]
            queryset = model.objects.order_by().filter(
                session_id__in=session_ids, number__in={k[2] for k in keys}
            ).defer(*self.not_read)
            for item in self.locked(queryset):
                key = (*sessions[item.session_id], item.number)
                if key in keys:
                    found[key] = item
        # Each record's session and owner, shared: not a copy of them per row from a join.
        remembered = self.fields["session"].widget.remembered
        owners = get_user_model().objects.in_bulk({item.owner_id for item in found.values()} - {None})
        session_field, owner_field = model._meta.get_field("session"), model._meta.get_field("owner")
        for item in found.values():
            session_field.set_cached_value(item, remembered[item.session_id])
            owner_field.set_cached_value(item, owners.get(item.owner_id))
        return found

    def get_queryset(self):
        return (
            super().get_queryset()
            .select_related("session__meeting", "owner")
            .prefetch_related("themes", "responsible_actors")
        )


class FollowUpItemResource(RecommendationResource):
    class Meta(RecommendationResource.Meta):
        model = FollowUpItem


class CountryWidget(widgets.Widget):
    """An ISO 3166 alpha-2 code, checked against the list of countries."""

    def clean(self, value, row=None, **kwargs):
        from django_countries import countries

        code = str(value or "").strip().upper()
        if code and code not in countries:
            raise ValueError(f"'{code}' is not an ISO 3166 country code (e.g. MX, CH, PH).")
        return code

    def render(self, value, obj=None, **kwargs):
        return getattr(value, "code", value) or ""


class ActorResource(BaseResource):
    """Actors by name. Members are linked after every row is in, so a group may list
    actors that come later in the same file."""

    kind = fields.Field(
        attribute="kind", column_name="kind", widget=ChoiceWidget(Actor.Kind.choices, "Kind")
    )
    country = fields.Field(attribute="country", column_name="country", widget=CountryWidget())
    members = fields.Field(
        attribute="members", column_name="members", widget=NamedManyWidget(Actor, field="name", what="member(s)")
    )
    deferred_m2m = ("members",)

    class Meta:
        model = Actor
        import_id_fields = ("name",)
        fields = ("name", "short_name", "kind", "country", "members", "notes")
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_queryset(self):
        return super().get_queryset().prefetch_related("members")

    def before_import(self, dataset, **kwargs):
        self.pending_members = []
        super().before_import(dataset, **kwargs)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.column_name == "members":
            if is_m2m and field.column_name in row:
                self.pending_members.append((instance, row))
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def after_import(self, dataset, result, **kwargs):
        widget = self.fields["members"].widget
        for instance, row in self.pending_members:
            try:
                instance.members.set(widget.clean(row["members"], row))
            except ValueError as error:
                raise ValueError(f"Actor '{instance.name}': {error}") from None
        super().after_import(dataset, result, **kwargs)
