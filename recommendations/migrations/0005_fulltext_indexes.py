"""Full-text search indexes (PostgreSQL only; SQLite searches word by word without them).

The expressions are exactly those of recommendations.filters (SearchVector with the
'english' configuration), so that the planner uses them."""

from django.db import migrations

INDEXES = {
    "recommendation_fts": ("recommendations_recommendation",
                           "COALESCE(title, '') || ' ' || COALESCE(text, '')"),
    "followupitem_fts": ("recommendations_followupitem", "COALESCE(title, '') || ' ' || COALESCE(text, '')"),
    "recupdate_note_fts": ("recommendations_recommendationupdate", "COALESCE(note, '')"),
    "fuupdate_note_fts": ("recommendations_followupitemupdate", "COALESCE(note, '')"),
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
    dependencies = [("recommendations", "0004_backfill_last_update_at")]
    operations = [migrations.RunPython(create, drop)]
