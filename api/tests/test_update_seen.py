"""A focal point's update sent by the API is seen where people look: on the item's page, and, when published, in
the item's feed and the feed of everything; an internal one in neither feed (issue #19, "Done when")."""

import pytest

from api.tests.conftest import ITEM_URL, UPDATES_URL, get, item, post, token_for
from recommendations.models import Status

pytestmark = pytest.mark.django_db

PAGE = "/recommendations/2010/2.1/3/"
FEEDS = (PAGE + "feed.atom", "/feeds/changes.atom")


@pytest.mark.parametrize("public", [True, False])
def test_an_update_by_token_shows_on_the_page_and_in_the_feeds_if_public(client, owned, staff, public):
    note = "Colombo Process pilot of low-cost loans opened to 400 workers." if public else "Draft: call the ministry."
    version = get(client, ITEM_URL, token_for(staff)).json()["version"]
    response = post(client, UPDATES_URL, token_for(staff),
                    {"note": note, "status": Status.IN_PROGRESS, "version": version, "public": public})
    assert response.status_code == 201
    assert item().status == Status.IN_PROGRESS

    client.force_login(staff)
    assert note in client.get(PAGE).content.decode()  # the signed-in page shows every note
    client.logout()
    assert (note in client.get(PAGE).content.decode()) is public  # the public page only a published one
    for feed in FEEDS:
        assert (note in client.get(feed).content.decode()) is public, feed
