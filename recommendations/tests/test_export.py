"""The list's downloads (CSV, XLSX): the filtered rows, their cells, neutralised formulas."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Project
from recommendations.models import Actor, Recommendation
from recommendations.tests.test_list import in_session

pytestmark = pytest.mark.django_db


def test_the_csv_export_holds_exactly_the_filtered_rows(viewer_client):
    response = viewer_client.get(reverse("recommendations:export", args=["csv"]), in_session("2.1"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [(r["session"], r["number"]) for r in rows] == [("2.1", str(n)) for n in range(1, 9)]
    first = rows[0]
    assert first["status"] == "In progress" and first["responsible_actors"] == "Switzerland; United Arab Emirates"
    # 2.1/1's latest entry is the Dubai workshop, which the report dates January 2011 (test_seed_dates).
    assert first["last_update"] == "2011-01" and first["last_note"].startswith("Seeded from the report")


def test_the_xlsx_export_holds_the_rows_and_states_the_filters(viewer_client):
    response = viewer_client.get(reverse("recommendations:export", args=["xlsx"]), {"theme": "climate-change"})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Meeting", "Session", "Number")
    assert [(r[1], r[2]) for r in rows[1:]] == [("3.2", "1"), ("3.2", "2"), ("3.2", "3")]
    about = [tuple(r) for r in book["About this export"].iter_rows(values_only=True)]
    assert ("Filter", "Theme: Climate change") in about and ("Rows", 3) in about


def test_an_xlsx_too_large_is_refused_with_a_message(viewer_client, monkeypatch):
    from recommendations import exports

    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 10)
    response = viewer_client.get(reverse("recommendations:export", args=["xlsx"]), follow=True)
    assert "An Excel file holds at most 10 rows and these filters select 45." in response.content.decode()


def test_unknown_export_formats_are_404(viewer_client):
    assert viewer_client.get("/recommendations/export.pdf").status_code == 404


def test_the_fast_export_has_the_same_cells_as_the_spreadsheet_resource(editor, staff):
    from recommendations.imports.resources import RecommendationResource
    from recommendations.views.lists import recommendation_table

    rec = Recommendation.objects.get_by_natural_key(2010, "2.1", 1)
    rec.record_update(by=editor, note="=2+2 owner set", owner=staff, due_date=datetime.date(2012, 5, 1), progress=40)
    Recommendation.objects.filter(pk=rec.pk).update(title="@risky title", priority="high")
    queryset = Recommendation.objects.all()
    rows = list(recommendation_table(queryset).rows())
    resource = RecommendationResource().export(queryset=queryset)
    assert rows[0][:-2] == resource.headers
    assert [r[:-2] for r in rows[1:]] == [list(r) for r in resource]
    exported = dict(zip(rows[0], next(r for r in rows[1:] if r[:3] == ["2010", "2.1", "1"])))
    assert exported["title"] == "'@risky title" and exported["last_note"] == "'=2+2 owner set"
    assert exported["last_update"] == timezone.localtime(rec.updates.first().created_at).strftime("%Y-%m-%d %H:%M")


@pytest.mark.postgresql
@pytest.mark.parametrize("query", [
    "", "status=not_started&theme=gender", "sort=-due", "sort=owner&q=migration", "sort=-updated&roundtable=2",
    "sort=-progress&stale=30",
])
def test_the_databases_csv_holds_the_same_cells_as_the_python_rows(viewer_client, editor, staff, query):
    """On PostgreSQL the database writes the CSV (COPY); it must match the Python rows exactly,
    filtered or not, in every order (descending, empty values, ties)."""
    from django.http import QueryDict

    from recommendations.filters import RecommendationFilterSet
    from recommendations.views.lists import recommendation_table, recommendations

    rec = Recommendation.objects.get_by_natural_key(2010, "1.2", 4)
    rec.record_update(by=editor, note="+ reviewed\nin two lines", owner=staff, due_date=datetime.date(2013, 1, 2))
    Recommendation.objects.filter(pk=rec.pk).update(text="-leading minus", priority="low")
    Recommendation.objects.get_by_natural_key(2010, "3.1", 2).record_update(
        by=editor, note="@ later", due_date=datetime.date(2012, 3, 4))
    response = viewer_client.get(reverse("recommendations:export", args=["csv"]) + "?" + query)
    downloaded = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    filterset = RecommendationFilterSet(QueryDict(query) or None, queryset=recommendations())
    expected = list(recommendation_table(filterset.qs).rows())
    assert downloaded == expected
    assert 1 < len(downloaded) <= 46


@pytest.fixture
def formula_lookalikes(editor):
    """Cells that a spreadsheet would run as formulas, in plain and many-to-many columns."""
    from conftest import make_user
    from gfmd_tracker.roles import STAFF
    from recommendations.models import Theme

    lookalike = Actor.objects.create(name="=Formula Lookalike", kind=Actor.Kind.OTHER)
    rec = Recommendation.objects.get_by_natural_key(2010, "2.1", 1)
    rec.themes.set([Theme.objects.create(name="Aaa first", slug="-first"), Theme.objects.get(slug="gender")])
    rec.responsible_actors.add(lookalike)
    owner = make_user("-dash", STAFF)
    rec.record_update(by=editor, note="+note from the field", owner=owner)
    Recommendation.objects.filter(pk=rec.pk).update(title="@risky title")
    project = Project.objects.get(title="Developing Migration Profiles")
    project.responsible_actors.set([lookalike])
    Project.objects.filter(pk=project.pk).update(origin="\tTabbed origin")


RECOMMENDATION_CELLS = {
    "title": "'@risky title", "themes": "'-first; gender", "owner": "'-dash",
    "responsible_actors": "'=Formula Lookalike; Switzerland; United Arab Emirates",
    "last_note": "'+note from the field",
}


def downloaded_csv(client, url, query=None):
    response = client.get(url, query or {})
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_the_csv_export_neutralises_whole_cells_plain_and_many_to_many(viewer_client, formula_lookalikes):
    [row] = downloaded_csv(viewer_client, reverse("recommendations:export", args=["csv"]),
                           {"session": "2.1", "status": "in_progress"})
    assert {column: row[column] for column in RECOMMENDATION_CELLS} == RECOMMENDATION_CELLS
    [project] = [r for r in downloaded_csv(viewer_client, reverse("partnerships:export", args=["csv"]))
                 if r["title"] == "Developing Migration Profiles"]
    assert (project["origin"], project["responsible_actors"]) == ("'\tTabbed origin", "'=Formula Lookalike")


def test_the_xlsx_export_neutralises_whole_cells_plain_and_many_to_many(viewer_client, formula_lookalikes):
    response = viewer_client.get(reverse("recommendations:export", args=["xlsx"]),
                                 {"session": "2.1", "status": "in_progress"})
    headers, *rows = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True)
    [row] = [dict(zip(headers, r)) for r in rows]
    labels = {"title": "Title", "themes": "Themes", "owner": "Owner", "responsible_actors": "Responsible actors",
              "last_note": "Last note"}  # an Excel sheet's headers
    assert {column: row[labels[column]] for column in RECOMMENDATION_CELLS} == RECOMMENDATION_CELLS


def test_the_spreadsheet_resource_neutralises_whole_cells_plain_and_many_to_many(formula_lookalikes):
    from recommendations.imports.resources import RecommendationResource

    exported = RecommendationResource().export(
        queryset=Recommendation.objects.filter(session__code="2.1", number=1))
    row = dict(zip(exported.headers, exported[0]))
    assert {column: row[column] for column in RECOMMENDATION_CELLS if column != "last_note"} == {
        column: cell for column, cell in RECOMMENDATION_CELLS.items() if column != "last_note"}


def test_the_xlsx_export_states_the_coverage_of_the_exported_set(viewer_client):
    from django.utils import timezone

    from recommendations.models import Recommendation

    session = Recommendation.objects.filter(session__meeting__year=2010, session__code="3.2")
    session.update(last_report_at=None, progress_from_actions=False, actions_reported=0)
    session.filter(number=1).update(last_report_at=timezone.now(), progress=60)
    response = viewer_client.get(reverse("recommendations:export", args=["xlsx"]), {"session": "3.2"})
    about = {r[0]: r[1] for r in openpyxl.load_workbook(io.BytesIO(response.content))["About this export"]
             .iter_rows(values_only=True)}
    assert (about["Rows"], about["Coverage: items"], about["Coverage: reported"]) == (3, 3, "1 (33%)")
    assert about["Coverage: unknown (no report)"] == "2 (67%)"
    assert about["Coverage: progress over the reported"] == "60%"
