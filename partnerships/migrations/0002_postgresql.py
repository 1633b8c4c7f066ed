"""The projects' full-text search document and the notes' index, in literal SQL (PostgreSQL;
see recommendations 0002_postgresql, which keeps the recommendations' the same way)."""

from django.db import migrations

POSTGRESQL = [
    """CREATE FUNCTION partnerships_projectsearch_write() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO partnerships_projectsearch (item_id, document)
        VALUES (NEW.id, to_tsvector('english'::regconfig,
                COALESCE(NEW.title, '') || ' ' || COALESCE(NEW.description, '') || ' ' || COALESCE(NEW.origin, '')))
        ON CONFLICT (item_id) DO UPDATE SET document = EXCLUDED.document;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER partnerships_projectsearch_insert AFTER INSERT ON partnerships_project
    FOR EACH ROW EXECUTE FUNCTION partnerships_projectsearch_write()""",
    """CREATE TRIGGER partnerships_projectsearch_update AFTER UPDATE OF title, description, origin
    ON partnerships_project
    FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.description IS DISTINCT FROM NEW.description
                       OR OLD.origin IS DISTINCT FROM NEW.origin)
    EXECUTE FUNCTION partnerships_projectsearch_write()""",
    "CREATE INDEX project_search_fts ON partnerships_projectsearch USING gin (document)",
    "CREATE INDEX projupdate_note_fts ON partnerships_projectupdate "
    "USING gin (to_tsvector('english'::regconfig, COALESCE(note, '')))",
]

POSTGRESQL_DROPPED = [
    "DROP INDEX projupdate_note_fts",
    "DROP INDEX project_search_fts",
    "DROP TRIGGER partnerships_projectsearch_update ON partnerships_project",
    "DROP TRIGGER partnerships_projectsearch_insert ON partnerships_project",
    "DROP FUNCTION partnerships_projectsearch_write()",
]


def on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return  # elsewhere the search reads the columns word by word, without documents or indexes
        for statement in statements:
            schema_editor.execute(statement)
    return run


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0001_initial")]

    operations = [migrations.RunPython(on_postgresql(POSTGRESQL), on_postgresql(POSTGRESQL_DROPPED))]
