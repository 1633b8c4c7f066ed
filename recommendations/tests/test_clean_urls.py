"""A list's address carries only the filters that are set, each value once: a form sent as it is
(every empty box, a value twice) is redirected to the same list without them, and the page's own
links (sort headings, pages, exports, the matrix's counts) are built clean."""

import re
from html import unescape

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LIST = reverse("recommendations:list")


def redirected(response):
    assert response.status_code == 302
    return response["Location"]


@pytest.mark.parametrize(("query", "clean"), [
    ("q=recruitment&owner=&responsible=&country=", "?q=recruitment"),  # empty boxes
    ("meeting=2010&meeting=2010", "?meeting=2010"),  # repeated
    ("status=planned&status=stalled&status=planned", "?status=planned&status=stalled"),  # several values kept
    ("q=&meeting=2010&owner=&meeting=2010&session=2.1&sort=", "?meeting=2010&session=2.1"),  # both
    ("q=++&stale=", ""),  # blanks only: the whole list
])
def test_it_redirects_a_list_with_empty_or_repeated_parameters(viewer_client, query, clean):
    assert redirected(viewer_client.get(f"{LIST}?{query}")) == LIST + clean


def test_it_serves_the_clean_address_itself(viewer_client):
    response = viewer_client.get(f"{LIST}?meeting=2010&session=2.1&status=planned&status=in_progress")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 1  # 2.1/1 is in progress; nothing in 2.1 is planned


def test_a_bad_value_gets_the_forms_message_not_a_redirect_loop(viewer_client):
    address = redirected(viewer_client.get(f"{LIST}?meeting=1999&q="))
    assert address == LIST + "?meeting=1999"
    response = viewer_client.get(address)
    assert response.status_code == 200
    assert "Select a valid choice. 1999 is not one of the available choices." in response.content.decode()


@pytest.mark.parametrize("url", [
    reverse("partnerships:list"), reverse("recommendations:matrix"),
    reverse("recommendations:export", args=["csv"]), reverse("partnerships:export", args=["xlsx"]),
])
def test_the_other_lists_and_downloads_redirect_too(viewer_client, url):
    assert redirected(viewer_client.get(f"{url}?status=stalled&q=&status=stalled")) == url + "?status=stalled"


def links(response):
    return [unescape(href) for href in re.findall(r'href="([^"]*\?[^"]*)"', response.content.decode())]


def test_the_pages_links_carry_only_what_is_set(viewer_client, monkeypatch):
    from recommendations.views import lists

    monkeypatch.setattr(lists, "PAGE_SIZE", 10)
    response = viewer_client.get(LIST, {"meeting": "2010", "theme": "gender", "sort": "-due"})
    hrefs = links(response)
    assert f"{reverse('recommendations:export', args=['csv'])}?meeting=2010&theme=gender&sort=-due" in hrefs
    assert "?meeting=2010&theme=gender&sort=status" in hrefs  # a sort heading
    for href in hrefs:
        query = href.split("?", 1)[1]
        pairs = query.split("&") if query else []
        assert all(not pair.endswith("=") for pair in pairs), href
        assert len(pairs) == len(set(pairs)), href


def test_the_form_sends_the_sort_only_when_there_is_one(viewer_client):
    assert 'name="sort"' not in viewer_client.get(LIST).content.decode()
    sorted_page = viewer_client.get(LIST, {"sort": "-due"}).content.decode()
    assert '<input type="hidden" name="sort" value="-due">' in sorted_page


def test_the_pages_and_the_matrix_link_clean(viewer_client, monkeypatch):
    from recommendations.views import lists

    monkeypatch.setattr(lists, "PAGE_SIZE", 10)
    pages = [h for h in links(viewer_client.get(LIST, {"status": "not_started"})) if "page=" in h]
    assert pages == ["?status=not_started&page=2", "?status=not_started&page=5"] * 2  # above and below the rows
    matrix = links(viewer_client.get(reverse("recommendations:matrix"), {"theme": "gender"}))
    assert f"{LIST}?theme=gender&meeting=2010&session=2.2" in matrix


@pytest.mark.parametrize("name", ["recommendations:follow_up_list", "recommendations:follow_up_export"])
def test_the_follow_up_items_list_and_export_are_cleaned_too(viewer_client, name):
    kwargs = {"fmt": "csv"} if name.endswith("export") else {}
    address = reverse(name, kwargs=kwargs)
    assert redirected(viewer_client.get(f"{address}?q=pitfalls&owner=&q=pitfalls")) == address + "?q=pitfalls"
