"""The database seam: every path that depends on the database lives here, nowhere else.

`postgres` (production) and `generic` (any other database Django supports: SQLite in the tests)
have the same functions, documented in `generic`; `db.<function>` is the default connection's
(the tracker has one database), as Django's `connection.ops` chooses. The PostgreSQL objects they
rely on (search documents, their triggers, full-text indexes) are made by the migration 0002_postgresql.
"""

from django.db import DEFAULT_DB_ALIAS, connections

from . import generic, postgres

FUNCTIONS = {"bulk_update", "pairs", "relink", "insert", "insert_new", "pipelined", "history", "text_condition",
             "text_matches", "matches_in_order", "estimated_matches", "filter_ids", "filter_notes", "estimated_count",
             "csv_pieces", "snapshot"}


def is_postgresql(using=DEFAULT_DB_ALIAS):
    """Whether `using` is PostgreSQL (for tests that mean something only there)."""
    return connections[using].vendor == "postgresql"


def __getattr__(name):
    if name not in FUNCTIONS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(postgres if is_postgresql() else generic, name)
