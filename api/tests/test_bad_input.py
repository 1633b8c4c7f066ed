"""Bad input to the lists is the client's error, never a 500: a cursor whose position is not a value of the list's
order (DRF's own answer to a broken cursor, 404 "Invalid cursor"), an id past any database integer (400 naming it)."""

from base64 import b64encode
from urllib.parse import quote

import pytest

from api.tests.conftest import UPDATES_URL, get, token_for

pytestmark = pytest.mark.django_db

LISTS = ["/api/v1/recommendations/", "/api/v1/follow-up-items/", "/api/v1/projects/", "/api/v1/meetings/",
         "/api/v1/sessions/", "/api/v1/actors/", "/api/v1/themes/", "/api/v1/partners/", "/api/v1/lineage/",
         UPDATES_URL]
POSITIONS = ["abc", "\x00", "1\x00", "", "99999999999999999999999", "2010-13-45 99:00"]


def cursor(position):
    return quote(b64encode(f"p={position}".encode()).decode())


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("position", POSITIONS)
def test_a_cursor_with_a_position_not_of_the_lists_order_is_an_invalid_cursor(client, url, position):
    response = client.get(f"{url}?cursor={cursor(position)}")
    if response.status_code == 200:  # a text order ("abc" is a name): a position, only a page past it
        assert position.isprintable() and "\x00" not in position
        return
    assert response.status_code == 404 and response.json() == {"detail": "Invalid cursor"}


def test_the_cursors_the_lists_give_still_lead_page_after_page(client, staff):
    token = token_for(staff)
    for url in LISTS:
        seen, page = [], f"{url}?page_size=2"
        while page:
            body = get(client, page, token).json()
            seen += body["results"]
            page = body["next"]
        assert len(seen) == len(get(client, f"{url}?page_size=100", token).json()["results"]), url


@pytest.mark.parametrize("query", ["project=99999999999999999999999", "project=-1", "project=1.5", "project=x"])
def test_a_partners_project_that_is_no_id_is_400_naming_it(client, query):
    response = client.get(f"/api/v1/partners/?{query}")
    assert response.status_code == 400 and list(response.json()) == ["project"]


def test_a_sessions_meeting_that_is_no_year_is_400_naming_it(client):
    response = client.get("/api/v1/sessions/?meeting=99999999999999999999999")
    assert response.status_code == 400 and list(response.json()) == ["meeting"]
