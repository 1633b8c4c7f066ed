"""The database seam on any database Django supports (SQLite in the tests): Django's own
bulk writes, word-by-word text search, the CSV written by Python. The same functions as
`postgres`; `recommendations.db` says what each does."""

import csv
from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import Exists, OuterRef, Q

# --- writes of an import


def bulk_update(model, objs, fields, *, using=DEFAULT_DB_ALIAS, batch_size=2_000):
    if objs:
        model._default_manager.db_manager(using).bulk_update(objs, fields, batch_size=batch_size)


def pairs(model, source, target, values, *, using=DEFAULT_DB_ALIAS, batch_size=5_000):
    values, found = list(values), []
    manager = model._default_manager.db_manager(using)
    for start in range(0, len(values), batch_size):
        chunk = values[start:start + batch_size]
        found += manager.filter(**{f"{source}__in": chunk}).values_list(source, target)
    return found


def relink(through, source, target, added, removed, *, using=DEFAULT_DB_ALIAS, batch_size=10_000):
    manager = through._default_manager.db_manager(using)
    batch_size = min(batch_size, 500)  # a delete with an OR per pair
    for start in range(0, len(removed), batch_size):
        condition = Q()
        for source_id, target_id in removed[start:start + batch_size]:
            condition |= Q(**{source: source_id, target: target_id})
        manager.filter(condition).delete()
    manager.bulk_create([through(**{source: s, target: t}) for s, t in added], ignore_conflicts=True)


def insert(model, rows, *, using=DEFAULT_DB_ALIAS, batch_size=10_000):
    if rows:
        model._default_manager.db_manager(using).bulk_create([model(**row) for row in by_attname(model, rows)])


@contextmanager
def pipelined(using=DEFAULT_DB_ALIAS):
    yield


def history(model, pks, *, update, user, date, using=DEFAULT_DB_ALIAS, batch_size=10_000):
    statement, stamp = history_statement(model, update=update, user=user, date=date, using=using)
    if statement is None or not pks:
        return
    batch_size = min(batch_size, 900)  # SQLite's limit of parameters per statement
    with connections[using].cursor() as cursor:
        for start in range(0, len(pks), batch_size):
            chunk = list(pks[start:start + batch_size])
            cursor.execute(statement.format(where=f"IN ({', '.join(['%s'] * len(chunk))})"), stamp + chunk)


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
    connection = connections[using]
    quote = connection.ops.quote_name
    historical = model.history.model
    opts = historical._meta
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


# --- text search


def text_condition(model, text):
    """Every word in the item's searched fields or in one of its notes."""
    notes = model._meta.get_field("updates").related_model.objects.filter(item=OuterRef("pk"))
    condition = Q()
    for word in text.split():
        in_text = Q()
        for field in model.search_fields:
            in_text |= Q(**{f"{field}__icontains": word})
        condition &= in_text | Exists(notes.filter(note__icontains=word))
    return condition


def text_matches(model, text):
    return model.objects.filter(text_condition(model, text)).values("pk")


def matches_in_order(model, text):
    return None  # no index to list them by: the list checks each row


def estimated_matches(model, text):
    return None


def filter_ids(queryset, ids):
    return queryset.filter(pk__in=ids)


def filter_notes(queryset, text):
    for word in text.split():
        queryset = queryset.filter(note__icontains=word)
    return queryset


def estimated_count(model):
    return None


# --- CSV


class _Echo:
    def write(self, value):
        return value


def csv_pieces(table):
    return csv_lines(table.rows())


def csv_lines(rows):
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow(row).encode()
