"""The meeting's pages and the good practices are public (issue #19: sessions, co-chairs, teams, contributions,
the handover): the public reads the meeting as those who sign in do, except that its counts of outcomes are of
the published items, each leading to a public list that shows that many; in a fixed number of queries."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from recommendations import services
from recommendations.models import Actor, Meeting, Recommendation
from recommendations.tests.test_meetings import PAGE, add_sessions

pytestmark = pytest.mark.django_db

COUNT = re.compile(r'<a href="(/(?:recommendations|follow-up)/\?meeting=2010&amp;session=([^"]+))">(\d+) '
                   r'(recommendation|follow-up item)s?</a>')


def main_part(body):
    """The page without its header (which says who reads it: a name, or Sign in)."""
    return body[body.index('<main id="main">'):]


def counts(body):
    """{(kind, session code): (the count shown, the list it links to)}."""
    return {(kind, code): (int(shown), unescape(url)) for url, code, shown, kind in COUNT.findall(body)}


def test_the_public_reads_the_meeting_as_those_who_sign_in(viewer_client):
    public = Client()
    for address in ("/meetings/", PAGE):
        anonymous, signed_in = public.get(address), viewer_client.get(address)
        assert anonymous.status_code == signed_in.status_code == 200
        assert main_part(anonymous.content.decode()) == main_part(signed_in.content.decode())
    body = public.get(PAGE).content.decode()
    assert 'id="handover"' in body and 'id="contributions"' in body
    assert "Germany has partnerships with Moldova and Georgia" in body  # a good practice of session 1.1


def test_the_publics_counts_leave_out_an_unpublished_item(viewer_client, editor):
    services.set_items_public([Recommendation.objects.get_by_natural_key(2010, "2.1", 3)], public=False, by=editor)
    public = Client()
    signed_in, anonymous = counts(viewer_client.get(PAGE).content.decode()), counts(public.get(PAGE).content.decode())
    assert anonymous.keys() == signed_in.keys()
    for key, (shown, url) in anonymous.items():
        expected = signed_in[key][0] - (key == ("recommendation", "2.1"))
        assert shown == expected, key
        assert public.get(url).context["page"].paginator.count == shown, url  # the list it leads to


def test_the_good_practices_on_an_actors_page_are_public(viewer_client):
    germany = f"/actors/{Actor.objects.get(name='Germany').pk}/"
    practices = re.compile(r"<h2>Good practices</h2>\s*<ul>(.*?)</ul>", re.S)
    shown = practices.search(Client().get(germany).content.decode())
    assert shown and "Moldova and Georgia" in shown.group(1)
    assert shown.group(1) == practices.search(viewer_client.get(germany).content.decode()).group(1)


def test_the_publics_meeting_page_reads_a_fixed_number_of_queries(client):
    meeting, counted = Meeting.objects.get(year=2010), []
    for more in (0, 4):
        add_sessions(meeting, more)
        with CaptureQueriesContext(connection) as queries:
            body = client.get(PAGE).content.decode()
        counted.append(len(queries))
    assert 'id="session-9.43"' in body
    # 9 for the meeting, the data version for its ETag; no user, permissions or roles to read
    assert counted[0] == counted[1] <= 12, counted
