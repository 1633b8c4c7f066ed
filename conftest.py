"""Shared test fixtures: the report seeded once per test database, users in each role."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from gfmd_tracker.roles import ADMINISTRATOR, EDITOR, STAFF, VIEWER, setup_roles


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgresql` skip visibly on any other database (`-ra` lists them)."""
    from django.db import connection

    from recommendations import db

    if db.is_postgresql():
        return
    skip = pytest.mark.skip(reason=f"PostgreSQL only; this run is on {connection.display_name}")
    for item in items:
        if "postgresql" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test starts from the seeded 2010 report (each test's changes are rolled back)."""
    with django_db_blocker.unblock():
        call_command("seed_gfmd", stdout=io.StringIO())
        setup_roles()


@pytest.fixture(autouse=True)
def nothing_cached():
    """Each test starts with nothing cached: its rolled-back data may repeat an earlier test's
    data version, under which other values were cached."""
    from django.contrib.contenttypes.models import ContentType

    from recommendations import versioning

    versioning.clear()
    # Nor content types remembered by id: a test that empties the database and loads a backup (test_hardening)
    # made them anew under other ids, which its rollback took back (lineage links name items by content type).
    ContentType.objects.clear_cache()


def make_user(username, role):
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(username=username, password="pw-" + username)
    user.groups.add(Group.objects.get(name=role))
    user.is_staff = role in (EDITOR, ADMINISTRATOR)
    user.is_superuser = role == ADMINISTRATOR
    user.save()
    return user


@pytest.fixture
def viewer(db):
    return make_user("vera-viewer", VIEWER)


@pytest.fixture
def staff(db):
    return make_user("sam-staff", STAFF)


@pytest.fixture
def editor(db):
    return make_user("eda-editor", EDITOR)


@pytest.fixture
def administrator(db):
    return make_user("ada-admin", ADMINISTRATOR)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def viewer_client(client, viewer):
    client.force_login(viewer)
    return client
