"""The database seam on any database Django supports (SQLite in the tests): Django's own bulk writes,
word-by-word text search, the CSV written by Python. `postgres` has the same functions, documented here."""

import csv
from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.fields.json import KeyTextTransform
from django.db.models.lookups import IContains

# --- writes of an import (set-based, with the file's records preloaded)


def bulk_update(model, objs, fields, *, using=DEFAULT_DB_ALIAS, batch_size=2_000):
    """Write `fields` (names) of `objs` to their rows."""
    if objs:
        model._default_manager.db_manager(using).bulk_update(objs, fields, batch_size=batch_size)


def pairs(model, source, target, values, *, using=DEFAULT_DB_ALIAS, batch_size=5_000):
    """(source, target) of the rows of `model` (a link table) whose `source` is one of `values`."""
    found, manager = [], model._default_manager.db_manager(using)
    for chunk in batches(list(values), batch_size):
        found += manager.filter(**{f"{source}__in": chunk}).values_list(source, target)
    return found


def relink(through, source, target, added, removed, *, using=DEFAULT_DB_ALIAS, batch_size=10_000):
    """Add the `added` and remove the `removed` (source id, target id) pairs of a link table (`source`,
    `target`: its columns' attnames); a pair already there is not added twice, nor one not there removed."""
    manager = through._default_manager.db_manager(using)
    for batch in batches(removed, min(batch_size, 500)):  # a delete with an OR per pair
        condition = Q()
        for source_id, target_id in batch:
            condition |= Q(**{source: source_id, target: target_id})
        manager.filter(condition).delete()
    manager.bulk_create([through(**{source: s, target: t}) for s, t in added], ignore_conflicts=True)


def insert(model, rows, *, using=DEFAULT_DB_ALIAS, batch_size=10_000, ignore_conflicts=False):
    """Insert `rows` ({field name or attname: value}; a field left out gets its default; a
    model instance stands for its id) without reading back their ids: timeline entries,
    notifications. `ignore_conflicts`: a row that would break a unique constraint is skipped."""
    if rows:
        model._default_manager.db_manager(using).bulk_create([model(**row) for row in by_attname(model, rows)],
                                                             ignore_conflicts=ignore_conflicts)


def insert_new(model, rows, unique, *, using=DEFAULT_DB_ALIAS, batch_size=450):
    """Insert those of `rows` (as `insert` takes them) whose `unique` fields (attnames: the columns of a unique
    constraint) are neither in the table yet nor earlier in `rows`; return those fields' values of the rows
    inserted, as a set of tuples (e.g. which reminders are new). Here: each batch's existing values read first,
    then the rest inserted (a run writing the same rows meanwhile makes this one fail on the constraint; none is
    claimed new twice). `batch_size` keeps a read within SQLite's 999 parameters."""
    manager, seen, inserted = model._default_manager.db_manager(using), set(), set()
    for batch in batches(by_attname(model, rows), batch_size):
        wanted = {}
        for row in batch:
            values = tuple(row[name] for name in unique)
            if values not in seen:
                seen.add(values)
                wanted[values] = row
        columns = {f"{name}__in": {values[i] for values in wanted} for i, name in enumerate(unique)}
        there = set(manager.filter(**columns).values_list(*unique)) if wanted else set()
        new = [values for values in wanted if values not in there]
        manager.bulk_create([model(**wanted[values]) for values in new])
        inserted.update(new)
    return inserted


@contextmanager
def pipelined(using=DEFAULT_DB_ALIAS):
    """A block whose statements are sent without waiting for each one's result, where the database
    allows: an error is raised by the block at the latest, and the caller's transaction rolls back whole."""
    yield


def history(model, pks, *, update, user, date, using=DEFAULT_DB_ALIAS, batch_size=10_000):
    """django-simple-history's records of the rows `pks`, as `bulk_history_create` makes them,
    copied from the rows themselves by the database (`INSERT … SELECT`)."""
    statement, stamp = history_statement(model, update=update, user=user, date=date, using=using)
    if statement is None or not pks:
        return
    with connections[using].cursor() as cursor:
        for batch in batches(list(pks), min(batch_size, 900)):  # SQLite's limit of parameters per statement
            cursor.execute(statement.format(where=f"IN ({', '.join(['%s'] * len(batch))})"), stamp + batch)


def batches(items, size):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def by_attname(model, rows):
    """`rows` ({field name or attname: value}) keyed by attname, a model instance standing for its id."""
    fields = {}
    for field in model._meta.concrete_fields:
        fields[field.name] = fields[field.attname] = field
    return [{fields[key].attname: value.pk if isinstance(value, models.Model) else value
             for key, value in row.items()} for row in rows]


def history_statement(model, *, update, user, date, using):
    """The `INSERT … SELECT` copying rows of `model` into its history table, with `{where}`
    left for the ids, and its stamp parameters; (None, None) when history is switched off."""
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return None, None
    connection, historical = connections[using], model.history.model
    quote, opts = connection.ops.quote_name, historical._meta
    tracked = historical.tracked_fields  # the model's fields a history record copies
    stamped = ["history_date", "history_user", "history_type", "history_change_reason"]
    names = [quote(opts.get_field(name).column) for name in [f.name for f in tracked] + stamped]
    stamp = [
        opts.get_field("history_date").get_db_prep_save(date, connection),
        user.pk if user is not None else None,
        "~" if update else "+",
        None,  # no change reason, as a save records it
    ]
    pk = quote(model._meta.pk.column)
    copied = ", ".join(quote(field.column) for field in tracked)
    statement = (f"INSERT INTO {quote(opts.db_table)} ({', '.join(names)}) "
                 f"SELECT {copied}, %s, %s, %s, %s FROM {quote(model._meta.db_table)} "
                 f"WHERE {pk} {{where}} ORDER BY {pk}")
    return statement, stamp


# --- text search (selectors.search_items puts these together)


def notes_of(model, public=False):
    """The timeline entries of `model`'s items whose notes a search reads: for the public (`public`), only
    the published entries of published items (an internal note must not make an item found), as
    `visible_to` has them."""
    notes = model._meta.get_field("updates").related_model.objects.all()
    return notes.filter(is_public=True, item__is_public=True) if public else notes


def searched_texts(model, language):
    """`model`'s searched text: its `search_fields` and their translations into `language` (keys of its `i18n`;
    none for the report's English or a language the site does not offer). The keys are read as Django's
    JSONField reads them: django-modeltrans rewrites its own lookups (`title_fr__icontains`) and annotates
    the list's rows with them."""
    texts = [F(field) for field in model.search_fields]
    if language == settings.MODELTRANS_DEFAULT_LANGUAGE or language not in dict(settings.LANGUAGES):
        return texts
    translated = model._meta.get_field("i18n").fields
    return texts + [KeyTextTransform(f"{field}_{language}", "i18n") for field in model.search_fields
                    if field in translated]


def text_condition(model, text, public=False, *, language):
    """A condition on `model`'s rows: the item's text (the report's English, or its translation into the reader's
    `language`) or one of its notes matches `text` (PostgreSQL: full-text, websearch syntax, English and the
    reader's language each analysed as such; here: every word, as a substring)."""
    notes = notes_of(model, public).filter(item=OuterRef("pk"))
    searched = searched_texts(model, language)
    condition = Q()
    for word in text.split():
        in_text = Q()
        for searched_text in searched:
            in_text |= IContains(searched_text, word)
        condition &= in_text | Exists(notes.filter(note__icontains=word))
    return condition


def text_matches(model, text, public=False, *, language):
    """The ids of the matching items, as one set (a subquery)."""
    return model.objects.filter(text_condition(model, text, public, language=language)).values("pk")


def matches_in_order(model, text, public=False, *, language):
    """The matching items as (id, *sort keys) rows in `model`'s default order, or None where
    the database has no index to list them by (then each row is checked: `text_condition`)."""
    return None


def estimated_matches(model, text, *, language):
    """The database's estimate of how many items' text matches, or None."""
    return None


def filter_ids(queryset, ids):
    """`queryset` narrowed to `ids` (up to hundreds of thousands)."""
    return queryset.filter(pk__in=ids)


def filter_notes(queryset, text):
    """Timeline entries whose note matches `text`, as `text_condition` matches."""
    for word in text.split():
        queryset = queryset.filter(note__icontains=word)
    return queryset


def estimated_count(model):
    """The rows of `model`'s table as the database's statistics have them, or None."""
    return None


# --- reading many tables at once


@contextmanager
def snapshot(using=DEFAULT_DB_ALIAS):
    """A block whose reads all see the data as they stood when it began, whatever is written meanwhile (the
    open-data ZIP: its files must agree, every foreign key finding its row). Here: one transaction, which
    SQLite reads from one state of the file."""
    with transaction.atomic(using=using):
        yield


# --- CSV


class _Echo:
    def write(self, value):
        return value


def csv_pieces(table):
    """`table` (exports.Table) as CSV bytes, headers first, streamed in pieces."""
    return csv_lines(table.rows())


def csv_lines(rows):
    writer = csv.writer(_Echo())
    return (writer.writerow(row).encode() for row in rows)
