"""Writing many rows at once, faster than Django's `bulk_update` where the database allows."""

from contextlib import contextmanager

from django.db import connections, models


def bulk_update(model, objs, fields, *, using="default", batch_size=2_000):
    """Write `fields` (names) of `objs` to their rows.

    On PostgreSQL one `UPDATE … FROM unnest(arrays)` per batch: the values travel as one
    array per column (one value, where every row gets the same: the time of an import, its
    note), so the statement stays small and is planned once. Django's own `bulk_update`
    writes a CASE expression per field with a branch per row, which costs more to build in
    Python than to run. Elsewhere (SQLite in tests) Django's is used.
    """
    if not objs:
        return
    connection = connections[using]
    if connection.vendor != "postgresql":
        model._default_manager.db_manager(using).bulk_update(objs, fields, batch_size=batch_size)
        return
    opts = model._meta
    quote = connection.ops.quote_name
    table, pk = quote(opts.db_table), opts.pk
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch_size):
            batch = objs[start:start + batch_size]
            arrays, params, assignments = [pk], [[obj.pk for obj in batch]], []
            for field in (opts.get_field(name) for name in fields):
                values = [getattr(obj, field.attname) for obj in batch]
                first = values[0]
                if all(value == first and type(value) is type(first) for value in values):
                    assignments.append((field, "%s"))
                    params.append(_prepared(field, connection, [first])[0])
                else:
                    assignments.append((field, f"v.{quote(field.column)}"))
                    arrays.append(field)
                    params.append(_prepared(field, connection, values))
            scalars = [value for (_, place), value in zip(assignments, params[1:]) if place == "%s"]
            lists = [params[0]] + [value for (_, place), value in zip(assignments, params[1:]) if place != "%s"]
            unnest = ", ".join(f"%s::{field.db_type(connection)}[]" for field in arrays)
            names = ", ".join(quote(field.column) for field in arrays)
            sets = ", ".join(f"{quote(field.column)} = {place}" for field, place in assignments)
            cursor.execute(
                f"UPDATE {table} SET {sets} FROM unnest({unnest}) AS v({names}) "
                f"WHERE {table}.{quote(pk.column)} = v.{quote(pk.column)}",
                scalars + lists,
            )


def pairs(model, source, target, values, *, using="default", batch_size=5_000):
    """(source, target) of the rows of `model` (a link table) whose `source` is one of `values`:
    on PostgreSQL in one query with the values as one array, elsewhere in batches."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {quote(source)}, {quote(target)} FROM {quote(model._meta.db_table)} "
                           f"WHERE {quote(source)} = ANY(%s)", [list(values)])
            return cursor.fetchall()
    values = list(values)
    found = []
    for start in range(0, len(values), batch_size):
        chunk = values[start:start + batch_size]
        found += model._default_manager.db_manager(using).filter(**{f"{source}__in": chunk}).values_list(source, target)
    return found


def relink(through, source, target, added, removed, *, using="default", batch_size=10_000):
    """Add and remove rows of a link table: `added` and `removed` are (source id, target id)
    pairs, `source` and `target` the two columns' attnames. A pair already there is not
    added twice, a pair not there is not removed.

    On PostgreSQL one statement per batch each way, the pairs as two arrays (a statement
    each way per link table also lets the list-cell triggers (`listcells`) recompute each
    item once); elsewhere Django's `bulk_create` and a filtered delete. Building 20,000 link
    instances and a delete with an OR per item cost more than the rest of an import."""
    connection = connections[using]
    opts = through._meta
    if connection.vendor != "postgresql":
        manager = through._default_manager.db_manager(using)
        for start in range(0, len(removed), 500):
            condition = models.Q()
            for source_id, target_id in removed[start:start + 500]:
                condition |= models.Q(**{source: source_id, target: target_id})
            manager.filter(condition).delete()
        manager.bulk_create([through(**{source: s, target: t}) for s, t in added], ignore_conflicts=True)
        return
    quote = connection.ops.quote_name
    table = quote(opts.db_table)
    first, second = opts.get_field(source), opts.get_field(target)
    types = f"%s::{first.db_type(connection)}[], %s::{second.db_type(connection)}[]"
    columns = f"{quote(first.column)}, {quote(second.column)}"
    with connection.cursor() as cursor:
        for start in range(0, len(removed), batch_size):
            batch = removed[start:start + batch_size]
            cursor.execute(
                f"DELETE FROM {table} USING unnest({types}) AS gone(s, t) "
                f"WHERE {table}.{quote(first.column)} = gone.s AND {table}.{quote(second.column)} = gone.t",
                [[s for s, _ in batch], [t for _, t in batch]],
            )
        for start in range(0, len(added), batch_size):
            batch = added[start:start + batch_size]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({types}) ON CONFLICT DO NOTHING",
                [[s for s, _ in batch], [t for _, t in batch]],
            )


def insert(model, rows, *, using="default", batch_size=10_000):
    """Insert `rows` ({field name or attname: value}; a field left out gets its default)
    without reading back their ids: timeline entries.

    On PostgreSQL one `INSERT … SELECT FROM unnest(arrays)` per batch, one array per column
    (one value, where every row has the same); elsewhere Django's `bulk_create`."""
    if not rows:
        return
    connection = connections[using]
    for row in rows:  # a model instance stands for its id, as Django does
        for key, value in row.items():
            if isinstance(value, models.Model):
                row[key] = value.pk
    opts = model._meta
    names = {}
    for field in opts.concrete_fields:
        names[field.name] = names[field.attname] = field
    rows = [{names[key].attname: value for key, value in row.items()} for row in rows]
    if connection.vendor != "postgresql":
        model._default_manager.db_manager(using).bulk_create([model(**row) for row in rows])
        return
    quote = connection.ops.quote_name
    columns = [field for field in opts.concrete_fields if not field.primary_key]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            batch = rows[start:start + batch_size]
            selected, arrays, scalars, lists = [], [], [], []
            for field in columns:
                default = field.get_default()
                values = [row.get(field.attname, default) for row in batch]
                first = values[0]
                if all(value == first and type(value) is type(first) for value in values):
                    selected.append(f"%s::{field.db_type(connection)}")
                    scalars.append(_prepared(field, connection, [first])[0])
                else:
                    selected.append(f"v.{quote(field.column)}")
                    arrays.append(field)
                    lists.append(_prepared(field, connection, values))
            if arrays:
                unnest = ", ".join(f"%s::{field.db_type(connection)}[]" for field in arrays)
                source = f"unnest({unnest}) AS v({', '.join(quote(field.column) for field in arrays)})"
            else:  # every row the same
                source, lists = "generate_series(1, %s)", [len(batch)]
            cursor.execute(
                f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(f.column) for f in columns)}) "
                f"SELECT {', '.join(selected)} FROM {source}",
                scalars + lists,
            )


@contextmanager
def pipelined(using="default"):
    """Statements sent without waiting for each one's result (PostgreSQL's pipeline mode):
    the database writes one batch of an import while Python checks the next, on the two
    cores instead of one after the other. A statement's error is raised at the next read or
    at the end of the block, inside the import's transaction, which then rolls back whole.
    Elsewhere a no-op."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    with connection.wrap_database_errors, connection.connection.pipeline():
        yield


def _prepared(field, connection, values):
    return [field.get_db_prep_save(value, connection) for value in values]


def history(model, pks, *, update, user, date, using="default", batch_size=10_000):
    """django-simple-history's records of the rows `pks`, as `bulk_history_create` makes them,
    copied from the rows themselves by the database (`INSERT … SELECT`): what each holds after
    the change, who changed it, when. No text travels to the database and back."""
    from django.conf import settings

    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True) or not pks:
        return
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
    select = f"SELECT {copied}, %s, %s, %s, %s FROM {quote(model._meta.db_table)}"
    insert = f"INSERT INTO {quote(opts.db_table)} ({', '.join(names)}) "
    if connection.vendor != "postgresql":
        batch_size = min(batch_size, 900)  # SQLite's limit of parameters per statement
    with connection.cursor() as cursor:
        for start in range(0, len(pks), batch_size):
            chunk = list(pks[start:start + batch_size])
            if connection.vendor == "postgresql":
                where, params = f"{pk} = ANY(%s)", [chunk]
            else:
                where, params = f"{pk} IN ({', '.join(['%s'] * len(chunk))})", chunk
            cursor.execute(f"{insert}{select} WHERE {where} ORDER BY {pk}", stamp + params)
