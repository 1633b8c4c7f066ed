"""The database seam on PostgreSQL: the same functions as `generic` (which says what each
does), faster where it counts (docs/performance.md has the measurements). Text search reads
the items' search documents (tables of their own written by triggers, see the migration
`recommendations 0002_postgresql`) and the notes' full-text index."""

import json
from contextlib import contextmanager

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Case, DateField, DateTimeField, Exists, F, Func, Lookup, OuterRef, TextField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.fields import PositiveIntegerRelDbTypeMixin
from django.db.models.functions import Cast
from django.db.models.query_utils import Q
from django.utils import timezone

from ..dates import Precision
from . import generic

# --- writes of an import


def bulk_update(model, objs, fields, *, using=DEFAULT_DB_ALIAS, batch_size=2_000):
    """One `UPDATE … FROM unnest(arrays)` per batch, one value for a column whose rows agree: a
    statement planned once and small, where Django's builds a CASE per field with a branch per row."""
    if not objs:
        return
    connection = connections[using]
    opts, quote = model._meta, connection.ops.quote_name
    table, pk = quote(opts.db_table), quote(opts.pk.column)
    fields = [opts.get_field(name) for name in fields]
    with connection.cursor() as cursor:
        for batch in generic.batches(objs, batch_size):
            columns = [[getattr(obj, field.attname) for obj in batch] for field in fields]
            scalars, arrays, places = _split(fields, columns, connection, typed=False)
            arrays.insert(0, (opts.pk, [obj.pk for obj in batch]))
            sets = ", ".join(f"{quote(field.column)} = {places[field]}" for field in fields)
            cursor.execute(f"UPDATE {table} SET {sets} FROM {_unnest(arrays, connection)} WHERE {table}.{pk} = v.{pk}",
                           scalars + [values for _, values in arrays])


def pairs(model, source, target, values, *, using=DEFAULT_DB_ALIAS, batch_size=5_000):
    """In one query, the values as one array."""
    return list(model._default_manager.db_manager(using).filter(AnyOf(F(source), values)).values_list(source, target))


def relink(through, source, target, added, removed, *, using=DEFAULT_DB_ALIAS, batch_size=10_000):
    """One statement per batch each way, the pairs as two arrays: building 20,000 link
    instances and a delete with an OR per item cost more than the rest of an import."""
    connection = connections[using]
    quote, opts = connection.ops.quote_name, through._meta
    table = quote(opts.db_table)
    first, second = opts.get_field(source), opts.get_field(target)
    one, other = quote(first.column), quote(second.column)
    given = f"unnest(%s::{first.db_type(connection)}[], %s::{second.db_type(connection)}[])"
    drop = f"DELETE FROM {table} USING {given} AS gone(s, t) WHERE {table}.{one} = gone.s AND {table}.{other} = gone.t"
    add = f"INSERT INTO {table} ({one}, {other}) SELECT * FROM {given} ON CONFLICT DO NOTHING"
    with connection.cursor() as cursor:
        for statement, links in ((drop, removed), (add, added)):
            for batch in generic.batches(links, batch_size):
                cursor.execute(statement, [[s for s, _ in batch], [t for _, t in batch]])


def insert(model, rows, *, using=DEFAULT_DB_ALIAS, batch_size=10_000, ignore_conflicts=False):
    """One `INSERT … SELECT FROM unnest(arrays)` per batch (`ON CONFLICT DO NOTHING` if `ignore_conflicts`)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        for batch in generic.batches(generic.by_attname(model, rows), batch_size):
            statement, params = _insert_statement(model, batch, connection)
            cursor.execute(statement + (" ON CONFLICT DO NOTHING" if ignore_conflicts else ""), params)


def insert_new(model, rows, unique, *, using=DEFAULT_DB_ALIAS, batch_size=10_000):
    """One `INSERT … ON CONFLICT (unique) DO NOTHING RETURNING unique` per batch: the database says which rows
    it inserted, with no read before."""
    connection = connections[using]
    quote, opts = connection.ops.quote_name, model._meta
    columns = ", ".join(quote(opts.get_field(name).column) for name in unique)
    inserted = set()
    with connection.cursor() as cursor:
        for batch in generic.batches(generic.by_attname(model, rows), batch_size):
            statement, params = _insert_statement(model, batch, connection)
            cursor.execute(f"{statement} ON CONFLICT ({columns}) DO NOTHING RETURNING {columns}", params)
            inserted.update(map(tuple, cursor.fetchall()))
    return inserted


def _insert_statement(model, batch, connection):
    """`INSERT … SELECT … FROM unnest(arrays)` of `batch` (rows by attname; a field left out gets its default)
    and its parameters."""
    opts, quote = model._meta, connection.ops.quote_name
    fields = [field for field in opts.concrete_fields if not field.primary_key]
    names = ", ".join(quote(field.column) for field in fields)
    defaults = [field.get_default() for field in fields]
    columns = [[row.get(field.attname, default) for row in batch] for field, default in zip(fields, defaults)]
    scalars, arrays, places = _split(fields, columns, connection, typed=True)
    if arrays:
        source, lists = _unnest(arrays, connection), [values for _, values in arrays]
    else:  # every row the same
        source, lists = "generate_series(1, %s)", [len(batch)]
    return (f"INSERT INTO {quote(opts.db_table)} ({names}) "
            f"SELECT {', '.join(places[field] for field in fields)} FROM {source}", scalars + lists)


@contextmanager
def pipelined(using=DEFAULT_DB_ALIAS):
    """PostgreSQL's pipeline mode: the database writes one batch while Python checks the next.
    A statement's error is raised at the next read or at the end of the block."""
    connection = connections[using]
    connection.ensure_connection()
    with connection.wrap_database_errors, connection.connection.pipeline():
        yield


def history(model, pks, *, update, user, date, using=DEFAULT_DB_ALIAS, batch_size=10_000):
    """The ids of a batch as one array."""
    statement, stamp = generic.history_statement(model, update=update, user=user, date=date, using=using)
    if statement is None or not pks:
        return
    with connections[using].cursor() as cursor:
        for batch in generic.batches(pks, batch_size):
            cursor.execute(statement.format(where="= ANY(%s)"), [*stamp, list(batch)])


def _split(fields, columns, connection, *, typed):
    """A batch's values (`columns`: each field's, row by row) as parameters: one value for a field
    whose rows all have the same (`scalars`), else an array (`arrays`: (field, values)); and
    where the statement reads each field (`places`: a parameter, `typed` where a SELECT list
    needs its type, or the array's column)."""
    scalars, arrays, places = [], [], {}
    for field, values in zip(fields, columns):
        first = values[0]
        if all(value == first and type(value) is type(first) for value in values):
            scalars.append(field.get_db_prep_save(first, connection))
            places[field] = f"%s::{field.db_type(connection)}" if typed else "%s"
        else:
            arrays.append((field, [field.get_db_prep_save(value, connection) for value in values]))
            places[field] = f"v.{connection.ops.quote_name(field.column)}"
    return scalars, arrays, places


def _unnest(arrays, connection):
    """`unnest(%s::type[], …) AS v(column, …)` for (field, values) pairs."""
    quote = connection.ops.quote_name
    types = ", ".join(f"%s::{field.db_type(connection)}[]" for field, _ in arrays)
    return f"unnest({types}) AS v({', '.join(quote(field.column) for field, _ in arrays)})"


# --- text search

# One document per language, each analysed with its own configuration (`SearchDocument`); a reader's words are
# analysed as English and as the reader's language, and each analysis meets only its own language's document.
# One document mixing them would match a French word's stem against lexemes of the Spanish translation or the
# English (Spanish "sociales" and French "sociaux" are both "social"), finding an item by a language the reader
# does not read, and a negated word in one language would not exclude it in another. The indexes hold the same
# lexemes either way (an untranslated item has no translated document); a reader's search is two GIN lookups
# OR-ed in one bitmap, an English reader's one, as before (docs/performance.md).
CONFIGS = {"en": "english", "fr": "french", "es": "spanish"}  # the triggers' (migrations 0014_search_translations)
CONFIG = CONFIGS["en"]  # the English documents' and the notes' index's


def _query(text, config=CONFIG):
    return SearchQuery(text, search_type="websearch", config=config)


def _documents_match(text, language):
    """The English document matches `text` read as English, or the translation into `language` as that language."""
    condition = Q(search_document__document=_query(text))
    if language != "en" and language in CONFIGS:
        condition |= Q(**{f"search_document__document_{language}": _query(text, CONFIGS[language])})
    return condition


def _in_text(model, text, public=False, *, language):
    """The items whose text matches; for the public, the published ones (`visible_to`): the matches' ids
    are the public's list."""
    items = model.objects.filter(is_public=True) if public else model.objects
    return items.filter(_documents_match(text, language))


def _in_notes(model, text, public=False):
    return filter_notes(generic.notes_of(model, public), text)


def text_condition(model, text, public=False, *, language):
    """Two EXISTS, each an index lookup per row."""
    return (Exists(_in_text(model, text, public, language=language).filter(pk=OuterRef("pk")))
            | Exists(_in_notes(model, text, public).filter(item=OuterRef("pk"))))


def text_matches(model, text, public=False, *, language):
    """Two index lookups (GIN on the items' documents, GIN on the notes), one set of ids."""
    return _in_text(model, text, public, language=language).order_by().values("pk").union(
        _in_notes(model, text, public).order_by().values("item"))


def matches_in_order(model, text, public=False, *, language):
    """Each side of the union brings its sort columns: no join of the matches with the whole table."""
    order = [f for f in model._meta.ordering if f != "pk"]
    return _in_text(model, text, public, language=language).order_by().values_list("pk", *order).union(
        _in_notes(model, text, public).order_by().values_list("item", *(f"item__{f}" for f in order))
    ).order_by(*order, "pk")


def estimated_matches(model, text, *, language):
    """The planner's estimate of the items whose text matches (a millisecond)."""
    return json.loads(_in_text(model, text, language=language).explain(format="json"))[0]["Plan"]["Plan Rows"]


class AnyOf(Lookup):
    """`id = ANY(%s)`: the ids as one array parameter, where `pk__in` sends a placeholder per id."""

    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*params, [int(v) for v in self.rhs]]


def filter_ids(queryset, ids):
    return queryset.filter(AnyOf(F("pk"), ids))


def filter_notes(queryset, text):
    """The notes' full-text index (a substring search over 1.5 million notes took seconds)."""
    return queryset.annotate(document=SearchVector("note", config=CONFIG)).filter(document=_query(text))


def estimated_count(model):
    """The table's row count as the statistics have it (kept fresh by autovacuum)."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table])
        return cursor.fetchone()[0]


# --- reading many tables at once


@contextmanager
def snapshot(using=DEFAULT_DB_ALIAS):
    """A read-only REPEATABLE READ transaction: every statement sees the snapshot its first one took. Inside a
    transaction already begun (a test's), the isolation can no longer be chosen: that transaction's own. No
    statement timeout (STATEMENT_TIMEOUT_MS guards requests): a table's COPY lasts as long as its reader takes
    to write it away, which is no runaway query."""
    outermost = not connections[using].in_atomic_block
    with transaction.atomic(using=using):
        with connections[using].cursor() as cursor:
            if outermost:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SET LOCAL statement_timeout = 0")
        yield


# --- CSV

# The first characters that make a cell a formula in a spreadsheet (see imports.widgets.neutralise_formula).
FORMULA_STARTS = r"('=', '+', '-', '@', E'\t', E'\r')"


def csv_pieces(table, piece_size=256 * 1024):
    """COPY of one statement (`csv_select`), in pieces of about `piece_size` bytes (PostgreSQL
    sends a row at a time, and a piece per row costs more Python than the database's work)."""
    yield from generic.csv_lines([table.headers()])
    sql, params = csv_select(table)
    # The rows stream after the view has returned, outside the request's transaction: the
    # statement gets its own, with one parallel worker and no JIT (measured: docs/performance.md).
    with transaction.atomic(using=table.queryset.db), connections[table.queryset.db].cursor() as cursor:
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 1")
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


def csv_select(table):
    """The same cells as `table.rows()` in one statement, and its parameters: the filtered rows
    (labels, dates) joined to each many-to-many column's cells, aggregated once in the list's
    order, every cell that can hold free text with its formula neutralised. The order keys
    travel as columns of the filtered rows so that the outer query sorts by them once."""
    queryset = table.annotated()
    cells, shown, lists = _cells(table)
    keys, order_by = _order(queryset)
    base = queryset.order_by().annotate(**cells, **keys).values_list("pk", *cells, *keys)
    base_sql, base_params = base.query.sql_with_params()
    names = f"(pk, {', '.join([*cells, *keys])})"
    # Filtered: the aggregates cover just the links of the exported rows. Everything:
    # whole-table aggregates joined by hash are faster than a semi-join.
    filtered = bool(queryset.query.where)
    ctes, joins, list_params = [], [], []
    for i, column in lists:
        sql, params = _list_sql(table, column, filtered)
        ctes.append(f"list_{i} (pk, v) AS ({sql})")
        joins.append(f"LEFT JOIN list_{i} ON list_{i}.pk = base.pk")
        list_params += params
    if filtered:
        ctes.insert(0, f"base {names} AS MATERIALIZED ({base_sql})")
        source, params = "base", [*base_params, *list_params]
    else:
        source, params = f"({base_sql}) AS base {names}", [*list_params, *base_params]
    with_ = f"WITH {', '.join(ctes)} " if ctes else ""
    return f"{with_}SELECT {', '.join(shown)} FROM {source} {' '.join(joins)} ORDER BY {order_by}", tuple(params)


def _cells(table):
    """The filtered rows' cells ({name: expression}), what the statement shows of each column,
    and the many-to-many columns (index, column)."""
    from ..exports import Many

    model, cells, shown, lists = table.queryset.model, {}, [], []
    for i, column in enumerate(table.columns):
        if isinstance(column, Many):
            lists.append((i, column))
            shown.append(_neutralised(f"COALESCE(list_{i}.v, '')"))
            continue
        cells[f"cell_{i}"], free_text = _cell(model, column)
        shown.append(_neutralised(f"base.cell_{i}") if free_text else f"base.cell_{i}")
    if table.last_note:
        update_field, precision_field, note_field = table.latest
        cells["cell_update"] = _at_precision(_local(F(update_field)), precision_field, MOMENT)
        cells["cell_note"] = F(note_field)
        shown += ["base.cell_update", _neutralised("base.cell_note")]
    return cells, shown, lists


def _cell(model, column):
    """A plain column's cell as text, and whether it can hold free text."""
    if column.expression is not None:  # the table's annotation: words of ours, never a formula, but a translation
        return Cast(column.path, TextField()), column.free_text
    field = model._meta.get_field(column.path.split("__")[0])
    for name in column.path.split("__")[1:]:
        field = field.related_model._meta.get_field(name)
    if column.labels:
        labels = [When(**{column.path: key}, then=Value(str(label))) for key, label in column.labels.items()]
        return Case(*labels, default=Cast(column.path, TextField()), output_field=TextField()), False
    if column.precision and isinstance(field, DateTimeField):  # a moment (a timeline entry's)
        return _at_precision(_local(F(column.path)), column.precision, MOMENT), False
    if column.precision:
        return _at_precision(F(column.path), column.precision, WRITTEN[Precision.DAY]), False
    if isinstance(field, DateField) and not isinstance(field, DateTimeField):
        return Func(column.path, Value("YYYY-MM-DD"), function="to_char", output_field=TextField()), False
    # No formula starts with a digit.
    return Cast(column.path, TextField()), not isinstance(field, PositiveIntegerRelDbTypeMixin)


# A date as `dates.written` writes it at each precision; a moment known exactly, as `exports.cell` does.
WRITTEN = {Precision.DAY: "YYYY-MM-DD", Precision.MONTH: "YYYY-MM", Precision.YEAR: "YYYY"}
MOMENT = "YYYY-MM-DD HH24:MI"


def _local(moment):
    """A moment in the site's time zone, as the pages and `exports.cell` write it."""
    return Func(Value(timezone.get_current_timezone_name()), moment, function="timezone",
                output_field=DateTimeField())


def _at_precision(value, precision, finest):
    """`value` written at the precision in the column `precision`, else in the format `finest`."""
    def char(pattern):
        return Func(value, Value(pattern), function="to_char", output_field=TextField())
    return Case(*[When(**{precision: key}, then=char(pattern)) for key, pattern in WRITTEN.items()],
                default=char(finest), output_field=TextField())


def _list_sql(table, column, filtered):
    """Each row's related values of a many-to-many column, '; '-joined in the column's order
    (`filtered`: of the rows in the statement's `base` only)."""
    links, own, target = table.links(column)
    parts = [Cast(f"{target}__{v}", TextField()) for v in column.values]
    value = Func(Value("/"), *parts, function="concat_ws", output_field=TextField())
    if filtered:
        links = links.filter(**{f"{own}__in": RawSQL("SELECT pk FROM base", ())})
    joined = links.values(own).annotate(v=StringAgg(value, "; ", order_by=[f"{target}__{o}" for o in column.order]))
    return joined.values_list(own, "v").query.sql_with_params()


def _order(queryset):
    """The list's order as key columns of the filtered rows, and the outer ORDER BY over them."""
    ordering = queryset.query.order_by or queryset.model._meta.ordering
    keys = {f"key_{n}": F(name.lstrip("-")) for n, name in enumerate(ordering)}
    order_by = ", ".join(f"base.key_{n}{' DESC' if name.startswith('-') else ''}" for n, name in enumerate(ordering))
    return keys, order_by


def _neutralised(cell):
    return f"CASE WHEN left({cell}, 1) IN {FORMULA_STARTS} THEN '''' || {cell} ELSE {cell} END"
