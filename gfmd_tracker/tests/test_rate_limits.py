"""Anonymous downloads are limited per client address (ANON_EXPORT_RATE, counted by django-ratelimit in
Django's cache): over the limit, a 429 page that says when to come back, with Retry-After. Signed-in
readers and the pages themselves are not limited; behind a trusted proxy the address is the client's."""

import pytest

pytestmark = pytest.mark.django_db

CSV = "/recommendations/export.csv"


@pytest.fixture(autouse=True)
def two_a_minute(settings):
    settings.ANON_EXPORT_RATE = "2/m"


def test_the_third_download_in_a_minute_gets_429_with_retry_after(client):
    assert [client.get(CSV).status_code for _ in range(2)] == [200, 200]
    refused = client.get("/projects/export.xlsx")  # one count for every download
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    body = refused.content.decode()
    assert "<h1>Too many downloads from your address</h1>" in body
    assert f"try again in {refused['Retry-After']} second" in body
    assert "no-store" in refused["Cache-Control"] and not refused.has_header("ETag")


def test_another_address_and_the_pages_are_not_limited(client):
    for _ in range(3):
        client.get(CSV)
    assert client.get(CSV, REMOTE_ADDR="192.0.2.9").status_code == 200
    assert client.get("/recommendations/").status_code == 200


def test_signed_in_readers_are_not_limited(viewer_client):
    assert {viewer_client.get(CSV).status_code for _ in range(4)} == {200}


def test_a_claimed_forwarded_address_counts_only_from_a_trusted_proxy(client, settings):
    for n in range(2):
        assert client.get(CSV, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code == 200
    assert client.get(CSV, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429  # all from 127.0.0.1

    from ipaddress import ip_network

    settings.TRUSTED_PROXIES = [ip_network("127.0.0.1/32")]
    assert client.get(CSV, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 200  # the client behind the proxy
    settings.CLIENT_IP_HEADER = "X-Real-IP"
    assert client.get(CSV, HTTP_X_REAL_IP="198.51.100.8").status_code == 200
