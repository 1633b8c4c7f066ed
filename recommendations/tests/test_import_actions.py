"""The spreadsheet of actions: named by their key (2010/2.1/1/a1), added under the item in `parent`, changed
through the update path with the rules' messages per row, the items' roll-ups refreshed; an export imports back
unchanged."""

import datetime

import pytest
import tablib

from partnerships.models import Project
from recommendations import services
from recommendations.imports.actions import ActionResource
from recommendations.models import Action, ActionUpdate, Recommendation, Status, Verification

pytestmark = pytest.mark.django_db

HEADERS = ["action", "parent", "title", "description", "weight", "status", "owner", "responsible_actors",
           "due_date", "progress"]


@pytest.fixture
def rec():
    return Recommendation.objects.get_by_natural_key(2010, "2.1", 1)


@pytest.fixture
def two_actions(rec, staff):
    first = services.add_action(rec, by=staff, title="Workshop in Dubai", due_date=datetime.date(2011, 6, 30))
    second = services.add_action(rec, by=staff, title="Guide for recruiters", weight=3)
    return first, second


def export(queryset=None):
    return ActionResource().export(queryset=queryset if queryset is not None else Action.objects.all())


def rows(dataset):
    return [dict(zip(dataset.headers, row)) for row in dataset]


def sheet(*records, extra=()):
    headers = [*HEADERS, *extra]
    return tablib.Dataset(*[[record.get(h, "") for h in headers] for record in records], headers=headers)


def messages(result):
    """(row, {column: its messages}) of each refused row, as the import page lists them."""
    return [(row.number, dict(row.error_dict)) for row in result.invalid_rows]


def test_the_export_names_each_action_by_its_key_and_its_item(two_actions, staff):
    assert rows(export()) == [
        {"action": "2010/2.1/1/a1", "parent": "2010/2.1/1", "title": "Workshop in Dubai", "description": "",
         "weight": "1", "status": "Not started", "owner": "sam-staff", "responsible_actors": "",
         "due_date": "2011-06-30", "progress": "0", "freshness": "Current", "verification": ""},
        {"action": "2010/2.1/1/a2", "parent": "2010/2.1/1", "title": "Guide for recruiters", "description": "",
         "weight": "3", "status": "Not started", "owner": "sam-staff", "responsible_actors": "", "due_date": "",
         "progress": "0", "freshness": "Current", "verification": ""},
    ]


def test_an_export_imports_back_with_no_change(two_actions, editor):
    before = ActionUpdate.objects.count()
    result = ActionResource().import_data(export(), user=editor)
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.summary() == {"new": 0, "changed": 0, "unchanged": 2, "errors": 0}
    assert ActionUpdate.objects.count() == before


def test_a_row_changes_an_action_through_the_update_path_and_the_roll_up_follows(rec, two_actions, editor):
    data = export()
    row = {**rows(data)[0], "status": "In progress", "progress": 40}
    result = ActionResource().import_data(sheet(row), user=editor)
    assert result.summary()["changed"] == 1
    action = Action.objects.get(pk=two_actions[0].pk)
    assert (action.status, action.progress, action.version) == (Status.IN_PROGRESS, 40, 2)
    entry = action.updates.first()
    assert (entry.author, entry.note, entry.status_after, entry.progress_after) == (
        editor, "Changed by spreadsheet import.", Status.IN_PROGRESS, 40)
    assert action.history.count() == 2
    rec.refresh_from_db()
    assert (rec.actions_count, rec.actions_reported, rec.actions_progress) == (2, 1, 40)


def test_a_row_without_an_action_key_adds_one_under_its_item_numbered_next(rec, two_actions, staff):
    new = {"parent": "2010/2.1/1", "title": "Survey of agencies", "weight": 2, "status": "Not started",
           "progress": 0}
    other = {"parent": "2010/2.1/1", "title": "Second survey", "weight": 1, "status": "Not started", "progress": 0}
    result = ActionResource().import_data(sheet(new, other, extra=["note"]), user=staff)
    assert result.summary() == {"new": 2, "changed": 0, "unchanged": 0, "errors": 0}
    added = Action.objects.of_parent(rec).filter(number__gt=2).order_by("number")
    assert [(a.number, a.title, a.weight, a.owner, a.meeting) for a in added] == [
        (3, "Survey of agencies", 2, staff, rec.session.meeting), (4, "Second survey", 1, staff, rec.session.meeting)]
    [opening] = added[0].updates.all()
    assert (opening.note, opening.author, opening.status_after) == (
        "Action added: Survey of agencies.", staff, Status.NOT_STARTED)
    assert added[0].last_report_at is None
    rec.refresh_from_db()
    assert (rec.actions_count, rec.actions_reported) == (4, 0)


def test_a_new_action_of_a_project_is_named_by_the_projects_title(staff):
    project = Project.objects.get(title__startswith="Handbook")
    ActionResource().import_data(sheet({"parent": project.title, "title": "Translate it", "status": "Not started",
                                        "weight": 1, "progress": 0}), user=staff)
    action = Action.objects.of_parent(project).get()
    assert action.lineage_key() == f"{project.title}/a1"
    assert Action.objects.get_by_natural_key(project.title, "a1") == action


def test_an_import_that_closes_an_action_without_evidence_is_refused_on_its_row(two_actions, editor):
    row = {**rows(export())[0], "status": "Implemented", "progress": 100, "note": "Held in June."}
    result = ActionResource().import_data(sheet(row, extra=["note"]), user=editor)
    assert messages(result) == [(2, {"evidence_url": [
        "Give the evidence of what was done: a link, or attach a file. An item is closed as implemented with its "
        "evidence."]})]
    action = Action.objects.get(pk=two_actions[0].pk)
    assert (action.status, action.updates.count(), action.version) == (Status.NOT_STARTED, 1, 1)


def test_a_closure_with_its_evidence_is_claimed_awaiting_verification(two_actions, editor):
    row = {**rows(export())[0], "status": "Implemented", "progress": 100, "note": "Held in June.",
           "evidence_url": "https://example.org/report"}
    result = ActionResource().import_data(sheet(row, extra=["note", "evidence_url"]), user=editor)
    assert not result.has_validation_errors()
    action = Action.objects.get(pk=two_actions[0].pk)
    assert (action.status, action.verification) == (Status.IMPLEMENTED, Verification.AWAITING)
    entry = action.updates.first()
    assert (entry.evidence_url, entry.verification_after) == ("https://example.org/report", Verification.AWAITING)


def test_a_moved_due_date_needs_its_reason(two_actions, editor):
    row = {**rows(export())[0], "due_date": "2012"}
    refused = ActionResource().import_data(sheet(row), user=editor)
    assert [list(errors) for _, errors in messages(refused)] == [["due_date_reason"]]
    ActionResource().import_data(sheet({**row, "due_date_reason": "The host moved it."}, extra=["due_date_reason"]),
                                 user=editor)
    entry = Action.objects.get(pk=two_actions[0].pk).updates.first()
    assert (entry.due_date_after, entry.due_date_reason) == (datetime.date(2012, 12, 31), "The host moved it.")


def test_a_new_action_closed_at_once_needs_its_evidence_too(rec, staff):
    new = {"parent": "2010/2.1/1", "title": "Done already", "weight": 1, "status": "Implemented", "progress": 100,
           "note": "It was done in 2010."}
    result = ActionResource().import_data(sheet(new, extra=["note"]), user=staff)
    assert [list(errors) for _, errors in messages(result)] == [["evidence_url"]]
    assert not Action.objects.of_parent(rec).exists()


@pytest.mark.parametrize(("cells", "column", "message"), [
    ({"action": "2010/2.1/1/a9"}, "action", "No action 2010/2.1/1/a9. Write an action's key (2010/2.1/1/a1), or "
                                            "leave the cell empty and name its item in parent to add one."),
    ({"action": "2010/9.9/1/a1"}, "action", "No action 2010/9.9/1/a1. Write an action's key (2010/2.1/1/a1), or "
                                            "leave the cell empty and name its item in parent to add one."),
    ({"action": "", "parent": ""}, "parent", "Name the item to add this action under. Write an action's key "
                                             "(2010/2.1/1/a1), or leave the cell empty and name its item in parent "
                                             "to add one."),
    ({"action": "", "parent": "2010/9.9/1"}, "parent", "No recommendation, follow-up item or project '2010/9.9/1' "
                                                       "(write year/session/number, such as 2010/2.1/1, or a "
                                                       "project's title)."),
    ({"parent": "2010/2.1/2"}, "parent", "Action 2010/2.1/1/a1 is under 2010/2.1/1, not 2010/2.1/2: an action does "
                                         "not move to another item."),
    ({"weight": "0"}, "weight", "The weight must be a whole number from 1 to 100, not '0'."),
])
def test_bad_cells_get_a_message_and_nothing_is_written(two_actions, editor, cells, column, message):
    before = (Action.objects.count(), ActionUpdate.objects.count())
    result = ActionResource().import_data(sheet({**rows(export())[0], **cells}), user=editor)
    assert messages(result) == [(2, {column: [message]})]
    assert (Action.objects.count(), ActionUpdate.objects.count()) == before


def test_a_viewer_cannot_add_actions_by_import(viewer):
    result = ActionResource().import_data(sheet({"parent": "2010/2.1/1", "title": "Not mine", "weight": 1,
                                                 "status": "Not started", "progress": 0}), user=viewer)
    assert [errors for _, errors in messages(result)] == [
        {"__all__": ["You may read this item but not add actions to it."]}]
    assert not Action.objects.exists()


def test_a_file_naming_an_action_twice_is_refused(two_actions, editor):
    row = rows(export())[0]
    result = ActionResource().import_data(sheet(row, row), user=editor)
    assert result.has_validation_errors()
