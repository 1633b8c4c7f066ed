"""The "Log an update" form of an item page, as each role uses it."""

import re

import pytest

from recommendations.models import Recommendation, Status
from recommendations.tests.test_item_page import UPDATE, URL, loans

pytestmark = pytest.mark.django_db


def owned_by(user):
    rec = loans()
    Recommendation.objects.filter(pk=rec.pk).update(owner=user)
    return loans()


def post_update(client, rec, **data):
    return client.post(UPDATE, {"version": rec.version, **data})


def test_viewers_get_no_form_and_a_crafted_post_is_refused(client, viewer):
    client.force_login(viewer)
    assert 'action="/recommendations/2010/2.1/3/update/"' not in client.get(URL).content.decode()
    response = post_update(client, loans(), note="I should not be able to say this.")
    assert response.status_code == 403
    assert loans().updates.count() == 1


def test_the_owner_logs_an_update_that_moves_the_item_to_in_progress(client, staff):
    rec = owned_by(staff)
    client.force_login(staff)
    response = post_update(client, rec, note="Sri Lanka's banks met.", status=Status.IN_PROGRESS, progress=20)
    assert response.status_code == 302 and response["Location"] == URL
    rec = loans()
    assert (rec.status, rec.progress) == (Status.IN_PROGRESS, 20)
    entry = rec.updates.first()
    assert (entry.author, entry.note, entry.status_before, entry.status_after) == (
        staff, "Sri Lanka's banks met.", Status.NOT_STARTED, Status.IN_PROGRESS,
    )
    page = client.get(URL).content.decode()
    assert "Sri Lanka&#x27;s banks met." in page and "Your update is in the timeline." in page


def test_staff_who_do_not_own_the_item_may_add_a_note_only(client, staff):
    client.force_login(staff)
    rec = loans()
    assert post_update(client, rec, note="Heard from Colombo.").status_code == 302
    assert loans().updates.first().note == "Heard from Colombo."

    crafted = post_update(client, loans(), note="Closing it.", status=Status.IN_PROGRESS)
    assert crafted.status_code == 403
    assert loans().status == Status.NOT_STARTED


def test_staff_who_do_not_own_the_item_may_not_attach_an_evidence_link(client, staff):
    client.force_login(staff)
    page = client.get(URL).content.decode()
    assert 'name="note"' in page and 'name="evidence_url"' not in page
    rec = loans()

    crafted = post_update(client, rec, note="See my link.", evidence_url="https://example.org/report")

    assert crafted.status_code == 403
    assert [(e.note, e.evidence_url) for e in loans().updates.all()] == [
        (e.note, e.evidence_url) for e in rec.updates.all()
    ]
    assert not loans().updates.filter(note="See my link.").exists()


def test_the_owner_attaches_an_evidence_link(client, staff):
    rec = owned_by(staff)
    client.force_login(staff)
    assert 'name="evidence_url"' in client.get(URL).content.decode()
    assert post_update(client, rec, note="Report out.", evidence_url="https://example.org/report").status_code == 302
    entry = loans().updates.first()
    assert (entry.author, entry.note, entry.evidence_url) == (staff, "Report out.", "https://example.org/report")


def test_an_empty_note_is_refused_and_what_was_typed_is_kept(client, staff):
    rec = owned_by(staff)
    client.force_login(staff)
    response = post_update(client, rec, note="", status=Status.PLANNED, progress=15)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Write a note: what happened, or why the change." in body
    assert '<option value="planned" selected>' in body and 'value="15"' in body
    assert loans().status == Status.NOT_STARTED


def test_a_refused_transition_is_explained_on_the_page(client, editor):
    rec = loans()
    Recommendation.objects.filter(pk=rec.pk).update(status=Status.IMPLEMENTED)
    client.force_login(editor)
    response = post_update(client, loans(), note="Back to planning?", status=Status.PLANNED)
    assert response.status_code == 400
    assert "An item cannot go from Implemented to Planned." in response.content.decode()


def test_bad_values_get_plain_messages(client, editor):
    client.force_login(editor)
    response = post_update(client, loans(), note="x", progress=140, due_date="31/31/2011",
                           evidence_url="not a link")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Ensure this value is less than or equal to 100." in body
    assert "Enter a valid date." in body and "Enter a valid URL." in body


def test_the_second_of_two_concurrent_edits_is_refused_and_keeps_its_text(client, staff, editor):
    from django.test import Client

    rec = owned_by(staff)
    first, second = Client(), Client()
    first.force_login(staff)
    second.force_login(editor)
    version_both_saw = rec.version

    assert first.post(UPDATE, {"version": version_both_saw, "note": "Started.", "status": "in_progress",
                               "progress": 10}).status_code == 302
    response = second.post(UPDATE, {"version": version_both_saw, "note": "My long careful note.",
                                    "status": "planned", "progress": 5})

    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else changed this item while you were editing it." in body
    assert "My long careful note." in body
    rec = loans()
    assert (rec.status, rec.progress) == (Status.IN_PROGRESS, 10)
    assert f'name="version" value="{rec.version}"' in body  # resubmitting now applies to what they see


def test_an_owner_whose_item_was_handed_over_while_they_wrote_gets_the_conflict_and_keeps_their_note(
        client, staff, editor):
    from django.test import Client

    rec = owned_by(staff)
    seen = rec.version
    other = Client()
    other.force_login(editor)
    assert other.post(UPDATE, {"version": seen, "note": "Over to the editor.", "owner": editor.pk}).status_code == 302
    client.force_login(staff)

    # The owner's form, as it was when they opened it: their own name in the owner box, and a link.
    response = client.post(UPDATE, {"version": seen, "note": "My long careful note.", "status": "not_started",
                                    "owner": staff.pk, "progress": 0, "evidence_url": "https://example.org/r"})

    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else changed this item while you were editing it." in body
    assert ">\nMy long careful note.</textarea>" in body
    assert [(e.author, e.note) for e in loans().updates.all()[:1]] == [(editor, "Over to the editor.")]
    assert loans().owner == editor


def test_a_refused_update_shows_the_page_with_the_reason_and_the_note_kept(client, staff):
    client.force_login(staff)

    response = post_update(client, loans(), note="See my link.", evidence_url="https://example.org/report")

    assert response.status_code == 403
    body = response.content.decode()
    assert "Only the item&#x27;s owner or an editor can attach an evidence link; you can add a note." in body
    assert ">\nSee my link.</textarea>" in body


def test_a_conflict_keeps_the_owner_the_editor_posted_rather_than_showing_the_item_unassigned(
        client, staff, editor, administrator):
    from django.test import Client

    rec = owned_by(staff)
    seen = rec.version
    other = Client()
    other.force_login(administrator)
    assert other.post(UPDATE, {"version": seen, "note": "Over to the editor.", "owner": editor.pk}).status_code == 302
    client.force_login(editor)

    # The editor's form as it was when they opened it: the item still with staff.
    response = client.post(UPDATE, {"version": seen, "note": "Checked the budget.", "status": "not_started",
                                    "owner": staff.pk, "progress": 0})

    assert response.status_code == 409
    body = response.content.decode()
    select = body[body.index('name="owner"'):body.index("</select>", body.index('name="owner"'))]
    assert f'<option value="{staff.pk}" selected>{staff.username}</option>' in select
    assert '<option value="" selected>' not in select  # a resubmit does not unassign the item
    assert loans().owner == editor


def test_a_refused_update_opens_at_its_error_summary_and_a_good_one_does_not(client, staff):
    rec = owned_by(staff)
    client.force_login(staff)
    response = post_update(client, rec, note="", status=Status.STALLED)
    assert response.status_code == 400
    body = response.content.decode()
    summary = body[body.index('<div class="error" role="alert" id="update-errors"'):]
    summary = summary[:summary.index("</div>")]
    assert summary.startswith('<div class="error" role="alert" id="update-errors" tabindex="-1" autofocus>')
    assert '<a href="#id_note">Note</a>: ' in summary
    assert body.count(" autofocus") == 1 and body.index('id="update-errors"') > body.index('id="log-update"')
    assert loans().updates.count() == 1
    assert 'id="update-errors"' not in client.get(URL).content.decode()


def test_the_form_asks_status_progress_and_due_date_first_and_the_note_after(client, staff):
    owned_by(staff)
    client.force_login(staff)
    body = client.get(URL).content.decode()
    form = body[body.index('<form method="post" action="/recommendations/2010/2.1/3/update/"'):]
    order = [name for name in re.findall(r'name="(\w+)"', form) if name != "csrfmiddlewaretoken"]
    assert order[:8] == ["version", "status", "progress", "due_date", "owner", "new_owner", "note", "evidence_url"]


def test_an_item_finished_before_anyone_logged_it_is_closed_in_one_update(client, staff):
    rec = owned_by(staff)
    client.force_login(staff)
    response = post_update(client, rec, note="Done in 2011: the loans scheme runs.", status=Status.IMPLEMENTED,
                           progress=100, evidence_url="https://example.org/loans")
    assert response.status_code == 302
    rec = loans()
    assert (rec.status, rec.progress) == (Status.IMPLEMENTED, 100)
    entry = rec.updates.first()
    assert (entry.status_before, entry.status_after, entry.progress_after) == (
        Status.NOT_STARTED, Status.IMPLEMENTED, 100)
    assert rec.updates.count() == 2
