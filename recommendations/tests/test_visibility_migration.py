"""What is public from the start: the seed's entries (the report's words, quoted: each item's first entry,
and one for each later event the report dates) are public; on a database seeded before visibility, the
migration recognises exactly those entries and leaves every other entry internal."""

import importlib
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from partnerships.models import Project, ProjectUpdate
from recommendations.models import FollowUpItem, FollowUpItemUpdate, Recommendation, RecommendationUpdate

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "gfmd2010"
KINDS = ((Recommendation, RecommendationUpdate, "recommendations.json"),
         (FollowUpItem, FollowUpItemUpdate, "follow_up_items.json"), (Project, ProjectUpdate, "projects.json"))


def seeded_count(fixture):
    """The seed's entries of the fixture's items: one each, and one per later event the report dates."""
    rows = json.loads((FIXTURES / fixture).read_text(encoding="utf-8"))
    return len(rows) + sum(len(row.get("later", [])) for row in rows)


@pytest.mark.parametrize(("model", "timeline", "fixture"), KINDS)
def test_the_seed_publishes_its_entries(model, timeline, fixture):
    public = timeline.objects.filter(is_public=True)
    assert public.count() == seeded_count(fixture) == timeline.objects.count()
    assert all(entry.note.startswith("Seeded from the report of GFMD 2010 (Puerto Vallarta): ") for entry in public)
    for item in model.objects.all():
        assert (item.last_public_note, item.last_public_update_at, item.last_public_update_precision) == (
            item.last_note, item.last_update_at, item.last_update_precision)


def migrate(app, module):
    return importlib.import_module(f"{app}.migrations.{module}").publish_seeded_entries(apps, None)


def test_the_migration_recognises_the_seeds_entries_exactly(editor):
    rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 2)
    rec.record_update(by=None, note="Seeded from the report of GFMD 2010, says an import.", progress=5)
    rec.record_update(by=editor, note="Seeded from the report of GFMD 2010, says a person.", progress=6)
    new = Recommendation.objects.create(session=rec.session, number=50, title="Added later", text="Not seeded.")
    new.start_timeline(note="Seeded from the report of GFMD 2010, says no seed record.")
    for _, timeline, _ in KINDS:  # as a database seeded before visibility existed
        timeline.objects.update(is_public=False)
    for model, _, _ in KINDS:
        model.objects.update(last_public_note="", last_public_update_at=None, last_public_update_precision="time")

    migrate("recommendations", "0009_visibility")
    migrate("partnerships", "0004_visibility")

    for model, timeline, fixture in KINDS:
        assert timeline.objects.filter(is_public=True).count() == seeded_count(fixture)
    first = rec.updates.order_by("created_at", "id").first()
    assert list(rec.updates.filter(is_public=True)) == [first]
    assert not new.updates.filter(is_public=True).exists()
    rec.refresh_from_db()
    assert (rec.last_public_note, rec.last_public_update_at) == (first.note, first.created_at)
    assert Project.objects.filter(last_public_note__startswith="Seeded from the report").count() == 3
    # The later event of 2.1/1 (report, line 461: the Dubai workshop, January 2011) is the seed's too.
    dubai = Recommendation.objects.get_by_natural_key(2010, "2.1", 1)
    assert (dubai.last_public_update_precision, dubai.last_public_note) == ("month", dubai.last_note)
    assert "line 461" in dubai.last_public_note
