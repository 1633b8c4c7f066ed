"""Who reads the feeds and how: everybody gets the public's feed (a feed reader has no session), cacheable by
anyone with an ETag and 304s; the pages offer their feeds ("Subscribe (Atom)", and a `<link rel="alternate">`
in the head for feed readers); a feed's number of queries does not grow with its entries."""

import datetime
import html
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partnerships.models import Project
from recommendations.models import Actor, FollowUpItem, Recommendation, Theme

pytestmark = pytest.mark.django_db

FEEDS = ["/feeds/changes.atom", "/recommendations/2010/2.1/1/feed.atom", "/feeds/sessions/2010/2.1.atom",
         "/feeds/themes/gender.atom", "/recommendations/feed.atom?status=in_progress&theme=labour-mobility",
         "/follow-up/feed.atom?meeting=2010", "/projects/feed.atom"]


def cache_control(response):
    return {part.strip() for part in response["Cache-Control"].split(",")}


@pytest.mark.parametrize("url", FEEDS)
def test_a_feed_is_cacheable_by_anyone_and_answers_304_until_the_data_change(client, url, settings, editor):
    settings.PUBLIC_MAX_AGE = 120
    response = client.get(url)
    assert response.status_code == 200 and cache_control(response) == {"public", "max-age=120"}
    etag = response["ETag"]
    assert etag.startswith('"') and len(etag) == 34 and "Cookie" not in response.get("Vary", "")
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and cache_control(again) == {"public", "max-age=120"}
    Recommendation.objects.get_by_natural_key(2010, "2.1", 1).record_update(by=editor, note="News.", public=True)
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


@pytest.mark.parametrize("url", FEEDS)
def test_signed_in_readers_get_the_publics_feed(client, viewer, staff, editor, url):
    item = Recommendation.objects.get_by_natural_key(2010, "2.1", 1)
    item.record_update(by=editor, note="Internal: the minister's diary.")
    public = Client().get(url)
    for user in (viewer, staff, editor):
        client.force_login(user)
        response = client.get(url)
        assert response.content == public.content, user.username
        assert cache_control(response) == {"public", "max-age=60"} and response["ETag"] == public["ETag"]
        assert b"the minister" not in response.content


def test_a_feeds_queries_do_not_grow_with_its_entries():
    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert Client().get(url).status_code == 200
        return len(captured)

    Project.objects.first().record_update(by=None, note="Public note.", public=True)  # every kind is in the feed
    urls = ["/feeds/changes.atom", "/recommendations/feed.atom?theme=labour-mobility&status=in_progress",
            "/feeds/themes/labour-mobility.atom", f"/actors/{Actor.objects.get(name='Switzerland').pk}/feed.atom",
            "/recommendations/2010/2.1/1/feed.atom"]
    before = {url: queries(url) for url in urls}
    start = timezone.now() - datetime.timedelta(days=1)
    themed = Recommendation.objects.filter(themes__slug="labour-mobility")
    for n, item in enumerate([*themed, *FollowUpItem.objects.all()[:10], *Project.objects.all()]):
        for step in range(3):
            item.record_update(by=None, note=f"Public note {n}.{step}.", public=True,
                               at=start + datetime.timedelta(minutes=3 * n + step))
    after = {url: queries(url) for url in urls}
    assert after == before
    # The request's savepoint and its release, the version (for the ETag), two a kind (its entries with their
    # items, their responsible actors), and what names the subject (an item, an actor, a theme; a list's filters).
    assert before["/feeds/changes.atom"] == 9
    assert max(before.values()) <= 10


def test_a_list_offers_the_feed_of_its_filters(client):
    body = client.get("/recommendations/", {"status": "in_progress", "theme": "gender", "sort": "-due",
                                            "page": "1"}).content.decode()
    head = body[:body.index("</head>")]
    assert ('<link rel="alternate" type="application/atom+xml" title="Recommendations under these filters · '
            'GFMD Tracker" href="/recommendations/feed.atom?status=in_progress&amp;theme=gender">') in head
    assert ('<a class="subscribe button secondary" href="/recommendations/feed.atom?status=in_progress&amp;'
            'theme=gender" type="application/atom+xml">Subscribe (Atom)') in body
    for url, feed in (("/follow-up/?meeting=2010", "/follow-up/feed.atom?meeting=2010"),
                      ("/projects/?stage=design", "/projects/feed.atom?stage=design")):
        assert f'href="{feed}" type="application/atom+xml">Subscribe (Atom)' in client.get(url).content.decode()


def feeds_offered(body):
    """The feeds a page links to: (in its head, in its body)."""
    head, rest = body.split("</head>", 1)
    alternate = re.escape('<link rel="alternate" type="application/atom+xml" title="') + '[^"]*" href="([^"]+)">'
    offered = 'href="([^"]+)" ' + re.escape('type="application/atom+xml">Subscribe (Atom)')
    return [html.unescape(url) for url in re.findall(alternate, head)], [html.unescape(url) for url in
                                                                         re.findall(offered, rest)]


@pytest.mark.parametrize("signed_in", [False, True])
def test_item_actor_meeting_and_dashboard_pages_offer_their_feeds(client, viewer, signed_in):
    if signed_in:
        client.force_login(viewer)
    item, follow_up = Recommendation.objects.get_by_natural_key(2010, "2.1", 1), FollowUpItem.objects.first()
    project, actor = Project.objects.first(), Actor.objects.get(name="Mexico")
    for page, feed in ((item.get_absolute_url(), f"{item.get_absolute_url()}feed.atom"),
                       (follow_up.get_absolute_url(), f"{follow_up.get_absolute_url()}feed.atom"),
                       (project.get_absolute_url(), f"/projects/{project.pk}/feed.atom"),
                       (f"/actors/{actor.pk}/", f"/actors/{actor.pk}/feed.atom"),
                       ("/", "/feeds/changes.atom")):
        assert feeds_offered(client.get(page).content.decode()) == ([feed], [feed]), page
        assert client.get(feed)["Content-Type"].startswith("application/atom+xml")
    _, sessions = feeds_offered(client.get("/meetings/2010/").content.decode())
    assert "/feeds/sessions/2010/2.1.atom" in sessions and "/feeds/sessions/2010/CSD.atom" in sessions
    assert all(client.get(url).status_code == 200 for url in sessions)


def test_the_feeds_page_lists_every_theme_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):  # the request's savepoint and its release, the version, the themes
        body = client.get("/feeds/").content.decode()
    for theme in Theme.objects.all():
        assert f'href="/feeds/themes/{theme.slug}.atom"' in body
    for feed in ("/feeds/changes.atom", "/recommendations/feed.atom", "/follow-up/feed.atom", "/projects/feed.atom"):
        assert f'href="{feed}" type="application/atom+xml"' in body
