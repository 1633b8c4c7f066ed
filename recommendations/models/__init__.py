"""The GFMD's meetings, sessions and outcomes, and the follow-up of each: a `TrackedItem`, whose
`record_update` is the one way the follow-up fields change. Each module's `__all__` is what it offers."""

from .actions import *  # noqa: F403
from .bookkeeping import *  # noqa: F403
from .closure import *  # noqa: F403
from .followup import *  # noqa: F403
from .forum import *  # noqa: F403
from .items import *  # noqa: F403
from .lineage import *  # noqa: F403
from .statuses import *  # noqa: F403
from .timeline import *  # noqa: F403
from .tracking import *  # noqa: F403
