"""`manage.py send_reminders` through a real SMTP server: one message per person grouping their reminders,
idempotent, preferences honoured, the server down or a crash midway (nothing sent twice, nothing lost)."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from notifications import mail, reminders
from notifications.models import DigestRecipient, EmailState, Kind, Notification, Preference, Reminder, SentMessage

from .conftest import plain
from .people import arrange, member, recommendation

pytestmark = pytest.mark.usefixtures("no_seeded_due_dates")


def day(offset):
    return timezone.localdate() + datetime.timedelta(days=offset)


def run():
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    return out.getvalue()


def addressed(server):
    return sorted(message["To"].addresses[0].addr_spec for message in server.messages)


@pytest.fixture
def sam(db):
    return member("sam", "staff")


@pytest.fixture
def eda(db):
    return member("eda", "editor")


def test_each_person_gets_one_message_grouping_their_items(smtp_server, sam, eda):
    arrange(recommendation(1), owner=sam, due_date=day(5))
    arrange(recommendation(2), owner=sam, due_date=day(20))
    arrange(recommendation(3), owner=sam, due_date=day(-40))
    output = run()
    assert output == ("Made 1 notification: Due soon (2 items)\n"
                      "Made 1 notification: Overdue\n"
                      "Made 1 notification: Overdue, escalated to editors\n"
                      "3 notification(s) made.\n"
                      "Sent 2 notifications to sam@example.org\n"
                      "Sent 1 notification to eda@example.org\n"
                      "2 message(s) sent; 0 notification(s) kept in the app only (no address, or no e-mail of that "
                      "kind).\n")
    assert addressed(smtp_server) == ["eda@example.org", "sam@example.org"]
    to_sam = next(m for m in smtp_server.messages if m["To"].addresses[0].username == "sam")
    assert to_sam["Subject"] == "3 notifications from the GFMD Tracker"  # what it lists: the three items
    text = plain(to_sam)
    assert "The GFMD Tracker has 3 notifications for you." in text
    assert "== Due soon (2) ==" in text and "== Overdue (1) ==" in text and "more of this kind" not in text
    # the due-soon notification's two items, each with its words and its link
    assert [line for line in text.splitlines() if line.startswith(("* ", "http"))][:4] == [
        "* Due in 5 days: Recommendation 2010/1.1/1: Interactive map and databases on migration flows",
        "http://127.0.0.1:8000/recommendations/2010/1.1/1/",
        "* Due in 20 days: Recommendation 2010/1.1/2: Enforce relevant international conventions",
        "http://127.0.0.1:8000/recommendations/2010/1.1/2/"]
    assert "http://127.0.0.1:8000/recommendations/2010/1.1/3/" in text
    assert ('<a href="http://127.0.0.1:8000/recommendations/2010/1.1/2/">Due in 20 days: Recommendation 2010/1.1/2: '
            'Enforce relevant international conventions</a>') in to_sam.get_body(("html",)).get_content()


def test_a_second_run_makes_and_sends_nothing(smtp_server, sam, eda):
    arrange(recommendation(1), owner=sam, due_date=day(-40))
    run()
    assert run() == ("0 notification(s) made.\n"
                     "0 message(s) sent; 0 notification(s) kept in the app only (no address, or no e-mail of that "
                     "kind).\n")
    assert len(smtp_server.messages) == 2


def test_a_kind_with_no_e_mail_stays_in_the_app(smtp_server, sam):
    Preference.objects.choose(sam, Kind.DUE_SOON, "none")
    arrange(recommendation(1), owner=sam, due_date=day(5))
    arrange(recommendation(2), owner=sam, due_date=day(-5))
    run()
    assert dict(sam.notifications.values_list("kind", "email_state")) == {"due_soon": "not_sent", "overdue": "sent"}
    [message] = smtp_server.messages
    assert message["Subject"] == "Overdue: Recommendation 2010/1.1/2: Enforce relevant international conventions"


def test_when_the_server_is_down_nothing_is_marked_sent_and_the_next_run_sends(smtp_server, sam):
    arrange(recommendation(1), owner=sam, due_date=day(-5))
    smtp_server.stop()
    with pytest.raises(CommandError, match=r"^The mail server could not be reached"):
        run()
    assert list(Notification.objects.values_list("email_state", flat=True)) == [EmailState.PENDING]
    smtp_server.start()
    assert "Sent 1 notification to sam@example.org" in run()
    assert addressed(smtp_server) == ["sam@example.org"]


def test_the_server_lost_mid_run_sends_the_rest_next_time(smtp_server, sam, monkeypatch):
    pat = member("pat", "staff")
    arrange(recommendation(1), owner=sam, due_date=day(-5))
    arrange(recommendation(2), owner=pat, due_date=day(-5))
    send = mail.Connection.send

    def send_then_stop(connection, message):
        send(connection, message)
        smtp_server.stop()  # after the first message (sam's: in the order of the users)

    monkeypatch.setattr(mail.Connection, "send", send_then_stop)
    with pytest.raises(CommandError):
        run()
    assert addressed(smtp_server) == ["sam@example.org"]
    monkeypatch.undo()
    smtp_server.start()
    run()
    assert addressed(smtp_server) == ["pat@example.org", "sam@example.org"]


def test_a_crash_while_sending_sends_nothing_twice(smtp_server, sam, eda, monkeypatch):
    arrange(recommendation(1), owner=sam, due_date=day(-40))
    compose = mail.compose

    def crash_at_eda(user, *listed_and_counted):  # the second recipient
        if user.username == "eda":
            raise RuntimeError("killed")
        return compose(user, *listed_and_counted)

    monkeypatch.setattr(mail, "compose", crash_at_eda)
    with pytest.raises(RuntimeError):
        run()
    assert addressed(smtp_server) == ["sam@example.org"]
    monkeypatch.undo()
    run()
    assert addressed(smtp_server) == ["eda@example.org", "sam@example.org"]
    assert SentMessage.objects.count() == 2


def test_a_crash_while_making_loses_nothing_and_sends_nothing_twice(smtp_server, sam, eda, monkeypatch):
    arrange(recommendation(1), owner=sam, due_date=day(-40))
    arrange(recommendation(2), owner=sam, due_date=day(3))
    overdue_words = reminders.overdue_words

    def crash(row, today):
        raise RuntimeError("killed")

    monkeypatch.setattr(reminders, "overdue_words", crash)  # after the due-soon reminders, before the overdue
    with pytest.raises(RuntimeError):
        run()
    # the run is one transaction: neither the due-soon item's notification nor its ledger row was kept
    assert (Notification.objects.count(), Reminder.objects.count(), len(smtp_server.messages)) == (0, 0, 0)
    monkeypatch.setattr(reminders, "overdue_words", overdue_words)
    run()
    run()
    assert sorted(Notification.objects.values_list("kind", "email_state")) == [
        ("due_soon", "sent"), ("escalation", "sent"), ("overdue", "sent")]
    assert addressed(smtp_server) == ["eda@example.org", "sam@example.org"]


def test_the_weekly_report_goes_to_its_recipients_once_a_week(smtp_server, eda):
    viewer = member("vic", "viewer")
    roleless, gone = member("rolf", None), member("gone", "viewer")
    for user in (viewer, roleless, gone):
        DigestRecipient.objects.create(user=user, added_by=eda)
    gone.is_active = False
    gone.save()
    output = run()
    assert "Made 4 notifications: Weekly report for the Steering Group\n" in output
    assert addressed(smtp_server) == ["vic@example.org"]
    [message] = smtp_server.messages
    assert "== Weekly report for the Steering Group (4) ==" in plain(message)
    run()
    assert len(smtp_server.messages) == 1


def test_no_message_reveals_an_internal_note(smtp_server, sam, eda):
    DigestRecipient.objects.create(user=member("vic", "viewer"))
    item = arrange(recommendation(1), owner=sam)
    item.record_update(by=eda, note="INTERNAL-MARKER 1", due_date=day(-40))
    item.record_update(by=eda, note="INTERNAL-MARKER 2", due_date=day(-35), due_date_reason="INTERNAL-MARKER 3")
    item.record_update(by=sam, note="INTERNAL-MARKER 4", status="stalled")
    run()
    assert addressed(smtp_server) == ["eda@example.org", "sam@example.org", "vic@example.org"]
    for message in smtp_server.messages:
        for part in message.walk():
            if part.get_content_type() in ("text/plain", "text/html"):
                assert "INTERNAL-MARKER" not in part.get_content()


def test_a_person_with_many_items_gets_50_listed_and_the_rest_counted(smtp_server, sam):
    from partnerships.models import Project

    Project.objects.bulk_create([
        Project(title=f"P{n:03}", description="A test project.", owner=sam, status="in_progress", due_date=day(-2),
                last_update_at=timezone.now(), last_report_at=timezone.now()) for n in range(70)])
    assert "Made 1 notification: Overdue (70 items)\n" in run()
    [message] = smtp_server.messages
    text = plain(message)
    assert message["Subject"] == "70 notifications from the GFMD Tracker"
    assert "== Overdue (70) ==" in text
    assert [line for line in text.splitlines() if line.startswith("* ")] == [
        f"* Overdue: Project: P{n:03}" for n in range(50)]
    assert "20 more of this kind are on your notifications page: http://127.0.0.1:8000/notifications/" in text
    [note] = sam.notifications.all()
    assert (note.email_state, note.item_count, len(note.items)) == ("sent", 70, 50)
