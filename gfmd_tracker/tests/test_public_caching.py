"""HTTP caching of the public's pages: `Cache-Control: public, max-age=PUBLIC_MAX_AGE`, an ETag from the
data version and the address, 304 to a conditional request until the data change, and `Vary: Cookie`;
a signed-in reader's page at the same address is never stored by a shared cache."""

import pytest

from recommendations.models import Recommendation

pytestmark = pytest.mark.django_db

PAGES = ["/", "/recommendations/?session=2.1&meeting=2010", "/recommendations/2010/2.1/3/", "/follow-up/",
         "/meetings/", "/meetings/2010/", "/projects/", "/reports/matrix/", "/reports/changes/", "/actors/",
         "/search/?q=recruitment", "/recommendations/export.csv"]


def cache_control(response):
    return {part.strip() for part in response["Cache-Control"].split(",")}


@pytest.mark.parametrize("url", PAGES)
def test_a_public_page_is_cacheable_by_anyone_with_an_etag(client, url, settings):
    settings.PUBLIC_MAX_AGE = 120
    response = client.get(url)
    assert response.status_code == 200
    assert cache_control(response) == {"public", "max-age=120"}
    assert response["ETag"].startswith('"') and len(response["ETag"]) == 34
    assert "Cookie" in response["Vary"]


def test_the_max_age_defaults_to_a_minute():
    from django.conf import settings

    assert settings.PUBLIC_MAX_AGE == 60


@pytest.mark.parametrize("url", PAGES)
def test_a_conditional_request_is_answered_304_until_the_data_change(client, url, staff):
    etag = client.get(url)["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    assert cache_control(again) == {"public", "max-age=60"}
    Recommendation.objects.get_by_natural_key(2010, "2.1", 3).record_update(by=staff, note="News.")
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_each_address_has_its_own_etag(client):
    assert client.get("/recommendations/")["ETag"] != client.get("/recommendations/?status=planned")["ETag"]


@pytest.mark.parametrize("url", PAGES)
def test_a_signed_in_readers_page_is_private_and_never_stored(viewer_client, url):
    response = viewer_client.get(url)
    assert response.status_code == 200
    assert {"private", "no-store", "no-cache"} <= cache_control(response)
    assert not response.has_header("ETag") and "Cookie" in response["Vary"]
    assert viewer_client.get(url, HTTP_IF_NONE_MATCH='"*"').status_code == 200


def test_pages_that_need_signing_in_are_not_cached_by_the_portal(client):
    response = client.get("/my-items/")
    assert response.status_code == 302 and not response.has_header("ETag")
    assert "public" not in response.get("Cache-Control", "")
