"""The projects' full-text search documents in a table of their own (see recommendations 0013)."""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

from recommendations import search

SEARCHED = dict(item_table="partnerships_project", search_table="partnerships_projectsearch",
                columns=("title", "description", "origin"), index="project_search_fts")


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS project_fts")
        search.install(schema_editor, **SEARCHED)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        search.uninstall(schema_editor, **SEARCHED)
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS project_fts ON partnerships_project "
                              f"USING gin ({search.document_sql(SEARCHED['columns'])})")


class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0008_sort_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='ProjectSearch',
            fields=[
                ('document', django.contrib.postgres.search.SearchVectorField(null=True)),
                ('item', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search_document', serialize=False, to='partnerships.project')),
            ],
            options={
                'abstract': False,
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
