"""`POST …/updates/` writes what the update form writes, through the same path: the same timeline entry, change
history record, version and latest (public) note. The same update is made once by the form and once by the API,
each rolled back after its effects are read; the two must be equal."""

import pytest
from django.db import transaction

from api.tests.conftest import UPDATES_URL, item, post, token_for
from recommendations.models import Status

pytestmark = pytest.mark.django_db

FIELDS = ("author_id", "note", "evidence_url", "status_before", "status_after", "progress_before", "progress_after",
          "due_date_before", "due_date_after", "due_date_precision_after", "is_public", "created_at_precision")


def effects(make_update):
    """What an update leaves behind, read inside a transaction that is then rolled back."""
    with transaction.atomic():
        before = item()
        history_before, entries_before = before.history.count(), before.updates.count()
        response = make_update(before)
        after = item()
        entry = after.updates.first()
        record = after.history.first()
        found = {
            "entry": {name: getattr(entry, name) for name in FIELDS},
            "entries added": after.updates.count() - entries_before,
            "item": (after.status, after.progress, after.due_date, after.owner_id, after.version - before.version,
                     after.last_note, after.last_update_at == entry.created_at, after.last_public_note),
            "history added": after.history.count() - history_before,
            "history": (record.history_user_id, record.status, record.progress, record.version),
            "status": response.status_code,
        }
        transaction.set_rollback(True)
    return found


UPDATE = {"note": "The loan scheme opened in Colombo.", "status": Status.IN_PROGRESS, "progress": 30,
          "due_date": "2027-06-30", "evidence_url": "https://example.org/loans"}


@pytest.mark.parametrize("public", [True, False])
def test_the_api_writes_what_the_form_writes(client, owned, staff, public):
    token = token_for(staff)

    def by_form(before):
        client.force_login(staff)
        data = {**UPDATE, "version": before.version, **({"is_public": "on"} if public else {})}
        response = client.post("/recommendations/2010/2.1/3/update/", data)
        client.logout()
        return response

    def by_api(before):
        return post(client, UPDATES_URL, token, {**UPDATE, "version": before.version, "public": public})

    form, api = effects(by_form), effects(by_api)
    assert (form.pop("status"), api.pop("status")) == (302, 201)
    assert api == form
    # And what they are, from the update sent (not from either path):
    assert api["entry"]["note"] == UPDATE["note"] and api["entry"]["is_public"] is public
    assert api["entry"]["status_after"] == Status.IN_PROGRESS and api["entry"]["progress_after"] == 30
    assert api["entries added"] == 1 and api["history added"] == 1 and api["item"][4] == 1
    # The latest PUBLIC note is the new one only when it is published; else the seed's, as it was.
    assert api["item"][7] == (UPDATE["note"] if public else item().last_public_note)
    assert item().last_public_note.startswith("Seeded from the report of GFMD 2010")


def test_the_answer_is_the_entry_written_and_the_item_as_it_is_now(client, owned, staff):
    response = post(client, UPDATES_URL, token_for(staff), {**UPDATE, "version": owned.version, "public": True})
    body = response.json()
    assert response.status_code == 201 and response["Location"] == "http://testserver/api/v1/recommendations/2010/2.1/3/"
    assert body["update"]["note"] == UPDATE["note"] and body["update"]["author"] == staff.username
    assert body["update"]["status_before"] == "not_started" and body["update"]["status_after"] == "in_progress"
    assert body["update"]["due_date_after"] == "2027-06-30" and body["update"]["public"] is True
    assert body["item"]["version"] == owned.version + 1 and body["item"]["progress"] == 30
    assert body["item"]["last_update"]["note"] == UPDATE["note"]
