"""The header's search box: every kind of item by its words, an item by its code, actors by name."""

import pytest
from django.urls import reverse

from recommendations.models import Recommendation

pytestmark = pytest.mark.django_db

SEARCH = reverse("search")


def found(response):
    """{kind: (count, [item shown, …])} as the page lists them."""
    return {label: (count, [str(item) for item in items]) for label, items, count, _ in response.context["groups"]}


def test_it_finds_the_follow_up_items_on_pitfalls_and_nothing_else(viewer_client):
    response = viewer_client.get(SEARCH, {"q": "pitfalls"})
    assert found(response) == {
        "Recommendations": (0, []),
        "Follow-up items": (2, ["CSD/1 The pitfalls of temporary and circular migration",
                                "CSD/10 Governments should recognize the potential pitfalls – the perpetuation of "
                                "the culture of dependency …"]),
        "PfP projects": (0, []),
    }
    assert response.context["actors"] == []
    body = response.content.decode()
    assert '<a href="/follow-up/2010/CSD/1/">CSD/1 The pitfalls of temporary and circular migration</a>' in body


def test_it_groups_what_it_finds_by_kind(viewer_client):
    # "unaccompanied": the project "Protecting Unaccompanied Migrant Children" and the civil society's call on
    # children and youth (line 1167), no recommendation.
    groups = found(viewer_client.get(SEARCH, {"q": "unaccompanied"}))
    assert groups["PfP projects"] == (1, ["Protecting Unaccompanied Migrant Children"])
    assert groups["Follow-up items"] == (1, ["CSD/24 Children and youth, particularly those unaccompanied in their "
                                             "journeys, must be given appropriate …"])


def test_it_finds_actors_by_name_or_short_name(viewer_client):
    response = viewer_client.get(SEARCH, {"q": "IOM"})
    assert "International Organization for Migration" in [a.name for a in response.context["actors"]]
    response = viewer_client.get(SEARCH, {"q": "mexico"})
    assert [a.name for a in response.context["actors"]] == ["Mexico"]


@pytest.mark.parametrize("code, url", [
    ("2.1/6", "/recommendations/2010/2.1/6/"),
    (" 2010/3.3/5 ", "/recommendations/2010/3.3/5/"),
    ("csd/1", "/follow-up/2010/CSD/1/"),
    ("FOF/1", "/follow-up/2010/FOF/1/"),
])
def test_a_code_goes_straight_to_its_item(viewer_client, code, url):
    response = viewer_client.get(SEARCH, {"q": code})
    assert response.status_code == 302 and response["Location"] == url


def test_a_code_of_no_item_is_searched_as_words(viewer_client):
    response = viewer_client.get(SEARCH, {"q": "2.1/9"})  # session 2.1 has 8 recommendations
    assert response.status_code == 200 and response.context["by_code"] == []
    assert found(response)["Recommendations"] == (0, [])


def test_a_code_shared_by_two_meetings_lists_both(viewer_client):
    from recommendations.models import Meeting, Session

    meeting = Meeting.objects.create(year=2011, edition="Fifth", city="Geneva", country="CH")
    session = Session.objects.create(meeting=meeting, code="2.1", title="Later", position=1)
    Recommendation.objects.create(session=session, number=6, title="A later sixth", text="Later.")
    response = viewer_client.get(SEARCH, {"q": "2.1/6"})
    assert response.status_code == 200
    assert [i.natural_key() for i in response.context["by_code"]] == [(2011, "2.1", 6), (2010, "2.1", 6)]


def test_the_list_link_carries_the_words(viewer_client):
    groups = viewer_client.get(SEARCH, {"q": "low-cost loans"}).context["groups"]
    assert groups[0][3] == "/recommendations/?q=low-cost%20loans"


def test_too_long_a_search_says_so_and_searches_nothing(viewer_client):
    response = viewer_client.get(SEARCH, {"q": "x" * 201})
    assert response.status_code == 200 and response.context["groups"] == []
    assert "Ensure this value has at most 200 characters (it has 201)." in response.content.decode()


def test_an_empty_search_explains_what_to_type(viewer_client):
    response = viewer_client.get(SEARCH)
    assert response.context["groups"] == [] and "an item's code such as" in response.content.decode()


def test_the_header_box_is_on_every_page(viewer_client):
    body = viewer_client.get(reverse("recommendations:list")).content.decode()
    assert '<form class="site-search" method="get" action="/search/" role="search">' in body


def test_it_reads_the_database_a_bounded_number_of_times(viewer_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):  # per kind its matches (PostgreSQL: estimate, ids), its first items
        assert viewer_client.get(SEARCH, {"q": "migration"}).status_code == 200
    with django_assert_max_num_queries(8):
        assert viewer_client.get(SEARCH, {"q": "2.1/6"}).status_code == 302


def test_anonymous_visitors_search_the_public_items(client):
    """The public portal: the same search, over the published items and notes (gfmd_tracker/portal.py)."""
    response = client.get(SEARCH, {"q": "pitfalls"})
    assert response.status_code == 200
    assert "Follow-up items <span class=\"count\">(" in response.content.decode()
