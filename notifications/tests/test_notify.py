"""Storing notifications: one per recipient and key, in few statements, and the in-app fields."""

from django.utils import timezone

from notifications.models import Kind, Notification
from notifications.services import Note, notify, notify_each

from .conftest import person


def test_it_stores_a_notification_pending_and_unread(olga):
    notify(Kind.DUE_SOON, [Note(olga, "due_soon:rec:7:30", "2.1/3 is due in 30 days", "Due on 9 April 2026.",
                                "/recommendations/2010/2.1/3/")])
    stored = Notification.objects.get()
    assert (stored.recipient, stored.kind, stored.subject, stored.text, stored.url, stored.email_state,
            stored.read_at, stored.sent_at, stored.message) == (
        olga, "due_soon", "2.1/3 is due in 30 days", "Due on 9 April 2026.", "/recommendations/2010/2.1/3/",
        "pending", None, None, None)


def test_notifying_twice_with_the_same_key_makes_one_notification(olga):
    note = Note(olga, "overdue:rec:7:2026-03-01", "Overdue", "First words.", "/a/")
    notify(Kind.OVERDUE, [note])
    notify(Kind.OVERDUE, [Note(olga, note.key, "Overdue again", "Second words.", "/a/")])
    assert list(Notification.objects.values_list("subject", "text")) == [("Overdue", "First words.")]


def test_the_same_key_for_another_recipient_is_another_notification(olga, pat):
    notify_each([olga, pat.pk], kind=Kind.ITEM_CHANGED, key="item_changed:entry:5", subject="2.1/3 changed",
                text="Its status is now In progress.", url="/a/")
    assert sorted(Notification.objects.values_list("recipient__username", "key")) == [
        ("olga", "item_changed:entry:5"), ("pat", "item_changed:entry:5")]


def test_thousands_are_written_in_a_few_statements(db, django_assert_max_num_queries):
    users = [person(f"user{n}") for n in range(3)]
    notes = (Note(users[n % 3], f"stale:rec:{n}", "No recent report", "…", "/a/") for n in range(2500))
    # 5,000 rows a statement on PostgreSQL (1); SQLite's limit of 999 variables a statement makes it 76 (33)
    with django_assert_max_num_queries(35):
        notify(Kind.STALE, notes)
    assert Notification.objects.count() == 2500


def test_the_ledger_says_which_reminders_are_new_and_keeps_each_once(olga, pat):
    from notifications.models import Reminder
    from notifications.services import new_reminders

    now = timezone.now()
    first = list(new_reminders(((olga.pk, f"overdue:rec:{n}:2026-03-01", n) for n in range(600)), now))
    # 1,200 candidates (more than a batch of either database), half of them olga's 600 already told, one twice
    candidates = [(user.pk, f"overdue:rec:{n}:2026-03-01", n) for n in range(600) for user in (olga, pat)]
    second = list(new_reminders([*candidates, (pat.pk, "overdue:rec:0:2026-03-01", "again")], now))
    assert len(first) == 600
    assert second == [(pat.pk, f"overdue:rec:{n}:2026-03-01", n) for n in range(600)]
    assert (Reminder.objects.filter(recipient=olga).count(), Reminder.objects.filter(recipient=pat).count()) == (
        600, 600)
    assert list(new_reminders(candidates, now)) == []
