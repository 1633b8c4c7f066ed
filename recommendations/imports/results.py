"""What an import tells the editor: rows numbered as the spreadsheet numbers them, plain
sentences instead of tracebacks, and each changed cell marked up for the preview."""

import logging

from django.core.exceptions import ValidationError
from django.template.loader import get_template
from django.utils.encoding import force_str
from django.utils.translation import gettext
from import_export import resources, results
from import_export.results import RowResult

from gfmd_tracker.columns import column_choice, column_language

logger = logging.getLogger(__name__)


class SheetResult(results.Result):
    """Rows numbered as a spreadsheet numbers them (the column names are row 1), and an empty
    cell the record needs said so in those words."""

    def append_invalid_row(self, number, row, validation_error):
        if hasattr(validation_error, "error_dict"):  # the model's words for an empty cell, as the editor's
            validation_error = ValidationError({
                # Translators: field is the spreadsheet's column ("title"): it stays in English.
                field: [ValidationError(gettext("The %(column)s cell is empty; it must be filled in.")
                                        % {"column": field})
                        if error.code in ("blank", "null") else error for error in errors]
                for field, errors in validation_error.error_dict.items()
            })
        super().append_invalid_row(number + 1, row, validation_error)

    def append_error_row(self, number, row, errors):
        super().append_error_row(number + 1, row, errors)

    def row_errors(self):
        return [(number + 1, errors) for number, errors in super().row_errors()]

    # The preview: its summary first, then the rows that change something, the unchanged ones
    # apart (the template folds them away), each with its number in the spreadsheet.

    def numbered_rows(self, *import_types):
        """(number, row) of the rows of these import types; each row's `cells`, (language, cell) of its diff."""
        languages = [column_language(name) for name in self.diff_headers]
        rows = [(index + 2, row) for index, row in enumerate(self.rows)
                if row.import_type in import_types and not getattr(row, "blank", False)]
        for _number, row in rows:
            row.cells = list(zip(languages, row.diff or []))
        return rows

    def columns(self):
        """The preview's column headings, each as the export page names it: « Statut (status) »."""
        return [column_choice(name) for name in self.diff_headers]

    def changed_rows(self):
        return self.numbered_rows(RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE, RowResult.IMPORT_TYPE_DELETE)

    def unchanged_rows(self):
        return self.numbered_rows(RowResult.IMPORT_TYPE_SKIP)

    def summary(self):
        """How many rows of the file are new, change a record, change nothing, or are refused
        (blank lines are not rows)."""
        return {"new": self.totals[RowResult.IMPORT_TYPE_NEW], "changed": self.totals[RowResult.IMPORT_TYPE_UPDATE],
                "unchanged": len(self.unchanged_rows()),
                "errors": self.totals[RowResult.IMPORT_TYPE_INVALID] + self.totals[RowResult.IMPORT_TYPE_ERROR]}


class SheetError(results.Error):
    """An error that is not a bad cell: shown by its message where it is one of ours (a ValueError
    or ValidationError), else by a plain sentence, the details written to the log."""

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
        return gettext("This could not be imported because of an error in the application (written to the "
                       "server's log); nothing was written.")


class MarkupDiff(resources.Diff):
    """The preview's cells (recommendations/imports/diff_cell.html): a changed value as its whole
    before → after, not the library's letter-by-letter diff in inline styles (which the admin's
    Content-Security-Policy forbids, and which garbled words: ~~Not start~~Plann-ed);
    gfmd_tracker/admin.css colours them."""

    def as_html(self):
        template = get_template("recommendations/imports/diff_cell.html")
        return [template.render({"before": force_str(old), "after": force_str(new), "new": self.new,
                                 "changed": force_str(old) != force_str(new)})
                for old, new in zip(self.left, self.right)]
