"""Excel exports people can read, from the admin and from the lists: labels over the columns, column
widths, the header row frozen and an autofilter; they still import back (labels or names as headers),
and the admin names its files as the lists do."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from recommendations.imports.resources import RecommendationResource
from recommendations.models import Recommendation, RecommendationUpdate

pytestmark = pytest.mark.django_db

HEADERS = ("Meeting", "Session", "Number", "Title", "Text", "Title (French)", "Title (Spanish)", "Text (French)",
           "Text (Spanish)", "Themes", "Status", "Owner", "Responsible actors",
           "Due date", "Progress (%)", "Priority", "Freshness", "Verification", "Actions reported", "Actions total",
           "Rolled-up progress (%)")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def admin_export(client, fmt):
    fields = {f"recommendationresource_{f}": "on" for f in RecommendationResource().get_export_headers()}
    response = client.post(reverse("admin:recommendations_recommendation_export"),
                           {"format": fmt, "resource": 0, **fields})
    assert response.status_code == 200
    return response


def sheet_of(response):
    return openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]


def test_the_admin_excel_export_has_labels_widths_a_frozen_header_and_a_filter(editor_client):
    sheet = sheet_of(admin_export(editor_client, 1))

    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == HEADERS
    assert len(rows) == 1 + 45
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:U46"
    assert (sheet.column_dimensions["E"].width, sheet.column_dimensions["D"].width) == (80, 40)  # text, title
    # A translation is as wide as its original: title_fr (F), text_es (I).
    assert (sheet.column_dimensions["F"].width, sheet.column_dimensions["I"].width) == (40, 80)
    assert sheet.column_dimensions["B"].width == 12  # session: a short column


def test_the_list_excel_export_has_labels_widths_a_frozen_header_and_a_filter(viewer_client):
    response = viewer_client.get(reverse("recommendations:export", args=["xlsx"]), {"session": "1.2"})
    sheet = sheet_of(response)

    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == HEADERS + ("Last update", "Last note")
    assert len(rows) == 1 + 10  # session 1.2 has 10 recommendations (the report)
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:W11"
    assert (sheet.column_dimensions["E"].width, sheet.column_dimensions["W"].width) == (80, 50)  # text, last note


def test_csv_exports_keep_the_column_names(editor_client):
    header = admin_export(editor_client, 0).content.decode("utf-8-sig").splitlines()[0]
    assert header == ("meeting,session,number,title,text,title_fr,title_es,text_fr,text_es,themes,status,owner,"
                      "responsible_actors,due_date,progress,"
                      "priority,freshness,verification,actions_reported,actions_total,rolled_up_progress")


def test_the_admin_names_its_exports_as_the_lists_do(editor_client):
    today = f"{timezone.localdate():%Y-%m-%d}"
    admin = admin_export(editor_client, 1)
    listed = editor_client.get(reverse("recommendations:export", args=["xlsx"]))
    expected = f'attachment; filename="gfmd-recommendations-{today}.xlsx"'
    assert admin["Content-Disposition"] == listed["Content-Disposition"] == expected
    assert admin_export(editor_client, 0)["Content-Disposition"] == (
        f'attachment; filename="gfmd-recommendations-{today}.csv"')
    assert admin["Content-Type"] == XLSX


def preview(client, content):
    upload = SimpleUploadedFile("recommendations.xlsx", content, content_type=XLSX)
    response = client.post(reverse("admin:recommendations_recommendation_import"),
                           {"import_file": upload, "format": 1, "resource": 0})
    assert response.status_code == 200
    return response.context["result"]


@pytest.mark.parametrize("source", ["admin", "list"])
def test_an_excel_export_imports_back_unchanged(editor_client, source):
    rec = Recommendation.objects.get_by_natural_key(2010, "1.2", 3)
    rec.record_update(by=None, note="Dated.", due_date="2027-06-30", progress=40)  # dates and numbers too
    if source == "admin":
        content = admin_export(editor_client, 1).content
    else:
        content = editor_client.get(reverse("recommendations:export", args=["xlsx"])).content
    before = RecommendationUpdate.objects.count()

    result = preview(editor_client, content)

    assert result.summary() == {"new": 0, "changed": 0, "unchanged": 45, "errors": 0}
    assert RecommendationUpdate.objects.count() == before


def test_an_import_reads_labels_and_names_as_headers(editor, editor_client):
    import tablib

    data = RecommendationResource().export(queryset=Recommendation.objects.filter(session__code="1.1", number=2))
    row = dict(zip(data.headers, data[0]), progress=55, responsible_actors="Mali")
    headers = ["Meeting", "session", "NUMBER", "title", "Text", "Title (French)", "title_es", "text_fr",
               "Text (Spanish)", "themes", "Status", "owner", "Responsible actors",
               "due_date", "Progress (%)", "priority", "Freshness", "verification", "Actions reported", "actions_total",
               "Rolled-up progress (%)"]
    sheet = tablib.Dataset([row[h] for h in data.headers], headers=headers)

    result = RecommendationResource().import_data(sheet, user=editor)

    assert not result.has_errors() and not result.has_validation_errors()
    rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 2)
    assert rec.progress == 55
    assert [a.name for a in rec.responsible_actors.all()] == ["Mali"]


def test_a_column_named_twice_by_label_and_name_is_refused_in_words(editor):
    import tablib

    sheet = tablib.Dataset(["2010", "1.1", "2", "40", "45"], headers=["meeting", "session", "number", "progress",
                                                                      "Progress (%)"])
    result = RecommendationResource().import_data(sheet, user=editor)

    assert [e.message for e in result.base_errors] == [
        "These columns are the same column, by its name and by its label: 'progress' and 'Progress (%)'. Keep one."]
