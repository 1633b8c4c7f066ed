"""Sending what is due: `send_due` (and `manage.py send_notifications`, which later jobs such as send_reminders
call after making their notifications).

Each recipient gets at most ONE message a run, grouping every pending notification that is due by their
preference: "immediately" ones at every run; "daily" ones if no daily digest went to them yet today, "weekly"
ones if none went yet this week (Monday to Sunday), in the site's time zone. So the first run of a day (or week)
sends that day's (week's) digest; run it as often as "immediately" should mean.

Exactly once: per message, in one transaction, the recipient is locked (skipped if another run holds them), the
message is sent, its SentMessage written and the notifications marked sent. If sending
raises, the transaction rolls back: nothing is marked sent, and the next run sends them. A crash after the
server accepted a message and before the commit can repeat that one message, no other; nothing is lost.
Call it outside any transaction (a management command, not a request), or each message commits only with it.
"""

import logging
import smtplib
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .compose import LISTED, compose
from .models import Delivery, EmailState, Notification, Preference, SentMessage

log = logging.getLogger(__name__)
BATCH = 200  # recipients whose preferences and last digests are read at once


class NotDelivered(Exception):
    """The backend sent nothing and said nothing (e.g. a backend set to fail silently)."""


class Unreachable(Exception):
    """The mail server could not be connected to, or refused the connection (TLS, login)."""

# A message refused (its address, its size…): the next one may pass. Any other OSError means the connection is
# gone (SMTPServerDisconnected, a reset or a timeout): the run stops.
REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError, NotDelivered,
           ValueError)


@dataclass
class Outcome:
    """What a run did: (address, number of notifications) per message sent, the errors, and how many
    notifications no e-mail will carry (no address, or no e-mail of that kind)."""

    sent: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    held_back: int = 0


class Connection:
    """One SMTP connection for the whole run, opened at the first message (a run with nothing to send never
    connects)."""

    def __init__(self, connection):
        self.connection = connection or get_connection()
        self.opened = False

    def send(self, message):
        if not self.opened:
            try:
                self.connection.open()
            except OSError as error:  # smtplib's errors are OSErrors too
                raise Unreachable(repr(error)) from error
            self.opened = True
        if self.connection.send_messages([message]) != 1:
            raise NotDelivered(f"The e-mail backend sent nothing to {message.to[0]}.")

    def close(self):
        if self.opened:
            self.connection.close()


def periods(now):
    """The starts of today and of this week (Monday), in the site's time zone."""
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return today, today - timedelta(days=today.weekday())


def due_kinds(recipient_ids, now):
    """[(user, {kind: delivery})] for each recipient with pending notifications of kinds due now."""
    today, week = periods(now)
    chosen = Preference.objects.deliveries(recipient_ids)
    sent = SentMessage.objects.filter(recipient_id__in=recipient_ids)
    daily_done = set(sent.filter(daily_digest=True, sent_at__gte=today).values_list("recipient_id", flat=True))
    weekly_done = set(sent.filter(weekly_digest=True, sent_at__gte=week).values_list("recipient_id", flat=True))
    pending = {}
    for user_id, kind in (Notification.objects.pending().filter(recipient_id__in=recipient_ids)
                          .values_list("recipient_id", "kind").distinct()):
        delivery = chosen[user_id][kind]
        if (delivery == Delivery.IMMEDIATELY or (delivery == Delivery.DAILY and user_id not in daily_done)
                or (delivery == Delivery.WEEKLY and user_id not in weekly_done)):
            pending.setdefault(user_id, {})[kind] = delivery
    users = get_user_model().objects.annotate(profile_language=F("profile__language")).in_bulk(pending)
    return [(users[user_id], kinds) for user_id, kinds in sorted(pending.items())]


def send_one(connection, user, kinds, now):
    """Sends `user` their pending notifications of `kinds` ({kind: delivery}) in one message, and records it,
    in one transaction. Returns (address, count), or None if another run is sending to them, or nothing is left.

    The recipient's row is the lock of their mail (`FOR UPDATE SKIP LOCKED`: a run sending to them holds it, and
    another run passes them by): one lock a message, not one a notification (an import can tell a follower
    thousands)."""
    with transaction.atomic():
        if not get_user_model().objects.filter(pk=user.pk).select_for_update(skip_locked=True).exists():
            return None
        pending = Notification.objects.pending().filter(recipient=user, kind__in=kinds)
        rows = list(pending.order_by("created_at", "pk").values_list("pk", "kind", "item_count"))
        if not rows:
            return None
        counts = Counter()
        for _, kind, items in rows:
            counts[kind] += max(items, 1)  # a reminder's items, each; any other notification, itself
        message = compose(user, listed(rows), counts)
        connection.send(message)
        deliveries = {kinds[kind] for _, kind, _ in rows}
        record = SentMessage.objects.create(
            recipient=user, subject=message.subject, sent_at=now, message_id=message.extra_headers["Message-ID"],
            notification_count=len(rows), daily_digest=Delivery.DAILY in deliveries,
            weekly_digest=Delivery.WEEKLY in deliveries,
        )
        Notification.objects.filter(pk__in=[pk for pk, *_ in rows]).update(
            email_state=EmailState.SENT, sent_at=now, message=record)
    return user.email, len(rows)


def listed(rows):
    """The notifications a message lists, oldest first: of each kind, those of `rows` ((id, kind, item count),
    oldest first) that hold its first LISTED items (a notification without items counts as one); the others it
    counts."""
    taken, ids = Counter(), []
    for pk, kind, items in rows:
        if taken[kind] < LISTED:
            ids.append(pk)
        taken[kind] += max(items, 1)
    return list(Notification.objects.filter(pk__in=ids).order_by("created_at", "pk"))


def send_due(now=None, connection=None):
    """Sends every recipient's due notifications (see the module's docstring) over one connection; returns an
    Outcome. A message the server refuses is reported and the run goes on; a connection lost or refused stops
    the run (reported); either way those notifications stay pending for the next run."""
    now = now or timezone.now()
    outcome = Outcome(held_back=Notification.objects.hold_back())
    recipient_ids = list(Notification.objects.pending().order_by("recipient_id")
                         .values_list("recipient_id", flat=True).distinct())
    connection = Connection(connection)
    try:
        for start in range(0, len(recipient_ids), BATCH):
            for user, kinds in due_kinds(recipient_ids[start:start + BATCH], now):
                if not send_reporting(connection, user, kinds, now, outcome):
                    return outcome
    finally:
        connection.close()
    return outcome


def send_reporting(connection, user, kinds, now, outcome):
    """send_one, its result or error added to `outcome`. False if the connection is gone (stop the run)."""
    try:
        sent = send_one(connection, user, kinds, now)
    except REFUSED as error:
        outcome.errors.append(f"Not sent to {user.email}: {error!r}")
        log.error("Not sent to %s: %r", user.email, error)
        return True
    except (Unreachable, OSError) as error:
        outcome.errors.append(f"The mail server could not be reached or was lost ({error}); what was not sent "
                              "waits for the next run.")
        log.error("The mail server could not be reached or was lost: %s", error)
        return False
    if sent:
        outcome.sent.append(sent)
        log.info("Sent %s notification(s) to %s", sent[1], sent[0])
    return True
