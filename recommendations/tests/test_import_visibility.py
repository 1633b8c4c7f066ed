"""The `public` column of an import: yes publishes the row's timeline entry (and makes its note the
item's latest public note), no or an empty cell keeps it internal, anything else is a row message."""

import pytest

from partnerships.models import Project
from partnerships.resources import ProjectResource
from recommendations.imports.resources import RecommendationResource
from recommendations.models import Recommendation
from recommendations.tests.test_import_notes import REC, export_rec, with_cells

pytestmark = pytest.mark.django_db


def imported(editor, **cells):
    result = RecommendationResource().import_data(with_cells(export_rec(), **cells), user=editor)
    rec = Recommendation.objects.get_by_natural_key(*REC)
    return result, rec


@pytest.mark.parametrize("cell", ["yes", "Yes", " YES ", "true", "1"])
def test_yes_publishes_the_rows_entry(editor, cell):
    result, rec = imported(editor, progress="20", note="Twenty per cent done.", public=cell)
    assert not result.has_validation_errors() and result.totals["update"] == 1
    entry = rec.updates.first()
    assert (entry.note, entry.is_public, entry.author) == ("Twenty per cent done.", True, editor)
    assert (rec.last_public_note, rec.last_public_update_at) == ("Twenty per cent done.", entry.created_at)


@pytest.mark.parametrize("cell", ["no", "No", "", "0", "false"])
def test_no_or_an_empty_cell_keeps_it_internal(editor, cell):
    before = Recommendation.objects.get_by_natural_key(*REC).last_public_note
    result, rec = imported(editor, progress="20", note="Twenty per cent done.", public=cell)
    assert not result.has_validation_errors()
    assert rec.updates.first().is_public is False
    assert (rec.last_note, rec.last_public_note) == ("Twenty per cent done.", before)


def test_without_the_column_the_entry_is_internal(editor):
    result, rec = imported(editor, progress="20")
    assert rec.updates.first().is_public is False and rec.last_note == "Changed by spreadsheet import."


def test_any_other_value_is_a_row_message_and_nothing_is_written(editor):
    count = Recommendation.objects.get_by_natural_key(*REC).updates.count()
    result, rec = imported(editor, progress="20", public="maybe")
    [invalid] = result.invalid_rows
    assert invalid.error_dict == {"public": [
        "Unknown value 'maybe' in the public column: write yes to publish the row's note or no to keep it "
        "internal (an empty cell is no)."]}
    assert (rec.progress, rec.updates.count()) == (0, count)


def test_a_projects_row_publishes_too(editor):
    project = Project.objects.order_by("pk").first()
    data = with_cells(ProjectResource().export(queryset=Project.objects.filter(pk=project.pk)), progress="15",
                      note="Chapter one drafted.", public="yes")
    result = ProjectResource().import_data(data, user=editor)
    assert not result.has_validation_errors()
    project.refresh_from_db()
    assert project.updates.first().is_public and project.last_public_note == "Chapter one drafted."
