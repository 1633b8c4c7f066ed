"""CSV and XLSX downloads of a filtered list: exactly the rows of the list, all pages.

CSV is streamed, so its size is bounded by nothing but the filters; XLSX is built in memory and
therefore capped (XLSX_MAX_ROWS) with a clear message. The rows are read as tuples (`Table`), a chunk
at a time, with one query per chunk for each many-to-many column: the same cells as the spreadsheet
resources. On PostgreSQL the database writes the same cells itself (COPY, `db.postgres.csv_pieces`).
"""

import datetime
import io
import itertools
from dataclasses import dataclass, replace

from django.contrib import messages
from django.db import connections
from django.db.models import Case, CharField, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy
from openpyxl import Workbook

from gfmd_tracker.content import translation_names, translation_of
from gfmd_tracker.spreadsheets import export_filename, write_table

from . import dates, db
from .db import generic
from .imports.widgets import in_english, neutralise_formula
from .models import Freshness, Verification

XLSX_MAX_ROWS = 50_000
# A download's sheet, named in the reader's language (its file keeps the English stem: gfmd-recommendations-…).
SHEET_TITLES = {"recommendations": gettext_lazy("Recommendations"), "follow-up-items": gettext_lazy("Follow-up items"),
                "actions": gettext_lazy("Actions"), "pfp-projects": gettext_lazy("PfP projects"),
                "slipped": gettext_lazy("Slipped due dates")}
CHUNK = 2_000


@dataclass
class Column:
    header: str
    path: str
    labels: dict | None = None  # stored value → label, for choices
    precision: str | None = None  # the path of a date's precision: written "2013", "2013-01" or "2013-01-31"
    internal: bool = False  # never in the public's downloads (the owner)
    expression: object = None  # a cell the database works out: f(model) -> an expression, annotated as `path`
    free_text: bool = False  # an `expression`'s cell holds text people wrote (a translation): made formula-safe


@dataclass
class Many:
    """A many-to-many column: the related values of each row, joined by '; '."""

    header: str
    field: str  # the many-to-many field on the model
    values: tuple  # paths on the related model to show...
    template: str = "{}"  # ...formatted like this
    order: tuple = ()  # in the order the spreadsheet resource shows them


@dataclass
class Entries:
    """A column of each row's timeline entries that `lookups` select (the moves of a due date), newest first, each
    written by `template` from `values` and joined by '; '; for the public, its published entries only."""

    header: str
    lookups: dict
    values: tuple
    template: str = "{}"

    def related(self, table, pks):
        timeline = table.queryset.model._meta.get_field("updates").related_model
        entries = timeline.objects.filter(item__in=pks, **self.lookups)
        if table.only_public:
            entries = entries.filter(is_public=True)
        result = {}
        for pk, *value in entries.order_by("-created_at", "-pk").values_list("item", *self.values):
            result.setdefault(pk, []).append(self.template.format(*(cell(v) for v in value)))
        return result


def freshness_label(model):
    """Each open item's freshness by the thresholds of its meeting (`FollowUpQuerySet.freshness_q`), as its label
    ("Ageing", in English: `in_english`); empty for a closed item. Worked out in the database, for the CSV that
    PostgreSQL writes too."""
    items, labels = model.objects.all(), in_english(Freshness.choices)
    return Case(*[When(items.freshness_q(state), then=Value(labels[state])) for state in Freshness],
                default=Value(""), output_field=CharField())


def translation_columns(*fields):
    """A column per translation of `fields` (`title_fr`, `title_es`, ...: `content.translation_names`), as the
    spreadsheet resources write them: an editor's text, or empty."""
    return [Column(name, f"translation_{name}", expression=lambda model, name=name: KeyTextTransform(name, "i18n"),
                   free_text=True) for name in translation_names(*fields)]


# A closure's verification, as the item's badge says it (in English: `in_english`); empty where nothing is claimed.
VERIFICATION_LABELS = in_english((value, label) for value, label in Verification.choices if value)

# What an item's follow-up says of itself (issue #20): its freshness, its closure's verification, and its actions'
# roll-up: how many reported, how many in all, their weighted progress over the reported ones (empty: unknown).
FOLLOW_UP_STATE_COLUMNS = (
    Column("freshness", "freshness_label", expression=freshness_label),
    Column("verification", "verification", VERIFICATION_LABELS),
    Column("actions_reported", "actions_reported"), Column("actions_total", "actions_count"),
    Column("rolled_up_progress", "actions_progress"),
)


# The latest update and note a download ends with: (headers, fields: when, its precision, the note), for those
# who sign in and for the public.
LATEST = (("last_update", "last_note"), ("last_update_at", "last_update_precision", "last_note"))
LATEST_PUBLIC = (("last_public_update", "last_public_note"),
                 ("last_public_update_at", "last_public_update_precision", "last_public_note"))


class Table:
    """Rows of a queryset as lists of cells, ready for csv or openpyxl."""

    def __init__(self, queryset, columns, last_note=True, latest=LATEST, only_public=False, by_copy=True):
        self.queryset, self.last_note = queryset, last_note
        self.columns = [replace(c, labels=in_english(c.labels.items())) if getattr(c, "labels", None) else c
                        for c in columns]
        self.latest_headers, self.latest = latest
        self.only_public = only_public  # linked items (a project's recommendations): the published ones
        # Written by the database (`db.csv_pieces`) unless a column is an annotation or `Entries`: then here.
        self.by_copy = by_copy and not any(isinstance(c, Entries) for c in columns)

    def public(self):
        """The same rows for the public: without the internal columns, linked to published items only,
        ending with the latest public update and note instead of the latest ones. The one place a
        download is made public (the rows are the filterset's, already `visible_to` the public)."""
        return Table(self.queryset, [c for c in self.columns if not getattr(c, "internal", False)], self.last_note,
                     LATEST_PUBLIC, only_public=True, by_copy=self.by_copy)

    def links(self, many):
        """The link table of a many-to-many column, its two columns, and its links this table shows."""
        field = self.queryset.model._meta.get_field(many.field)
        through, own, target = field.remote_field.through, field.m2m_field_name(), field.m2m_reverse_field_name()
        links = through.objects.all()
        if self.only_public and any(f.name == "is_public" for f in field.related_model._meta.fields):
            links = links.filter(**{f"{target}__is_public": True})
        return links, own, target

    def annotated(self):
        """The queryset with the cells the database works out (`Column.expression`)."""
        return self.queryset.annotate(**{c.path: c.expression(self.queryset.model) for c in self.columns
                                         if getattr(c, "expression", None) is not None})

    def headers(self):
        return [c.header for c in self.columns] + (list(self.latest_headers) if self.last_note else [])

    def rows(self):
        yield self.headers()
        paths = ["pk"]
        for column in self.columns:
            if isinstance(column, Column):
                paths += [column.path, column.precision] if column.precision else [column.path]
        paths += list(self.latest) if self.last_note else []
        rows = self.annotated().values_list(*paths).iterator(chunk_size=CHUNK)
        while chunk := list(itertools.islice(rows, CHUNK)):
            yield from self.format(chunk)

    def related_of(self, pks):
        """{header: {pk: [values]}} of each many-to-many and entries column, for the rows `pks`."""
        related = {c.header: self.related(c, pks) for c in self.columns if isinstance(c, Many)}
        return related | {c.header: c.related(self, pks) for c in self.columns if isinstance(c, Entries)}

    def format(self, chunk):
        related = self.related_of([row[0] for row in chunk])
        for row in chunk:
            pk, values = row[0], iter(row[1:])
            cells = []
            for column in self.columns:
                if isinstance(column, (Many, Entries)):
                    cells.append(neutralise_formula("; ".join(related[column.header].get(pk, ()))))
                else:
                    cells.append(cell(next(values), column.labels, next(values) if column.precision else None))
            if self.last_note:
                cells += [cell(next(values), precision=next(values)), neutralise_formula(next(values))]
            yield cells

    def related(self, many, pks):
        links, own, target = self.links(many)
        pairs = links.filter(**{f"{own}__in": pks}).order_by(*(f"{target}__{o}" for o in many.order))
        result = {}
        for pk, *value in pairs.values_list(own, *(f"{target}__{v}" for v in many.values)):
            result.setdefault(pk, []).append(many.template.format(*value))
        return result


def cell(value, labels=None, precision=None):
    """A value as the spreadsheet writes it; a date at its `precision` ("2013", "2013-01", "2013-01-31";
    a moment known exactly with its time)."""
    if value is None:
        return ""
    if labels is not None:
        return str(labels.get(value, value))
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
        if precision in (None, dates.Precision.TIME):
            return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return dates.written(value, precision)
    return neutralise_formula(str(value))


def attachment(stem, extension):
    """The download's headers: its file name."""
    return {"Content-Disposition": f'attachment; filename="{export_filename(stem, extension)}"'}


def csv_response(table, stem):
    """The CSV download, streamed after the view has returned. The database is asked first: if
    it cannot answer, the user gets the 503 page (views.server_error), not a file cut short."""
    with connections[table.queryset.db].cursor() as cursor:
        cursor.execute("SELECT 1")
    pieces = db.csv_pieces(table) if table.by_copy else generic.csv_pieces(table)
    return StreamingHttpResponse(itertools.chain(["\ufeff".encode()], pieces),
                                 content_type="text/csv; charset=utf-8", headers=attachment(stem, "csv"))


def xlsx_response(request, table, stem, description, back_url, about=()):
    """The XLSX download, with its "About this export" sheet: when, how many rows, the filters, and `about`'s
    (label, value) rows (the coverage of the exported set)."""
    count = table.queryset.count()
    if count > XLSX_MAX_ROWS:
        messages.error(request, gettext("An Excel file holds at most %(most)s rows and these filters select "
                                        "%(count)s. Narrow the filters, or download CSV, which has no limit.")
                       % {"most": number_format(XLSX_MAX_ROWS, force_grouping=True),
                          "count": number_format(count, force_grouping=True)})
        return redirect(back_url)
    book = Workbook(write_only=True)
    title = SHEET_TITLES.get(stem) or SHEET_TITLES.get(stem.partition("-")[0]) or stem.replace("-", " ").capitalize()
    write_table(book, str(title), table.rows())
    about_rows, about = about, book.create_sheet(gettext("About this export"))
    about.append([gettext("GFMD Tracker export"), timezone.localtime().strftime("%Y-%m-%d %H:%M %Z")])
    about.append([gettext("Rows"), count])
    for line in description or [gettext("No filters: every row.")]:
        about.append([gettext("Filter"), line])
    for label, value in about_rows:
        about.append([str(label), value])
    if any(translation_of(header) for header in table.headers()):
        about.append([gettext("Translations"), gettext(
            "The columns named after a language, such as “Title (French)”, hold editors' translations; the report's "
            "English is the official text. An empty cell: no translation.")])
    out = io.BytesIO()
    book.save(out)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return HttpResponse(out.getvalue(), content_type=xlsx, headers=attachment(stem, "xlsx"))
