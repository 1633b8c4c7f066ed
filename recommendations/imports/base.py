"""What every spreadsheet of the tracker does, on django-import-export's documented hooks."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext
from import_export import fields, resources

from gfmd_tracker.content import translation_of
from gfmd_tracker.spreadsheets import column_names, grouped

from .results import MarkupDiff, SheetError, SheetResult
from .widgets import MeetingYearField, TranslationWidget, neutralise_formula, restore_formula_text


class BaseResource(resources.ModelResource):
    """What every spreadsheet of the tracker does.

    - A file with any invalid row writes nothing, whoever calls the import.
    - No exported cell runs as a formula in a spreadsheet (=, +, -, @, tab, CR).
    - A cell no column may hold (a NUL character, a book's worth of text) is refused.
    """

    class Meta:  # every resource's; a subclass's Meta subclasses it (the library looks only two classes up)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    max_cell_chars = 100_000
    export_chunk = 2_000
    export_only = ()  # columns an export writes and an import never reads (an item's freshness)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # A translation's column (`title_fr`, of Meta.fields): django-modeltrans adds its virtual field after the
        # admin has imported the resources, so the library's class cannot find it among the model's fields.
        model = self._meta.model
        for name in self._meta.fields or ():
            if name not in self.fields and translation_of(name):
                self.fields[name] = fields.Field(attribute=name, column_name=name, widget=TranslationWidget(
                    name, model._meta.get_field(name).max_length))

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
        # An exported Excel sheet's labels ("Responsible actors") read as the columns' names.
        dataset.headers = column_names(dataset.headers, [field.column_name for field in self.fields.values()])
        for field in self.fields.values():  # nothing remembered from an earlier file
            if hasattr(field.widget, "start_import"):
                field.widget.start_import()
        super().before_import(dataset, **kwargs)

    def get_import_fields(self):
        # Asked for once per row by django-import-export, each time worked out from the field
        # order (a twentieth of an import's time); the fields do not change during an import.
        if getattr(self, "_import_fields", None) is None:
            self._import_fields = [f for f in super().get_import_fields() if f.column_name not in self.export_only]
        return self._import_fields

    def export_field(self, field, instance, **kwargs):
        return neutralise_formula(super().export_field(field, instance, **kwargs))

    def import_row(self, row, instance_loader, **kwargs):
        if all(value in (None, "") for value in row.values()):  # a blank line of the file: nothing to do
            skipped = self.get_row_result_class()()
            skipped.import_type, skipped.blank = skipped.IMPORT_TYPE_SKIP, True  # not a row of the preview
            return skipped
        return super().import_row(row, instance_loader, **kwargs)

    def before_import_row(self, row, **kwargs):
        errors = {}
        for key, value in row.items():
            if value is None:
                row[key] = ""  # an empty cell of an Excel file, as in a CSV file
            elif isinstance(value, str):
                if problem := self.cell_problem(key, value):
                    errors[key] = problem
                elif value[:1] == "'":
                    row[key] = restore_formula_text(value)
        meeting = self.fields.get("meeting")
        if isinstance(meeting, MeetingYearField) and "meeting" in row and "meeting" not in errors:
            if problem := meeting.problem(row):
                errors["meeting"] = problem
        if errors:
            raise ValidationError(errors)
        super().before_import_row(row, **kwargs)

    def cell_problem(self, column, text):
        if "\x00" in text:
            # Translators: column is the spreadsheet's column ("title"): it stays in English.
            return gettext("The %(column)s cell contains a NUL character; remove it.") % {"column": column}
        if len(text) > self.max_cell_chars:
            # Translators: column is the spreadsheet's column ("title"): it stays in English.
            return gettext("The %(column)s cell has %(count)s characters; at most %(most)s are accepted.") % {
                "column": column, "count": grouped(len(text)), "most": grouped(self.max_cell_chars)}
        return None

    def iter_queryset(self, queryset):
        """An export's rows a chunk at a time, read by `get_queryset` with what the columns show,
        whatever queryset the caller passes (the admin's changelist would cost a query per cell)."""
        if not isinstance(queryset, QuerySet):
            yield from queryset
            return
        shown = self.get_queryset()
        ids = list(queryset.values_list("pk", flat=True))  # in the caller's order
        for start in range(0, len(ids), self.export_chunk):
            chunk = ids[start:start + self.export_chunk]
            rows = {row.pk: row for row in shown.filter(pk__in=chunk)}
            yield from (rows[pk] for pk in chunk if pk in rows)
