"""Indexes that repeat another index's leading column are dropped: every index of a row is written
again by each update of it (see the comments in recommendations.models)."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0009_search_documents'),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalproject',
            name='status',
            field=models.CharField(choices=[('not_started', 'Not started'), ('planned', 'Planned'), ('in_progress', 'In progress'), ('implemented', 'Implemented'), ('ongoing', 'Ongoing'), ('stalled', 'Stalled'), ('not_pursued', 'Not pursued')], default='not_started', max_length=20),
        ),
        migrations.AlterField(
            model_name='project',
            name='status',
            field=models.CharField(choices=[('not_started', 'Not started'), ('planned', 'Planned'), ('in_progress', 'In progress'), ('implemented', 'Implemented'), ('ongoing', 'Ongoing'), ('stalled', 'Stalled'), ('not_pursued', 'Not pursued')], default='not_started', max_length=20),
        ),
        migrations.AlterField(
            model_name='projectupdate',
            name='created_at',
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AlterField(
            model_name='projectupdate',
            name='item',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='updates', to='partnerships.project'),
        ),
    ]
