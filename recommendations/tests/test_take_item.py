""""Take this item": staff take an item nobody owns; on someone else's they see whom to ask."""

import pytest
from django.core.exceptions import PermissionDenied

from partnerships.models import Project
from recommendations.models import FollowUpItem, Recommendation, Status
from recommendations.tests.test_item_page import URL, loans

pytestmark = pytest.mark.django_db

TAKE = URL + "take/"


def take(client, item, version=None):
    return client.post(item.get_absolute_url() + "take/", {"version": item.version if version is None else version})


def owned_by(user, email=""):
    user.first_name, user.last_name, user.email = "Eda", "Editor", email
    user.save()
    Recommendation.objects.filter(pk=loans().pk).update(owner=user)
    return loans()


def test_staff_see_take_this_item_on_an_item_nobody_owns(client, staff):
    client.force_login(staff)
    body = client.get(URL).content.decode()
    assert f'<form class="take" method="post" action="{TAKE}">' in body
    assert '<button type="submit">Take this item</button>' in body


def test_staff_take_an_item_nobody_owns_and_the_timeline_says_so_once(client, staff):
    client.force_login(staff)
    entries = loans().updates.count()

    response = take(client, loans())

    assert response.status_code == 302 and response["Location"] == URL
    rec = loans()
    assert rec.owner == staff and rec.status == Status.NOT_STARTED
    assert rec.updates.count() == entries + 1
    entry = rec.updates.first()
    assert (entry.author, entry.note, entry.owner_before, entry.owner_after, entry.status_after) == (
        staff, "Took this item.", None, staff, "")
    page = client.get(URL).content.decode()
    assert "You own this item now: it is in My items." in page
    assert "Take this item" not in page
    assert URL in client.get("/my-items/").content.decode()


@pytest.mark.parametrize("kind", ["follow-up item", "project"])
def test_staff_take_follow_up_items_and_projects_alike(client, staff, kind):
    item = FollowUpItem.objects.first() if kind == "follow-up item" else Project.objects.get(pk=1)
    client.force_login(staff)
    assert "Take this item" in client.get(item.get_absolute_url()).content.decode()

    assert take(client, item).status_code == 302

    item.refresh_from_db()
    assert item.owner == staff and item.updates.first().owner_after == staff


def test_on_an_item_someone_else_owns_staff_see_whom_to_ask_with_their_email(client, staff, editor):
    owned_by(editor, email="eda@example.org")
    client.force_login(staff)
    body = client.get(URL).content.decode()
    assert ('<p class="ask-owner hint">Eda Editor owns this item (<a href="mailto:eda@example.org">eda@example.org'
            '</a>): ask them to change its status, progress or dates, or to hand it over.</p>') in body
    assert "Take this item" not in body


def test_viewers_are_not_told_whom_to_ask_nor_shown_the_owners_email(client, viewer, editor):
    owned_by(editor, email="eda@example.org")
    client.force_login(viewer)
    body = client.get(URL).content.decode()
    assert "ask-owner" not in body and "eda@example.org" not in body
    assert "Take this item" not in body


def test_whom_to_ask_shows_the_name_alone_when_the_owner_has_no_email(client, staff, editor):
    owned_by(editor)
    client.force_login(staff)
    assert ('<p class="ask-owner hint">Eda Editor owns this item: ask them'
            in client.get(URL).content.decode())


def test_taking_an_item_someone_else_owns_is_refused_and_changes_nothing(client, staff, editor):
    rec = owned_by(editor)
    client.force_login(staff)

    response = take(client, rec)

    assert response.status_code == 403
    assert ("Eda Editor owns this item: ask them, or an editor, to hand it over. Nothing was changed."
            in response.content.decode())
    assert loans().owner == editor and loans().updates.count() == rec.updates.count()


def test_a_viewer_cannot_take_an_item(client, viewer):
    client.force_login(viewer)
    assert "Take this item" not in client.get(URL).content.decode()

    response = take(client, loans())

    assert response.status_code == 403
    assert "Your role may read items but not own them; nothing was changed." in response.content.decode()
    assert loans().owner is None and loans().updates.count() == 1


def test_a_stale_form_is_refused_when_the_item_was_taken_meanwhile(client, staff, editor):
    opened = loans()
    loans().record_update(by=editor, note="Planned.", status=Status.PLANNED)  # someone else saved since
    client.force_login(staff)

    response = take(client, opened)

    assert response.status_code == 409
    assert "Someone changed this item since you opened it, so it was not taken." in response.content.decode()
    assert loans().owner is None and loans().updates.count() == 2


def test_a_form_without_the_version_is_refused(client, staff):
    client.force_login(staff)
    response = take(client, loans(), version="")
    assert response.status_code == 400
    assert "The form was incomplete (no version of the item); nothing was changed." in response.content.decode()
    assert loans().owner is None


def test_opening_the_take_address_leads_to_the_item(client, staff):
    client.force_login(staff)
    response = client.get(TAKE)
    assert response.status_code == 302 and response["Location"] == URL
    assert loans().owner is None


# The rule itself, in TrackedItem.check_permission: what a crafted "Log an update" cannot do either.

def test_staff_may_not_make_themselves_owner_of_an_item_someone_else_owns(staff, editor):
    rec = owned_by(editor)
    with pytest.raises(PermissionDenied):
        rec.record_update(by=staff, note="Mine now.", owner=staff)
    assert loans().owner == editor


def test_staff_taking_an_item_may_change_nothing_else_with_it(staff):
    with pytest.raises(PermissionDenied):
        loans().record_update(by=staff, note="Taking and planning.", owner=staff, status=Status.PLANNED)
    assert (loans().owner, loans().status) == (None, Status.NOT_STARTED)


def test_staff_may_not_give_an_item_nobody_owns_to_someone_else(staff, editor):
    with pytest.raises(PermissionDenied):
        loans().record_update(by=staff, note="Yours.", owner=editor)
    assert loans().owner is None


def test_staff_take_an_item_nobody_owns_through_the_update_form_too(client, staff):
    client.force_login(staff)
    response = client.post(URL + "update/", {"version": loans().version, "note": "I will follow it up.",
                                             "new_owner": staff.username})
    assert response.status_code == 302
    assert loans().owner == staff
