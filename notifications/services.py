"""Storing notifications: set-based (thousands in a few statements) and idempotent (one per recipient and key).

What a note says is the caller's decision and responsibility: its subject and text reach the recipient in the
app and by e-mail, so they hold only what that recipient may read — never an internal note to a person who may
not read internal notes. Build the words per recipient (or per role) when they differ."""

from dataclasses import dataclass
from itertools import islice

from django.utils import timezone

from recommendations import db

from .models import Notification

BATCH = 5000


@dataclass(frozen=True)
class Note:
    """One notification to be made: its recipient (a user or a user's id), the key naming the event (unique per
    recipient: start it with the kind, e.g. "overdue:recommendation:45:2026-06-01"), the words and a path on
    this site (e.g. an item's get_absolute_url())."""

    recipient: object
    key: str
    subject: str
    text: str
    url: str


def notify(kind, notes):
    """Stores a notification of `kind` for each note (any iterable, consumed in batches, so memory stays flat).
    A note whose recipient already has a notification with its key is skipped: running the same job twice makes
    no second notification. E-mail goes later, with `mail.send_due`.

    Written as rows by the database seam (one INSERT … ON CONFLICT DO NOTHING a batch on PostgreSQL): a first
    reminders run makes half a million, and model instances cost three times the database's own work."""
    notes, now = iter(notes), timezone.now()
    while batch := list(islice(notes, BATCH)):
        db.insert(Notification, [
            {"recipient_id": getattr(note.recipient, "pk", note.recipient), "kind": kind, "key": note.key,
             "subject": note.subject, "text": note.text, "url": note.url, "created_at": now} for note in batch
        ], batch_size=BATCH, ignore_conflicts=True)


def notify_each(recipients, *, kind, key, subject, text, url):
    """The same notification to each of `recipients` (users or ids), e.g. a change to an item's followers."""
    notify(kind, (Note(recipient, key, subject, text, url) for recipient in recipients))
