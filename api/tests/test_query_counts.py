"""Every list and record of the API is read in a fixed number of queries, whatever the page size: the same count
for 2 rows as for 100 (the public's and a signed-in reader's)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.tests.conftest import get, token_for
from partnerships.models import Project

pytestmark = pytest.mark.django_db

LISTS = ["/api/v1/recommendations/", "/api/v1/follow-up-items/", "/api/v1/projects/", "/api/v1/meetings/",
         "/api/v1/sessions/", "/api/v1/actors/", "/api/v1/themes/", "/api/v1/partners/", "/api/v1/lineage/",
         "/api/v1/recommendations/2010/2.1/1/updates/"]
RECORDS = ["/api/v1/recommendations/2010/2.1/1/", "/api/v1/follow-up-items/2010/CSD/1/", "/api/v1/meetings/2010/",
           "/api/v1/sessions/2010/2.1/", "/api/v1/actors/Mexico/", "/api/v1/themes/gender/"]
MAX_LIST_QUERIES = {"public": 8, "signed-in": 12}


def queries(client, url, token):
    with CaptureQueriesContext(connection) as captured:
        response = get(client, url, token)
    assert response.status_code == 200, url
    return len(captured), len(response.json().get("results", [1]))


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("who", ["public", "signed-in"])
def test_a_lists_queries_do_not_grow_with_its_page(client, url, who, viewer, staff):
    token = token_for(viewer) if who == "signed-in" else None
    if "meetings" in url:  # the report has one; three more, with a session each
        from recommendations.models import Meeting, Session

        for year in (2011, 2012, 2013):
            meeting = Meeting.objects.create(year=year, edition="Test", title="A meeting", city="Geneva",
                                             country="CH")
            Session.objects.create(meeting=meeting, code="1.1", title="A session")
    if "updates" in url:  # a timeline long enough for two pages of 100
        from recommendations.models import Recommendation

        rec = Recommendation.objects.get_by_natural_key(2010, "2.1", 1)
        for n in range(120):
            rec.record_update(by=staff, note=f"Note {n}.", public=True)
    get(client, url, token)  # the first request of a test reads what later ones find cached (content types)
    small, rows_small = queries(client, f"{url}?page_size=2", token)
    large, rows_large = queries(client, f"{url}?page_size=100", token)
    assert rows_small == 2 and rows_large > 2
    assert small == large <= MAX_LIST_QUERIES[who], (small, large)


@pytest.mark.parametrize("url", [*RECORDS, "project"])
def test_a_record_is_read_in_a_few_queries(client, url, viewer):
    url = f"/api/v1/projects/{Project.objects.order_by('pk').first().pk}/" if url == "project" else url
    token = token_for(viewer)
    get(client, url, token)
    assert queries(client, url, None)[0] <= 9
    assert queries(client, url, token)[0] <= 12
