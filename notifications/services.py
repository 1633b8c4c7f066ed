"""Storing notifications: set-based (thousands in a few statements) and idempotent (one per recipient and key).

What a note says is the caller's decision and responsibility: its subject and text reach the recipient in the
app and by e-mail, so they hold only what that recipient may read — never an internal note to a person who may
not read internal notes. Build the words per recipient (or per role) when they differ."""

from dataclasses import dataclass
from itertools import islice

from .models import Notification

BATCH = 1000


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
    no second notification. E-mail goes later, with `mail.send_due`."""
    notes = iter(notes)
    while batch := list(islice(notes, BATCH)):
        Notification.objects.bulk_create(
            [Notification(recipient_id=getattr(note.recipient, "pk", note.recipient), kind=kind, key=note.key,
                          subject=note.subject, text=note.text, url=note.url) for note in batch],
            ignore_conflicts=True,
        )


def notify_each(recipients, *, kind, key, subject, text, url):
    """The same notification to each of `recipients` (users or ids), e.g. a change to an item's followers."""
    notify(kind, (Note(recipient, key, subject, text, url) for recipient in recipients))
