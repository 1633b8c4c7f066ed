"""People in roles with addresses, and items arranged for the reminders' tests (reminders, escalation, the
weekly report, send_reminders). NOW is a Monday; the items' follow-up columns are set as a history of updates
would have left them (the write path is tested elsewhere)."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from recommendations.models import Recommendation, Status

NOW = timezone.make_aware(datetime.datetime(2026, 6, 15, 9, 0))  # Monday of ISO week 25
TODAY = NOW.date()


def day(offset):
    """The day `offset` days from TODAY."""
    return TODAY + datetime.timedelta(days=offset)


def ago(days):
    return NOW - datetime.timedelta(days=days)


def member(username, role, *, active=True, email=None):
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org" if email is None else email, password="pw-" + username,
        first_name=username.capitalize(), last_name="Example", is_active=active)
    if role:
        user.groups.add(Group.objects.get(name=role))
    user.is_staff = role in ("editor", "administrator")
    user.save()
    return user


def recommendation(number, session="1.1"):
    return Recommendation.objects.get_by_natural_key(2010, session, number)


def arrange(item, **columns):
    """An open item, reported yesterday, then `columns`."""
    columns = {"status": Status.IN_PROGRESS, "progress": 20, "last_update_at": ago(1), "last_report_at": ago(1),
               "due_date": None, "due_date_precision": "day", **columns}
    type(item).objects.filter(pk=item.pk).update(**columns)
    item.refresh_from_db()
    return item


def keys(user, kind=None):
    """The keys of a user's notifications (of `kind`), sorted (a reminder's items: `reminded`)."""
    found = user.notifications.all()
    return sorted((found.filter(kind=kind) if kind else found).values_list("key", flat=True))


def reminded(user, kind=None):
    """The keys of the items a user was reminded of (the ledger), of `kind`, sorted."""
    found = user.reminders.all()
    return sorted((found.filter(key__startswith=f"{kind}:") if kind else found).values_list("key", flat=True))


def told(user, kind):
    """A user's notifications of `kind`, oldest first."""
    return list(user.notifications.filter(kind=kind).order_by("created_at", "pk"))
