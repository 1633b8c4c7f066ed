"""Reports and the opening entry: every timeline entry is a report on the item except the one that opened it;
`last_report_at` is the latest report's time, written by the write path and read back by the migration."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from partnerships.models import Project
from recommendations import services
from recommendations.models import FollowUpItem, Recommendation, Status

pytestmark = pytest.mark.django_db


def at(year, month, day):
    return timezone.make_aware(datetime.datetime(year, month, day, 12))


def test_the_opening_entry_is_no_report(rec_session):
    new = Recommendation.objects.create(session=rec_session, number=60, title="New", text="New.")
    entry = new.start_timeline(note="Created.")
    new.refresh_from_db()
    assert (new.last_update_at, new.last_report_at) == (entry.created_at, None)


@pytest.fixture
def rec_session():
    return Recommendation.objects.get_by_natural_key(2010, "1.1", 1).session


def test_every_later_entry_is_a_report(editor):
    rec = Recommendation.objects.get_by_natural_key(2010, "1.2", 3)
    assert rec.last_report_at is None
    note_only = rec.record_update(by=editor, note="A word.")
    rec.refresh_from_db()
    assert rec.last_report_at == note_only.created_at
    changed = rec.record_update(by=editor, note="Started.", status=Status.IN_PROGRESS)
    rec.refresh_from_db()
    assert rec.last_report_at == changed.created_at == rec.last_update_at


def test_an_older_report_written_later_leaves_the_latest_alone(editor):
    rec = Recommendation.objects.get_by_natural_key(2010, "1.2", 3)
    latest = rec.record_update(by=editor, note="Now.", at=at(2025, 5, 1))
    rec.record_update(by=editor, note="Back then.", at=at(2012, 1, 1))
    rec.refresh_from_db()
    assert rec.last_report_at == latest.created_at


def test_items_created_with_their_entries_have_no_report_yet(rec_session, editor):
    item = Recommendation(session=rec_session, number=61, title="Imported", text="Imported.")
    values = {f"{field}_after": getattr(item, field) for field in item.tracked_fields}
    services.record_updates([services.Update(item, "Created by import.", values)], by=editor, created=True)
    item.refresh_from_db()
    assert item.last_update_at is not None and item.last_report_at is None


def test_the_seed_leaves_reports_only_where_the_report_dates_later_events():
    with_later = Recommendation.objects.get_by_natural_key(2010, "2.1", 1)  # the workshop of January 2011
    assert with_later.last_report_at == with_later.last_update_at == at(2011, 1, 1)
    assert Recommendation.objects.get_by_natural_key(2010, "1.2", 3).last_report_at is None


def test_the_migration_reads_each_items_latest_report_from_its_timeline(editor):
    rec = Recommendation.objects.get_by_natural_key(2010, "1.2", 3)
    first = rec.record_update(by=editor, note="A report.", at=at(2024, 1, 1))
    rec.record_update(by=editor, note="An older one.", at=at(2013, 1, 1))
    follow_up = FollowUpItem.objects.get_by_natural_key(2010, "FOF", 2)
    project = Project.objects.get(title="Developing Migration Profiles")
    project.record_update(by=editor, note="A report.", at=at(2024, 2, 2))
    for model in (Recommendation, FollowUpItem, Project):  # as a database from before reports were told apart
        model.objects.update(last_report_at=at(1999, 1, 1))

    importlib.import_module("recommendations.migrations.0011_follow_up").report_times(apps, None)
    importlib.import_module("partnerships.migrations.0005_follow_up").report_times(apps, None)

    rec.refresh_from_db(), follow_up.refresh_from_db(), project.refresh_from_db()
    assert rec.last_report_at == first.created_at
    assert follow_up.last_report_at is None  # its one entry opened it
    assert project.last_report_at == at(2024, 2, 2)
    assert Recommendation.objects.get_by_natural_key(2010, "2.1", 1).last_report_at == at(2011, 1, 1)


def test_taking_or_handing_over_an_item_is_no_report(staff, editor):
    # Who owns it says nothing of how the follow-up stands: its hand-entered 0 % must stay unknown.
    rec = Recommendation.objects.get_by_natural_key(2010, "1.2", 4)
    rec.record_update(by=staff, note="Took this item.", owner=staff)
    rec.refresh_from_db()
    assert (rec.owner, rec.last_report_at) == (staff, None)
    rec.record_update(by=editor, note="Handed to the editor.", owner=editor)
    rec.refresh_from_db()
    assert (rec.owner, rec.last_report_at) == (editor, None)
    assert Recommendation.objects.filter(pk=rec.pk).coverage()["unknown"] == 1
    report = rec.record_update(by=editor, note="Handed back, with the plan agreed.", owner=staff,
                               status=Status.PLANNED)
    rec.refresh_from_db()
    assert rec.last_report_at == report.created_at
