"""Indexes that repeat another index's leading column are dropped: every index of a row is written
again by each update of it (see the comments in recommendations.models)."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('recommendations', '0013_search_documents'),
    ]

    operations = [
        migrations.AlterField(
            model_name='followupitem',
            name='session',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='follow_up_items', to='recommendations.session'),
        ),
        migrations.AlterField(
            model_name='followupitem',
            name='status',
            field=models.CharField(choices=[('not_started', 'Not started'), ('planned', 'Planned'), ('in_progress', 'In progress'), ('implemented', 'Implemented'), ('ongoing', 'Ongoing'), ('stalled', 'Stalled'), ('not_pursued', 'Not pursued')], default='not_started', max_length=20),
        ),
        migrations.AlterField(
            model_name='followupitemupdate',
            name='created_at',
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AlterField(
            model_name='followupitemupdate',
            name='item',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='updates', to='recommendations.followupitem'),
        ),
        migrations.AlterField(
            model_name='historicalfollowupitem',
            name='status',
            field=models.CharField(choices=[('not_started', 'Not started'), ('planned', 'Planned'), ('in_progress', 'In progress'), ('implemented', 'Implemented'), ('ongoing', 'Ongoing'), ('stalled', 'Stalled'), ('not_pursued', 'Not pursued')], default='not_started', max_length=20),
        ),
        migrations.AlterField(
            model_name='historicalrecommendation',
            name='status',
            field=models.CharField(choices=[('not_started', 'Not started'), ('planned', 'Planned'), ('in_progress', 'In progress'), ('implemented', 'Implemented'), ('ongoing', 'Ongoing'), ('stalled', 'Stalled'), ('not_pursued', 'Not pursued')], default='not_started', max_length=20),
        ),
        migrations.AlterField(
            model_name='recommendation',
            name='session',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='recommendations', to='recommendations.session'),
        ),
        migrations.AlterField(
            model_name='recommendation',
            name='status',
            field=models.CharField(choices=[('not_started', 'Not started'), ('planned', 'Planned'), ('in_progress', 'In progress'), ('implemented', 'Implemented'), ('ongoing', 'Ongoing'), ('stalled', 'Stalled'), ('not_pursued', 'Not pursued')], default='not_started', max_length=20),
        ),
        migrations.AlterField(
            model_name='recommendationupdate',
            name='created_at',
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AlterField(
            model_name='recommendationupdate',
            name='item',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='updates', to='recommendations.recommendation'),
        ),
    ]
