"""In the report's order, the list of recommendations has a heading per session, saying its name."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LIST = reverse("recommendations:list")

# The report's roundtables and sessions, as printed.
SESSIONS = [
    "Roundtable 1 · Session 1.1: Partnerships for more regular and protected migration",
    "Roundtable 1 · Session 1.2: Joint strategies to address irregular migration",
    "Roundtable 2 · Session 2.1: Reducing the costs of migration and maximizing human development",
    "Roundtable 2 · Session 2.2: Migration, gender and family",
    "Roundtable 3 · Session 3.1: Assessing the impact of migration on the economic and social development and "
    "addressing its cause-effect relationship",
    "Roundtable 3 · Session 3.2: Assessing the relevance and impact of climate change on migration and development",
    "Roundtable 3 · Session 3.3: How can RCPs and Inter-regional Fora best include the migration and development "
    "nexus?",
]


def headings(response):
    html = response.content.decode()
    return [re.sub(r"\s+", " ", h).strip() for h in re.findall(
        r'<tr class="session-heading"><th colspan="9" scope="rowgroup">(.*?) <span class="count">GFMD 2010</span>',
        html, re.S)]


def test_the_whole_list_has_a_heading_per_session_in_report_order(viewer_client):
    response = viewer_client.get(LIST)
    assert headings(response) == SESSIONS
    assert response.content.decode().count("<tbody>") == 7  # each session's rows a group of their own


@pytest.mark.parametrize("sort", ["session", "-session"])
def test_sorting_by_session_keeps_the_headings(viewer_client, sort):
    expected = SESSIONS if sort == "session" else SESSIONS[::-1]
    assert headings(viewer_client.get(LIST, {"sort": sort})) == expected


@pytest.mark.parametrize("sort", ["status", "number", "-due", "updated"])
def test_another_order_has_no_headings(viewer_client, sort):
    assert headings(viewer_client.get(LIST, {"sort": sort})) == []


def test_the_same_rows_in_another_order_are_not_given_the_cached_headings(viewer_client):
    # 2.1's rows come in the same order by session and by number: drawn once with headings, once without.
    assert headings(viewer_client.get(LIST, {"session": "2.1"})) == SESSIONS[2:3]
    assert headings(viewer_client.get(LIST, {"session": "2.1", "sort": "number"})) == []
    assert headings(viewer_client.get(LIST, {"session": "2.1"})) == SESSIONS[2:3]


def test_a_page_starting_inside_a_session_repeats_its_heading(viewer_client, monkeypatch):
    from recommendations.views import lists

    monkeypatch.setattr(lists, "PAGE_SIZE", 10)
    # 1.1 has 8 outcomes and 1.2 has 10: page 2 is 1.2/3–10 and 2.1/1–2.
    assert headings(viewer_client.get(LIST, {"page": 2})) == SESSIONS[1:3]


def test_a_search_in_report_order_has_headings_too(viewer_client):
    assert headings(viewer_client.get(LIST, {"q": "Virtual Library"})) == SESSIONS[5:6]


@pytest.mark.parametrize(("role", "columns"), [("viewer", 9), ("editor", 10)])  # an editor's rows have a tick box
def test_a_heading_spans_every_column_of_the_list(client, request, role, columns):
    client.force_login(request.getfixturevalue(role))
    html = client.get(LIST).content.decode()
    header = re.search(r"<thead>(.*?)</thead>", html, re.S).group(1)
    assert len(re.findall(r"<th\b", header)) == columns
    spans = set(re.findall(r'<tr class="session-heading"><th colspan="(\d+)"', html))
    assert spans == {str(columns)}
