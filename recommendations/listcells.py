"""An item's many-to-many lists as the CSV export shows them, kept by PostgreSQL.

The export's themes and responsible actors columns are each item's linked names joined by
"; " in name order. Aggregating them at export time went over every link and took half of
the CSV's time (docs/performance.md). Instead each exported model has a table of its own
(`<item>listcells`, one row per item, one text column per list), and database triggers keep
it right, like the search documents (`recommendations.search`):

- on the through table of each list, per statement (a bulk insert of links recomputes each
  item once): the cells of the items whose links were inserted, deleted or moved;
- on the linked table (themes, actors), per statement: the cells of the items linked to a
  row whose shown or ordering value changed (a rename).

So every way of writing (views, admin, imports, bulk SQL) keeps them right. An item's row
goes with the item (a foreign key ON DELETE CASCADE). The scale generator turns the
triggers off while it loads and calls `rebuild` at the end. SQLite leaves the tables empty
and aggregates at export time (`exports.Table.rows`), which a test holds equal to these.
"""

# The lists kept: many-to-many field → (column shown, column ordered by) on the linked model.
# The export's `Many` columns use the stored cells only where they ask for exactly this.
LISTS = {
    "themes": ("slug", "name"),
    "responsible_actors": ("name", "name"),
}


def kept_models():
    """(item model, the model keeping its list cells) of every model with kept cells."""
    from django.apps import apps

    from .models import ListCells

    return [(model._meta.get_field("item").related_model, model)
            for model in apps.get_models() if issubclass(model, ListCells)]


def cells_model_for(item_model):
    """The model keeping `item_model`'s list cells, or None."""
    return next((cells for item, cells in kept_models() if item is item_model), None)


def kept(item_model, field, values, order, template="{}"):
    """The (table, column) holding the export cell of this many-to-many column, if one does."""
    model = cells_model_for(item_model)
    if model is None or field not in LISTS or template != "{}" or (*values, *order) != LISTS[field]:
        return None
    return model._meta.db_table, field


def _lists(item_model):
    """(column, through table, item column, linked column, linked table, shown, ordered by) of each list."""
    for field_name, (shown, ordered) in LISTS.items():
        field = item_model._meta.get_field(field_name)
        through = field.remote_field.through._meta
        target = field.related_model._meta
        yield (field_name, through.db_table, through.get_field(field.m2m_field_name()).column,
               through.get_field(field.m2m_reverse_field_name()).column, target.db_table,
               target.get_field(shown).column, target.get_field(ordered).column)


def _cell_sql(item_alias, through, own, linked, target, shown, ordered):
    """An item's cell: its linked values joined by '; ' in order, '' for none."""
    return (f"COALESCE((SELECT string_agg(x.{shown}::text, '; ' ORDER BY x.{ordered}) FROM {through} l "
            f"JOIN {target} x ON x.id = l.{linked} WHERE l.{own} = {item_alias}.id), '')")


def _write_sql(cells_table, item_table, column, cell, items):
    """Upsert the cell of each item whose id `items` (a subquery) selects, if it still exists.

    The items' rows are locked first, and the cells read in a statement of their own, with a
    snapshot taken after the lock: two transactions changing one item's links at once would
    otherwise each write a cell without the other's links, the last one winning."""
    return (f"PERFORM 1 FROM {item_table} WHERE id IN ({items}) ORDER BY id FOR NO KEY UPDATE; "
            f"INSERT INTO {cells_table} (item_id, {column}) SELECT i.id, {cell} FROM {item_table} i "
            f"WHERE i.id IN ({items}) ON CONFLICT (item_id) DO UPDATE SET {column} = EXCLUDED.{column}")


def install(schema_editor, item_model, cells_model):
    """The foreign key, the triggers and the cells of the rows already there (PostgreSQL)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    cells_table, item_table = cells_model._meta.db_table, item_model._meta.db_table
    schema_editor.execute(
        f"ALTER TABLE {cells_table} ADD CONSTRAINT {cells_table}_item_fk FOREIGN KEY (item_id) "
        f"REFERENCES {item_table} (id) ON DELETE CASCADE"
    )
    for column, through, own, linked, target, shown, ordered in _lists(item_model):
        name = f"{cells_model._meta.model_name}_{column}"  # within PostgreSQL's 63 characters
        cell = _cell_sql("i", through, own, linked, target, shown, ordered)
        links = _write_sql(cells_table, item_table, column, cell, f"SELECT {own} FROM changed")
        moved = _write_sql(cells_table, item_table, column, cell,
                           f"SELECT {own} FROM changed UNION SELECT {own} FROM changed_new")
        renamed = _write_sql(
            cells_table, item_table, column, cell,
            f"SELECT l.{own} FROM {through} l WHERE l.{linked} IN (SELECT n.id FROM changed_new n "
            f"JOIN changed o ON o.id = n.id WHERE n.{shown} IS DISTINCT FROM o.{shown} "
            f"OR n.{ordered} IS DISTINCT FROM o.{ordered})",
        )
        for statement in (
            f"""CREATE OR REPLACE FUNCTION {name}_links() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'UPDATE' THEN {moved}; ELSE {links}; END IF;
                RETURN NULL;
            END $$""",
            f"""CREATE OR REPLACE FUNCTION {name}_names() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                {renamed};
                RETURN NULL;
            END $$""",
            f"CREATE TRIGGER {name}_added AFTER INSERT ON {through} REFERENCING NEW TABLE AS changed "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}_links()",
            f"CREATE TRIGGER {name}_removed AFTER DELETE ON {through} REFERENCING OLD TABLE AS changed "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}_links()",
            f"CREATE TRIGGER {name}_moved AFTER UPDATE ON {through} REFERENCING OLD TABLE AS changed "
            f"NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION {name}_links()",
            f"CREATE TRIGGER {name}_renamed AFTER UPDATE ON {target} REFERENCING OLD TABLE AS changed "
            f"NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION {name}_names()",
        ):
            schema_editor.execute(statement)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 0")
        rebuild(cursor, item_model, cells_model)


def uninstall(schema_editor, item_model, cells_model):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column, through, _, _, target, _, _ in _lists(item_model):
        name = f"{cells_model._meta.model_name}_{column}"
        for trigger, table in ((f"{name}_added", through), (f"{name}_removed", through),
                               (f"{name}_moved", through), (f"{name}_renamed", target)):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}_links()")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}_names()")


def trigger_tables(item_model):
    """The tables whose triggers write `item_model`'s cells (the generator turns them off)."""
    model = cells_model_for(item_model)
    if model is None:
        return []
    tables = []
    for _, through, _, _, target, _, _ in _lists(item_model):
        tables += [t for t in (through, target) if t not in tables]
    return tables


def rebuild(cursor, item_model, cells_model):
    """Write every item's cells anew, one aggregate per list (after a bulk load with the triggers off)."""
    cells_table = cells_model._meta.db_table
    cursor.execute(f"DELETE FROM {cells_table}")
    for column, through, own, linked, target, shown, ordered in _lists(item_model):
        cursor.execute(
            f"INSERT INTO {cells_table} (item_id, {column}) "
            f"SELECT l.{own}, string_agg(x.{shown}::text, '; ' ORDER BY x.{ordered}) FROM {through} l "
            f"JOIN {target} x ON x.id = l.{linked} GROUP BY l.{own} "
            f"ON CONFLICT (item_id) DO UPDATE SET {column} = EXCLUDED.{column}"
        )
