"""The lists' Lineage filter: recommendations, follow-up items and PfP projects by their lineage (the seeded
links are the report's lines 785, 791 and 799; a project serves 1.2/9, 3.1/3 and 3.3/3)."""

import csv
import io
import re

import pytest

from recommendations.models import FollowUpItem, Lineage, Recommendation

pytestmark = pytest.mark.django_db

HANDBOOK = "Handbook on Engaging Diasporas in Development Activities in both Host and Home Countries"
CHILDREN = "Protecting Unaccompanied Migrant Children"
PROFILES = "Developing Migration Profiles"


def shown(response):
    assert response.status_code == 200
    return [str(item) for item in response.context["page"].paginator.object_list]


@pytest.mark.parametrize(("lineage", "titles"), [
    ("any", [PROFILES, HANDBOOK, CHILDREN]),
    ("originates_from", [PROFILES, HANDBOOK]),  # Athens 2009 Roundtable 1.2 (785); the 2009 GFMD meeting (799)
    ("builds_on", [CHILDREN]),  # the 2008 Roundtable (791)
    ("forms_part_of", [PROFILES]),  # the Working Group's thematic agenda (799)
    ("reiterates", []),
    ("implemented", [PROFILES, CHILDREN]),  # they serve 3.1/3 and 3.3/3; 1.2/9
])
def test_projects_filter_by_their_lineage(viewer_client, lineage, titles):
    assert shown(viewer_client.get("/projects/", {"lineage": lineage})) == titles


def test_recommendations_filter_by_the_projects_implementing_them_or_any_lineage(viewer_client):
    implemented = ["1.2/9 Protect the most vulnerable irregular migrants",
                   "3.1/3 Produce and update Migration Profiles",
                   "3.3/3 Regional data collection and cross-fertilization"]
    assert shown(viewer_client.get("/recommendations/", {"lineage": "implemented"})) == implemented
    assert shown(viewer_client.get("/recommendations/", {"lineage": "any"})) == implemented
    assert shown(viewer_client.get("/recommendations/", {"lineage": "originates_from"})) == []


def test_a_link_to_an_item_counts_as_lineage_of_both_items_but_its_kind_only_for_the_item_it_starts_from(
        viewer_client):
    review = FollowUpItem.objects.get_by_natural_key(2010, "FOF", 5)
    rec = Recommendation.objects.get_by_natural_key(2010, "2.1", 5)
    Lineage.objects.create(kind=Lineage.Kind.BUILDS_ON, item=review, target=rec, sentence="A sentence.", line=825)

    assert shown(viewer_client.get("/follow-up/", {"lineage": "builds_on"})) == [str(review)]
    assert shown(viewer_client.get("/follow-up/", {"lineage": "any"})) == [str(review)]
    assert str(rec) in shown(viewer_client.get("/recommendations/", {"lineage": "any"}))
    assert shown(viewer_client.get("/recommendations/", {"lineage": "builds_on"})) == []


def lineage_options(html):
    select = re.search(r'<select name="lineage"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)


def test_the_follow_up_list_offers_no_implementation_choice(viewer_client):
    assert lineage_options(viewer_client.get("/follow-up/").content.decode()) == [
        ("", "Any, or none"), ("any", "Has any lineage"), ("originates_from", "Originates from"),
        ("reiterates", "Reiterates"), ("builds_on", "Builds on"), ("forms_part_of", "Forms part of")]
    response = viewer_client.get("/follow-up/", {"lineage": "implemented"})
    assert "Select a valid choice" in response.content.decode()


def test_the_projects_list_names_its_implementation_choice_and_states_the_filter(viewer_client):
    html = viewer_client.get("/projects/", {"lineage": "implemented"}).content.decode()
    assert lineage_options(html)[-1] == ("implemented", "Implements a GFMD outcome")
    assert '<option value="implemented" selected>Implements a GFMD outcome</option>' in html
    assert lineage_options(viewer_client.get("/recommendations/").content.decode())[-1] == (
        "implemented", "Is implemented by a PfP project")
    assert "Lineage: Implements a GFMD outcome" in html


def test_the_lineage_filter_reaches_the_export_and_the_matrix(viewer_client):
    response = viewer_client.get("/projects/export.csv", {"lineage": "builds_on"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row["title"] for row in rows] == [CHILDREN]
    matrix = viewer_client.get("/reports/matrix/", {"lineage": "implemented"})
    assert matrix.context["matrix"].total.total == 3  # 1.2/9, 3.1/3, 3.3/3
