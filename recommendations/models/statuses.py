"""The statuses of a tracked item and the allowed changes between them: data, read by the rules of
`TrackedItem` (tracking.py) and by the closure rules (closure.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

__all__ = ["CLOSED", "NOTE_REQUIRED_FOR", "REOPEN", "TRANSITIONS", "Status"]


class Status(models.TextChoices):
    NOT_STARTED = "not_started", pgettext_lazy("status", "Not started")
    PLANNED = "planned", pgettext_lazy("status", "Planned")
    IN_PROGRESS = "in_progress", pgettext_lazy("status", "In progress")
    IMPLEMENTED = "implemented", pgettext_lazy("status", "Implemented")
    ONGOING = "ongoing", pgettext_lazy("status", "Ongoing")
    STALLED = "stalled", pgettext_lazy("status", "Stalled")
    NOT_PURSUED = "not_pursued", pgettext_lazy("status", "Not pursued")


# The allowed changes of status, checked in one place (TrackedItem.check_transition).
# Implemented and not pursued close an item; only an editor reopens it (REOPEN). An item finished
# before anyone logged it (not started, planned) is closed in one update, with a note of what was done.
TRANSITIONS = {
    Status.NOT_STARTED: {Status.PLANNED, Status.IN_PROGRESS, Status.IMPLEMENTED, Status.STALLED, Status.NOT_PURSUED},
    Status.PLANNED: {Status.NOT_STARTED, Status.IN_PROGRESS, Status.IMPLEMENTED, Status.STALLED, Status.NOT_PURSUED},
    Status.IN_PROGRESS: {Status.PLANNED, Status.IMPLEMENTED, Status.ONGOING, Status.STALLED, Status.NOT_PURSUED},
    Status.ONGOING: {Status.IN_PROGRESS, Status.IMPLEMENTED, Status.STALLED, Status.NOT_PURSUED},
    Status.STALLED: {Status.PLANNED, Status.IN_PROGRESS, Status.NOT_PURSUED},
    Status.IMPLEMENTED: set(),
    Status.NOT_PURSUED: set(),
}
CLOSED = {Status.IMPLEMENTED, Status.NOT_PURSUED}
REOPEN = {
    Status.IMPLEMENTED: {Status.IN_PROGRESS, Status.ONGOING},
    Status.NOT_PURSUED: {Status.NOT_STARTED, Status.PLANNED, Status.IN_PROGRESS},
}
# What the note must say when an item moves to these statuses.
NOTE_REQUIRED_FOR = {
    Status.STALLED: _("Say why the item is stalled: the note is the reason."),
    Status.NOT_PURSUED: _("Say why the item is not pursued: the note is the reason."),
    Status.IMPLEMENTED: _("Say what was done: the note records how the item was implemented."),
}
