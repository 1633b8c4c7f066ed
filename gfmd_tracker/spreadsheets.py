"""Spreadsheet uploads, checked before and while they are read (limits: IMPORT_MAX_BYTES, IMPORT_MAX_ROWS).
Every refusal is an `UploadRefused` whose message says what is wrong and what to do; the admin
shows it on the import form (`CheckedImportMixin`), and nothing is written."""

import csv
import io
import itertools
import zipfile
from collections import Counter

import tablib
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ConfirmImportForm, ImportForm, SelectableFieldsExportForm

from .columns import column_choice, column_label, column_width

# An .xlsx is a zip of XML files (check_archive).
MAX_UNPACKED_BYTES = 200 * 2**20
MAX_COMPRESSION_RATIO = 200
# The widest sheet of the tracker has 15 columns.
MAX_COLUMNS = 100


class UploadRefused(ValueError):
    pass


def grouped(number):
    """A count as the reader's language groups it: "12,345", "12 345"."""
    return number_format(number, force_grouping=True)


def check_table(dataset):
    """What every uploaded table must be, whatever its format."""
    headers = [str(h or "").strip() for h in (dataset.headers or [])]
    if not headers or not any(headers):
        raise UploadRefused(_("The file is empty: the first row must name the columns (export a file to see them)."))
    if "" in headers:
        raise UploadRefused(_("Column %(number)s has no name in the first row; name it or delete it.")
                            % {"number": headers.index("") + 1})
    repeated = sorted(name for name, n in Counter(headers).items() if n > 1)
    if repeated:
        raise UploadRefused(_("These columns appear more than once: %(columns)s. Keep one of each.")
                            % {"columns": ", ".join(repeated)})
    if dataset.height > settings.IMPORT_MAX_ROWS:
        raise UploadRefused(_("The file has %(rows)s rows; at most %(most)s are imported at once. Split it into "
                              "smaller files.")
                            % {"rows": grouped(dataset.height), "most": grouped(settings.IMPORT_MAX_ROWS)})
    if dataset.height == 0:
        raise UploadRefused(_("The file has column names but no rows to import."))
    dataset.headers = headers
    return dataset


class CheckedCSV(CSV):
    """CSV in UTF-8 (with or without a byte-order mark), separated by commas, semicolons or
    tabs: whichever the first line uses, as spreadsheet programs save it in various locales."""

    def create_dataset(self, in_stream, **kwargs):
        try:
            text = in_stream.decode("utf-8-sig").lstrip("\ufeff")
        except UnicodeDecodeError:
            if b"\x00" in in_stream:
                raise UploadRefused(_("This is not a CSV text file (it contains binary data). Choose the Excel "
                                      "format for .xlsx files.")) from None
            raise UploadRefused(_("The file is not in UTF-8. In Excel choose “CSV UTF-8”; in LibreOffice tick "
                                  "“Edit filter settings” and choose Unicode (UTF-8).")) from None
        if "\x00" in text:
            raise UploadRefused(_("This is not a CSV text file (it contains binary data)."))
        delimiter = max((",", ";", "\t"), key=text.split("\n", 1)[0].count)  # the one the first line uses most
        try:
            # Blank lines are kept (as empty rows, which an import skips), so that rows are
            # numbered as a spreadsheet program numbers them; tablib would drop them.
            headers, *rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)) or [[]]
            while rows and not any(rows[-1]):
                rows.pop()
            dataset = tablib.Dataset(*[row or [""] * len(headers) for row in rows], headers=headers)
        except (csv.Error, tablib.InvalidDimensions) as error:
            raise UploadRefused(_("The CSV file cannot be read: %(error)s. Check that every row has the same "
                                  "number of columns.") % {"error": error}) from None
        return check_table(dataset)


class CheckedXLSX(XLSX):
    """The first sheet of a real .xlsx of sane size, read without resolving XML entities
    (openpyxl parses with defusedxml when it is installed, as it is here); exported as a sheet
    people read (`write_table`)."""

    def export_data(self, dataset, **kwargs):
        from openpyxl import Workbook
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        book = Workbook(write_only=True)
        # As tablib wrote them: a control character Excel cannot hold becomes "-".
        rows = ([ILLEGAL_CHARACTERS_RE.sub("-", v) if isinstance(v, str) else v for v in row] for row in dataset)
        write_table(book, dataset.title or pgettext("sheet", "Export"), itertools.chain([dataset.headers], rows))
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    def create_dataset(self, in_stream):
        import openpyxl

        check_archive(in_stream)
        try:
            sheet = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True).active
            rows, columns = sheet.max_row or 0, sheet.max_column or 0  # as the file declares them
            if rows - 1 > settings.IMPORT_MAX_ROWS or columns > MAX_COLUMNS:
                raise UploadRefused(_(
                    "The Excel sheet says it spans %(rows)s rows and %(columns)s columns; at most %(most_rows)s rows "
                    "and %(most_columns)s columns are imported at once. Delete the empty rows and columns after your "
                    "data, or save the sheet as CSV.") % {"rows": grouped(rows), "columns": grouped(columns),
                                                          "most_rows": grouped(settings.IMPORT_MAX_ROWS),
                                                          "most_columns": MAX_COLUMNS})
            dataset = read_sheet(sheet)
        except UploadRefused:
            raise
        except Exception as error:  # openpyxl and defusedxml raise many kinds
            raise UploadRefused(_("The Excel file cannot be read (%(error)s). Save it again from Excel, or as CSV.")
                                % {"error": type(error).__name__}) from None
        return check_table(dataset)


def column_names(headers, names):
    """A file's headers as the columns' `names`: each header is a name, or its label in any of the site's
    languages (any case): a sheet exported in French is read back by an English editor."""
    by_label = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            by_label.update({column_label(name).lower(): name for name in names})
    found = [header if header in names else by_label.get(str(header).strip().lower(), header) for header in headers]
    repeated = sorted({name for name in found if found.count(name) > 1} & set(names))
    if repeated:
        same = "; ".join(" and ".join(f"'{h}'" for h, n in zip(headers, found) if n == name) for name in repeated)
        raise UploadRefused(_("These columns are the same column, by its name and by its label: %(columns)s. "
                              "Keep one.") % {"columns": same})
    return found


def write_table(book, title, rows):
    """`rows` (the first holds the columns' names) on a new sheet of a write-only openpyxl `book`:
    labels in bold, column widths, the header row frozen and an autofilter over the table."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    rows = iter(rows)
    names = list(next(rows))
    sheet = book.create_sheet(title[:31])
    for number, name in enumerate(names, 1):
        sheet.column_dimensions[get_column_letter(number)].width = column_width(name)
    sheet.freeze_panes = "A2"
    header = [WriteOnlyCell(sheet, value=column_label(name)) for name in names]
    for cell in header:
        cell.font = Font(bold=True)
    sheet.append(header)
    count = 0
    for count, row in enumerate(rows, 1):
        sheet.append(row)
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(names), 1))}{count + 1}"
    return sheet


def export_filename(stem, extension):
    """A download's file name, the same from the user views and the admin: gfmd-recommendations-2026-11-26.xlsx."""
    return f"gfmd-{stem}-{timezone.localdate():%Y-%m-%d}.{extension}"


def check_archive(content):
    """An .xlsx is a zip of XML files: refuse one that is not, or that would unpack to more than
    a spreadsheet holds, or whose parts are compressed more than a spreadsheet ever is (a zip bomb)."""
    try:
        parts = zipfile.ZipFile(io.BytesIO(content)).infolist()
    except (zipfile.BadZipFile, ValueError):
        raise UploadRefused(_("This is not an Excel .xlsx file. Choose the CSV format for .csv files; "
                              "save old .xls files as .xlsx first.")) from None
    unpacked = sum(p.file_size for p in parts)
    packed = sum(p.compress_size for p in parts) or 1
    if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_COMPRESSION_RATIO:
        raise UploadRefused(_("The Excel file would unpack to %(size)s, far more than a spreadsheet of this size "
                              "holds; it was not opened. Save it again from Excel, or as CSV.")
                            % {"size": filesizeformat(unpacked)})


def read_sheet(sheet):
    """The cells there are, not the size the file declares (openpyxl pads every row to it): the
    names of the columns, then rows cut to as many columns, counted empty or not."""
    sheet.reset_dimensions()
    headers = list(next(sheet.iter_rows(max_row=1, values_only=True), None) or [])
    if len(headers) > MAX_COLUMNS:
        raise UploadRefused(_("The first row has %(columns)s columns; at most %(most)s are imported. Delete the "
                              "columns that are not in an exported file.")
                            % {"columns": grouped(len(headers)), "most": MAX_COLUMNS})
    dataset, empty = tablib.Dataset(headers=headers), 0
    for row in sheet.iter_rows(min_row=2, max_col=len(headers) or 1, values_only=True):
        if dataset.height + empty >= settings.IMPORT_MAX_ROWS:
            most = grouped(settings.IMPORT_MAX_ROWS)
            raise UploadRefused(_("The file has more than %(most)s rows (empty rows included); at most %(most)s are "
                                  "imported at once. Delete the empty rows, or split the file into smaller files.")
                                % {"most": most})
        if all(value in (None, "") for value in row):
            empty += 1  # kept only between rows (an import skips them), so rows keep their numbers
            continue
        for _row in range(empty):
            dataset.append([None] * len(headers))
        empty = 0
        dataset.append(list(row) + [None] * (len(headers) - len(row)))
    return dataset


class CheckedImportForm(ImportForm):
    """The admin's import form, where the upload's size is checked before it is read, and
    the preview gets its stylesheet (gfmd_tracker/admin.css; the import page renders the
    form's media, not the admin's)."""

    class Media:
        css = {"all": ("gfmd_tracker/admin.css",)}

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; at most %(most)s can be imported at once. Split it into smaller files.")
                % {"size": filesizeformat(upload.size), "most": filesizeformat(settings.IMPORT_MAX_BYTES)})
        return upload


def preview_gone_message():
    minutes = settings.IMPORT_PREVIEW_MAX_AGE // 60
    return ngettext("This import preview is no longer available: previews expire after %(minutes)s minute, and "
                    "each can be confirmed once, by the person who uploaded the file. Upload the file again.",
                    "This import preview is no longer available: previews expire after %(minutes)s minutes, and "
                    "each can be confirmed once, by the person who uploaded the file. Upload the file again.",
                    minutes) % {"minutes": minutes}


class CheckedConfirmForm(ConfirmImportForm):
    """The admin's "Confirm import" form: it names a current preview (an `ImportPreview`) shown to
    this user, with a format and resource of the page (by their position in its lists, as
    django-import-export posts them), or it is refused with a message; never a file."""

    def __init__(self, *args, user=None, formats=(), resources=(), **kwargs):
        self.user, self.formats, self.resources = user, formats, resources
        super().__init__(*args, **kwargs)

    def clean(self):
        from .models import ImportPreview

        cleaned = super().clean()
        name = cleaned.get("import_file_name")
        if name and not ImportPreview.objects.current().filter(name=name, user=self.user).exists():
            raise forms.ValidationError(preview_gone_message())
        chosen = ((str(cleaned.get("format", "")), self.formats), (str(cleaned.get("resource") or "0"), self.resources))
        if not all(i.isdecimal() and int(i) < len(options) for i, options in chosen):
            raise forms.ValidationError(_("This confirmation names no format or resource of this import page. "
                                          "Upload the file again."))
        return cleaned


class LabelledExportForm(SelectableFieldsExportForm):  # django-import-export's `export_form_class` hook
    """The export page's box for each column, named as the Excel sheet labels it in the reader's language, with the
    name a CSV file gives it (`column_choice`), not the library's title-cased name in English."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for resource in self.resources:
            for name, column in resource().fields.items():
                box = self.fields.get(self.create_boolean_field_name(resource, name))
                if box is not None:  # a column the export writes
                    box.label = column_choice(column.column_name)


class CheckedImportMixin:
    """For ModelAdmins with import and export: our forms, our messages for files that cannot be read,
    our import page (gfmd_tracker/templates/admin/gfmd_tracker/import.html), an export page that works
    under the Content-Security-Policy (export.html) and exported files named as the user views name them
    (`export_stem`, by default the model's plural: gfmd-recommendations-<date>.xlsx)."""

    import_template_name = "admin/gfmd_tracker/import.html"
    import_form_class = CheckedImportForm
    confirm_form_class = CheckedConfirmForm
    export_template_name = "admin/gfmd_tracker/export.html"
    export_form_class = LabelledExportForm
    export_stem = None

    def get_export_filename(self, request, queryset, file_format):
        if self.export_stem:
            return export_filename(self.export_stem, file_format.get_extension())
        with translation.override("en"):  # a file's name is English in every language, as its columns are
            stem = slugify(str(self.model._meta.verbose_name_plural))  # slugify would stay lazy
        return export_filename(stem, file_format.get_extension())

    def get_confirm_form_kwargs(self, request, import_form=None):
        return {**super().get_confirm_form_kwargs(request, import_form), "user": request.user,
                "formats": self.get_import_formats(), "resources": self.get_import_resource_classes(request)}

    def process_import(self, request, **kwargs):
        """A refused confirmation (a preview gone, or confirmed in another format than it was
        uploaded in: a crafted form) is answered 400, with the page that says why."""
        try:
            response = super().process_import(request, **kwargs)
        except UploadRefused as refused:
            form = self.create_confirm_form(request)
            form.is_valid()
            form.add_error(None, str(refused))
            context = {**self.admin_site.each_context(request), "title": _("Import"), "confirm_form": form,
                       "opts": self.model._meta}
            return TemplateResponse(request, [self.import_template_name], context, status=400)
        form = (getattr(response, "context_data", None) or {}).get("confirm_form")
        if form is not None and form.errors:
            response.status_code = 400
        return response

    def get_confirm_form_initial(self, request, import_form):
        from .models import ImportPreview

        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:  # the preview just shown: only its uploader may confirm it
            ImportPreview.objects.filter(name=initial["import_file_name"], user=None).update(user=request.user)
        return initial

    def add_data_read_fail_error_to_form(self, form, e):
        form.add_error("import_file", str(e) if isinstance(e, UploadRefused) else _(
            "The file cannot be read in the chosen format. Check the format (CSV or Excel .xlsx) and that the file "
            "opens in a spreadsheet program."))
