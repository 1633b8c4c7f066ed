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
from django.db import connection
from django.db.models import (
    Case,
    DateField,
    DateTimeField,
    F,
    Func,
    OuterRef,
    Subquery,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Concat, RowNumber
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from openpyxl import Workbook

from .resources import neutralise_formula

XLSX_MAX_ROWS = 50_000
# The first characters that make a cell a formula in a spreadsheet (see resources.neutralise_formula), in SQL.
FORMULA_STARTS = r"('=', '+', '-', '@', E'\t', E'\r')"
CHUNK = 2_000


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
        paths = ["pk", *(c.path for c in self.simple), *(["last_update_at"] if self.last_note else [])]
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
        notes = self.notes(pks) if self.last_note else {}
        for row in chunk:
            pk, values = row[0], iter(row[1:])
            cells = []
            for column in self.columns:
                if isinstance(column, Many):
                    cells.append(neutralise_formula("; ".join(related[column.header].get(pk, ()))))
                else:
                    cells.append(cell(next(values), column.labels))
            if self.last_note:
                cells += [cell(next(values)), neutralise_formula(notes.get(pk, ""))]
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

    def notes(self, pks):
        updates = self.queryset.model.updates.rel.related_model.objects.filter(item__in=pks)
        if connection.vendor == "postgresql":
            latest = updates.order_by("item", "-created_at", "-pk").distinct("item")
            return dict(latest.values_list("item", "note"))
        newest = updates.model.objects.filter(item=OuterRef("item")).order_by("-created_at", "-pk").values("pk")[:1]
        return dict(updates.filter(pk=Subquery(newest)).values_list("item", "note"))


    # --- PostgreSQL: the database writes the CSV itself (COPY)

    def copy_sql(self):
        """The same cells as rows(), in one statement, and its parameters: the filtered rows
        (labels, dates) in the list's order, joined to each many-to-many column aggregated once
        and to the latest notes, every cell's formula neutralised. Aggregating with joins, not
        a subquery per row, made 300,000 rows take 8 s instead of 20 s (make bench)."""
        from django.contrib.postgres.aggregates import StringAgg

        model = self.queryset.model
        cells, selected, ctes, joins = {}, [], [], []
        for i, column in enumerate(self.columns):
            if isinstance(column, Many):
                selected.append(f"COALESCE(list_{i}.v, '')")
                continue
            selected.append(f"base.cell_{i}")
            if column.labels:
                cells[f"cell_{i}"] = Case(
                    *(When(**{column.path: k}, then=Value(str(v))) for k, v in column.labels.items()),
                    default=Cast(column.path, TextField()), output_field=TextField(),
                )
            elif isinstance(model._meta.get_field(column.path.split("__")[0]), DateField) and "__" not in column.path:
                cells[f"cell_{i}"] = Func(column.path, Value("YYYY-MM-DD"), function="to_char",
                                          output_field=TextField())
            else:
                cells[f"cell_{i}"] = Cast(column.path, TextField())
        if self.last_note:
            local = Func(Value(timezone.get_current_timezone_name()), F("last_update_at"), function="timezone",
                         output_field=DateTimeField())
            cells["cell_update"] = Func(local, Value("YYYY-MM-DD HH24:MI"), function="to_char",
                                        output_field=TextField())
        ordering = self.queryset.query.order_by or model._meta.ordering
        order_by = [F(o[1:]).desc() if o.startswith("-") else F(o).asc() for o in ordering]
        base = self.queryset.order_by().annotate(**cells, row_number=Window(RowNumber(), order_by=order_by))
        sql, params = base.values_list("pk", "row_number", *cells).query.sql_with_params()
        ctes.append(f"base (pk, row_number, {', '.join(cells)}) AS MATERIALIZED ({sql})")
        params = list(params)
        # Restrict the aggregates to the exported rows when the list is filtered; for everything,
        # whole-table aggregates joined by merge are faster than the semi-joins.
        within = " WHERE pk IN (SELECT pk FROM base)" if self.queryset.query.where else ""
        for i, column in enumerate(self.columns):
            if not isinstance(column, Many):
                continue
            field = model._meta.get_field(column.field)
            own, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            parts = [Cast(f"{target}__{v}", TextField()) for v in column.values]
            value = parts[0] if len(parts) == 1 else Concat(*_interleave(parts, Value("/")), output_field=TextField())
            joined = field.remote_field.through.objects.values(own).annotate(
                v=StringAgg(value, "; ", order_by=[f"{target}__{o}" for o in column.order])
            )
            list_sql, list_params = joined.values_list(own, "v").query.sql_with_params()
            ctes += [f"list_{i}_all (pk, v) AS ({list_sql})",
                     f"list_{i} AS (SELECT pk, v FROM list_{i}_all{within})"]
            params += list_params
            joins.append(f"LEFT JOIN list_{i} ON list_{i}.pk = base.pk")
        if self.last_note:
            updates = model.updates.rel.related_model._meta.db_table
            ctes.append(f"latest (pk, note) AS (SELECT DISTINCT ON (item_id) item_id, note FROM {updates} "
                        f"{within.replace('pk IN', 'item_id IN')} ORDER BY item_id, created_at DESC, id DESC)")
            joins.append("LEFT JOIN latest ON latest.pk = base.pk")
            selected += ["base.cell_update", "latest.note"]
        neutral = [f"CASE WHEN left({c}, 1) IN {FORMULA_STARTS} THEN '''' || {c} ELSE {c} END" for c in selected]
        statement = (f"WITH {', '.join(ctes)} SELECT {', '.join(neutral)} FROM base {' '.join(joins)} "
                     "ORDER BY base.row_number")
        return statement, tuple(params)

    def copy_csv(self):
        """Stream the rows as CSV bytes straight from PostgreSQL."""
        sql, params = self.copy_sql()
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy:
                yield from copy


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
    writer = csv.writer(_Echo())
    if connection.vendor == "postgresql":
        header = ("\ufeff" + writer.writerow(table.headers())).encode()
        content = itertools.chain([header], (bytes(chunk) for chunk in table.copy_csv()))
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
