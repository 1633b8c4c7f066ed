"""Spreadsheet import/export of recommendations and actors."""

import csv
import io

import pytest
import tablib

from recommendations.imports.resources import ActorResource, RecommendationResource
from recommendations.models import Actor, Recommendation, RecommendationUpdate, Status

pytestmark = pytest.mark.django_db


def snapshot(queryset):
    return sorted(
        (r.session.meeting.year, r.session.code, r.number, r.title, r.text, r.status, r.owner_id, r.progress,
         r.due_date, r.priority, tuple(sorted(t.slug for t in r.themes.all())),
         tuple(sorted(a.name for a in r.responsible_actors.all())))
        for r in queryset.select_related("session__meeting")
    )


def empty_database():
    from partnerships.models import Project
    from recommendations.models import FollowUpItem, Meeting

    for model in (Project, Recommendation, FollowUpItem, Meeting, Actor):
        model.objects.all().delete()


def with_values(dataset, **values):
    """A copy of `dataset` whose named columns hold `values` in every row."""
    rows = [[values.get(h, v) for h, v in zip(dataset.headers, row)] for row in dataset]
    return tablib.Dataset(*rows, headers=dataset.headers)


def csv_dataset(text):
    return tablib.Dataset().load(text, format="csv")


def test_export_uses_natural_keys_not_ids():
    data = RecommendationResource().export()
    assert data.headers[:3] == ["meeting", "session", "number"]
    assert "id" not in data.headers
    row = dict(zip(data.headers, data[0]))
    assert (row["meeting"], row["session"], row["number"], row["status"]) == ("2010", "1.1", "1", "Not started")
    assert row["themes"] == "data-migration-profiles"


def test_recommendations_round_trip_through_an_empty_table(editor):
    rec = Recommendation.objects.get_by_natural_key(2010, "2.1", 3)
    rec.record_update(by=editor, note="Loans study shared.", owner=editor, progress=30, status=Status.PLANNED)
    before = snapshot(Recommendation.objects.all())
    exported = RecommendationResource().export().export("csv")

    Recommendation.objects.all().delete()
    result = RecommendationResource().import_data(csv_dataset(exported))

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 45
    assert snapshot(Recommendation.objects.all()) == before
    # Imported items start their timeline with the import.
    assert RecommendationUpdate.objects.filter(note="Created by spreadsheet import.").count() == 45


def test_a_file_with_one_bad_row_writes_nothing_and_says_which_row_and_why():
    exported = RecommendationResource().export()
    rows = [list(r) for r in exported]
    rows[0][exported.headers.index("title")] = "Changed title that must not be saved"
    rows[8][exported.headers.index("session")] = "9.9"
    bad = tablib.Dataset(*rows, headers=exported.headers)
    before = snapshot(Recommendation.objects.all())

    result = RecommendationResource().import_data(bad)

    assert result.has_validation_errors()
    [invalid] = result.invalid_rows
    assert invalid.number == 10  # as the spreadsheet numbers it: the column names are row 1
    assert "Unknown session '9.9' for meeting 2010." in str(invalid.error_dict)
    assert snapshot(Recommendation.objects.all()) == before


@pytest.mark.parametrize(("column", "value", "message"), [
    ("status", "Done-ish", "Unknown status 'Done-ish'. Use one of: Not started, Planned, In progress"),
    ("responsible_actors", "Mexico; Atlantis", "Unknown actor(s): Atlantis."),
    ("owner", "nobody-here", "Unknown user 'nobody-here'."),
    ("themes", "gender; astrology", "Unknown theme(s): astrology."),
    ("progress", "140", "Progress must be a whole number from 0 to 100, not '140'."),
])
def test_bad_cells_get_a_plain_message_and_change_nothing(column, value, message):
    data = RecommendationResource().export(queryset=Recommendation.objects.filter(session__code="1.1", number=1))
    data = with_values(data, **{column: value})
    before = snapshot(Recommendation.objects.all())

    result = RecommendationResource().import_data(data)

    assert result.has_validation_errors()
    assert message in str(result.invalid_rows[0].error_dict)
    assert snapshot(Recommendation.objects.all()) == before


def test_an_imported_status_change_is_written_to_the_timeline(editor):
    data = RecommendationResource().export(queryset=Recommendation.objects.filter(session__code="3.2", number=2))
    data = with_values(data, status="In progress", progress=25)

    result = RecommendationResource().import_data(data, user=editor)

    assert not result.has_validation_errors() and result.totals["update"] == 1
    rec = Recommendation.objects.get_by_natural_key(2010, "3.2", 2)
    assert (rec.status, rec.progress) == (Status.IN_PROGRESS, 25)
    latest = rec.updates.first()
    assert (latest.author, latest.note) == (editor, "Changed by spreadsheet import.")
    assert (latest.status_before, latest.status_after) == (Status.NOT_STARTED, Status.IN_PROGRESS)
    assert (latest.progress_before, latest.progress_after) == (0, 25)


def test_an_unchanged_file_is_skipped_and_writes_no_timeline_entry():
    entries = RecommendationUpdate.objects.count()
    data = RecommendationResource().export()
    result = RecommendationResource().import_data(data)
    assert result.totals["skip"] == 45
    assert RecommendationUpdate.objects.count() == entries


def test_actors_round_trip_with_groups_listing_later_members():
    def actors():
        return sorted(
            (a.name, a.short_name, a.kind, a.country.code, a.notes, tuple(sorted(m.name for m in a.members.all())))
            for a in Actor.objects.prefetch_related("members")
        )

    before = actors()
    exported = ActorResource().export().export("csv")
    empty_database()
    assert Actor.objects.count() == 0

    result = ActorResource().import_data(csv_dataset(exported))

    assert not result.has_errors() and not result.has_validation_errors()
    assert actors() == before


def test_an_unknown_country_code_is_refused():
    data = csv_dataset("name,short_name,kind,country,members,notes\nAtlantis,,Government,XX,,\n")
    result = ActorResource().import_data(data)
    assert "'XX' is not an ISO 3166 country code" in str(result.invalid_rows[0].error_dict)
    assert not Actor.objects.filter(name="Atlantis").exists()


def test_an_unknown_group_member_fails_the_whole_file():
    data = csv_dataset(
        "name,short_name,kind,country,members,notes\n"
        "Pacific Alliance,,GFMD body,,Chile; Narnia,\n"
    )
    result = ActorResource().import_data(data)
    assert result.has_errors()
    assert "Unknown member(s): Narnia." in str(result.base_errors[0].error)
    assert not Actor.objects.filter(name="Pacific Alliance").exists()


@pytest.mark.parametrize("payload", ["=HYPERLINK(\"http://evil\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\r=1"])
def test_exported_cells_never_run_as_formulas_and_import_back_unchanged(editor, payload):
    rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 2)
    Recommendation.objects.filter(pk=rec.pk).update(title=payload)
    exported = RecommendationResource().export(queryset=Recommendation.objects.filter(pk=rec.pk))
    row = dict(zip(exported.headers, exported[0]))
    assert row["title"] == "'" + payload

    Recommendation.objects.filter(pk=rec.pk).update(title="something else")
    result = RecommendationResource().import_data(exported, user=editor)
    assert not result.has_validation_errors()
    rec.refresh_from_db()
    assert rec.title == payload


def test_the_admin_export_neutralises_formulas_too(editor_client):
    from django.urls import reverse

    Actor.objects.filter(name="Mali").update(notes="=cmd|' /C calc'!A0")
    response = editor_client.post(reverse("admin:recommendations_actor_export"), {
        "format": 0, "resource": 0, **{f"actorresource_{f}": "on" for f in ActorResource().get_export_headers()},
    })
    assert response.status_code == 200
    rows = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    assert [row["notes"] for row in rows if row["name"] == "Mali"] == ["'=cmd|' /C calc'!A0"]


def test_the_admin_export_reads_related_records_per_chunk_not_per_row(editor_client, monkeypatch):
    """The admin passes its changelist's queryset: exporting 45 rows or 3 costs the same queries,
    and rows come out in the changelist's order with their themes and actors."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    fields = {f"recommendationresource_{f}": "on" for f in RecommendationResource().get_export_headers()}
    url = reverse("admin:recommendations_recommendation_export")
    with CaptureQueriesContext(connection) as few:
        small = editor_client.post(url + "?status__exact=in_progress", {"format": 0, "resource": 0, **fields})
    with CaptureQueriesContext(connection) as many:
        everything = editor_client.post(url, {"format": 0, "resource": 0, **fields})
    rows = everything.content.decode().splitlines()
    assert len(rows) == 1 + Recommendation.objects.count() and 1 < len(small.content.decode().splitlines()) < 10
    assert len(many) <= len(few) + 2  # the admin's own count queries may differ; no query per row
    monkeypatch.setattr(RecommendationResource, "export_chunk", 7)
    assert editor_client.post(url, {"format": 0, "resource": 0, **fields}).content == everything.content
    uae = next(r for r in rows if "United Arab Emirates" in r)
    assert uae.startswith("2010,2.1,1,")
