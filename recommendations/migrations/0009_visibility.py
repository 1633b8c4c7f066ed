"""Visibility (issue #19): a timeline entry is internal (the default: nothing written before becomes public)
or public; an item is public unless unpublished; the latest public note of each item, and how precisely its
time is known. The seed's own entries (the report's words) are made public, recognised exactly: entries of an
item `seed_gfmd` made (its SeedRecord), written by no one, saying "Seeded from the report of GFMD", that are
either the item's first entry or dated to a day, month or year (the later events the report dates: the seed
writes them at the report's precision, never at an exact time)."""

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

SEED_NOTE = "Seeded from the report of GFMD "


def publish_seeded(apps, item_model, entry_model, records, link):
    """The seed's entries of each item the seed made (`records`' `link`) public, and the items' latest public
    update, its precision and note read from their timelines (partnerships' 0004_visibility does the same for
    projects)."""
    items, entries = apps.get_model(*item_model), apps.get_model(*entry_model)
    seeded = apps.get_model(*records).objects.exclude(**{link: None}).values(link)
    first = entries.objects.filter(item=OuterRef("item")).order_by("created_at", "id").values("id")[:1]
    entries.objects.filter(author=None, note__startswith=SEED_NOTE, item__in=seeded).filter(
        Q(id=Subquery(first)) | ~Q(created_at_precision="time")).update(is_public=True)
    latest = entries.objects.filter(item=OuterRef("pk"), is_public=True).order_by("-created_at", "-id")
    items.objects.filter(pk__in=seeded).update(
        last_public_update_at=Subquery(latest.values("created_at")[:1]),
        last_public_update_precision=Coalesce(Subquery(latest.values("created_at_precision")[:1]), Value("time")),
        last_public_note=Coalesce(Subquery(latest.values("note")[:1]), Value("")))


def publish_seeded_entries(apps, schema_editor):
    for item, entry, link in (("Recommendation", "RecommendationUpdate", "recommendation"),
                              ("FollowUpItem", "FollowUpItemUpdate", "followupitem")):
        publish_seeded(apps, ("recommendations", item), ("recommendations", entry), ("recommendations", "SeedRecord"),
                       link)


class Migration(migrations.Migration):

    dependencies = [
        ('recommendations', '0008_lineage'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalFollowUpItemUpdate',
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
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical follow-up item update',
                'verbose_name_plural': 'historical follow-up item updates',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalRecommendationUpdate',
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
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical recommendation update',
                'verbose_name_plural': 'historical recommendation updates',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name='followupitem',
            name='is_public',
            field=models.BooleanField(default=True, help_text='Shown to the public (anyone without an account). Untick to unpublish the whole item, for instance a draft added by mistake: it then shows only to those who sign in.', verbose_name='public'),
        ),
        migrations.AddField(
            model_name='followupitem',
            name='last_public_note',
            field=models.TextField(blank=True, editable=False, help_text="The note of the timeline's latest public entry."),
        ),
        migrations.AddField(
            model_name='followupitem',
            name='last_public_update_at',
            field=models.DateTimeField(blank=True, editable=False, help_text='When the timeline last grew by a public entry.', null=True),
        ),
        migrations.AddField(
            model_name='followupitem',
            name='last_public_update_precision',
            field=models.CharField(choices=[('time', 'Exact time'), ('day', 'Day'), ('month', 'Month'), ('year', 'Year')], db_default='time', default='time', editable=False, help_text="How precisely the latest public update's time is known.", max_length=5),
        ),
        migrations.AddField(
            model_name='followupitemupdate',
            name='is_public',
            field=models.BooleanField(default=False, help_text='Shown to the public with its note and evidence link; internal (staff only) when unticked.', verbose_name='public'),
        ),
        migrations.AddField(
            model_name='historicalfollowupitem',
            name='is_public',
            field=models.BooleanField(default=True, help_text='Shown to the public (anyone without an account). Untick to unpublish the whole item, for instance a draft added by mistake: it then shows only to those who sign in.', verbose_name='public'),
        ),
        migrations.AddField(
            model_name='historicalrecommendation',
            name='is_public',
            field=models.BooleanField(default=True, help_text='Shown to the public (anyone without an account). Untick to unpublish the whole item, for instance a draft added by mistake: it then shows only to those who sign in.', verbose_name='public'),
        ),
        migrations.AddField(
            model_name='recommendation',
            name='is_public',
            field=models.BooleanField(default=True, help_text='Shown to the public (anyone without an account). Untick to unpublish the whole item, for instance a draft added by mistake: it then shows only to those who sign in.', verbose_name='public'),
        ),
        migrations.AddField(
            model_name='recommendation',
            name='last_public_note',
            field=models.TextField(blank=True, editable=False, help_text="The note of the timeline's latest public entry."),
        ),
        migrations.AddField(
            model_name='recommendation',
            name='last_public_update_at',
            field=models.DateTimeField(blank=True, editable=False, help_text='When the timeline last grew by a public entry.', null=True),
        ),
        migrations.AddField(
            model_name='recommendation',
            name='last_public_update_precision',
            field=models.CharField(choices=[('time', 'Exact time'), ('day', 'Day'), ('month', 'Month'), ('year', 'Year')], db_default='time', default='time', editable=False, help_text="How precisely the latest public update's time is known.", max_length=5),
        ),
        migrations.AddField(
            model_name='recommendationupdate',
            name='is_public',
            field=models.BooleanField(default=False, help_text='Shown to the public with its note and evidence link; internal (staff only) when unticked.', verbose_name='public'),
        ),
        migrations.AddIndex(
            model_name='followupitem',
            index=models.Index(fields=['last_public_update_at', 'id'], name='followupitem_pub_updated_id'),
        ),
        migrations.AddIndex(
            model_name='recommendation',
            index=models.Index(fields=['last_public_update_at', 'id'], name='recommendation_pub_updated_id'),
        ),
        migrations.AddField(
            model_name='historicalfollowupitemupdate',
            name='author',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalfollowupitemupdate',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalfollowupitemupdate',
            name='item',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='recommendations.followupitem'),
        ),
        migrations.AddField(
            model_name='historicalfollowupitemupdate',
            name='owner_after',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalfollowupitemupdate',
            name='owner_before',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalrecommendationupdate',
            name='author',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalrecommendationupdate',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalrecommendationupdate',
            name='item',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='recommendations.recommendation'),
        ),
        migrations.AddField(
            model_name='historicalrecommendationupdate',
            name='owner_after',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalrecommendationupdate',
            name='owner_before',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.RunPython(publish_seeded_entries, migrations.RunPython.noop),
    ]
