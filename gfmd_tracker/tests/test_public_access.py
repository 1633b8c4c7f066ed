"""What the public may do at the shared addresses: read, filter, search, download; never update, take,
use the admin or My items (sent to log in), never filter or sort by owner (no such box; a crafted one is
ignored). The header offers the public pages and a way to sign in."""

import pytest
from django.urls import reverse

from recommendations.models import Recommendation

pytestmark = pytest.mark.django_db

REC = "/recommendations/2010/2.1/3/"


@pytest.mark.parametrize(("method", "url"), [
    ("post", REC + "update/"), ("post", REC + "take/"), ("get", REC + "update/"), ("get", "/my-items/"),
    ("get", "/admin/"), ("get", "/admin/recommendations/recommendation/"), ("post", "/projects/1/update/"),
    ("post", "/recommendations/bulk-update/"), ("get", "/recommendations/names/possible-owners/?q=a"),
])
def test_the_public_is_sent_to_log_in_for_anything_but_reading(client, method, url):
    response = getattr(client, method)(url, {"note": "x", "version": 1} if method == "post" else {})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert Recommendation.objects.get_by_natural_key(2010, "2.1", 3).updates.count() == 1


def test_the_header_offers_the_public_pages_and_sign_in(client):
    body = client.get("/recommendations/").content.decode()
    assert '<a href="/accounts/login/?next=/recommendations/">Sign in</a>' in body
    assert "My items" not in body and "Log out" not in body
    for page in ("Dashboard", "Recommendations", "Follow-up items", "PfP projects", "Status matrix", "Actors"):
        assert f">{page}</a>" in body
    assert 'action="/search/"' in body


def test_no_owner_filter_is_offered_and_a_crafted_one_is_ignored(client, staff):
    Recommendation.objects.filter(session__code="2.1").update(owner=staff)
    body = client.get("/recommendations/").content.decode()
    assert 'name="owner"' not in body and "Owner" not in body
    everything = client.get("/recommendations/").context["page"].paginator.count
    for crafted in (f"?owner={staff.pk}", "?owner=none", "?owner=sam-staff", "?sort=owner", "?sort=-owner"):
        response = client.get("/recommendations/" + crafted)
        assert response.status_code == 200 and response.context["page"].paginator.count == everything
        assert 'data-label="Owner"' not in response.content.decode()


def test_the_public_filters_and_sorts_as_readers_do(client):
    response = client.get("/recommendations/?status=not_started&theme=gender&sort=-updated")
    assert response.status_code == 200
    assert response.context["filters_described"] == ["Status: Not started", "Theme: Gender",
                                                      "Sort by: Last update (descending)"]


def test_the_actor_names_are_offered_to_the_public_but_no_persons(client):
    assert client.get("/recommendations/names/responsible/?q=Mex").json() == {"names": ["Mexico"]}
    assert client.get(reverse("recommendations:names", args=["owner"]), {"q": "s"}).status_code == 302
