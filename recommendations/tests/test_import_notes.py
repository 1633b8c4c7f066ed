"""The `note` column of an import: a row that closes or stalls an item needs a real note, by
the rule of the update form; any other change may go without one."""

import pytest
import tablib

from partnerships.models import Project
from partnerships.resources import ProjectResource
from recommendations.imports.resources import RecommendationResource
from recommendations.models import Recommendation, Status

pytestmark = pytest.mark.django_db

REC = (2010, "2.2", 3)


def export_rec():
    return RecommendationResource().export(queryset=Recommendation.objects.filter(
        session__meeting__year=REC[0], session__code=REC[1], number=REC[2]))


def with_cells(dataset, **cells):
    """A copy of `dataset` (one row) with these cells; a column it lacks is added."""
    headers = list(dataset.headers) + [c for c in cells if c not in dataset.headers]
    row = dict(zip(dataset.headers, dataset[0]))
    row.update(cells)
    return tablib.Dataset([row.get(h, "") for h in headers], headers=headers)


def without_column(dataset, column):
    keep = [h for h in dataset.headers if h != column]
    return tablib.Dataset(*[[dict(zip(dataset.headers, r))[h] for h in keep] for r in dataset], headers=keep)


def in_progress(editor):
    rec = Recommendation.objects.get_by_natural_key(*REC)
    rec.record_update(by=editor, note="Work started.", status=Status.IN_PROGRESS, progress=40)
    return rec


def state(rec):
    rec.refresh_from_db()
    return rec.status, rec.progress, rec.last_note, rec.updates.count()


@pytest.mark.parametrize(("status", "message"), [
    ("Implemented", "Say what was done: the note records how the item was implemented."),
    ("Stalled", "Say why the item is stalled: the note is the reason."),
    ("Not pursued", "Say why the item is not pursued: the note is the reason."),
])
@pytest.mark.parametrize("note_column", [True, False])
def test_a_row_that_closes_or_stalls_an_item_needs_a_note(editor, status, message, note_column):
    rec = in_progress(editor)
    before = state(rec)
    data = with_cells(export_rec(), status=status, note="   ")
    if not note_column:
        data = without_column(data, "note")

    result = RecommendationResource().import_data(data, user=editor)

    [invalid] = result.invalid_rows
    assert invalid.error_dict == {"note": [message]}
    assert state(rec) == before


def test_a_closing_row_with_a_note_writes_that_note_to_the_timeline(editor):
    rec = in_progress(editor)
    data = with_cells(export_rec(), status="Implemented", progress="100", note="Study published in May 2011.")
    data.append_col(["https://example.org/study"], header="evidence_url")  # a closure's evidence (issue #20)

    result = RecommendationResource().import_data(data, user=editor)

    assert not result.has_validation_errors() and result.totals["update"] == 1
    entry = rec.updates.first()
    assert (entry.author, entry.note, entry.status_before, entry.status_after) == (
        editor, "Study published in May 2011.", Status.IN_PROGRESS, Status.IMPLEMENTED)
    assert state(rec) == (Status.IMPLEMENTED, 100, "Study published in May 2011.", 3)


def test_a_row_changing_other_fields_takes_its_note_or_the_default(editor):
    rec = in_progress(editor)
    RecommendationResource().import_data(with_cells(export_rec(), progress="55", note="Halfway."), user=editor)
    assert state(rec) == (Status.IN_PROGRESS, 55, "Halfway.", 3)

    RecommendationResource().import_data(with_cells(export_rec(), progress="60"), user=editor)
    assert state(rec) == (Status.IN_PROGRESS, 60, "Changed by spreadsheet import.", 4)


def test_the_note_column_is_imported_not_exported_and_an_export_imports_back_unchanged(editor):
    data = RecommendationResource().export()
    read = ["meeting", "session", "number", "title", "text", "title_fr", "title_es", "text_fr", "text_es", "themes",
            "status", "owner", "responsible_actors",
            "due_date", "progress", "priority"]
    assert data.headers == read + ["freshness", "verification", "actions_reported", "actions_total",
                                   "rolled_up_progress"]  # what the follow-up says of itself: exported only
    assert [f.column_name for f in RecommendationResource().get_import_fields()] == read + ["public", "note"]

    result = RecommendationResource().import_data(data, user=editor)

    assert result.totals["skip"] == len(data)


def test_a_project_stalled_by_import_needs_a_note_too(editor):
    title = "Developing Migration Profiles"
    project = Project.objects.get(title=title)
    before = project.status, project.updates.count()
    data = ProjectResource().export(queryset=Project.objects.filter(title=title))

    refused = ProjectResource().import_data(with_cells(data, status="Stalled"), user=editor)
    assert refused.invalid_rows[0].error_dict == {"note": ["Say why the item is stalled: the note is the reason."]}
    project.refresh_from_db()
    assert (project.status, project.updates.count()) == before

    ProjectResource().import_data(with_cells(data, status="Stalled", note="No host country yet."), user=editor)
    project.refresh_from_db()
    assert (project.status, project.last_note, project.updates.first().note) == (
        Status.STALLED, "No host country yet.", "No host country yet.")


def test_the_preview_shows_the_note_and_a_note_too_long_is_refused(editor):
    rec = in_progress(editor)
    before = state(rec)
    preview = RecommendationResource().import_data(
        with_cells(export_rec(), progress="70", note="Draft <b>shared</b>."), user=editor, dry_run=True)
    assert preview.rows[0].diff[-1] == "<ins>Draft &lt;b&gt;shared&lt;/b&gt;.</ins>"

    result = RecommendationResource().import_data(with_cells(export_rec(), progress="70", note="n" * 10_001),
                                                  user=editor)
    message = "The note has 10,001 characters; at most 10,000 are accepted."
    assert result.invalid_rows[0].error_dict == {"note": [message]}
    assert state(rec) == before


def test_a_new_row_starts_its_timeline_with_its_note_or_the_default(editor):
    data = with_cells(export_rec(), number="40", title="New with a note", note="Added after the 2011 review.")
    data.append(with_cells(export_rec(), number="41", title="New without", note="")[0])

    result = RecommendationResource().import_data(data, user=editor)

    assert result.totals["new"] == 2
    notes = {r.number: (r.last_note, r.updates.get().note)
             for r in Recommendation.objects.filter(session__code=REC[1], number__in=[40, 41])}
    assert notes == {40: ("Added after the 2011 review.",) * 2, 41: ("Created by spreadsheet import.",) * 2}
