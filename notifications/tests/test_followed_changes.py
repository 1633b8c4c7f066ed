"""A change reaches the followers of its item, of the item's responsible actors and of its themes: once each, never
its author, keyed by its timeline entry, and with the note only for those who may read it."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications import following
from notifications.models import Follow, Kind, Notification
from notifications.tests.conftest import person
from recommendations import services
from recommendations.imports.resources import RecommendationResource
from recommendations.models import Actor, Recommendation, Status, Theme
from recommendations.tests.test_import_bulk import changed, export

pytestmark = pytest.mark.django_db

URL = "/recommendations/2010/2.1/3/"


def loans():
    return Recommendation.objects.get_by_natural_key(2010, "2.1", 3)


def follows(user, target):
    Follow.objects.start(user, target)
    return user


def told(user):
    return list(Notification.objects.filter(recipient=user, kind=Kind.ITEM_CHANGED))


@pytest.fixture
def reader(viewer):
    """A viewer (the view permission of timelines): reads internal notes."""
    return follows(viewer, loans())


@pytest.fixture
def outsider(db):
    """Signed in, but given no role: reads what the public reads."""
    return follows(person("otto"), loans())


def test_a_change_tells_the_followers_of_the_item_in_words(editor, reader):
    entry = loans().record_update(by=editor, note="Planned for the 2011 budget.", status=Status.PLANNED,
                                  progress=10)
    [note] = told(reader)
    assert note.key == f"item_changed:recommendations.recommendationupdate:{entry.pk}"
    assert note.url == URL
    assert note.subject == f"Changed: {loans()}"
    assert note.text == "Status: Not started → Planned\nProgress: 0% → 10%\n\nNote: Planned for the 2011 budget."


def test_each_follower_is_told_once_though_following_the_item_its_actor_and_its_theme(editor, viewer):
    item = loans()
    actor, theme = Actor.objects.get(name="Mexico"), Theme.objects.get(slug="gender")
    item.responsible_actors.add(actor)
    item.themes.add(theme)
    of_item, of_actor, of_theme = viewer, person("ana"), person("theo")
    for user, target in ((of_item, item), (of_item, actor), (of_item, theme), (of_actor, actor),
                         (of_theme, theme)):
        follows(user, target)
    bystander = follows(person("bea"), Actor.objects.get(name="Morocco"))

    item.record_update(by=editor, note="A note.")

    assert [len(told(user)) for user in (of_item, of_actor, of_theme, bystander)] == [1, 1, 1, 0]


def test_the_author_of_a_change_is_not_told_of_it(editor, reader):
    follows(editor, loans())
    loans().record_update(by=editor, note="Mine.")
    assert told(editor) == [] and len(told(reader)) == 1


def test_an_internal_note_and_the_owner_reach_only_who_may_read_them(editor, staff, reader, outsider):
    loans().record_update(by=editor, note="Internal: the minister resigned.", owner=staff)
    assert told(reader)[0].text == "Owner: sam-staff\n\nNote: Internal: the minister resigned."
    withheld = told(outsider)[0]
    assert withheld.text == "With an internal note, not shown here."
    assert "minister" not in withheld.text + withheld.subject and "sam-staff" not in withheld.text


def test_a_public_note_reaches_everyone_who_follows(editor, outsider):
    loans().record_update(by=editor, note="Published: the scheme opened.", public=True, status=Status.PLANNED)
    assert told(outsider)[0].text == "Status: Not started → Planned\n\nNote: Published: the scheme opened."


def test_a_deactivated_follower_is_told_nothing(editor, reader):
    get_user_model().objects.filter(pk=reader.pk).update(is_active=False)
    loans().record_update(by=editor, note="A note.")
    assert told(reader) == []


def test_each_entry_is_told_once(editor, reader):
    item = loans()
    entry = item.record_update(by=editor, note="First.")
    update = services.Update(item, "First.", {})
    following.notify_followers(Recommendation, [update], [entry], by=editor, at=entry.created_at)  # again
    assert len(told(reader)) == 1
    item.record_update(by=editor, note="Second.")
    assert len(told(reader)) == 2


def import_changes(editor, rows, progress):
    """Imports a new `progress` for `rows`; returns the queries it took."""
    data = changed(export(pk__in=[item.pk for item in rows]), progress=str(progress))
    with CaptureQueriesContext(connection) as captured:
        result = RecommendationResource().import_data(data, user=editor)
    assert not result.has_errors() and not result.has_validation_errors(), result.invalid_rows
    return len(captured)


def test_an_import_tells_followers_of_many_rows_in_a_bounded_number_of_queries(editor, viewer):
    theme = Theme.objects.get(slug="gender")
    every = list(Recommendation.objects.order_by("pk"))  # the report's 45
    for item in every:
        item.themes.add(theme)
    import_changes(editor, every[:3], 55)  # the first reads what later ones find cached (content types, permissions)
    unfollowed = import_changes(editor, every, 56)
    for item in every:
        follows(viewer, item)
    theo = follows(person("theo"), theme)

    followed = import_changes(editor, every, 57)

    # What telling 90 followers costs: the entries' ids, who may read internal notes, which items the public sees
    # (Theo may not read internal notes), the items' addresses, the followers' languages, the notifications (the
    # follows are looked up either way, and SQLite's 999 variables a statement write 76 notifications each: two
    # statements); not a query per row.
    assert followed - unfollowed <= 7, (unfollowed, followed)
    assert (len(told(viewer)), len(told(theo))) == (45, 45)
    texts = {note.text for note in told(viewer)}
    assert texts == {"Progress: 56% → 57%\n\nNote: Changed by spreadsheet import."}
    assert {note.url for note in told(theo)} == {item.get_absolute_url() for item in every}


def test_the_followers_of_a_batch_are_read_in_a_fixed_number_of_queries(editor, viewer, django_assert_max_num_queries):
    items = list(Recommendation.objects.order_by("pk"))
    for item in items:
        follows(viewer, item)
    updates = []
    for item in items:
        values = item.apply_update(by=editor, note="Reviewed.", changes={"progress": 42})
        updates.append(services.Update(item, "Reviewed.", values))
    services.record_updates(updates[:1], by=editor, fields=["progress"])  # content types, permissions cached
    with django_assert_max_num_queries(15):  # the write (7), the follows (3), entries, readers, items, languages, notes
        services.record_updates(updates[1:], by=editor, fields=["progress"])
    assert len(told(viewer)) == 45


def test_a_change_of_an_action_tells_its_followers_with_its_address(editor, reader):
    action = services.add_action(loans(), by=editor, title="Draft the law")
    follows(reader, action)
    action.record_update(by=editor, note="Drafted.", status=Status.IN_PROGRESS)
    [note] = [note for note in told(reader) if note.url == action.get_absolute_url()]
    assert note.url == URL + "actions/a1/"
    assert note.subject == "Changed: a1 Draft the law"
    assert note.text == "Status: Not started → In progress\n\nNote: Drafted."


def test_a_new_action_naming_a_followed_actor_tells_that_actors_followers(editor, viewer):
    mexico = Actor.objects.get(name="Mexico")
    of_mexico, of_morocco = follows(viewer, mexico), follows(person("bea"), Actor.objects.get(name="Morocco"))
    action = services.add_action(loans(), by=editor, title="Draft the law", responsible_actors=[mexico])
    [note] = told(of_mexico)
    assert (note.url, note.subject) == (URL + "actions/a1/", "Changed: a1 Draft the law")
    assert told(of_morocco) == [] and action.responsible_actors.get() == mexico


def unpublish(item):
    type(item).objects.filter(pk=item.pk).update(is_public=False)


def test_an_unpublished_item_is_none_of_the_business_of_who_may_not_read_internal_notes(editor, reader, outsider):
    unpublish(loans())
    loans().record_update(by=editor, note="Published note of a draft.", public=True, status=Status.PLANNED)
    assert told(outsider) == []  # the public reads nothing of it: not its title, not its status
    assert told(reader)[0].text == "Status: Not started → Planned\n\nNote: Published note of a draft."


def test_an_action_under_an_unpublished_item_is_told_to_readers_only(editor, viewer):
    action = services.add_action(loans(), by=editor, title="Draft the law")
    unpublish(loans())
    otto = follows(person("otto"), action)
    follows(viewer, action)
    action.record_update(by=editor, note="Drafted.", public=True, status=Status.IN_PROGRESS)
    assert told(otto) == []
    assert [note.subject for note in told(viewer)] == ["Changed: a1 Draft the law"]


def test_an_unpublished_item_of_a_followed_theme_is_not_told_to_who_may_not_read_it(editor, viewer):
    theme = Theme.objects.get(slug="gender")
    loans().themes.add(theme)
    unpublish(loans())
    otto, theo = follows(person("otto"), theme), follows(viewer, theme)
    loans().record_update(by=editor, note="A note.", public=True, progress=30)
    assert (len(told(otto)), len(told(theo))) == (0, 1)
