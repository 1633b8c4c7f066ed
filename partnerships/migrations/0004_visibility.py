"""Visibility (issue #19) of PfP projects and their timelines, as recommendations' 0009_visibility: the
seed's entries of each project it made (ProjectSeedRecord) public, every other entry internal."""

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

SEED_NOTE = "Seeded from the report of GFMD "


def publish_seeded_entries(apps, schema_editor):
    """The same rule as recommendations' 0009_visibility (a migration imports no other module of the project)."""
    items, entries = apps.get_model("partnerships", "Project"), apps.get_model("partnerships", "ProjectUpdate")
    seeded = apps.get_model("partnerships", "ProjectSeedRecord").objects.exclude(project=None).values("project")
    first = entries.objects.filter(item=OuterRef("item")).order_by("created_at", "id").values("id")[:1]
    entries.objects.filter(author=None, note__startswith=SEED_NOTE, item__in=seeded).filter(
        Q(id=Subquery(first)) | ~Q(created_at_precision="time")).update(is_public=True)
    latest = entries.objects.filter(item=OuterRef("pk"), is_public=True).order_by("-created_at", "-id")
    items.objects.filter(pk__in=seeded).update(
        last_public_update_at=Subquery(latest.values("created_at")[:1]),
        last_public_update_precision=Coalesce(Subquery(latest.values("created_at_precision")[:1]), Value("time")),
        last_public_note=Coalesce(Subquery(latest.values("note")[:1]), Value("")))


class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0003_date_precision'),
        ('recommendations', '0009_visibility'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalProjectUpdate',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('created_at_precision', models.CharField(choices=[('time', 'Exact time'), ('day', 'Day'), ('month', 'Month'), ('year', 'Year')], db_default='time', default='time', max_length=5)),
                ('note', models.TextField()),
                ('evidence_url', models.URLField(blank=True, help_text='A link to evidence of what was done.', max_length=500)),
                ('status_before', models.CharField(blank=True, choices=[('not_started', 'Not started'), ('planned', 'Planned'), ('in_progress', 'In progress'), ('implemented', 'Implemented'), ('ongoing', 'Ongoing'), ('stalled', 'Stalled'), ('not_pursued', 'Not pursued')], max_length=20)),
                ('status_after', models.CharField(blank=True, choices=[('not_started', 'Not started'), ('planned', 'Planned'), ('in_progress', 'In progress'), ('implemented', 'Implemented'), ('ongoing', 'Ongoing'), ('stalled', 'Stalled'), ('not_pursued', 'Not pursued')], max_length=20)),
                ('progress_before', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('progress_after', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('due_date_before', models.DateField(blank=True, null=True)),
                ('due_date_after', models.DateField(blank=True, null=True)),
                ('is_public', models.BooleanField(default=False, help_text='Shown to the public with its note and evidence link; internal (staff only) when unticked.', verbose_name='public')),
                ('due_date_precision_before', models.CharField(blank=True, choices=[('day', 'Day'), ('month', 'Month'), ('year', 'Year')], db_default='', default='', max_length=5)),
                ('due_date_precision_after', models.CharField(blank=True, choices=[('day', 'Day'), ('month', 'Month'), ('year', 'Year')], db_default='', default='', max_length=5)),
                ('stage_before', models.CharField(blank=True, choices=[('initiation', 'Initiation'), ('design', 'Design'), ('implementation', 'Implementation'), ('completion', 'Completion / follow-up'), ('on_hold', 'On hold'), ('withdrawn', 'Withdrawn')], max_length=20)),
                ('stage_after', models.CharField(blank=True, choices=[('initiation', 'Initiation'), ('design', 'Design'), ('implementation', 'Implementation'), ('completion', 'Completion / follow-up'), ('on_hold', 'On hold'), ('withdrawn', 'Withdrawn')], max_length=20)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical project update',
                'verbose_name_plural': 'historical project updates',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name='historicalproject',
            name='is_public',
            field=models.BooleanField(default=True, help_text='Shown to the public (anyone without an account). Untick to unpublish the whole item, for instance a draft added by mistake: it then shows only to those who sign in.', verbose_name='public'),
        ),
        migrations.AddField(
            model_name='project',
            name='is_public',
            field=models.BooleanField(default=True, help_text='Shown to the public (anyone without an account). Untick to unpublish the whole item, for instance a draft added by mistake: it then shows only to those who sign in.', verbose_name='public'),
        ),
        migrations.AddField(
            model_name='project',
            name='last_public_note',
            field=models.TextField(blank=True, editable=False, help_text="The note of the timeline's latest public entry."),
        ),
        migrations.AddField(
            model_name='project',
            name='last_public_update_at',
            field=models.DateTimeField(blank=True, editable=False, help_text='When the timeline last grew by a public entry.', null=True),
        ),
        migrations.AddField(
            model_name='project',
            name='last_public_update_precision',
            field=models.CharField(choices=[('time', 'Exact time'), ('day', 'Day'), ('month', 'Month'), ('year', 'Year')], db_default='time', default='time', editable=False, help_text="How precisely the latest public update's time is known.", max_length=5),
        ),
        migrations.AddField(
            model_name='projectupdate',
            name='is_public',
            field=models.BooleanField(default=False, help_text='Shown to the public with its note and evidence link; internal (staff only) when unticked.', verbose_name='public'),
        ),
        migrations.AddIndex(
            model_name='project',
            index=models.Index(fields=['last_public_update_at', 'id'], name='project_pub_updated_id'),
        ),
        migrations.AddField(
            model_name='historicalprojectupdate',
            name='author',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalprojectupdate',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalprojectupdate',
            name='item',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partnerships.project'),
        ),
        migrations.AddField(
            model_name='historicalprojectupdate',
            name='owner_after',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalprojectupdate',
            name='owner_before',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.RunPython(publish_seeded_entries, migrations.RunPython.noop),
    ]
