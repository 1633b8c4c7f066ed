"""The GFMD's meetings, their sessions and outcomes, and the follow-up of each.

Everything that is followed up (a recommendation here, a PfP project in
`partnerships`) is a `TrackedItem`: status, owner, responsible actors, due date,
progress, priority, and an append-only timeline of updates written by
`TrackedItem.record_update`, the one way those fields change.

forum.py        meetings, roundtables, sessions, actors, themes, good practices
tracking.py     statuses and their rules, TrackedItem, TimelineEntry
items.py        recommendations and follow-up items (a NumberedItem), their timelines
bookkeeping.py  the data version, the seed's records
"""

from .bookkeeping import DataVersion, SeedRecord
from .forum import (
    SESSION_CODE,
    Actor,
    ActorManager,
    GoodPractice,
    Meeting,
    MeetingManager,
    NaturalKeyManager,
    Roundtable,
    Session,
    SessionParticipant,
    SessionQuerySet,
    Theme,
    ThemeManager,
)
from .items import (
    ORDINAL_SESSION,
    ORDINAL_YEAR,
    FollowUpItem,
    FollowUpItemSearch,
    FollowUpItemUpdate,
    NumberedItem,
    NumberedItemQuerySet,
    Recommendation,
    RecommendationQuerySet,
    RecommendationSearch,
    RecommendationUpdate,
    SearchDocument,
)
from .tracking import (
    CLOSED,
    NOTE_REQUIRED_FOR,
    REOPEN,
    TRANSITIONS,
    EditConflict,
    Priority,
    Status,
    TimelineEntry,
    TrackedItem,
    TrackedItemQuerySet,
)

__all__ = [
    "CLOSED", "NOTE_REQUIRED_FOR", "ORDINAL_SESSION", "ORDINAL_YEAR", "REOPEN", "SESSION_CODE", "TRANSITIONS",
    "Actor", "ActorManager", "DataVersion", "EditConflict", "FollowUpItem", "FollowUpItemSearch",
    "FollowUpItemUpdate", "GoodPractice", "Meeting", "MeetingManager", "NaturalKeyManager",
    "NumberedItem", "NumberedItemQuerySet", "Priority", "Recommendation",
    "RecommendationQuerySet", "RecommendationSearch", "RecommendationUpdate", "Roundtable", "SearchDocument",
    "SeedRecord", "Session", "SessionParticipant", "SessionQuerySet", "Status", "Theme", "ThemeManager",
    "TimelineEntry", "TrackedItem", "TrackedItemQuerySet",
]
