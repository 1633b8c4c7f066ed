"""`as_of=<date>`: each item's status as it stood at the end of that day, counted exactly as the status matrix's
"as of" counts it (the same `reports.status_as_of`), for the public and for those who sign in."""

from collections import Counter

import pytest

from api.tests.conftest import get, item, token_for
from recommendations.models import Status

pytestmark = pytest.mark.django_db


def every(client, url, token=None):
    """Every row of a list, page after page (the cursor's `next`)."""
    rows = []
    while url:
        body = get(client, url, token).json()
        rows += body["results"]
        url = body["next"]
    return rows


def matrix_counts(client, query, token=None):
    if token:
        client.force_login(token)
    response = client.get(f"/reports/matrix/?{query}")
    client.logout()
    matrix = response.context["matrix"]
    return {row.session.code: {status: n for status, n in row.counts.items() if n}
            for group in matrix.groups for row in group.rows}


def api_counts(rows):
    counts = {}
    for row in rows:
        counts.setdefault(row["session"], Counter())[row["status"]] += 1
    return {code: dict(counted) for code, counted in counts.items()}


@pytest.mark.parametrize("day", ["2010-11-10", "2010-12-31", "2011-01-31", "2099-01-01"])
def test_the_apis_as_of_equals_the_matrixs(client, day, owned, staff, viewer):
    owned.record_update(by=staff, note="Started.", status=Status.IN_PROGRESS)  # today: counts from today on
    for who in (None, viewer):
        rows = every(client, f"/api/v1/recommendations/?as_of={day}&page_size=7", who and token_for(who))
        assert api_counts(rows) == matrix_counts(client, f"as_of={day}", who)


def test_as_of_reads_the_reports_dated_events(client):
    # 2.1/1: not started as of the meeting, in progress from January 2011 (the Dubai workshop, report line 461).
    url = "/api/v1/recommendations/2010/2.1/1/?as_of="
    assert client.get(url + "2010-12-31").json()["status"] == "not_started"
    assert client.get(url + "2011-01-31").json()["status"] == "in_progress"
    # Before the meeting's last day the seeded items had no status yet: none is listed.
    assert client.get("/api/v1/recommendations/?as_of=2010-11-10").json()["results"] == []


def test_as_of_leaves_out_an_item_made_later_and_refuses_a_bad_date(client, editor):
    from recommendations.models import Recommendation, Session

    new = Recommendation.objects.create(session=Session.objects.get(meeting__year=2010, code="2.1"), number=9,
                                        title="Added today", text="An editor's addition.")
    Recommendation.objects.filter(pk=new.pk).renumber()
    new.start_timeline(note="Added.", by=editor, public=True)
    keys = {row["key"] for row in every(client, "/api/v1/recommendations/?session=2.1&as_of=2011-12-31")}
    assert "2010/2.1/9" not in keys and len(keys) == 8
    assert client.get("/api/v1/recommendations/2010/2.1/9/?as_of=2011-12-31").status_code == 404
    assert client.get("/api/v1/recommendations/2010/2.1/9/").json()["status"] == "not_started"
    refused = client.get("/api/v1/recommendations/?as_of=2010-13-45")
    assert refused.status_code == 400 and refused.json() == {"as_of": ["Enter a valid date."]}
    assert item().status == Status.NOT_STARTED
