"""The admin of the forum's records (forum.py), of the tracked items (tracked.py) and what both use (base.py)."""

from . import forum, tracked  # noqa: F401 -- registers their admins
from .base import HistoryAdmin, TimelineAdmin, TimelineInline
from .tracked import TrackedItemAdmin

__all__ = ["HistoryAdmin", "TimelineAdmin", "TimelineInline", "TrackedItemAdmin"]
