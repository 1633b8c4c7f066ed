"""Full-text search indexes for projects (PostgreSQL only; see recommendations 0005)."""

from django.db import migrations

INDEXES = {
    "project_fts": ("partnerships_project",
                    "COALESCE(title, '') || ' ' || COALESCE(description, '') || ' ' || COALESCE(origin, '')"),
    "projupdate_note_fts": ("partnerships_projectupdate", "COALESCE(note, '')"),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, expression) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (to_tsvector('english'::regconfig, {expression}))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0004_backfill_last_update_at")]
    operations = [migrations.RunPython(create, drop)]
