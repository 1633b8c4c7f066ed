"""What the database keeps beyond the models, in literal SQL: a later change is a new migration.

- Every database: the link tables of themes and responsible actors indexed the other way
  too, for the filters that look up a theme's or an actor's recommendations.
- PostgreSQL: each searched item's full-text document in a table of its own (the models
  `RecommendationSearch`, `FollowUpItemSearch`), written by triggers when an item is
  inserted or its searched text (`search_fields`) really changes, so that every way of
  writing keeps it right and an update of the follow-up fields leaves it alone
  (docs/performance.md); GIN indexes on the documents and on the timeline notes.
  `recommendations.db.postgres` searches them with the same configuration, 'english'.
"""

from django.db import migrations

POSTGRESQL = [
    """CREATE FUNCTION recommendations_recommendationsearch_write() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO recommendations_recommendationsearch (item_id, document)
        VALUES (NEW.id, to_tsvector('english'::regconfig, COALESCE(NEW.title, '') || ' ' || COALESCE(NEW.text, '')))
        ON CONFLICT (item_id) DO UPDATE SET document = EXCLUDED.document;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER recommendations_recommendationsearch_insert AFTER INSERT ON recommendations_recommendation
    FOR EACH ROW EXECUTE FUNCTION recommendations_recommendationsearch_write()""",
    """CREATE TRIGGER recommendations_recommendationsearch_update AFTER UPDATE OF title, text
    ON recommendations_recommendation
    FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.text IS DISTINCT FROM NEW.text)
    EXECUTE FUNCTION recommendations_recommendationsearch_write()""",
    "CREATE INDEX recommendation_search_fts ON recommendations_recommendationsearch USING gin (document)",

    """CREATE FUNCTION recommendations_followupitemsearch_write() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO recommendations_followupitemsearch (item_id, document)
        VALUES (NEW.id, to_tsvector('english'::regconfig, COALESCE(NEW.title, '') || ' ' || COALESCE(NEW.text, '')))
        ON CONFLICT (item_id) DO UPDATE SET document = EXCLUDED.document;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER recommendations_followupitemsearch_insert AFTER INSERT ON recommendations_followupitem
    FOR EACH ROW EXECUTE FUNCTION recommendations_followupitemsearch_write()""",
    """CREATE TRIGGER recommendations_followupitemsearch_update AFTER UPDATE OF title, text
    ON recommendations_followupitem
    FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.text IS DISTINCT FROM NEW.text)
    EXECUTE FUNCTION recommendations_followupitemsearch_write()""",
    "CREATE INDEX followupitem_search_fts ON recommendations_followupitemsearch USING gin (document)",

    "CREATE INDEX recupdate_note_fts ON recommendations_recommendationupdate "
    "USING gin (to_tsvector('english'::regconfig, COALESCE(note, '')))",
    "CREATE INDEX fuupdate_note_fts ON recommendations_followupitemupdate "
    "USING gin (to_tsvector('english'::regconfig, COALESCE(note, '')))",
]

POSTGRESQL_DROPPED = [
    "DROP INDEX fuupdate_note_fts",
    "DROP INDEX recupdate_note_fts",
    "DROP INDEX followupitem_search_fts",
    "DROP TRIGGER recommendations_followupitemsearch_update ON recommendations_followupitem",
    "DROP TRIGGER recommendations_followupitemsearch_insert ON recommendations_followupitem",
    "DROP FUNCTION recommendations_followupitemsearch_write()",
    "DROP INDEX recommendation_search_fts",
    "DROP TRIGGER recommendations_recommendationsearch_update ON recommendations_recommendation",
    "DROP TRIGGER recommendations_recommendationsearch_insert ON recommendations_recommendation",
    "DROP FUNCTION recommendations_recommendationsearch_write()",
]


def on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return  # elsewhere the search reads the columns word by word, without documents or indexes
        for statement in statements:
            schema_editor.execute(statement)
    return run


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX recommendation_themes_by_theme ON recommendations_recommendation_themes "
            "(theme_id, recommendation_id)",
            "DROP INDEX recommendation_themes_by_theme",
        ),
        migrations.RunSQL(
            "CREATE INDEX recommendation_actors_by_actor ON recommendations_recommendation_responsible_actors "
            "(actor_id, recommendation_id)",
            "DROP INDEX recommendation_actors_by_actor",
        ),
        migrations.RunPython(on_postgresql(POSTGRESQL), on_postgresql(POSTGRESQL_DROPPED)),
    ]
