"""The database seam: every path that depends on the database lives here, nowhere else.

`postgres` (production) and `generic` (any other database Django supports: SQLite in the
tests) have the same functions; each function below chooses one by its connection's vendor,
as Django's `connection.ops` does, and documents what both do. The PostgreSQL objects they
rely on (search documents and their triggers, full-text indexes) are created by literal SQL
in the migration `recommendations 0002_postgresql`.
"""

from django.db import DEFAULT_DB_ALIAS, connections

from . import generic, postgres


def ops(using=DEFAULT_DB_ALIAS):
    """The module of functions for the connection `using`."""
    return postgres if is_postgresql(using) else generic


def is_postgresql(using=DEFAULT_DB_ALIAS):
    """Whether `using` is PostgreSQL (for tests that mean something only there)."""
    return connections[using].vendor == "postgresql"


# --- writes of an import (set-based, with the file's records preloaded)


def bulk_update(model, objs, fields, *, using=DEFAULT_DB_ALIAS, batch_size=2_000):
    """Write `fields` (names) of `objs` to their rows."""
    ops(using).bulk_update(model, objs, fields, using=using, batch_size=batch_size)


def pairs(model, source, target, values, *, using=DEFAULT_DB_ALIAS, batch_size=5_000):
    """(source, target) of the rows of `model` (a link table) whose `source` is one of `values`."""
    return ops(using).pairs(model, source, target, values, using=using, batch_size=batch_size)


def relink(through, source, target, added, removed, *, using=DEFAULT_DB_ALIAS, batch_size=10_000):
    """Add and remove rows of a link table: `added` and `removed` are (source id, target id)
    pairs, `source` and `target` the two columns' attnames. A pair already there is not added
    twice, a pair not there is not removed."""
    ops(using).relink(through, source, target, added, removed, using=using, batch_size=batch_size)


def insert(model, rows, *, using=DEFAULT_DB_ALIAS, batch_size=10_000):
    """Insert `rows` ({field name or attname: value}; a field left out gets its default; a
    model instance stands for its id) without reading back their ids: timeline entries."""
    ops(using).insert(model, rows, using=using, batch_size=batch_size)


def pipelined(using=DEFAULT_DB_ALIAS):
    """A block whose statements are sent without waiting for each one's result, where the
    database allows: an error is raised by the block at the latest, inside the caller's
    transaction, which then rolls back whole."""
    return ops(using).pipelined(using)


def history(model, pks, *, update, user, date, using=DEFAULT_DB_ALIAS, batch_size=10_000):
    """django-simple-history's records of the rows `pks`, as `bulk_history_create` makes them,
    copied from the rows themselves by the database (`INSERT … SELECT`)."""
    ops(using).history(model, pks, update=update, user=user, date=date, using=using, batch_size=batch_size)


# --- text search (selectors.search_items puts these together)


def text_condition(model, text):
    """A condition on `model`'s rows: the item's text or one of its notes matches `text`
    (PostgreSQL: full-text, websearch syntax; elsewhere: every word, as a substring)."""
    return ops().text_condition(model, text)


def text_matches(model, text):
    """The ids of the matching items, as one set (a subquery)."""
    return ops().text_matches(model, text)


def matches_in_order(model, text):
    """The matching items as (id, *sort keys) rows in `model`'s default order, or None where
    the database has no index to list them by (then each row is checked: `text_condition`)."""
    return ops().matches_in_order(model, text)


def estimated_matches(model, text):
    """The database's estimate of how many items' text matches, or None."""
    return ops().estimated_matches(model, text)


def filter_ids(queryset, ids):
    """`queryset` narrowed to `ids` (up to hundreds of thousands)."""
    return ops(queryset.db).filter_ids(queryset, ids)


def filter_notes(queryset, text):
    """Timeline entries whose note matches `text`, as `text_condition` matches."""
    return ops(queryset.db).filter_notes(queryset, text)


def estimated_count(model):
    """The rows of `model`'s table as the database's statistics have them, or None."""
    return ops().estimated_count(model)


# --- CSV


def csv_pieces(table):
    """`table` (exports.Table) as CSV bytes, headers first, streamed in pieces."""
    return ops(table.queryset.db).csv_pieces(table)
