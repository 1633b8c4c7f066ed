"""`POST …/updates/` refuses what the update form refuses, with the rule's own message, and changes nothing:
a transition the README's table does not allow, a missing note, a change by staff who do not own the item, a
reopening by anyone but an editor, a viewer, a stale version (409), no token (401)."""

import pytest

from api.tests.conftest import UPDATES_URL, get, item, post, token_for
from recommendations.models import Recommendation, Status

pytestmark = pytest.mark.django_db


def unchanged(before):
    now = item()
    return (now.status, now.progress, now.version, now.updates.count()) == (
        before.status, before.progress, before.version, before.updates.count())


def form_error(client, user, data):
    """What the item page's form says to the same update (its refusal, as the page shows it)."""
    client.force_login(user)
    response = client.post("/recommendations/2010/2.1/3/update/", {"version": item().version, **data})
    client.logout()
    return response.status_code, response.content.decode()


def test_a_transition_the_table_does_not_allow_is_400_with_the_rules_message(client, owned, staff):
    # README: "not started" may go to planned, in progress, implemented, stalled, not pursued; not ongoing.
    response = post(client, UPDATES_URL, token_for(staff), {"note": "Ongoing now.", "status": "ongoing",
                                                            "version": owned.version})
    assert response.status_code == 400
    assert response.json() == {"status": ["An item cannot go from Not started to Ongoing."]}
    assert unchanged(owned)
    status, page = form_error(client, staff, {"note": "Ongoing now.", "status": "ongoing"})
    assert status == 400 and "An item cannot go from Not started to Ongoing." in page


def test_an_update_without_a_note_is_400_as_in_the_form(client, owned, staff):
    for body in ({"status": "stalled"}, {"status": "stalled", "note": "   "}):
        response = post(client, UPDATES_URL, token_for(staff), {**body, "version": owned.version})
        assert response.status_code == 400
        assert response.json() == {"note": ["Write a note: what happened, or why the change."]}
    assert unchanged(owned)
    status, page = form_error(client, staff, {"status": "stalled", "note": ""})
    assert status == 400 and "Write a note: what happened, or why the change." in page


def test_staff_who_do_not_own_the_item_may_not_change_its_status_403(client, staff):
    before = item()
    response = post(client, UPDATES_URL, token_for(staff), {"note": "Done.", "status": "in_progress",
                                                            "version": before.version})
    assert response.status_code == 403
    assert response.json() == {"detail": "Only the item's owner or an editor can change its status, owner or "
                                         "progress."}
    assert unchanged(before)


def test_staff_who_do_not_own_the_item_may_add_a_note_alone(client, staff):
    response = post(client, UPDATES_URL, token_for(staff), {"note": "Heard from Colombo.", "version": 1})
    assert response.status_code == 201
    assert item().updates.first().note == "Heard from Colombo."


def test_only_an_editor_reopens_an_implemented_item(client, owned, staff, editor):
    owned.record_update(by=staff, note="All done: the loans exist.", status=Status.IMPLEMENTED,
                        evidence_url="https://example.org/loans")
    closed = item()
    refused = post(client, UPDATES_URL, token_for(staff), {"note": "Again.", "status": "in_progress",
                                                           "version": closed.version})
    assert refused.status_code == 403
    assert refused.json() == {"detail": "Only an editor can reopen an item that is implemented."}
    assert unchanged(closed)
    reopened = post(client, UPDATES_URL, token_for(editor), {"note": "Again.", "status": "in_progress",
                                                             "version": closed.version})
    assert reopened.status_code == 201 and item().status == Status.IN_PROGRESS


def test_a_viewer_is_refused_403_and_an_anonymous_client_401(client, viewer):
    before = item()
    refused = post(client, UPDATES_URL, token_for(viewer), {"note": "Me too.", "version": before.version})
    assert refused.status_code == 403
    assert refused.json() == {"detail": "You may read this item but not log updates on it."}
    anonymous = post(client, UPDATES_URL, None, {"note": "Me too.", "version": before.version})
    assert anonymous.status_code == 401 and anonymous["WWW-Authenticate"] == "Token"
    assert unchanged(before)


def test_a_change_based_on_an_older_version_is_409_and_changes_nothing(client, owned, staff, editor):
    read = get(client, UPDATES_URL.removesuffix("updates/"), token_for(staff))
    etag, old = read["ETag"], owned.version
    owned.record_update(by=editor, note="Editor set progress.", progress=50)  # someone saves in between
    current = item()
    for extra in ({"version": old}, {}):
        headers = {} if extra else {"If-Match": etag}
        response = post(client, UPDATES_URL, token_for(staff), {"note": "Mine.", "progress": 10, **extra}, **headers)
        assert response.status_code == 409
        assert response.json()["version"] == current.version
        assert unchanged(current)


def test_a_note_alone_on_an_older_version_is_kept_as_the_form_keeps_it(client, owned, staff, editor):
    old = owned.version
    owned.record_update(by=editor, note="Editor set progress.", progress=50)
    response = post(client, UPDATES_URL, token_for(staff), {"note": "A note only.", "version": old})
    assert response.status_code == 201
    assert item().progress == 50 and item().updates.first().note == "A note only."


def test_the_version_is_required_and_if_match_must_name_one(client, owned, staff):
    missing = post(client, UPDATES_URL, token_for(staff), {"note": "No version."})
    assert missing.status_code == 400 and list(missing.json()) == ["version"]
    garbled = post(client, UPDATES_URL, token_for(staff), {"note": "Bad header."}, **{"If-Match": "yesterday"})
    assert garbled.status_code == 400 and list(garbled.json()) == ["If-Match"]
    both = post(client, UPDATES_URL, token_for(staff), {"note": "Two.", "version": 1}, **{"If-Match": '"7"'})
    assert both.status_code == 400
    assert unchanged(owned)


def test_an_owner_who_may_not_own_items_is_refused_with_the_rules_message(client, owned, editor, viewer):
    response = post(client, UPDATES_URL, token_for(editor), {"note": "To Vera.", "owner": viewer.username,
                                                             "version": owned.version})
    assert response.status_code == 400
    assert response.json() == {"owner": [f"No user named “{viewer.username}” may own this item: an owner must be an "
                                          "active user whose role may log updates (staff, editor or administrator)."]}
    assert Recommendation.objects.get(pk=owned.pk).owner_id == owned.owner_id


def test_staff_take_an_item_nobody_owns(client, staff):
    response = post(client, UPDATES_URL, token_for(staff), {"note": "Took this item.", "owner": staff.username,
                                                            "version": item().version})
    assert response.status_code == 201
    assert item().owner == staff and response.json()["item"]["owner"] == staff.username
