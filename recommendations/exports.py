"""CSV and XLSX downloads of a filtered list: exactly the rows of the list, all pages.

CSV is streamed row by row, so its size is bounded by nothing but the filters; XLSX is
built in memory and therefore capped (XLSX_MAX_ROWS) with a clear message.

The rows are read as tuples (`Table`), a chunk at a time, with one query per chunk for
each many-to-many column and for the latest notes: the same cells as the spreadsheet
resources (a test holds them equal). On PostgreSQL the database writes the CSV itself
(COPY), the same cells again (tested), several times faster.
"""

import csv
import datetime
import io
import itertools
from dataclasses import dataclass

from django.contrib import messages
from django.db import connection, transaction
from django.db.models import (
    Case,
    DateField,
    DateTimeField,
    F,
    Func,
    TextField,
    Value,
    When,
)
from django.db.models.fields import PositiveIntegerRelDbTypeMixin
from django.db.models.functions import Cast, Concat
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from openpyxl import Workbook

from . import listcells
from .imports.widgets import neutralise_formula

XLSX_MAX_ROWS = 50_000
# The first characters that make a cell a formula in a spreadsheet (see resources.neutralise_formula), in SQL.
FORMULA_STARTS = r"('=', '+', '-', '@', E'\t', E'\r')"
CHUNK = 2_000
EXPORT_PARALLEL_WORKERS = 1


class _Echo:
    def write(self, value):
        return value


@dataclass
class Column:
    header: str
    path: str
    labels: dict | None = None  # stored value → label, for choices


@dataclass
class Many:
    """A many-to-many column: the related values of each row, joined by '; '."""

    header: str
    field: str  # the many-to-many field on the model
    values: tuple  # paths on the related model to show...
    template: str = "{}"  # ...formatted like this
    order: tuple = ()  # in the order the spreadsheet resource shows them


class Table:
    """Rows of a queryset as lists of cells, ready for csv or openpyxl."""

    def __init__(self, queryset, columns, last_note=True):
        self.queryset, self.columns, self.last_note = queryset, columns, last_note
        self.simple = [c for c in columns if isinstance(c, Column)]

    def headers(self):
        return [c.header for c in self.columns] + (["last_update", "last_note"] if self.last_note else [])

    def rows(self):
        yield self.headers()
        paths = ["pk", *(c.path for c in self.simple), *(["last_update_at", "last_note"] if self.last_note else [])]
        chunk = []
        for row in self.queryset.values_list(*paths).iterator(chunk_size=CHUNK):
            chunk.append(row)
            if len(chunk) == CHUNK:
                yield from self.format(chunk)
                chunk = []
        yield from self.format(chunk)

    def format(self, chunk):
        if not chunk:
            return
        pks = [row[0] for row in chunk]
        related = {c.header: self.related(c, pks) for c in self.columns if isinstance(c, Many)}
        for row in chunk:
            pk, values = row[0], iter(row[1:])
            cells = []
            for column in self.columns:
                if isinstance(column, Many):
                    cells.append(neutralise_formula("; ".join(related[column.header].get(pk, ()))))
                else:
                    cells.append(cell(next(values), column.labels))
            if self.last_note:
                cells += [cell(next(values)), neutralise_formula(next(values))]
            yield cells

    def related(self, many, pks):
        field = self.queryset.model._meta.get_field(many.field)
        through, own = field.remote_field.through, field.m2m_field_name()
        target = field.m2m_reverse_field_name()
        pairs = through.objects.filter(**{f"{own}__in": pks}).order_by(*(f"{target}__{o}" for o in many.order))
        result = {}
        for pk, *value in pairs.values_list(own, *(f"{target}__{v}" for v in many.values)):
            result.setdefault(pk, []).append(many.template.format(*value))
        return result

    # --- PostgreSQL: the database writes the CSV itself (COPY)

    def copy_sql(self):
        """The same cells as rows(), in one statement, and its parameters: the filtered rows
        (labels, dates) joined to each many-to-many column, read from the cells the database
        keeps (themes, responsible actors: `listcells`) or else aggregated once, in the list's
        order, every cell that can hold free text with its formula neutralised. The order
        keys travel as columns of the filtered rows so that the outer query sorts by them
        once; the item's last note is a column of its own (TrackedItem.last_note)."""
        from django.contrib.postgres.aggregates import StringAgg

        model = self.queryset.model
        cells, neutralised, selected, lists, joins, aggregated = {}, set(), [], [], [], []
        for i, column in enumerate(self.columns):
            if isinstance(column, Many):
                stored = listcells.kept(model, column.field, column.values, column.order, column.template)
                if stored:  # kept by triggers, one row per item (listcells)
                    table, cell_column = stored
                    selected.append(f"COALESCE(stored.{cell_column}, '')")
                    join = f"LEFT JOIN {table} AS stored ON stored.item_id = base.pk"
                    if join not in joins:
                        joins.append(join)
                else:
                    selected.append(f"COALESCE(list_{i}.v, '')")
                    aggregated.append(i)
                neutralised.add(selected[-1])
                continue
            selected.append(f"base.cell_{i}")
            field = _field(model, column.path)
            if column.labels:
                cells[f"cell_{i}"] = Case(
                    *(When(**{column.path: k}, then=Value(str(v))) for k, v in column.labels.items()),
                    default=Cast(column.path, TextField()), output_field=TextField(),
                )
            elif isinstance(field, DateField) and not isinstance(field, DateTimeField):
                cells[f"cell_{i}"] = Func(column.path, Value("YYYY-MM-DD"), function="to_char",
                                          output_field=TextField())
            else:
                cells[f"cell_{i}"] = Cast(column.path, TextField())
                if not isinstance(field, PositiveIntegerRelDbTypeMixin):  # no formula starts with a digit
                    neutralised.add(selected[-1])
        if self.last_note:
            local = Func(Value(timezone.get_current_timezone_name()), F("last_update_at"), function="timezone",
                         output_field=DateTimeField())
            cells["cell_update"] = Func(local, Value("YYYY-MM-DD HH24:MI"), function="to_char",
                                        output_field=TextField())
            cells["cell_note"] = F("last_note")
            selected += ["base.cell_update", "base.cell_note"]
            neutralised.add("base.cell_note")
        ordering = self.queryset.query.order_by or model._meta.ordering
        keys = {f"key_{n}": F(o.lstrip("-")) for n, o in enumerate(ordering)}
        order_by = ", ".join(f"base.key_{n}{' DESC' if o.startswith('-') else ''}" for n, o in enumerate(ordering))
        base = self.queryset.order_by().annotate(**cells, **keys)
        base_sql, base_params = base.values_list("pk", *cells, *keys).query.sql_with_params()
        names = f"(pk, {', '.join([*cells, *keys])})"
        # Filtered: the aggregates cover just the exported rows. Everything: whole-table
        # aggregates joined by hash are faster than a semi-join.
        filtered = bool(self.queryset.query.where)
        list_params = []
        for i in aggregated:
            column = self.columns[i]
            field = model._meta.get_field(column.field)
            own, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            parts = [Cast(f"{target}__{v}", TextField()) for v in column.values]
            value = parts[0] if len(parts) == 1 else Concat(*_interleave(parts, Value("/")), output_field=TextField())
            joined = field.remote_field.through.objects.values(own).annotate(
                v=StringAgg(value, "; ", order_by=[f"{target}__{o}" for o in column.order])
            )
            list_sql, params = joined.values_list(own, "v").query.sql_with_params()
            if filtered:
                list_sql = f"SELECT * FROM ({list_sql}) AS all_{i} (pk, v) WHERE pk IN (SELECT pk FROM base)"
            lists.append(f"list_{i} (pk, v) AS ({list_sql})")
            list_params += params
            joins.append(f"LEFT JOIN list_{i} ON list_{i}.pk = base.pk")
        if filtered:
            ctes, source, params = [f"base {names} AS MATERIALIZED ({base_sql})", *lists], "base", [
                *base_params, *list_params]
        else:
            ctes, source, params = lists, f"({base_sql}) AS base {names}", [*list_params, *base_params]
        cells_sql = [f"CASE WHEN left({c}, 1) IN {FORMULA_STARTS} THEN '''' || {c} ELSE {c} END" if c in neutralised
                     else c for c in selected]
        statement = (f"{'WITH ' + ', '.join(ctes) + ' ' if ctes else ''}SELECT {', '.join(cells_sql)} "
                     f"FROM {source} {' '.join(joins)} ORDER BY {order_by}")
        return statement, tuple(params)

    def copy_csv(self, piece_size=256 * 1024):
        """Stream the rows as CSV bytes straight from PostgreSQL, in pieces of about
        `piece_size` bytes (PostgreSQL sends a row at a time, and a piece per row costs
        more Python on the way out than the database's whole work)."""
        sql, params = self.copy_sql()
        # The rows stream after the view has returned, outside the request's transaction: the
        # statement gets its own, with one parallel worker and no JIT (measured: docs/performance.md).
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL max_parallel_workers_per_gather = {EXPORT_PARALLEL_WORKERS}")
            cursor.execute("SET LOCAL jit = off")
            with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy:
                piece = bytearray()
                for row in copy:
                    piece += row
                    if len(piece) >= piece_size:
                        yield bytes(piece)
                        piece.clear()
                if piece:
                    yield bytes(piece)


def _field(model, path):
    """The model field at the end of a `__` path."""
    for name in path.split("__")[:-1]:
        model = model._meta.get_field(name).related_model
    return model._meta.get_field(path.split("__")[-1])


def _interleave(items, separator):
    result = []
    for item in items:
        if result:
            result.append(separator)
        result.append(item)
    return result


def cell(value, labels=None):
    if value is None:
        return ""
    if labels is not None:
        return str(labels.get(value, value))
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%d")
    return neutralise_formula(str(value))


def filename(stem, extension):
    return f"gfmd-{stem}-{timezone.localdate():%Y-%m-%d}.{extension}"


def csv_response(table, stem):
    """The CSV download, streamed after the view has returned. The database is asked first: if
    it cannot answer, the user gets the 503 page (views.server_error), not a file cut short."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    writer = csv.writer(_Echo())
    if connection.vendor == "postgresql":
        header = ("\ufeff" + writer.writerow(table.headers())).encode()
        content = itertools.chain([header], table.copy_csv())
    else:
        content = (("\ufeff" if i == 0 else "") + writer.writerow(row) for i, row in enumerate(table.rows()))
    response = StreamingHttpResponse(content)
    response["Content-Type"] = "text/csv; charset=utf-8"
    response["Content-Disposition"] = f'attachment; filename="{filename(stem, "csv")}"'
    return response


def xlsx_response(request, table, stem, description, back_url):
    count = table.queryset.count()
    if count > XLSX_MAX_ROWS:
        messages.error(
            request,
            f"An Excel file holds at most {XLSX_MAX_ROWS:,} rows and these filters select {count:,}. "
            "Narrow the filters, or download CSV, which has no limit.",
        )
        return redirect(back_url)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(stem.replace("-", " ").capitalize()[:31])
    for row in table.rows():
        sheet.append(row)
    about = book.create_sheet("About this export")
    about.append(["GFMD Tracker export", timezone.localtime().strftime("%Y-%m-%d %H:%M %Z")])
    about.append(["Rows", count])
    for line in description or ["No filters: every row."]:
        about.append(["Filter", line])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename(stem, "xlsx")}"'
    return response
