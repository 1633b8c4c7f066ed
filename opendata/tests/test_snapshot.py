"""The ZIP's tables are read from one snapshot (`db.snapshot`): on PostgreSQL a read-only REPEATABLE READ
transaction, which a row committed meanwhile by another connection does not reach, and whose statements
(a COPY as long as the ZIP takes to write it) run without the requests' statement timeout."""

import pytest
from django.db import connection, connections

from recommendations import db
from recommendations.models import Theme

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]


@pytest.fixture
def other_connections():
    """Two connections of their own to the test database, outside the test's transaction."""
    aliases = ["snapshot", "writer"]
    for alias in aliases:
        connections[alias] = connection.copy(alias)
    yield [connections[alias] for alias in aliases]
    for alias in aliases:
        connections[alias].close()
        del connections[alias]


def test_a_snapshot_reads_the_data_as_they_stood_when_it_began(other_connections):
    reader, writer = other_connections
    themes = Theme.objects.using("snapshot")
    with db.snapshot(using="snapshot"):
        with reader.cursor() as cursor:
            cursor.execute("SHOW transaction_isolation")
            isolation = cursor.fetchone()[0]
            cursor.execute("SHOW transaction_read_only")
            read_only = cursor.fetchone()[0]
            cursor.execute("SHOW statement_timeout")
            timeout = cursor.fetchone()[0]
        before = themes.count()
        created = Theme.objects.using("writer").create(name="Snapshot test theme", slug="snapshot-test-theme")
        try:
            during = themes.count()
        finally:
            Theme.objects.using("writer").filter(pk=created.pk).delete()
    assert (isolation, read_only, timeout) == ("repeatable read", "on", "0")
    assert during == before
