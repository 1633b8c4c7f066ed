"""Each of the recommendations' themes and responsible actors as the CSV export shows them, in a
table kept by triggers (PostgreSQL; see recommendations.listcells)."""

import django.db.models.deletion
from django.db import migrations, models

from recommendations import listcells


def install(apps, schema_editor):
    listcells.install(schema_editor, apps.get_model("recommendations", "Recommendation"), apps.get_model("recommendations", "RecommendationListCells"))


def uninstall(apps, schema_editor):
    listcells.uninstall(schema_editor, apps.get_model("recommendations", "Recommendation"), apps.get_model("recommendations", "RecommendationListCells"))


class Migration(migrations.Migration):

    dependencies = [
        ('recommendations', '0014_fewer_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='RecommendationListCells',
            fields=[
                ('themes', models.TextField(db_default='')),
                ('responsible_actors', models.TextField(db_default='')),
                ('item', models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, primary_key=True, related_name='+', serialize=False, to='recommendations.recommendation')),
            ],
            options={
                'abstract': False,
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
