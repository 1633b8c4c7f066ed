"""`saved_view_notes(since)`: the items of a followed saved view updated since → one note per follower (what the
reminders' job makes into notifications)."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from notifications.models import Follow, Kind, SavedView
from notifications.saved_views import saved_view_notes
from notifications.services import notify
from notifications.tests.conftest import person
from notifications.tests.people import member
from recommendations.models import Recommendation, Status

pytestmark = pytest.mark.django_db


def rec(code, number):
    return Recommendation.objects.get_by_natural_key(2010, code, number)


@pytest.fixture
def since():
    return timezone.now() - datetime.timedelta(minutes=1)


@pytest.fixture
def planned_view(viewer):
    """Vera's view of the planned recommendations of session 2.1, shared."""
    return SavedView.objects.create(owner=viewer, name="Planned in 2.1", path="/recommendations/",
                                    query="session=2.1&status=planned", shared=True)


def plan(editor, *items):
    for item in items:
        item.record_update(by=editor, note="Planned.", status=Status.PLANNED)


def test_each_follower_gets_one_note_naming_the_views_items_updated_since(editor, viewer, planned_view, since):
    olga = member("olga", "viewer")
    for user in (viewer, olga):
        Follow.objects.start(user, planned_view)
    plan(editor, rec("2.1", 1), rec("2.1", 3), rec("2.2", 1))  # 2.2/1: not in the view

    notes = list(saved_view_notes(since))

    assert sorted(note.recipient for note in notes) == sorted([viewer.pk, olga.pk])
    note = notes[0]
    assert note.subject == "2 changes in the saved view “Planned in 2.1”"
    assert note.url == "/recommendations/?session=2.1&status=planned"
    assert note.key == f"item_changed:savedview:{planned_view.pk}:{since.isoformat()}"
    lines = note.text.splitlines()
    assert lines[1:] == [f"- {rec('2.1', 1)}", f"- {rec('2.1', 3)}"]
    assert lines[0].startswith("2 items of the saved view “Planned in 2.1” were updated since ")


def test_nothing_changed_since_makes_no_note(editor, viewer, planned_view, since):
    Follow.objects.start(viewer, planned_view)
    plan(editor, rec("2.1", 1))
    assert list(saved_view_notes(timezone.now())) == []


def test_a_view_no_longer_shared_reaches_its_owner_only(editor, viewer, planned_view, since):
    olga = member("olga", "viewer")
    for user in (viewer, olga):
        Follow.objects.start(user, planned_view)
    SavedView.objects.filter(pk=planned_view.pk).update(shared=False)
    plan(editor, rec("2.1", 1))
    assert [note.recipient for note in saved_view_notes(since)] == [viewer.pk]


def test_a_deactivated_follower_gets_no_note(editor, viewer, planned_view, since):
    Follow.objects.start(viewer, planned_view)
    get_user_model().objects.filter(pk=viewer.pk).update(is_active=False)
    plan(editor, rec("2.1", 1))
    assert list(saved_view_notes(since)) == []


def test_made_twice_the_notes_are_notified_once(editor, viewer, planned_view, since):
    Follow.objects.start(viewer, planned_view)
    plan(editor, rec("2.1", 1))
    notify(Kind.ITEM_CHANGED, saved_view_notes(since))
    notify(Kind.ITEM_CHANGED, saved_view_notes(since))
    assert viewer.notifications.filter(key__startswith="item_changed:savedview:").count() == 1


def test_a_view_of_actions_names_each_action_with_its_item(editor, viewer, since):
    from recommendations import services

    view = SavedView.objects.create(owner=viewer, name="Actions in progress", path="/actions/",
                                    query="status=in_progress")
    Follow.objects.start(viewer, view)
    action = services.add_action(rec("2.1", 3), by=editor, title="Draft the law")
    action.record_update(by=editor, note="Drafting.", status=Status.IN_PROGRESS)
    [note] = saved_view_notes(since)
    assert note.text.splitlines()[1:] == [f"- a1 Draft the law (under {rec('2.1', 3)})"]


def test_send_reminders_tells_the_followers_of_a_saved_view_once_a_day(editor, viewer, planned_view):
    import io

    from django.core.management import call_command

    Follow.objects.start(viewer, planned_view)
    plan(editor, rec("2.1", 1))
    for _ in range(2):  # the second run makes nothing new
        call_command("send_reminders", stdout=io.StringIO())
    [made] = viewer.notifications.filter(key__contains=":savedview:")
    assert (made.kind, made.subject) == (Kind.ITEM_CHANGED, "1 change in the saved view “Planned in 2.1”")


def test_a_follower_who_may_not_read_the_list_gets_no_note(editor, viewer, planned_view, since):
    """A signed-in person without a role is refused the list (403): its items' names are not theirs to read."""
    otto = person("otto")
    Follow.objects.start(otto, planned_view)
    plan(editor, rec("2.1", 1))
    assert list(saved_view_notes(since)) == []


def test_an_owner_who_lost_their_role_gets_no_note_of_their_own_view(editor, viewer, planned_view, since):
    Follow.objects.start(viewer, planned_view)
    viewer.groups.clear()
    plan(editor, rec("2.1", 1))
    assert list(saved_view_notes(since)) == []
