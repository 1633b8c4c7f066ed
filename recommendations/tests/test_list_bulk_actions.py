"""Bulk actions on the recommendations list (editors): the admin's rules and write path (services.update_each)."""

import html
import re

import pytest
from django.urls import reverse

from recommendations.models import Recommendation, Status

pytestmark = pytest.mark.django_db

LIST = reverse("recommendations:list")
BULK = reverse("recommendations:bulk_update")


def session(code):
    return list(Recommendation.objects.filter(session__code=code))


def bulk(client, items, **data):
    return client.post(BULK, {"items": [i.pk for i in items], "query": "session=3.2&sort=-due", **data}, follow=True)


def said(response):
    """The messages the list shows after the action, as read."""
    found = re.findall(r'<li class="message [^"]*">(.*?)</li>', response.content.decode(), re.S)
    return [html.unescape(message) for message in found]


def test_editors_tick_rows_in_the_list_and_find_the_bulk_form_apart_from_the_filters(editor_client):
    body = editor_client.get(LIST + "?session=3.2").content.decode()
    rec = Recommendation.objects.get_by_natural_key(2010, "3.2", 1)
    assert (f'<input type="checkbox" name="items" value="{rec.pk}" form="bulk-form" aria-label="Select 3.2/1">'
            in body)
    assert body.count('form="bulk-form"') == 3
    form = body[body.index('<form id="bulk-form"'):]
    assert form.startswith(f'<form id="bulk-form" method="post" action="{BULK}"')
    assert body.index('<details class="bulk-actions">') < body.index('<table class="items">')
    assert body.index('id="bulk-form"') > body.index('<section class="card results">')
    assert '<input type="hidden" name="query" value="session=3.2">' in form
    assert 'id="bulk-owner"' in form and 'id="bulk-status"' in form and 'id="bulk-note"' in form


@pytest.mark.parametrize("role", ["viewer", "staff"])
def test_viewers_and_staff_get_no_boxes_and_a_crafted_post_is_refused(client, request, role):
    client.force_login(request.getfixturevalue(role))
    body = client.get(LIST + "?session=3.2").content.decode()
    assert 'form="bulk-form"' not in body and 'id="bulk-form"' not in body
    response = client.post(BULK, {"items": [i.pk for i in session("3.2")], "action": "status",
                                  "status": Status.PLANNED, "note": "Planned."})
    assert response.status_code == 403
    assert {i.status for i in session("3.2")} == {Status.NOT_STARTED}


def test_an_editor_assigns_an_owner_to_the_selected_rows_each_with_its_timeline_entry(editor_client, editor, staff):
    response = bulk(editor_client, session("3.2"), action="owner", owner=staff.username, note="Sam covers climate.")

    assert response.redirect_chain == [(LIST + "?session=3.2&sort=-due", 302)]
    assert said(response) == ["Updated 3 recommendations; each timeline has the note."]
    for rec in session("3.2"):
        assert rec.owner == staff
        entry = rec.updates.first()
        assert (entry.author, entry.note, entry.owner_before, entry.owner_after) == (
            editor, "Sam covers climate.", None, staff)
        assert rec.updates.count() == 2


def test_an_editor_changes_the_status_of_the_selected_rows_with_a_note(editor_client):
    items = session("3.2")[:2]
    response = bulk(editor_client, items, action="status", status=Status.PLANNED, note="Planned with UNEP.")
    assert said(response) == ["Updated 2 recommendations; each timeline has the note."]
    assert [r.status for r in session("3.2")] == [Status.PLANNED, Status.PLANNED, Status.NOT_STARTED]
    assert session("3.2")[0].updates.first().status_after == Status.PLANNED


def test_a_mixed_selection_names_each_refused_row_with_its_reason_and_changes_nothing(editor_client, editor):
    first, second, third = session("3.2")
    first.record_update(by=editor, note="Started.", status=Status.IN_PROGRESS)
    entries = [r.updates.count() for r in session("3.2")]

    response = bulk(editor_client, [first, second, third], action="status", status=Status.ONGOING,
                    note="Now a standing practice.")

    assert said(response) == [
        "Nothing was changed: 2 of 3 rows were refused. "
        "3.2/2: An item cannot go from Not started to Ongoing. | "
        "3.2/3: An item cannot go from Not started to Ongoing."]
    assert [r.status for r in session("3.2")] == [Status.IN_PROGRESS, Status.NOT_STARTED, Status.NOT_STARTED]
    assert [r.updates.count() for r in session("3.2")] == entries


def test_stalling_rows_without_a_reason_is_refused_for_each(editor_client):
    response = bulk(editor_client, session("3.2")[:1], action="status", status=Status.STALLED, note=" ")
    assert said(response) == ["Nothing was changed. Write a note: it goes to each item's timeline."]
    assert session("3.2")[0].status == Status.NOT_STARTED


@pytest.mark.parametrize(("data", "message"), [
    ({"action": "owner", "owner": "", "note": "x"}, "Type the username of the new owner."),
    ({"action": "owner", "owner": "vera-viewer", "note": "x"},
     "Nobody who may own items has this username: an owner is an active user whose role may log updates "
     "(staff, editor, administrator)."),
    ({"action": "status", "status": "", "note": "x"}, "Choose the new status."),
    ({"action": "status", "status": "done-ish", "note": "x"},
     "Unknown status 'done-ish'."),
    ({"action": "delete", "note": "x"}, "Unknown action 'delete'."),
    ({"status": Status.PLANNED, "note": "x"}, "Choose what to change: the owner or the status."),
])
def test_bad_input_gets_a_message_and_changes_nothing(editor_client, viewer, data, message):
    response = bulk(editor_client, session("3.2"), **data)
    assert said(response) == [f"Nothing was changed. {message}"]
    assert all(r.owner is None and r.status == Status.NOT_STARTED and r.updates.count() == 1
               for r in session("3.2"))


def test_no_row_selected_is_said(editor_client):
    response = editor_client.post(BULK, {"action": "status", "status": Status.PLANNED, "note": "x"}, follow=True)
    assert said(response) == ["Nothing was changed. Select at least one row."]
    assert response.redirect_chain == [(LIST + "?", 302)]


def test_opening_the_bulk_address_is_refused(editor_client):
    assert editor_client.get(BULK).status_code == 405


@pytest.mark.parametrize("pk", ["99999999999999999999999", "abc", "-1", "1.5", "１"])
def test_a_row_id_no_row_can_have_gets_a_message_not_a_server_error(editor_client, pk):
    response = editor_client.post(BULK, {"items": [pk], "action": "status", "status": Status.PLANNED, "note": "x"},
                                  follow=True)
    assert response.status_code == 200
    assert said(response) == [f"Nothing was changed. “{pk}” is not a valid value."]
    assert not Recommendation.objects.filter(status=Status.PLANNED).exists()
