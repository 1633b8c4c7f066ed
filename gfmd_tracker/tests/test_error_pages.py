"""Production 403 and 404 pages (DEBUG off): the site's layout, the reason, and ways back."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


def ways_back(body):
    nav = re.search(r'<nav class="ways-back" aria-label="Ways back">(.*?)</nav>', body, re.S).group(1)
    return re.findall(r'<a class="button[^"]*" href="([^"]+)">([^<]+)</a>', nav)


def test_a_page_not_found_is_in_the_sites_layout_with_ways_back(viewer_client):
    response = viewer_client.get("/recommendations/2010/9.9/1/")

    assert response.status_code == 404
    body = response.content.decode()
    assert "<title>Page not found · GFMD Tracker</title>" in body
    assert '<nav aria-label="Main">' in body and '<footer class="site-footer">' in body
    assert "<h1>Page not found</h1>" in body
    assert ways_back(body) == [("/", "Dashboard"), ("/my-items/", "My items"),
                               ("/recommendations/", "Recommendations"), ("/projects/", "PfP projects")]


def test_a_refusal_is_in_the_sites_layout_with_its_reason_and_ways_back(viewer_client):
    response = viewer_client.post(reverse("recommendations:bulk_update"), {"note": "x"})

    assert response.status_code == 403
    body = response.content.decode()
    assert "<title>Not allowed · GFMD Tracker</title>" in body
    assert '<nav aria-label="Main">' in body
    assert "<h1>Not allowed</h1>" in body and "Nothing was changed." in body
    assert ways_back(body)[0] == ("/", "Dashboard")


def test_a_visitor_not_logged_in_is_offered_the_public_pages_and_to_sign_in(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert '<nav aria-label="Main">' in body and "My items" not in body
    assert ways_back(body) == [("/", "Dashboard"), ("/recommendations/", "Recommendations"),
                               ("/projects/", "PfP projects"), ("/accounts/login/", "Sign in")]
