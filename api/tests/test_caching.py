"""HTTP caching of the API's reads, as the public pages do it: an ETag from the data version, the day, the address
and the audience; 304 to a conditional request until the data change; `Cache-Control: public, max-age=…` for the
public, `private, no-cache` for a signed-in reader; Vary on the cookie and the token. Writes are never stored."""

import pytest

from api.tests.conftest import ITEM_URL, UPDATES_URL, get, post, token_for

pytestmark = pytest.mark.django_db

READS = ["/api/v1/", "/api/v1/recommendations/?session=2.1&meeting=2010", ITEM_URL, UPDATES_URL,
         "/api/v1/meetings/2010/", "/api/v1/sessions/", "/api/v1/actors/Mexico/", "/api/v1/themes/",
         "/api/v1/partners/", "/api/v1/lineage/", "/api/v1/follow-up-items/", "/api/v1/projects/"]


def cache_control(response):
    return {part.strip() for part in response["Cache-Control"].split(",")}


@pytest.mark.parametrize("url", READS)
def test_a_public_read_is_cacheable_and_answered_304_until_the_data_change(client, url, settings, owned, staff):
    settings.PUBLIC_MAX_AGE = 120
    first = client.get(url)
    assert first.status_code == 200 and cache_control(first) == {"public", "max-age=120"}
    assert {"Cookie", "Authorization"} <= {v.strip() for v in first["Vary"].split(",")}
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == first["ETag"]
    assert client.get(url, headers={"If-None-Match": "W/" + first["ETag"]}).status_code == 304
    owned.record_update(by=staff, note="News.", progress=5)
    changed = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_a_signed_in_read_is_private_with_its_own_etag(client, viewer):
    token = token_for(viewer)
    public = client.get(ITEM_URL)
    mine = get(client, ITEM_URL, token)
    assert cache_control(mine) == {"private", "no-cache"} and mine["ETag"] != public["ETag"]
    assert get(client, ITEM_URL, token, **{"If-None-Match": mine["ETag"]}).status_code == 304
    assert get(client, ITEM_URL, token, **{"If-None-Match": public["ETag"]}).status_code == 200


def test_a_signed_in_readers_etag_names_the_items_version(client, owned, staff):
    token = token_for(staff)
    assert get(client, ITEM_URL, token)["ETag"].startswith(f'"v{owned.version}-')
    owned.record_update(by=staff, note="Progress.", progress=5)
    assert get(client, ITEM_URL, token)["ETag"].startswith(f'"v{owned.version}-')


def test_the_publics_etag_does_not_reveal_the_items_version(client, owned, staff):
    owned.record_update(by=staff, note="Internal progress.", progress=5)  # an internal entry: version 2
    etag = client.get(ITEM_URL)["ETag"]
    assert not etag.startswith('"v') and "-" not in etag


def test_a_head_request_gets_the_same_headers_and_no_body(client):
    head, read = client.head(ITEM_URL), client.get(ITEM_URL)
    assert head.status_code == 200 and head.content == b"" and head["ETag"] == read["ETag"]


def test_an_update_is_never_stored(client, owned, staff):
    response = post(client, UPDATES_URL, token_for(staff), {"note": "Written.", "version": owned.version})
    assert response.status_code == 201 and "no-store" in cache_control(response)
    assert not response.has_header("ETag")
