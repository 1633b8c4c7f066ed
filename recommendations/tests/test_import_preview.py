"""The admin's import preview: a summary first (new, changed, unchanged, errors), then the rows that
change something, the unchanged ones folded away; a changed value shown whole, before → after."""

import re

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recommendations.imports.resources import RecommendationResource
from recommendations.models import Recommendation, RecommendationUpdate

pytestmark = pytest.mark.django_db


def every_recommendation():
    return RecommendationResource().export(queryset=Recommendation.objects.all())


def with_cells(data, changes, extra=()):
    """`data` as CSV, with {row index: {column: value}} changed and `extra` rows (dicts) added."""
    rows = [list(row) for row in data]
    for index, cells in changes.items():
        for column, value in cells.items():
            rows[index][data.headers.index(column)] = value
    rows += [[row.get(h, "") for h in data.headers] for row in extra]
    return tablib.Dataset(*rows, headers=data.headers).export("csv")


def preview(client, csv):
    upload = SimpleUploadedFile("recommendations.csv", csv.encode(), content_type="text/csv")
    response = client.post(reverse("admin:recommendations_recommendation_import"),
                           {"import_file": upload, "format": 0, "resource": 0})
    assert response.status_code == 200
    return response.content.decode()


def text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def summary(body):
    return text(re.search(r'<section class="import-summary".*?</section>', body, re.S).group(0))


def rows_shown(html):
    """(row number, outcome) of each row of the preview's tables, in the page's order."""
    return [(int(n), kind) for kind, n in re.findall(r'<tr class="(\w+)">\s*<td class="row-number">(\d+)</td>', html)]


NEW_ROW = {"meeting": "2010", "session": "1.1", "number": "99", "title": "A new outcome",
           "text": "Added by the test.", "status": "Not started", "progress": "0"}


def test_the_preview_starts_with_what_the_file_does_errors_counted(editor_client):
    data = every_recommendation()
    changes = {2: {"status": "Planned"}, 10: {"title": "Renamed"}, 20: {"progress": "lots"}}
    csv = with_cells(data, changes, extra=[NEW_ROW])
    rows = len(data) + 1  # counted from the file: 45 exported + 1 added
    new, changed, errors = 1, 2, 1
    before = RecommendationUpdate.objects.count()

    body = preview(editor_client, csv)

    assert summary(body) == (f"What this file does {new} new {changed} changed "
                             f"{rows - new - changed - errors} unchanged {errors} error")
    assert body.index('class="import-summary"') < body.index("Some rows failed to validate")
    assert RecommendationUpdate.objects.count() == before


def test_the_preview_shows_changed_rows_first_and_folds_the_unchanged_away(editor_client):
    data = every_recommendation()
    csv = with_cells(data, {2: {"status": "Planned"}, 30: {"title": "Renamed"}}, extra=[NEW_ROW])

    body = preview(editor_client, csv)

    assert summary(body) == f"What this file does 1 new 2 changed {len(data) - 2} unchanged 0 errors"
    shown, folded = body.split('<details class="unchanged-rows">')
    assert body.index('class="import-summary"') < body.index('<table class="import-preview">')
    # Rows as the spreadsheet numbers them: the column names are row 1.
    assert rows_shown(shown) == [(4, "update"), (32, "update"), (len(data) + 2, "new")]
    assert rows_shown(folded) == [(n, "skip") for n in range(2, len(data) + 2) if n not in (4, 32)]
    assert f"<summary>{len(data) - 2} unchanged rows</summary>" in folded


def test_a_changed_value_is_shown_whole_before_and_after(editor_client):
    data = every_recommendation()
    old_title = data[30][data.headers.index("title")]
    csv = with_cells(data, {2: {"status": "Planned"}, 30: {"title": "Renamed"}})

    body = preview(editor_client, csv)

    shown = body.split('<details class="unchanged-rows">')[0]
    assert '<span class="change"><del>Not started</del> → <ins>Planned</ins></span>' in shown
    assert f'<span class="change"><del>{old_title}</del> → <ins>Renamed</ins></span>' in shown


def test_a_value_emptied_says_so(editor_client):
    data = every_recommendation()
    column = data.headers.index("themes")
    index = next(i for i, row in enumerate(data) if row[column])
    old = data[index][column]
    body = preview(editor_client, with_cells(data, {index: {"themes": ""}}))
    assert f'<span class="change"><del>{old}</del> → <ins class="empty">empty</ins></span>' in body
