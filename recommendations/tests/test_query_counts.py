"""Every page reads the database a bounded number of times, whatever the data."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = "/recommendations/2010/2.1/3/"
LIST = reverse("recommendations:list")
MATRIX = reverse("recommendations:matrix")


@pytest.mark.parametrize("url", [URL, "/recommendations/", "/my-items/", "/projects/", "/projects/1/"])
def test_pages_use_a_bounded_number_of_queries(client, editor, url, django_assert_max_num_queries):
    from recommendations import versioning

    client.force_login(editor)
    versioning.clear()  # the bound holds with nothing cached; cached filter lists only lower it
    with django_assert_max_num_queries(22):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", [
    LIST, LIST + "?theme=gender&status=not_started&q=migration", MATRIX, MATRIX + "?as_of=2011-01-01",
    reverse("recommendations:changes"), reverse("recommendations:actors"), reverse("home"),
    "/projects/?partner=1", "/recommendations/export.csv", "/recommendations/export.xlsx",
    "/follow-up/", "/follow-up/?q=pitfalls&status=not_started", "/follow-up/export.csv", "/search/?q=migration",
])
def test_report_pages_use_a_bounded_number_of_queries(viewer_client, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(26):  # the dashboard's 25, and the header's bell
        response = viewer_client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200


def test_session_headings_and_priorities_cost_no_query(viewer_client, django_assert_max_num_queries):
    """The list read 14 queries with nothing cached before it had session headings and priorities (15 since the
    header's bell counts the reader's unread notifications)."""
    from recommendations import versioning

    for query in ("", "?sort=status", "?sort=-session", "?priority=none&priority=high"):
        versioning.clear()
        with django_assert_max_num_queries(15):
            assert viewer_client.get(LIST + query).status_code == 200


@pytest.mark.parametrize("owned", [False, True])
def test_an_item_page_with_take_this_item_or_whom_to_ask_is_bounded(client, staff, editor, owned,
                                                                     django_assert_max_num_queries):
    from recommendations.models import Recommendation

    if owned:
        Recommendation.objects.filter(session__code="2.1", number=3).update(owner=editor)
    client.force_login(staff)
    with django_assert_max_num_queries(22):
        body = client.get(URL).content.decode()
    assert ("owns this item" if owned else "Take this item") in body


@pytest.mark.parametrize(("url", "bound"), [
    ("/recommendations/", 10), ("/recommendations/?q=migration&sort=-updated", 13), ("/follow-up/", 10),
    ("/projects/", 11), (URL, 14), ("/projects/1/", 13), ("/", 20), (MATRIX, 18), ("/search/?q=migration", 13),
])  # a text search: PostgreSQL's estimate and list of the matches, three more than SQLite's word-by-word check;
# an item page: its lineage's links and their content type (as signed in); the dashboard: its coverage (one
# aggregate); the matrix: its coverage by session (one per matrix), by theme (two), the actions by their status
# (two) and what is known of them (one)
def test_the_publics_pages_are_bounded_with_nothing_cached(client, staff, url, bound, django_assert_max_num_queries):
    """The public's rows name the responsible actors (one more prefetch) and read no owner; its item page
    reads the published entries only. More rows and more public entries cost no query."""
    from recommendations import versioning
    from recommendations.models import Recommendation

    rec = Recommendation.objects.get_by_natural_key(2010, "2.1", 3)
    for n in range(30):
        rec.record_update(by=staff, note=f"Public note {n}.", public=True)
    for n in range(9, 40):
        Recommendation.objects.create(session=rec.session, number=n, title=f"More {n}", text="More.")
    versioning.clear()
    with django_assert_max_num_queries(bound):
        assert client.get(url).status_code == 200
