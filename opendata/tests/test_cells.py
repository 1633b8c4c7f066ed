"""Cells as an editor may write them reach both files of the open data whole: a text longer than the csv
module's default field limit (131,072 characters), and text that a spreadsheet would run as a formula, which
the CSV file neutralises with an apostrophe and the JSON file holds as written."""

import csv
import io

import pytest
from django.contrib.auth.models import AnonymousUser

from partnerships.models import Project
from recommendations.models import Recommendation

from .conftest import build_package

pytestmark = pytest.mark.django_db


def csv_rows(package, name):
    """csv/<name>.csv read with no limit on a field's length (as a reader of long texts must)."""
    limit = csv.field_size_limit(2**31 - 1)
    try:
        return list(csv.DictReader(io.StringIO(package.text(package.resources[name]["path"]), newline="")))
    finally:
        csv.field_size_limit(limit)


def test_a_description_of_200_kb_is_in_both_files_whole():
    project = Project.objects.visible_to(AnonymousUser()).order_by("pk").first()
    long = "Migrants' remittances and the costs of sending them. " * 3_900  # over 200,000 characters
    assert len(long) > 200_000 > csv.field_size_limit()
    Project.objects.filter(pk=project.pk).update(description=long)
    package = build_package()
    in_csv = [row for row in csv_rows(package, "projects") if row["title"] == project.title]
    in_json = [row for row in package.json("projects") if row["title"] == project.title]
    assert [row["description"] for row in in_csv] == [long] == [row["description"] for row in in_json]


def test_a_formulas_look_is_neutralised_in_the_csv_and_kept_as_written_in_the_json(editor):
    notes = {"=1+1": (2010, "1.2", 4), "-5 years": (2010, "2.1", 3)}
    for note, key in notes.items():
        Recommendation.objects.get_by_natural_key(*key).record_update(by=editor, note=note, public=True)
    package = build_package()
    in_csv = {row["note"] for row in csv_rows(package, "recommendation-timeline")}
    in_json = {row["note"] for row in package.json("recommendation-timeline")}
    assert {"'=1+1", "'-5 years"} <= in_csv and not {"=1+1", "-5 years"} & in_csv
    assert {"=1+1", "-5 years"} <= in_json and not {"'=1+1", "'-5 years"} & in_json
