"""The notifications page (yours only, newest first, unread marked, Mark all read) and the preferences page."""

import re

from django.utils import timezone

from notifications.models import Kind, Notification, Preference
from notifications.services import Note, notify

from .conftest import overdue, tell

LIST = "/notifications/"
PREFERENCES = "/notifications/preferences/"


def subjects(body):
    return re.findall(r'<a href="[^"]*">(Subject of [^<]*)</a>', body)


def test_it_lists_your_notifications_newest_first_with_their_links(client, olga):
    tell(olga, Kind.OVERDUE, "overdue:1", url="/recommendations/2010/2.1/3/")
    tell(olga, Kind.STALE, "stale:1", text="Last report:\nlong ago.")
    client.force_login(olga)
    body = client.get(LIST).content.decode()
    assert subjects(body) == ["Subject of stale:1", "Subject of overdue:1"]
    assert '<a href="/recommendations/2010/2.1/3/">Subject of overdue:1</a>' in body
    assert '<div class="text">Last report:<br>long ago.</div>' in body


def test_it_never_shows_another_users_notifications(client, olga, pat):
    overdue(olga, "overdue:olga")
    overdue(pat, "overdue:pat")
    client.force_login(olga)
    assert subjects(client.get(LIST).content.decode()) == ["Subject of overdue:olga"]


def test_unread_notifications_are_marked(client, olga):
    overdue(olga, "overdue:1")
    overdue(olga, "overdue:2")
    Notification.objects.filter(key="overdue:1").update(read_at=timezone.now())
    client.force_login(olga)
    body = client.get(LIST).content.decode()
    assert body.count('<li class="notification unread">') == 1
    assert body.count('<li class="notification">') == 1
    assert ('<span class="badge overdue">New</span> <a href="/recommendations/2010/2.1/3/">Subject of overdue:2</a>'
            in body)


def test_mark_all_read_marks_only_yours(client, olga, pat):
    overdue(olga)
    overdue(pat)
    client.force_login(olga)
    response = client.post("/notifications/read/", follow=True)
    assert "Marked 1 notification read." in response.content.decode()
    assert list(Notification.objects.filter(read_at__isnull=True).values_list("recipient", flat=True)) == [pat.pk]


def test_mark_all_read_is_post_only(client, olga):
    overdue(olga)
    client.force_login(olga)
    assert client.get("/notifications/read/").status_code == 405
    assert Notification.objects.unread().count() == 1


def test_the_list_is_paged(client, olga):
    for n in range(55):
        overdue(olga, f"overdue:{n:02}")
    client.force_login(olga)
    first, second = client.get(LIST).content.decode(), client.get(LIST + "?page=2").content.decode()
    assert (len(subjects(first)), len(subjects(second))) == (50, 5)
    assert "Page 1 of 2" in first and '<a href="?page=2">Older</a>' in first


def test_the_pages_need_a_signed_in_user(client, db):
    for url in (LIST, PREFERENCES):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_preferences_page_shows_the_defaults(client, olga):
    client.force_login(olga)
    body = client.get(PREFERENCES).content.decode()
    assert '<option value="daily" selected>In a daily digest</option>' in body  # a followed item changed
    assert body.count('<option value="immediately" selected>') == 4  # the reminders
    assert '<option value="weekly" selected>In a weekly digest</option>' in body  # the Steering Group's report


def test_saving_preferences_keeps_only_the_choices_that_differ_from_the_defaults(client, olga):
    client.force_login(olga)
    choices = {"item_changed": "immediately", "due_soon": "none", "overdue": "immediately", "stale": "weekly",
               "escalation": "immediately", "weekly_digest": "weekly"}
    response = client.post(PREFERENCES, choices, follow=True)
    assert "Your e-mail preferences are saved." in response.content.decode()
    assert dict(Preference.objects.filter(user=olga).values_list("kind", "delivery")) == {
        "item_changed": "immediately", "due_soon": "none", "stale": "weekly"}
    client.post(PREFERENCES, {**choices, "due_soon": "immediately"})
    assert dict(Preference.objects.filter(user=olga).values_list("kind", "delivery")) == {
        "item_changed": "immediately", "stale": "weekly"}


def test_a_choice_that_does_not_exist_is_refused_and_nothing_is_saved(client, olga):
    client.force_login(olga)
    response = client.post(PREFERENCES, {"item_changed": "hourly", "due_soon": "none", "overdue": "immediately",
                                         "stale": "immediately", "escalation": "immediately",
                                         "weekly_digest": "weekly"})
    assert response.status_code == 200
    assert "Select a valid choice. hourly is not one of the available choices." in response.content.decode()
    assert Preference.objects.count() == 0


def reminder(user, count, listed):
    """A reminder of `count` items listing the first `listed`, as reminders.make_reminders makes it."""
    items = tuple({"subject": f"Overdue: item {n}", "text": f"Item {n} was due.", "url": f"/projects/{n}/"}
                  for n in range(listed))
    notify(Kind.OVERDUE, [Note(user, f"overdue:run:{count}", f"Overdue: {count} of your items",
                               f"{count} of your items are overdue.", "/my-items/", items, count)])


def test_a_reminder_lists_its_items_each_a_link_and_counts_the_others(client, olga):
    reminder(olga, 60, 3)
    client.force_login(olga)
    body = client.get(LIST).content.decode()
    assert '<a href="/my-items/">Overdue: 60 of your items</a>' in body
    assert re.findall(r'<li><a href="([^"]*)">([^<]*)</a><div class="text">([^<]*)</div></li>', body) == [
        ("/projects/0/", "Overdue: item 0", "Item 0 was due."), ("/projects/1/", "Overdue: item 1", "Item 1 was due."),
        ("/projects/2/", "Overdue: item 2", "Item 2 was due.")]
    assert '<p class="more">57 more: <a href="/my-items/">the whole list</a></p>' in body


def test_a_reminder_of_one_item_is_not_listed_again(client, olga):
    reminder(olga, 1, 1)
    client.force_login(olga)
    body = client.get(LIST).content.decode()
    assert '<ul class="items">' not in body and 'class="more"' not in body
