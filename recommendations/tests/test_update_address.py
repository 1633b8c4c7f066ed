"""An item's /update/ address opened by GET (left in the address bar after a refused update) leads to the item."""

import pytest

from partnerships.models import Project
from recommendations.models import FollowUpItem
from recommendations.tests.test_item_page import UPDATE, URL, loans

pytestmark = pytest.mark.django_db


def test_opening_a_recommendations_update_address_leads_to_its_page(client, staff):
    client.force_login(staff)
    response = client.get(UPDATE)
    assert response.status_code == 302 and response["Location"] == URL
    assert loans().updates.count() == 1


@pytest.mark.parametrize("kind", ["follow-up item", "project"])
def test_opening_the_update_address_of_other_kinds_leads_to_their_page(client, viewer, kind):
    item = FollowUpItem.objects.first() if kind == "follow-up item" else Project.objects.get(pk=1)
    client.force_login(viewer)
    response = client.get(item.get_update_url())
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()


def test_an_unknown_items_update_address_is_not_found(client, staff):
    client.force_login(staff)
    assert client.get("/recommendations/2010/2.1/99/update/").status_code == 404


def test_anonymous_visitors_are_still_sent_to_log_in(client):
    response = client.get(UPDATE)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
