"""The addresses the API writes into its answers are the URLconfs' own: an item's `url`, `updates_url` and
`web_url` equal what reverse() and the item's `get_absolute_url` give (the serializers build them from each
kind's list address, once, for speed), and each answers."""

import pytest
from django.urls import reverse

from partnerships.models import Project
from recommendations.models import FollowUpItem, Recommendation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["recommendation", "follow_up_item", "project"])
def test_an_items_addresses_are_the_urlconfs(client, kind):
    if kind == "project":
        item = Project.objects.order_by("pk").first()
        args = [item.pk]
    else:
        model, code = (Recommendation, "2.1") if kind == "recommendation" else (FollowUpItem, "CSD")
        item = model.objects.get_by_natural_key(2010, code, 1)
        args = item.natural_key()
    body = client.get(reverse(f"api:{kind}", args=args)).json()
    assert body["url"] == "http://testserver" + reverse(f"api:{kind}", args=args)
    assert body["updates_url"] == "http://testserver" + reverse(f"api:{kind}-updates", args=args)
    assert body["web_url"] == "http://testserver" + item.get_absolute_url()
    for address in (body["url"], body["updates_url"], body["web_url"]):
        assert client.get(address).status_code == 200
