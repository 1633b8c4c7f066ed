"""Storing notifications: set-based (thousands in a few statements) and idempotent (one per recipient and key);
and the reminders' ledger, which keeps each item's reminder to one a person (`new_reminders`).

What a note says is the caller's decision and responsibility: its subject and text reach the recipient in the
app and by e-mail, so they hold only what that recipient may read — never an internal note to a person who may
not read internal notes. Build the words per recipient (or per role) when they differ."""

from dataclasses import dataclass
from itertools import islice

from django.utils import timezone

from recommendations import db

from .models import Notification, Reminder

BATCH = 5000


@dataclass(frozen=True)
class Note:
    """One notification to be made: its recipient (a user or a user's id), the key naming the event (unique per
    recipient: start it with the kind, e.g. "overdue:recommendation:45:2026-06-01"), the words and a path on
    this site (e.g. an item's get_absolute_url()). A reminder tells of several items: the first listed (`items`:
    {"subject", "text", "url"} each) and how many in all (`item_count`)."""

    recipient: object
    key: str
    subject: str
    text: str
    url: str
    items: tuple = ()
    item_count: int = 0


def notify(kind, notes):
    """Stores a notification of `kind` for each note (any iterable, consumed in batches, so memory stays flat).
    A note whose recipient already has a notification with its key is skipped: running the same job twice makes
    no second notification. E-mail goes later, with `mail.send_due`.

    Written as rows by the database seam (one INSERT … ON CONFLICT DO NOTHING a batch on PostgreSQL): an import
    tells followers thousands, and model instances cost three times the database's own work."""
    notes, now = iter(notes), timezone.now()
    while batch := list(islice(notes, BATCH)):
        db.insert(Notification, [
            {"recipient_id": getattr(note.recipient, "pk", note.recipient), "kind": kind, "key": note.key,
             "subject": note.subject, "text": note.text, "url": note.url, "items": list(note.items),
             "item_count": note.item_count, "created_at": now} for note in batch
        ], batch_size=BATCH, ignore_conflicts=True)


def notify_each(recipients, *, kind, key, subject, text, url):
    """The same notification to each of `recipients` (users or ids), e.g. a change to an item's followers."""
    notify(kind, (Note(recipient, key, subject, text, url) for recipient in recipients))


def new_reminders(candidates, now):
    """Those of `candidates` ((recipient id, key, anything) each, consumed in batches) that the ledger did not
    hold, which it now holds (`Reminder`, written at `now`): the reminders to tell. A key told once is never new
    again, so a second run tells nothing; call it in the transaction that stores what is told, so that a crash
    loses neither."""
    candidates = iter(candidates)
    while batch := list(islice(candidates, BATCH)):
        new = db.insert_new(Reminder, [{"recipient_id": recipient, "key": key, "created_at": now}
                                       for recipient, key, _ in batch], ("recipient_id", "key"))
        for candidate in batch:
            if candidate[:2] in new:
                new.remove(candidate[:2])  # a key twice in a batch is new once
                yield candidate
