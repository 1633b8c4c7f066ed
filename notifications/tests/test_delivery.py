"""Sending what is due through a real SMTP server: one message per recipient, both parts, the headers,
and each recipient's preference."""

from datetime import timedelta

from notifications.mail import send_due
from notifications.models import Kind, Notification, Preference, SentMessage

from .conftest import TUESDAY, header, html, overdue, person, plain, states, tell

UNSUBSCRIBE = "http://tracker.example.org/notifications/unsubscribe/"


def test_a_digest_groups_many_notifications_into_one_mail_with_both_parts(smtp_server, olga, settings):
    settings.SITE_URL = "http://tracker.example.org"
    for n in range(1, 4):
        tell(olga, Kind.OVERDUE, f"overdue:{n}", subject=f"Item {n} is overdue", text=f"Item {n} was due.",
             url=f"/items/{n}/")
    tell(olga, Kind.STALE, "stale:9", subject="Item 9 has no recent report", text="Last report: 2025.")
    outcome = send_due(now=TUESDAY)
    assert outcome.sent == [("olga@example.org", 4)] and outcome.errors == []
    [mail] = smtp_server.messages
    assert (mail["To"], mail["From"], mail["Subject"]) == (
        "Olga Example <olga@example.org>", "GFMD Tracker <noreply@localhost>", "4 notifications from the GFMD Tracker")
    text, markup = plain(mail), html(mail)
    for n in range(1, 4):
        assert f"* Item {n} is overdue\nItem {n} was due.\nhttp://tracker.example.org/items/{n}/\n" in text
        assert f'<a href="http://tracker.example.org/items/{n}/">Item {n} is overdue</a><br>Item {n} was due.' in markup
    assert "== Overdue (3) ==" in text and "== No recent report (1) ==" in text
    assert "\n-- \nGFMD Tracker: http://tracker.example.org/\n" in text
    assert '<a href="http://tracker.example.org/" style="color: #1f2937;">GFMD Tracker</a>' in markup


def test_every_message_has_one_click_unsubscribe_headers_and_the_same_link_in_its_body(smtp_server, olga, settings):
    settings.SITE_URL = "http://tracker.example.org"
    overdue(olga)
    tell(olga, Kind.STALE, "stale:1")
    send_due(now=TUESDAY)
    [mail] = smtp_server.messages
    link = header(mail, "List-Unsubscribe")
    assert link.startswith("<" + UNSUBSCRIBE) and link.endswith("/>")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert f"Stop e-mails of the kinds in this message: {link[1:-1]}\n" in plain(mail)
    assert f'<a href="{link[1:-1]}">Stop e-mails of the kinds in this message</a>' in html(mail)


def test_it_records_what_it_sent_and_marks_the_notifications_sent(smtp_server, olga):
    overdue(olga, "overdue:1")
    overdue(olga, "overdue:2")
    send_due(now=TUESDAY)
    record = SentMessage.objects.get()
    [mail] = smtp_server.messages
    assert (record.recipient, record.subject, record.sent_at, record.notification_count, record.message_id) == (
        olga, "2 notifications from the GFMD Tracker", TUESDAY, 2, mail["Message-ID"])
    assert list(Notification.objects.values_list("email_state", "sent_at", "message")) == [
        ("sent", TUESDAY, record.pk)] * 2


def test_each_recipient_gets_one_message_of_their_own(smtp_server, olga, pat):
    overdue(olga, "overdue:olga")
    tell(pat, Kind.DUE_SOON, "due_soon:pat", subject="Pat's item is due soon")
    send_due(now=TUESDAY)
    received = sorted((mail["To"], mail["Subject"]) for mail in smtp_server.messages)
    assert received == [("Olga Example <olga@example.org>", "Subject of overdue:olga"),
                        ("Pat Example <pat@example.org>", "Pat's item is due soon")]


def test_sending_twice_sends_nothing_the_second_time(smtp_server, olga):
    overdue(olga)
    send_due(now=TUESDAY)
    assert send_due(now=TUESDAY + timedelta(minutes=10)).sent == []
    assert len(smtp_server.messages) == 1


def test_no_email_chosen_keeps_the_notification_in_the_app_only(smtp_server, olga):
    Preference.objects.create(user=olga, kind=Kind.OVERDUE, delivery="none")
    overdue(olga)
    tell(olga, Kind.STALE, "stale:1")
    outcome = send_due(now=TUESDAY)
    assert states(olga) == {"overdue:1": "not_sent", "stale:1": "sent"}
    assert outcome.held_back == 1
    assert [mail["Subject"] for mail in smtp_server.messages] == ["Subject of stale:1"]


def test_a_recipient_without_an_address_is_not_sent_anything(smtp_server, db):
    nobody = person("nobody", email="")
    overdue(nobody)
    assert send_due(now=TUESDAY).errors == []
    assert states(nobody) == {"overdue:1": "not_sent"} and smtp_server.messages == []


def test_an_inactive_recipient_is_not_sent_anything(smtp_server, olga):
    olga.is_active = False
    olga.save()
    overdue(olga)
    send_due(now=TUESDAY)
    assert states(olga) == {"overdue:1": "not_sent"} and smtp_server.messages == []


def test_a_daily_digest_goes_at_most_once_a_day(smtp_server, olga):
    tell(olga, Kind.ITEM_CHANGED, "changed:1")  # a daily digest by default
    send_due(now=TUESDAY)
    tell(olga, Kind.ITEM_CHANGED, "changed:2")
    send_due(now=TUESDAY + timedelta(hours=15))  # 23:00, the same day
    assert states(olga) == {"changed:1": "sent", "changed:2": "pending"}
    send_due(now=TUESDAY + timedelta(hours=16))  # midnight: a new day
    assert states(olga) == {"changed:1": "sent", "changed:2": "sent"}
    assert [mail["Subject"] for mail in smtp_server.messages] == ["Subject of changed:1", "Subject of changed:2"]


def test_an_immediate_notification_does_not_use_up_the_daily_digest(smtp_server, olga):
    overdue(olga)
    send_due(now=TUESDAY)
    tell(olga, Kind.ITEM_CHANGED, "changed:1")
    send_due(now=TUESDAY + timedelta(hours=1))
    assert states(olga) == {"overdue:1": "sent", "changed:1": "sent"}


def test_a_digest_due_goes_with_an_immediate_one_in_one_message(smtp_server, olga):
    tell(olga, Kind.ITEM_CHANGED, "changed:1")
    overdue(olga)
    send_due(now=TUESDAY)
    assert [mail["Subject"] for mail in smtp_server.messages] == ["2 notifications from the GFMD Tracker"]
    assert SentMessage.objects.get().daily_digest is True


def test_a_weekly_digest_goes_at_most_once_a_week(smtp_server, olga):
    Preference.objects.create(user=olga, kind=Kind.ITEM_CHANGED, delivery="weekly")
    tell(olga, Kind.ITEM_CHANGED, "changed:1")
    send_due(now=TUESDAY)
    tell(olga, Kind.ITEM_CHANGED, "changed:2")
    send_due(now=TUESDAY + timedelta(days=5))  # Sunday
    assert states(olga) == {"changed:1": "sent", "changed:2": "pending"}
    send_due(now=TUESDAY + timedelta(days=6))  # Monday: a new week
    assert states(olga) == {"changed:1": "sent", "changed:2": "sent"}


def test_a_digest_chosen_for_reminders_waits_for_its_day(smtp_server, olga):
    Preference.objects.create(user=olga, kind=Kind.OVERDUE, delivery="daily")
    tell(olga, Kind.ITEM_CHANGED, "changed:1")
    send_due(now=TUESDAY)
    overdue(olga)
    send_due(now=TUESDAY + timedelta(hours=1))
    assert states(olga) == {"changed:1": "sent", "overdue:1": "pending"}


def test_an_address_in_a_notifications_text_is_a_link_in_the_html_part(smtp_server, olga):
    # The weekly report's sections name their pages by address: a reader clicks them (and no markup gets in).
    tell(olga, Kind.WEEKLY_DIGEST, "weekly:2026-W24", subject="Weekly report",
         text="Overdue: 3, see http://tracker.example.org/recommendations/?overdue=true <b>now</b>")
    send_due(now=TUESDAY + timedelta(days=6))
    [mail] = smtp_server.messages
    assert ('<a href="http://tracker.example.org/recommendations/?overdue=true" rel="nofollow">'
            "http://tracker.example.org/recommendations/?overdue=true</a> &lt;b&gt;now&lt;/b&gt;") in html(mail)
