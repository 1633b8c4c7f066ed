"""Search in the reader's language too (issue #22), as recommendations 0014_search_translations does for the
recommendations (which says how and why): the projects' translated titles and descriptions get a document per
language; the origin is not translated."""

import django.contrib.postgres.search
from django.db import migrations

# A translation's language and its configuration (recommendations.db.postgres.CONFIGS has the same).
TRANSLATED = {"fr": "french", "es": "spanish"}


def english(row, fields):
    """`row`'s English (its `search_fields`, in order), as 0002_postgresql writes it."""
    text = " || ' ' || ".join(f"COALESCE({row}.{field}, '')" for field in fields)
    return f"to_tsvector('english'::regconfig, {text})"


def translated(row, language, fields):
    """`row`'s translation of `fields` into `language`, analysed in that language; null where it has none."""
    text = ", ".join(f"{row}.i18n->>'{field}_{language}'" for field in fields)
    return f"NULLIF(to_tsvector('{TRANSLATED[language]}'::regconfig, concat_ws(' ', {text})), '')"


def write_function(search, searched, translated_fields):
    """The trigger function writing an item's documents (`translated_fields` empty: the English one only)."""
    documents, values = ["document"], [english("NEW", searched)]
    if translated_fields:
        documents += [f"document_{language}" for language in TRANSLATED]
        values += [translated("NEW", language, translated_fields) for language in TRANSLATED]
    return f"""CREATE OR REPLACE FUNCTION {search}_write() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO {search} (item_id, {', '.join(documents)})
        VALUES (NEW.id, {', '.join(values)})
        ON CONFLICT (item_id) DO UPDATE SET {', '.join(f'{d} = EXCLUDED.{d}' for d in documents)};
        RETURN NULL;
    END $$"""


def update_trigger(item, search, columns):
    """The trigger firing when one of `columns` really changes."""
    changed = " OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in columns)
    return [f"DROP TRIGGER {search}_update ON {item}",
            f"""CREATE TRIGGER {search}_update AFTER UPDATE OF {', '.join(columns)} ON {item}
            FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION {search}_write()"""]


def rebuilt(item, search, translated_fields):
    """The documents of the items translated already (the others have none)."""
    sets = ", ".join(f"document_{language} = {translated('item', language, translated_fields)}"
                     for language in TRANSLATED)
    return (f"UPDATE {search} SET {sets} FROM {item} AS item "
            f"WHERE {search}.item_id = item.id AND item.i18n IS NOT NULL AND item.i18n <> '{{}}'::jsonb")


def statements(item, search, index, searched, translated_fields):
    """(forwards, backwards) for one kind of item: `searched` its English columns, `translated_fields` those
    of them an editor may translate."""
    forwards = [write_function(search, searched, translated_fields),
                *update_trigger(item, search, [*searched, "i18n"]),
                *(f"CREATE INDEX {index}_{language}_fts ON {search} USING gin (document_{language})"
                  for language in TRANSLATED),
                rebuilt(item, search, translated_fields)]
    backwards = [*(f"DROP INDEX {index}_{language}_fts" for language in TRANSLATED),
                 *update_trigger(item, search, searched),
                 write_function(search, searched, ())]
    return forwards, backwards


def on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return  # elsewhere the search reads the columns word by word, without documents or indexes
        for statement in statements:
            schema_editor.execute(statement)
    return run


def search_document(model, language):
    return migrations.AddField(model_name=model, name=f"document_{language}",
                               field=django.contrib.postgres.search.SearchVectorField(null=True))


PROJECTS = statements("partnerships_project", "partnerships_projectsearch", "project_search",
                      ["title", "description", "origin"], ["title", "description"])


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0008_translations")]

    operations = [
        *(search_document("projectsearch", language) for language in TRANSLATED),
        migrations.RunPython(on_postgresql(PROJECTS[0]), on_postgresql(PROJECTS[1])),
    ]
