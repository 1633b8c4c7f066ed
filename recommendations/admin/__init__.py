"""The admin of the forum's records (forum.py), of the tracked items (tracked.py) and their actions (actions.py), of
their lineage (lineage.py) and what they use (base.py)."""

from . import actions, forum, lineage, tracked  # noqa: F401 -- registers their admins
from .base import ActionsInline, HistoryAdmin, TimelineAdmin, TimelineInline
from .lineage import LineageInline
from .tracked import TrackedItemAdmin
from .translations import TranslationsMixin

__all__ = ["ActionsInline", "HistoryAdmin", "LineageInline", "TimelineAdmin", "TimelineInline", "TrackedItemAdmin",
           "TranslationsMixin"]
