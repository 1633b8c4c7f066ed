"""When sending fails: nothing unsent is marked sent, the error is reported, the next run sends the rest, and a
crash midway sends nothing twice."""

import pytest
from django.core.mail import get_connection

from notifications.mail import send_due
from notifications.models import SentMessage

from .conftest import TUESDAY, html, overdue, person, plain, states, tell


@pytest.fixture
def three(db):
    """Three recipients, sent to in this order (by id), one notification each."""
    users = [person(name) for name in ("anna", "bert", "cleo")]
    for user in users:
        overdue(user)
    return users


def all_states(users):
    return [states(user)["overdue:1"] for user in users]


class FailingOn:
    """A connection to the test server whose `nth` message fails with `error` (after `before_failing()`)."""

    def __init__(self, nth, error, before_failing=lambda: None):
        self.connection, self.nth, self.error, self.before_failing, self.count = get_connection(), nth, error, \
            before_failing, 0

    def open(self):
        return self.connection.open()

    def close(self):
        return self.connection.close()

    def send_messages(self, messages):
        self.count += 1
        if self.count == self.nth:
            self.before_failing()
            if self.error:
                raise self.error
        return self.connection.send_messages(messages)


def test_with_the_server_down_nothing_is_marked_sent_and_the_next_run_sends_it(smtp_server, three):
    smtp_server.stop()
    outcome = send_due(now=TUESDAY)
    assert outcome.sent == [] and len(outcome.errors) == 1
    assert outcome.errors[0].startswith("The mail server could not be reached or was lost (ConnectionRefusedError(")
    assert all_states(three) == ["pending"] * 3 and SentMessage.objects.count() == 0
    smtp_server.start()
    assert [address for address, _ in send_due(now=TUESDAY).sent] == [
        "anna@example.org", "bert@example.org", "cleo@example.org"]
    assert all_states(three) == ["sent"] * 3 and len(smtp_server.messages) == 3


def test_the_server_stopping_mid_run_stops_the_run_and_keeps_the_rest_pending(smtp_server, three):
    # The server goes down after the first message, while the run holds its connection.
    outcome = send_due(now=TUESDAY, connection=FailingOn(2, None, before_failing=smtp_server.stop))
    assert outcome.sent == [("anna@example.org", 1)]
    assert len(outcome.errors) == 1 and "could not be reached or was lost" in outcome.errors[0]
    assert all_states(three) == ["sent", "pending", "pending"]
    assert SentMessage.objects.get().recipient == three[0]
    smtp_server.start()
    assert [address for address, _ in send_due(now=TUESDAY).sent] == ["bert@example.org", "cleo@example.org"]
    assert all_states(three) == ["sent"] * 3
    assert sorted(mail["To"] for mail in smtp_server.messages) == [
        "Anna Example <anna@example.org>", "Bert Example <bert@example.org>", "Cleo Example <cleo@example.org>"]


def test_a_crash_midway_keeps_the_first_message_sent_and_the_rest_pending(smtp_server, three):
    with pytest.raises(RuntimeError, match="the process died"):
        send_due(now=TUESDAY, connection=FailingOn(2, RuntimeError("the process died")))
    assert all_states(three) == ["sent", "pending", "pending"]
    assert [mail["To"] for mail in smtp_server.messages] == ["Anna Example <anna@example.org>"]
    send_due(now=TUESDAY)
    assert all_states(three) == ["sent"] * 3
    assert [mail["To"] for mail in smtp_server.messages] == [
        "Anna Example <anna@example.org>", "Bert Example <bert@example.org>", "Cleo Example <cleo@example.org>"]
    assert SentMessage.objects.count() == 3


def test_an_address_the_server_refuses_is_reported_and_the_others_are_sent(smtp_server, three):
    smtp_server.refuse.add("bert@example.org")
    outcome = send_due(now=TUESDAY)
    assert [address for address, _ in outcome.sent] == ["anna@example.org", "cleo@example.org"]
    assert len(outcome.errors) == 1 and outcome.errors[0].startswith("Not sent to bert@example.org: ")
    assert "550" in outcome.errors[0]
    assert all_states(three) == ["sent", "pending", "sent"]


def test_one_connection_carries_every_message_of_a_run(smtp_server, three, monkeypatch):
    from django.core.mail.backends.smtp import EmailBackend

    opened = []
    real_open = EmailBackend.open
    monkeypatch.setattr(EmailBackend, "open", lambda self: opened.append(real_open(self)) or opened[-1])
    send_due(now=TUESDAY)
    assert opened.count(True) == 1 and len(smtp_server.messages) == 3


def test_a_run_with_nothing_due_never_connects(smtp_server, db):
    smtp_server.stop()
    assert send_due(now=TUESDAY).errors == []


@pytest.mark.postgresql
def test_a_run_passes_by_a_recipient_another_run_is_sending_to(smtp_server, transactional_db):
    """Two runs at once never send the same notification: a run sending to a person holds their row, and the
    other passes them by, then sends to them at its next run (SQLite has one writer at a time, no row locks)."""
    import threading

    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    olga, pat = person("olga"), person("pat")
    overdue(olga)
    overdue(pat)
    holding, done = threading.Event(), threading.Event()

    def another_run_sending_to_olga():
        with transaction.atomic():
            get_user_model().objects.select_for_update().get(pk=olga.pk)
            holding.set()
            done.wait(10)
        connection.close()

    other = threading.Thread(target=another_run_sending_to_olga)
    other.start()
    holding.wait(10)
    try:
        assert send_due(now=TUESDAY).sent == [("pat@example.org", 1)]
    finally:
        done.set()
        other.join()
    assert states(olga) == {"overdue:1": "pending"}
    assert send_due(now=TUESDAY).sent == [("olga@example.org", 1)]


def test_a_backlog_too_large_for_one_mail_is_not_refused_run_after_run(smtp_server, olga):
    """A follower of a theme after imports of thousands of rows: their one message a run must stay small enough for
    the server (here 1 MB), or it is refused at every run and nothing reaches them again. The mail lists 50 of a
    kind and counts the others, which are in the app; nothing is left pending to be refused again."""
    from aiosmtpd.controller import Controller

    from notifications.models import Kind, Notification

    smtp_server.stop()
    smtp_server.controller = Controller(smtp_server, hostname="127.0.0.1", port=smtp_server.port,
                                        data_size_limit=1_000_000)
    smtp_server.controller.start()
    Notification.objects.bulk_create([
        Notification(recipient=olga, kind=Kind.ITEM_CHANGED, key=f"item_changed:{number}",
                     subject=f"Changed: 2.1/{number} Low-cost loans for migrants and their families",
                     text="Status: Not started → Planned\nProgress: 0% → 10%\n\nNote: Changed by spreadsheet import.",
                     url="/recommendations/2010/2.1/3/") for number in range(3000)])

    outcome = send_due(now=TUESDAY)

    assert outcome.errors == [] and outcome.sent == [("olga@example.org", 3000)]
    [mail] = smtp_server.messages
    text = plain(mail)
    assert "The GFMD Tracker has 3000 notifications for you." in text
    assert "== A followed item changed (3000) ==" in text
    assert text.count("* Changed: 2.1/") == 50
    assert "2950 more of this kind are on your notifications page: http://127.0.0.1:8000/notifications/" in text
    assert "2950 more of this kind are on" in html(mail)
    assert set(states(olga).values()) == {"sent"}
    assert send_due(now=TUESDAY).sent == []


def test_each_kind_lists_its_own_first_50_so_none_is_buried(smtp_server, olga):
    from notifications.models import Kind

    for number in range(120):
        tell(olga, Kind.STALE, f"stale:{number}", subject=f"No report: item {number}")
    for number in range(3):
        tell(olga, Kind.OVERDUE, f"overdue:{number}", subject=f"Overdue: item {number}")

    send_due(now=TUESDAY)

    text = plain(smtp_server.messages[0])
    assert "== Overdue (3) ==" in text and "== No recent report (120) ==" in text
    assert [line for line in text.splitlines() if line.startswith("* Overdue: ")] == [
        "* Overdue: item 0", "* Overdue: item 1", "* Overdue: item 2"]
    assert "* No report: item 49\n" in text and "* No report: item 50\n" not in text
    assert "70 more of this kind are on your notifications page" in text
    assert "more of this kind" not in text.split("== No recent report")[0]  # all three overdue are listed


def test_a_digest_lists_50_items_of_a_kind_across_its_reminders(smtp_server, olga):
    """A weekly digest of two runs' reminders of 40 items each: the kind's 80 items counted, its first 50 listed
    (the older reminder's 40, then 10 of the newer), the same cap as any other kind."""
    from notifications.models import Kind, Preference
    from notifications.services import Note, notify

    Preference.objects.choose(olga, Kind.OVERDUE, "weekly")
    for run in (1, 2):
        items = tuple({"subject": f"Overdue: run {run} item {n}", "text": "It was due.", "url": f"/projects/{n}/"}
                      for n in range(40))
        notify(Kind.OVERDUE, [Note(olga, f"overdue:run:{run}", "Overdue: 40 of your items", "…", "/my-items/",
                                   items, 40)])

    assert send_due(now=TUESDAY).sent == [("olga@example.org", 2)]

    text = plain(smtp_server.messages[0])
    assert "The GFMD Tracker has 80 notifications for you." in text and "== Overdue (80) ==" in text
    assert [line for line in text.splitlines() if line.startswith("* ")] == [
        *(f"* Overdue: run 1 item {n}" for n in range(40)), *(f"* Overdue: run 2 item {n}" for n in range(10))]
    assert "30 more of this kind are on your notifications page" in text
    assert "http://127.0.0.1:8000/projects/39/" in text


def test_a_message_reads_only_the_notifications_it_lists(olga):
    """A backlog of 3,000 is counted from (id, kind, items) rows; only the notifications holding a kind's first 50
    entries are read whole (a reminder of 30 items holds 30)."""
    from notifications.mail import listed
    from notifications.models import Kind, Notification

    for number in range(120):
        tell(olga, Kind.ITEM_CHANGED, f"item_changed:{number}")
    tell(olga, Kind.OVERDUE, "overdue:many")
    Notification.objects.filter(key="overdue:many").update(item_count=30)
    for number in range(3):
        tell(olga, Kind.OVERDUE, f"overdue:{number}")
    rows = list(Notification.objects.order_by("created_at", "pk").values_list("pk", "kind", "item_count"))

    chosen = listed(rows)

    assert [n.key for n in chosen if n.kind == Kind.ITEM_CHANGED] == [f"item_changed:{n}" for n in range(50)]
    assert [n.key for n in chosen if n.kind == Kind.OVERDUE] == ["overdue:many", "overdue:0", "overdue:1",
                                                                 "overdue:2"]
