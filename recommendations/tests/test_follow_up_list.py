"""The list of follow-up items (the civil society's five priority subjects and its statement's calls, the
Platform for Partnerships' own commitments, the Future of the Forum decisions)."""

import csv
import io

import pytest
from django.urls import reverse

from recommendations.models import FollowUpItem, Status

pytestmark = pytest.mark.django_db

LIST = reverse("recommendations:follow_up_list")


def keys(response):
    return [i.natural_key()[1:] for i in response.context["page"].paginator.object_list]


def test_it_lists_the_follow_up_items_in_report_order(viewer_client):
    response = viewer_client.get(LIST)
    # The report: Civil Society Days, subjects 1-5 and the statement's 43 calls; the PfP working session, 4;
    # Future of the Forum, 5 decisions.
    assert keys(response) == ([("CSD", n) for n in range(1, 49)] + [("PFP", n) for n in range(1, 5)]
                              + [("FOF", n) for n in range(1, 6)])
    body = response.content.decode()
    assert 'href="/follow-up/2010/PFP/2/">The PfP provides no funding for projects</a>' in body
    assert "Showing 1–50 of 57" in body
    page_2 = viewer_client.get(LIST, {"page": 2}).content.decode()
    assert 'href="/follow-up/2010/FOF/1/">GFMD assessment</a>' in page_2


def test_its_text_search_finds_pitfalls(viewer_client):
    # Subject 1, and the call "Governments should recognize the potential pitfalls – …" (line 1139).
    assert keys(viewer_client.get(LIST, {"q": "pitfalls"})) == [("CSD", 1), ("CSD", 10)]


def test_it_filters_by_status_and_session(viewer_client, editor):
    FollowUpItem.objects.get_by_natural_key(2010, "CSD", 3).record_update(
        by=editor, note="Planned with civil society.", status=Status.PLANNED)
    assert keys(viewer_client.get(LIST, {"status": "planned"})) == [("CSD", 3)]
    assert keys(viewer_client.get(LIST, {"meeting": 2010, "session": "FOF"})) == [("FOF", n) for n in range(1, 6)]


def test_the_csv_export_holds_the_filtered_rows(viewer_client):
    response = viewer_client.get(reverse("recommendations:follow_up_export", args=["csv"]), {"session": "CSD"})
    assert response["Content-Disposition"].startswith('attachment; filename="gfmd-follow-up-items-')
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [(r["session"], r["number"], r["status"]) for r in rows] == [
        ("CSD", str(n), "Not started") for n in range(1, 49)]


def test_a_bad_filter_says_so_and_lists_nothing_else(viewer_client):
    response = viewer_client.get(LIST, {"due_after": "not a date"})
    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()


def test_the_menu_links_to_it(viewer_client):
    assert f'<a href="{LIST}" aria-current="page">Follow-up items</a>' in viewer_client.get(LIST).content.decode()
    assert f'<a href="{LIST}">Follow-up items</a>' in viewer_client.get(reverse("home")).content.decode()


def test_anonymous_visitors_read_the_public_list_without_owners(client):
    """The public portal: the same list, with the responsible actors where signed-in readers see the owner."""
    body = client.get(LIST).content.decode()
    assert "<th scope=\"col\">Responsible actors</th>" in body and ">Owner<" not in body


def test_its_header_has_a_column_for_every_cell_and_a_heading_per_session(viewer_client):
    import re

    body = viewer_client.get(LIST).content.decode()
    table = body[body.index('<table class="items">'):body.index("</table>")]
    header = re.search(r"<thead>(.*?)</thead>", table, re.S).group(1)
    first_row = re.search(r"<tr>\s*<td(.*?)</tr>", table, re.S).group(0)
    assert len(re.findall(r"<th\b", header)) == len(re.findall(r"<td\b", first_row)) == 9
    # The two sessions of the report that have follow-up items: the Civil Society Days, the Future of the Forum.
    headings = re.findall(r'<tr class="session-heading"><th[^>]*>(.*?)<span', table, re.S)
    # Page 1 of 50 rows: the Civil Society Days' 48 items and the PfP's first 2 (the rest on page 2).
    assert [" ".join(h.split()).split(":")[0] for h in headings] == ["Session CSD", "Session PFP"]
