"""The admin of actions: their list (key, status, verification, owner, due date, progress, freshness), their
change form saved through the update path, an item's actions listed on its own change page, deletions that keep
the roll-up, the bulk verification with its second person, and the meeting's follow-up settings."""

import datetime
from html import unescape

import pytest
from django.urls import reverse

from conftest import make_user
from gfmd_tracker.roles import EDITOR
from partnerships.models import Project
from recommendations import services
from recommendations.models import Action, FollowUpItem, Meeting, Recommendation, Status, Verification

from .test_admin import admin_form_data

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:recommendations_action_changelist")


@pytest.fixture
def rec():
    return Recommendation.objects.get_by_natural_key(2010, "2.1", 1)


@pytest.fixture
def actions(rec, staff):
    return [services.add_action(rec, by=staff, title="Workshop in Dubai", due_date=datetime.date(2011, 6, 30)),
            services.add_action(rec, by=staff, title="Guide for recruiters")]


def change_url(action):
    return reverse("admin:recommendations_action_change", args=[action.pk])


def test_the_list_shows_each_action_by_its_key_with_its_state(editor_client, actions):
    response = editor_client.get(CHANGELIST)
    rows = [[str(cell) for cell in row] for row in response.context["cl"].result_list.values_list("number", "title")]
    assert rows == [["1", "Workshop in Dubai"], ["2", "Guide for recruiters"]]
    body = unescape(response.content.decode())
    assert "2010/2.1/1/a1" in body and "2010/2.1/1/a2" in body
    assert "30 Jun 2011" in body
    assert "Inactive" not in body and "Current" in body  # just added: its opening entry is today


def test_the_list_filters_by_status_verification_and_meeting(editor_client, actions, editor):
    meeting = Meeting.objects.get(year=2010)
    actions[1].record_update(by=editor, note="Started.", status=Status.IN_PROGRESS)
    assert [a.pk for a in editor_client.get(CHANGELIST, {"status__exact": "in_progress"}).context["cl"].result_list] \
        == [actions[1].pk]
    assert editor_client.get(CHANGELIST, {"verification__exact": "awaiting"}).context["cl"].result_count == 0
    assert editor_client.get(CHANGELIST, {"meeting__id__exact": meeting.pk}).context["cl"].result_count == 2


def test_the_list_finds_an_action_by_its_key_or_its_words(editor_client, actions):
    by_key = editor_client.get(CHANGELIST, {"q": "2010/2.1/1/a2"}).context["cl"].result_list
    by_words = editor_client.get(CHANGELIST, {"q": "recruiters"}).context["cl"].result_list
    assert [a.pk for a in by_key] == [a.pk for a in by_words] == [actions[1].pk]


def test_the_list_reads_a_fixed_number_of_queries(editor_client, actions, rec, staff, django_assert_max_num_queries):
    project = Project.objects.get(title__startswith="Handbook")
    for n in range(5):
        services.add_action(project, by=staff, title=f"Project step {n}")
    with django_assert_max_num_queries(16):
        assert editor_client.get(CHANGELIST).status_code == 200


def test_the_change_form_saves_once_through_the_update_path(editor_client, editor, actions, rec):
    action = actions[0]
    url = change_url(action)
    data = admin_form_data(editor_client.get(url))
    data.update(status=Status.IN_PROGRESS, progress=30, title="Workshop in Dubai, June", weight=2,
                update_note="Venue booked.")
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    action.refresh_from_db()
    assert (action.status, action.progress, action.title, action.weight, action.version) == (
        Status.IN_PROGRESS, 30, "Workshop in Dubai, June", 2, 2)
    assert action.history.count() == 2  # added, then this one save
    assert action.updates.count() == 2
    entry = action.updates.first()
    assert (entry.author, entry.note, entry.status_after, entry.progress_after) == (
        editor, "Venue booked.", Status.IN_PROGRESS, 30)
    rec.refresh_from_db()
    assert (rec.actions_reported, rec.actions_progress) == (1, 30)


def test_the_change_form_says_the_rules_closing_without_evidence_changes_nothing(editor_client, actions):
    action = actions[0]
    data = admin_form_data(editor_client.get(change_url(action)))
    data.update(status=Status.IMPLEMENTED, progress=100, update_note="Done.")
    response = editor_client.post(change_url(action), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["evidence_url"] == [
        "Give the evidence of what was done: a link, or attach a file. An item is closed as implemented with its "
        "evidence."]
    action.refresh_from_db()
    assert (action.status, action.updates.count()) == (Status.NOT_STARTED, 1)


def test_actions_are_added_on_their_items_page_not_in_the_admin(editor_client):
    assert editor_client.get(reverse("admin:recommendations_action_add")).status_code == 403


def test_deleting_an_action_in_the_admin_refreshes_its_items_roll_up(editor_client, actions, rec):
    response = editor_client.post(reverse("admin:recommendations_action_delete", args=[actions[0].pk]),
                                  {"post": "yes"})
    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.actions_count == 1 and list(Action.objects.of_parent(rec)) == [actions[1]]


@pytest.mark.parametrize(("admin_name", "model"), [("recommendations_recommendation", Recommendation),
                                                   ("recommendations_followupitem", FollowUpItem),
                                                   ("partnerships_project", Project)])
def test_an_items_change_page_lists_its_actions_read_only_with_links(editor_client, staff, admin_name, model):
    item = model.objects.order_by("pk").first()
    action = services.add_action(item, by=staff, title="Seen on the item's page")
    response = editor_client.get(reverse(f"admin:{admin_name}_change", args=[item.pk]))
    body = response.content.decode()
    assert "Seen on the item&#x27;s page" in body
    assert change_url(action) in body
    formset = next(f for f in response.context["inline_admin_formsets"] if f.formset.model is Action)
    assert not formset.has_add_permission and not formset.has_change_permission


def awaiting(action, by):
    action.record_update(by=by, note="Held in June.", status=Status.IMPLEMENTED, progress=100,
                         evidence_url="https://example.org/report")
    return action


def test_verify_selected_closures_goes_through_the_rules_for_each(editor_client, editor, actions):
    other = make_user("otto-editor", EDITOR)
    awaiting(actions[0], other)
    awaiting(actions[1], other)
    response = editor_client.post(CHANGELIST, {"action": "verify_closures", "apply": "1", "note": "Report read.",
                                               "_selected_action": [a.pk for a in actions]}, follow=True)
    assert "Updated 2 items; each timeline has the note." in unescape(response.content.decode())
    for action in actions:
        action.refresh_from_db()
        entry = action.updates.first()
        assert (action.verification, entry.author, entry.note) == (Verification.VERIFIED, editor, "Report read.")


def test_verify_selected_closures_lists_the_refusals_and_changes_nothing(editor_client, editor, actions):
    other = make_user("otto-editor", EDITOR)
    awaiting(actions[0], other)
    awaiting(actions[1], editor)  # the editor's own claim: another must verify it
    response = editor_client.post(CHANGELIST, {"action": "verify_closures", "apply": "1", "note": "Report read.",
                                               "_selected_action": [a.pk for a in actions]}, follow=True)
    assert ("Nothing was changed. a2 Guide for recruiters: Another editor must verify this closure: you claimed it."
            in unescape(response.content.decode()))
    assert [Action.objects.get(pk=a.pk).verification for a in actions] == [Verification.AWAITING] * 2


def test_the_meeting_admin_edits_its_follow_up_settings(editor_client, administrator, client):
    client.force_login(administrator)
    meeting = Meeting.objects.get(year=2010)
    url = reverse("admin:recommendations_meeting_change", args=[meeting.pk])
    data = admin_form_data(client.get(url))
    data.update(closure_verification_required="", ageing_after_days=60, stale_after_days=120)
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    meeting.refresh_from_db()
    assert (meeting.closure_verification_required, meeting.ageing_after_days, meeting.stale_after_days) == (
        False, 60, 120)


def test_the_admin_import_previews_a_closure_without_evidence_as_a_row_message(editor_client, actions):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from recommendations.imports.actions import ActionResource

    data = ActionResource().export(queryset=Action.objects.filter(pk=actions[0].pk))
    row = dict(zip(data.headers, data[0]), status="Implemented", progress="100", note="Held in June.")
    content = type(data)(list(row.values()), headers=list(row)).export("csv")
    upload = SimpleUploadedFile("actions.csv", content.encode(), content_type="text/csv")
    response = editor_client.post(reverse("admin:recommendations_action_import"),
                                  {"import_file": upload, "format": 0, "resource": 0})
    body = unescape(response.content.decode())
    assert "confirm_form" not in response.context
    assert "Give the evidence of what was done: a link, or attach a file." in body
    actions[0].refresh_from_db()
    assert (actions[0].status, actions[0].updates.count()) == (Status.NOT_STARTED, 1)


def test_the_admin_export_of_actions_imports_back_unchanged(editor_client, actions):
    from recommendations.imports.actions import ActionResource

    fields = {f"actionresource_{f}": "on" for f in ActionResource().get_export_headers()}
    response = editor_client.post(reverse("admin:recommendations_action_export"), {"format": 0, "resource": 0,
                                                                                 **fields})
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "action,parent,title,description,weight,status,owner,responsible_actors,due_date,progress," \
                       "freshness,verification"
    assert lines[1].startswith("2010/2.1/1/a1,2010/2.1/1,Workshop in Dubai,,1,Not started,sam-staff,,2011-06-30,0,")
