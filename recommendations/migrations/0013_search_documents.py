"""Full-text search documents in tables of their own, written by triggers (PostgreSQL; see
recommendations.search). They replace the expression indexes of 0005 on the items' rows."""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

from recommendations import search

SEARCHED = [
    dict(item_table="recommendations_recommendation", search_table="recommendations_recommendationsearch",
         columns=("title", "text"), index="recommendation_search_fts", old_index="recommendation_fts"),
    dict(item_table="recommendations_followupitem", search_table="recommendations_followupitemsearch",
         columns=("title", "text"), index="followupitem_search_fts", old_index="followupitem_fts"),
]


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for searched in SEARCHED:
        searched = dict(searched)
        schema_editor.execute(f"DROP INDEX IF EXISTS {searched.pop('old_index')}")
        search.install(schema_editor, **searched)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for searched in SEARCHED:
        searched = dict(searched)
        old_index = searched.pop("old_index")
        search.uninstall(schema_editor, **searched)
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {old_index} ON {searched['item_table']} "
            f"USING gin ({search.document_sql(searched['columns'])})"
        )


class Migration(migrations.Migration):

    dependencies = [
        ('recommendations', '0012_sort_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='FollowUpItemSearch',
            fields=[
                ('document', django.contrib.postgres.search.SearchVectorField(null=True)),
                ('item', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search_document', serialize=False, to='recommendations.followupitem')),
            ],
            options={
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='RecommendationSearch',
            fields=[
                ('document', django.contrib.postgres.search.SearchVectorField(null=True)),
                ('item', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search_document', serialize=False, to='recommendations.recommendation')),
            ],
            options={
                'abstract': False,
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
