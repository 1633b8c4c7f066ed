"""The API's lists take the lists' own filters (the same FilterSets): for each query, the API answers the rows
the list's download holds, for the public and for a signed-in reader."""

import csv
import io

import pytest

from api.tests.conftest import get, token_for

pytestmark = pytest.mark.django_db

QUERIES = ["", "status=in_progress", "theme=gender", "meeting=2010&session=2.1", "q=recruitment",
           "responsible=Switzerland", "country=MX", "co_chair=Sweden", "lineage=any", "roundtable=3&status=not_started",
           "stale=30"]


def download(client, path, query):
    response = client.get(f"{path}export.csv?{query}")
    assert response.status_code == 200, response.status_code
    text = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def every(client, url, token):
    rows = []
    while url:
        body = get(client, url, token).json()
        rows += body["results"]
        url = body["next"]
    return rows


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("who", ["public", "signed-in"])
def test_the_api_lists_the_rows_of_the_lists_download(client, settings, query, who, viewer):
    settings.ANON_EXPORT_RATE = settings.ANON_API_RATE = "1000/m"
    token = token_for(viewer) if who == "signed-in" else None
    if token:
        client.force_login(viewer)
    listed = download(client, "/recommendations/", query)
    client.logout()
    api = every(client, f"/api/v1/recommendations/?{query}&page_size=20", token)
    assert sorted(row["key"] for row in api) == sorted(f"{r['meeting']}/{r['session']}/{r['number']}" for r in listed)
    assert api  # every query selects rows: the comparison is not of two empty lists


def test_projects_and_follow_up_items_take_their_lists_filters(client, settings):
    settings.ANON_EXPORT_RATE = "1000/m"
    for query in ("stage=implementation", "partner=Mexico", "status=in_progress"):
        titles = sorted(r["title"] for r in download(client, "/projects/", query))
        assert sorted(p["title"] for p in every(client, f"/api/v1/projects/?{query}", None)) == titles
        assert titles
    calls = download(client, "/follow-up/", "session=CSD&theme=csd-labour-migration")
    api = every(client, "/api/v1/follow-up-items/?session=CSD&theme=csd-labour-migration", None)
    assert sorted(row["key"] for row in api) == sorted(f"2010/CSD/{r['number']}" for r in calls) and calls


def test_a_bad_filter_value_is_400_naming_it(client):
    response = client.get("/api/v1/recommendations/?status=done-ish")
    assert response.status_code == 400
    assert response.json() == {"status": ["Select a valid choice. done-ish is not one of the available choices."]}
