"""What an import tells the editor: rows numbered as the spreadsheet numbers them, plain
sentences instead of tracebacks, and each changed cell marked up for the preview."""

import logging

from diff_match_patch import diff_match_patch
from django.core.exceptions import ValidationError
from django.template.loader import get_template
from django.utils.encoding import force_str
from import_export import resources, results

logger = logging.getLogger(__name__)


class SheetResult(results.Result):
    """Rows numbered as a spreadsheet numbers them (the column names are row 1), and an empty
    cell the record needs said so in those words."""

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
        return ("This could not be imported because of an error in the application (written to the server's "
                "log); nothing was written.")


class MarkupDiff(resources.Diff):
    """The preview's changed cells marked up with <ins>/<del> (recommendations/imports/diff_cell.html)
    rather than the library's inline styles, which the admin's Content-Security-Policy forbids;
    gfmd_tracker/admin.css colours them."""

    tags = {-1: "del", 0: "span", 1: "ins"}

    def as_html(self):
        template, cells = get_template("recommendations/imports/diff_cell.html"), []
        for old, new in zip(self.left, self.right):
            if old != new and self.new:
                old = ""
            dmp = diff_match_patch()
            parts = dmp.diff_main(force_str(old), force_str(new))
            dmp.diff_cleanupSemantic(parts)
            cells.append(template.render({"parts": [(self.tags[op], text) for op, text in parts]}))
        return cells
