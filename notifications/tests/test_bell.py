"""The bell in every page's header: your unread count, in one COUNT query."""

import re

from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.models import Notification

from .conftest import overdue

BELL = re.compile(r'<a class="bell" href="/notifications/"[^>]*>.*?</a>')


def bell(client):
    return BELL.search(client.get("/").content.decode()).group(0)


def test_it_shows_your_unread_count(client, olga, pat):
    for n in range(3):
        overdue(olga, f"overdue:{n}")
    overdue(pat, "overdue:pat")
    Notification.objects.filter(recipient=olga, key="overdue:0").update(read_at=timezone.now())
    client.force_login(olga)
    assert bell(client) == ('<a class="bell" href="/notifications/" aria-label="Notifications, 2 unread">'
                            'Notifications <span class="badge overdue">2</span></a>')


def test_with_nothing_unread_it_shows_no_count(client, olga):
    client.force_login(olga)
    assert bell(client) == '<a class="bell" href="/notifications/">Notifications</a>'


def test_the_public_has_no_bell(client, db):
    assert not BELL.search(client.get("/").content.decode())


def test_it_costs_one_query(olga, django_assert_num_queries):
    overdue(olga)
    with django_assert_num_queries(1):
        html = Template("{% load bell %}{% bell %}").render(Context({"user": olga}))
    assert ">Notifications <span" in html


def test_a_page_asks_for_the_count_once(client, olga):
    client.force_login(olga)
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    asked = [q["sql"] for q in queries.captured_queries if "notifications_notification" in q["sql"]]
    assert len(asked) == 1 and "COUNT(" in asked[0]
