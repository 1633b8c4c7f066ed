"""Shared test fixtures: the report seeded once per test database, users in each role, a real SMTP server."""

import email
import email.policy
import io
import logging
import socket

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import translation

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
def in_the_sites_language(settings):
    """Each test starts in the site's language: a request in another leaves its language active in the thread
    (LocaleMiddleware does not undo it), which would reach the next test's exports, mails and packages."""
    translation.activate(settings.LANGUAGE_CODE)


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


class SMTPServer:
    """A real SMTP server on localhost (aiosmtpd) that keeps what it receives: `messages`, each parsed by the
    standard library (`email.message.EmailMessage`: headers by name, get_body(("plain",)), …). `stop()` and
    `start()` take it down and bring it back on the same port; an address in `refuse` is refused (550)."""

    def __init__(self):
        with socket.socket() as probe:  # a free port, kept across stop() and start()
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.messages, self.refuse, self.controller = [], set(), None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=email.policy.default))
        return "250 Message accepted for delivery"

    def start(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server(settings):
    """Django's SMTP backend pointed at a real SMTP server started for the test (SMTPServer above)."""
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command at INFO
    server = SMTPServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()
