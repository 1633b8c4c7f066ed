"""The item exports state what the follow-up says of itself: freshness, the closure's verification, how many
actions are reported of how many, and their rolled-up progress (empty when unknown, never 0) — in the lists' CSV
and XLSX (written by the database on PostgreSQL), the admin's export, and for the public without the owner."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Project
from recommendations import services
from recommendations.imports.resources import RecommendationResource
from recommendations.models import Recommendation, Status

pytestmark = pytest.mark.django_db

STATE = ["freshness", "verification", "actions_reported", "actions_total", "rolled_up_progress"]


def download(client, url="recommendations:export", query="session=2.1&meeting=2010"):
    response = client.get(reverse(url, args=["csv"]) + "?" + query)
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def row_of(rows, number):
    return next(row for row in rows if row["number"] == str(number))


@pytest.fixture
def followed(staff, editor):
    """2.1/1 with two actions, one reported at 40 % (the item's own latest entry is still the 2010 seed's: inactive);
    2.1/2 claimed implemented; 2.1/3 untouched since the seed."""
    rec = Recommendation.objects.get_by_natural_key(2010, "2.1", 1)
    reported = services.add_action(rec, by=staff, title="Workshop", weight=3)
    services.add_action(rec, by=staff, title="Guide")
    reported.record_update(by=staff, note="Half done.", progress=40, status=Status.IN_PROGRESS)
    closed = Recommendation.objects.get_by_natural_key(2010, "2.1", 2)
    closed.record_update(by=editor, note="Done.", status=Status.IMPLEMENTED, evidence_url="https://example.org/r")
    return rec, closed


def test_the_list_download_states_the_follow_up_of_each_item(viewer_client, followed):
    rows = download(viewer_client)
    assert list(rows[0])[-7:] == [*STATE, "last_update", "last_note"]
    assert [row_of(rows, 1)[name] for name in STATE] == ["Inactive", "", "1", "2", "40"]
    assert [row_of(rows, 2)[name] for name in STATE] == ["", "Awaiting verification", "0", "0", ""]
    seeded = Recommendation.objects.get_by_natural_key(2010, "2.1", 3)
    assert row_of(rows, 3)["freshness"] == seeded.freshness.label  # by its meeting's thresholds, as its page says
    assert row_of(rows, 3)["rolled_up_progress"] == ""  # no actions: unknown, never 0


def test_the_freshness_follows_the_meetings_thresholds(viewer_client, followed):
    Recommendation.objects.filter(session__code="2.1", number=4).update(
        last_update_at=timezone.now() - datetime.timedelta(days=100))
    rows = download(viewer_client)
    assert row_of(rows, 4)["freshness"] == "Ageing"
    followed[0].session.meeting.__class__.objects.update(ageing_after_days=120, stale_after_days=200)
    assert row_of(download(viewer_client), 4)["freshness"] == "Current"


def test_the_public_download_has_the_same_state_and_no_owner(client, followed):
    rows = download(client)
    assert "owner" not in rows[0]
    assert [row_of(rows, 1)[name] for name in STATE] == ["Inactive", "", "1", "2", "40"]


def test_the_admin_export_has_the_same_cells(followed):
    exported = RecommendationResource().export(queryset=Recommendation.objects.filter(session__code="2.1"))
    first = dict(zip(exported.headers, next(r for r in exported if r[2] == "1")))
    assert [first[name] for name in STATE] == ["Inactive", "", "1", "2", "40"]


def test_an_export_with_these_columns_imports_back_unchanged(editor, followed):
    data = RecommendationResource().export(queryset=Recommendation.objects.filter(session__code="2.1"))
    result = RecommendationResource().import_data(data, user=editor)
    assert not result.has_validation_errors()
    assert result.summary()["changed"] == 0 and result.summary()["new"] == 0


def test_the_projects_download_states_them_too(viewer_client, staff):
    project = Project.objects.get(title__startswith="Handbook")
    services.add_action(project, by=staff, title="Translate it")
    row = next(r for r in download(viewer_client, "partnerships:export", "") if r["title"] == project.title)
    assert [row[name] for name in STATE[2:]] == ["0", "1", ""]
