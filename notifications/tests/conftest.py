"""Recipients with addresses, and notifications made through the service, as the jobs will make them."""

from datetime import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from notifications.models import Kind
from notifications.services import Note, notify

# A Tuesday morning in the site's time zone; the week began on Monday 9 March.
TUESDAY = timezone.make_aware(datetime(2026, 3, 10, 8, 0))


def person(username, email=None):
    return get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org" if email is None else email, password="pw-" + username,
        first_name=username.capitalize(), last_name="Example")


@pytest.fixture
def olga(db):
    return person("olga")


@pytest.fixture
def pat(db):
    return person("pat")


def tell(user, kind, key, subject=None, text="It happened.", url="/recommendations/2010/2.1/3/"):
    notify(kind, [Note(user, key, subject or f"Subject of {key}", text, url)])


def overdue(user, key="overdue:1"):
    tell(user, Kind.OVERDUE, key)


def states(user):
    """{key: email state} of a user's notifications."""
    return dict(user.notifications.values_list("key", "email_state"))


def plain(mail):
    return mail.get_body(("plain",)).get_content().replace("\r\n", "\n")


def html(mail):
    return mail.get_body(("html",)).get_content().replace("\r\n", "\n")


def header(mail, name):
    """A header's value, unfolded (a long one comes on its own line after the name)."""
    return str(mail[name]).strip()


@pytest.fixture
def no_seeded_due_dates(db):
    """The report's one due date (the GFMD assessment, "in time for the High Level Dialogue in 2013") is long past
    and its item has no owner, so every run escalates it; the reminders' tests that count what was made arrange
    their own items without it (test_reminders has a test of it)."""
    from recommendations.models import FollowUpItem

    FollowUpItem.objects.filter(due_date__isnull=False).update(due_date=None)
