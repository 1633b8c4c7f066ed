"""Every tracked item has a priority (or none set): the lists show it and filter by it."""

import re

import pytest
from django.urls import reverse

from partnerships.models import Project
from recommendations.models import Recommendation

pytestmark = pytest.mark.django_db

LIST = reverse("recommendations:list")


def keys(response):
    return [r.natural_key()[1:] for r in response.context["page"].paginator.object_list]


@pytest.fixture
def prioritised():
    """2.1/1–3 high, 3.2/1 low; the report itself sets no priority."""
    for number in (1, 2, 3):
        Recommendation.objects.filter(pk=Recommendation.objects.get_by_natural_key(2010, "2.1", number).pk).update(
            priority="high")
    Recommendation.objects.filter(pk=Recommendation.objects.get_by_natural_key(2010, "3.2", 1).pk).update(
        priority="low")


def test_the_seeded_report_sets_no_priority(viewer_client):
    assert len(keys(viewer_client.get(LIST, {"priority": "none"}))) == 45  # 8 + 10 + 8 + 6 + 5 + 3 + 5
    assert keys(viewer_client.get(LIST, {"priority": "high"})) == []


def test_it_filters_by_one_priority_or_several(viewer_client, prioritised):
    assert keys(viewer_client.get(LIST, {"priority": "high"})) == [("2.1", 1), ("2.1", 2), ("2.1", 3)]
    assert keys(viewer_client.get(LIST, {"priority": ["low", "high"]})) == [
        ("2.1", 1), ("2.1", 2), ("2.1", 3), ("3.2", 1)]
    assert len(keys(viewer_client.get(LIST, {"priority": "none"}))) == 45 - 4
    assert len(keys(viewer_client.get(LIST, {"priority": ["none", "low"]}))) == 45 - 3
    assert keys(viewer_client.get(LIST, {"priority": "medium"})) == []


def test_a_bad_priority_gets_a_message(viewer_client):
    response = viewer_client.get(LIST, {"priority": "urgent"})
    assert "Select a valid choice. urgent is not one of the available choices." in response.content.decode()


def test_the_filter_is_stated_above_the_list(viewer_client, prioritised):
    html = viewer_client.get(LIST, {"priority": ["high", "none"]}).content.decode()
    assert "<strong>Filters:</strong> Priority: High, Not set</p>" in html


def test_the_list_shows_each_rows_priority(viewer_client, prioritised):
    html = viewer_client.get(LIST, {"session": "2.1"}).content.decode()
    cells = re.findall(r'<td data-label="Priority" class="priority[^"]*">([^<]*)</td>', html)
    assert cells == ["High", "High", "High", "—", "—", "—", "—", "—"]
    assert '<th scope="col">Priority</th>' in html


def test_projects_filter_and_show_priority_too(viewer_client):
    Project.objects.filter(title="Developing Migration Profiles").update(priority="medium")
    response = viewer_client.get(reverse("partnerships:list"), {"priority": "medium"})
    assert [p.title for p in response.context["page"].paginator.object_list] == ["Developing Migration Profiles"]
    assert '<td data-label="Priority" class="priority">Medium</td>' in response.content.decode()
    assert len(viewer_client.get(reverse("partnerships:list"), {"priority": "none"}).context["page"]) == 2


def test_my_items_show_priority(client, staff, editor):
    rec = Recommendation.objects.get_by_natural_key(2010, "1.2", 4)
    rec.record_update(by=editor, note="Yours.", owner=staff)
    Recommendation.objects.filter(pk=rec.pk).update(priority="high")
    client.force_login(staff)
    html = client.get(reverse("my_items")).content.decode()
    assert '<td data-label="Priority" class="priority">High</td>' in html
