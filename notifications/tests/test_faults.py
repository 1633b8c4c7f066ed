"""When sending fails: nothing unsent is marked sent, the error is reported, the next run sends the rest, and a
crash midway sends nothing twice."""

import pytest
from django.core.mail import get_connection

from notifications.mail import send_due
from notifications.models import SentMessage

from .conftest import TUESDAY, overdue, person, states


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
def test_a_run_skips_the_notifications_another_run_holds(smtp_server, olga):
    """Two runs at once never send the same notification: each locks what it sends, skipping what the other
    holds (SQLite has one writer at a time, and no row locks)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    overdue(olga)
    with CaptureQueriesContext(connection) as queries:
        send_due(now=TUESDAY)
    locking = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert len(locking) == 1 and locking[0].endswith("FOR UPDATE SKIP LOCKED")
