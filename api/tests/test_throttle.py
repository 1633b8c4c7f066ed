"""Anonymous API calls are limited per client address (ANON_API_RATE, counted in Django's cache by DRF's
throttling): over the limit, 429 with Retry-After. The address is the one the rest of the site counts by
(`CLIENT_IP_HEADER`, believed only from a trusted proxy); signed-in clients are not limited."""

from ipaddress import ip_network

import pytest

from api.tests.conftest import get, token_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/themes/"


@pytest.fixture(autouse=True)
def two_a_minute(settings):
    settings.ANON_API_RATE = "2/m"


def test_the_third_call_in_a_minute_gets_429_with_retry_after(client):
    assert [client.get(URL).status_code for _ in range(2)] == [200, 200]
    refused = client.get("/api/v1/recommendations/")  # one count for every endpoint
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["detail"].startswith("Request was throttled.")
    assert "no-store" in refused["Cache-Control"] and not refused.has_header("ETag")


def test_another_address_and_a_signed_in_client_are_not_limited(client, viewer):
    for _ in range(3):
        client.get(URL)
    assert client.get(URL, REMOTE_ADDR="192.0.2.9").status_code == 200
    token = token_for(viewer)
    assert {get(client, URL, token).status_code for _ in range(4)} == {200}


def test_a_claimed_forwarded_address_counts_only_from_a_trusted_proxy(client, settings):
    for n in range(2):
        assert client.get(URL, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code == 200
    assert client.get(URL, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429  # all from 127.0.0.1
    settings.TRUSTED_PROXIES = [ip_network("127.0.0.1/32")]
    assert client.get(URL, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 200  # the client behind the proxy
    settings.CLIENT_IP_HEADER = "X-Real-IP"
    assert client.get(URL, HTTP_X_REAL_IP="198.51.100.8").status_code == 200


def test_the_rate_defaults_to_sixty_a_minute():
    from gfmd_tracker import settings

    assert settings.ANON_API_RATE == "60/m"
