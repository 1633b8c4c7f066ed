"""Full-text search documents kept by PostgreSQL (SQLite searches word by word instead).

Each searched model (`search_fields` on the model: the columns searched, in order) has a
table of its own, `<item>search`, holding one `tsvector` per item with a GIN index on it.
Triggers on the item's table write it when an item is inserted and when one of its searched
columns really changes, so every way of writing (views, admin, imports, bulk SQL, the
scale generator) keeps it right.

Why not an index on the expression over the item's own row, as before: PostgreSQL adds
index entries for every new row version when an update touches an indexed column, and the
follow-up fields (last update, due date, status) are indexed; every update then analysed
the whole text again for the full-text index, three quarters of the time of an import of
10,000 rows. In a table of its own the document is written only when the text changes.
"""

CONFIG = "english"


def document_sql(columns, row=""):
    """The document of a row: its searched columns joined by spaces (`row` = "NEW." in a trigger)."""
    joined = " || ' ' || ".join(f"COALESCE({row}{column}, '')" for column in columns)
    return f"to_tsvector('{CONFIG}'::regconfig, {joined})"


def install(schema_editor, *, item_table, search_table, columns, index):
    """Triggers, the documents of the rows already there, and the GIN index (PostgreSQL)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    function = f"{search_table}_write"
    changed = " OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in columns)
    for statement in (
        f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO {search_table} (item_id, document) VALUES (NEW.id, {document_sql(columns, "NEW.")})
            ON CONFLICT (item_id) DO UPDATE SET document = EXCLUDED.document;
            RETURN NULL;
        END $$""",
        f"CREATE TRIGGER {search_table}_insert AFTER INSERT ON {item_table} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}()",
        f"CREATE TRIGGER {search_table}_update AFTER UPDATE OF {', '.join(columns)} ON {item_table} "
        f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION {function}()",
        "SET LOCAL statement_timeout = 0",
        f"INSERT INTO {search_table} (item_id, document) SELECT id, {document_sql(columns)} FROM {item_table}",
        f"CREATE INDEX {index} ON {search_table} USING gin (document)",
    ):
        schema_editor.execute(statement)


def uninstall(schema_editor, *, item_table, search_table, columns, index):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {search_table}_insert ON {item_table}")
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {search_table}_update ON {item_table}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {search_table}_write()")


def searched_models():
    """(item model, search document model) of every searched model."""
    from django.apps import apps

    from .models import SearchDocument

    return [(model._meta.get_field("item").related_model, model)
            for model in apps.get_models() if issubclass(model, SearchDocument)]


def rebuild(cursor, item_model, search_model):
    """Write every missing document in one statement (after a bulk load with the triggers off)."""
    columns = [item_model._meta.get_field(name).column for name in item_model.search_fields]
    cursor.execute(
        f"INSERT INTO {search_model._meta.db_table} (item_id, document) "
        f"SELECT id, {document_sql(columns)} FROM {item_model._meta.db_table} "
        f"ON CONFLICT (item_id) DO UPDATE SET document = EXCLUDED.document"
    )
