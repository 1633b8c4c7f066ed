"""The lists filter by freshness (per meeting thresholds) and by closure verification; their rows show the
freshness light and "awaiting verification"; the old "no update in N days" filter keeps working."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Project
from recommendations.models import FollowUpItem, Meeting, Recommendation, Status

pytestmark = pytest.mark.django_db

LIST = reverse("recommendations:list")


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def session_1_1():
    """Session 1.1's eight recommendations: 1 updated 10 days ago, 2 100 days ago, 3 200 days ago, 4 800 days ago,
    7 and 8 five days ago (open, in progress); 5 implemented awaiting verification, 6 implemented and verified."""
    items = Recommendation.objects.filter(session__meeting__year=2010, session__code="1.1")
    items.update(status=Status.IN_PROGRESS, verification="", last_update_at=days_ago(5))
    for number, days in ((1, 10), (2, 100), (3, 200), (4, 800)):
        items.filter(number=number).update(last_update_at=days_ago(days))
    items.filter(number=5).update(status=Status.IMPLEMENTED, verification="awaiting")
    items.filter(number=6).update(status=Status.IMPLEMENTED, verification="verified")
    return items


def numbers(client, **filters):
    page = client.get(LIST, {"session": "1.1", **filters}).context["page"]
    return sorted(item.number for item in page)


@pytest.mark.parametrize(("state", "expected"), [("current", [1, 7, 8]), ("ageing", [2]), ("stale", [3]),
                                                 ("inactive", [4])])
def test_it_filters_by_freshness(viewer_client, session_1_1, state, expected):
    assert numbers(viewer_client, freshness=state) == expected


def test_freshness_follows_the_thresholds_of_each_items_meeting(viewer_client, session_1_1):
    Meeting.objects.filter(year=2010).update(ageing_after_days=30, stale_after_days=60)
    assert numbers(viewer_client, freshness="stale") == [2, 3]
    assert numbers(viewer_client, freshness="ageing") == []


@pytest.mark.parametrize(("claim", "expected"), [("awaiting", [5]), ("verified", [6])])
def test_it_filters_by_verification(viewer_client, session_1_1, claim, expected):
    assert numbers(viewer_client, verification=claim) == expected


def test_the_old_no_update_in_n_days_filter_still_works(viewer_client, session_1_1):
    assert numbers(viewer_client, stale=90) == [2, 3, 4]


def test_the_public_filters_by_freshness_too(client, session_1_1):
    assert numbers(client, freshness="stale") == [3]


def test_an_odd_freshness_is_refused_with_a_message(viewer_client, session_1_1):
    response = viewer_client.get(LIST, {"freshness": "rotten"})
    assert response.status_code == 200
    assert "Select a valid choice. rotten is not one of the available choices." in response.content.decode()


def test_rows_show_the_freshness_light_and_awaiting_verification(viewer_client, session_1_1):
    body = " ".join(viewer_client.get(LIST, {"session": "1.1"}).content.decode().split())
    assert ('<span class="freshness freshness-ageing"><span class="light" aria-hidden="true"></span>Ageing · '
            'latest update 100 days ago</span>') in body
    assert ('<span class="freshness freshness-inactive"><span class="light" aria-hidden="true"></span>Inactive · '
            'latest update 800 days ago</span>') in body
    assert '<span class="badge status-implemented">Implemented — awaiting verification</span>' in body
    assert '<span class="badge status-implemented">Implemented — verified</span>' in body


def test_the_follow_up_items_and_projects_lists_filter_by_freshness(viewer_client):
    FollowUpItem.objects.update(status=Status.IN_PROGRESS, last_update_at=days_ago(5))
    stale = FollowUpItem.objects.order_by("pk").first()
    FollowUpItem.objects.filter(pk=stale.pk).update(last_update_at=days_ago(300))
    page = viewer_client.get(reverse("recommendations:follow_up_list"), {"freshness": "stale"}).context["page"]
    assert [item.pk for item in page] == [stale.pk]
    Project.objects.update(status=Status.IN_PROGRESS, last_update_at=days_ago(5))
    project = Project.objects.order_by("pk").first()
    Project.objects.filter(pk=project.pk).update(last_update_at=days_ago(100))
    response = viewer_client.get(reverse("partnerships:list"), {"freshness": "ageing"})
    assert [item.pk for item in response.context["page"]] == [project.pk]
    assert "Ageing · latest update 100 days ago" in " ".join(response.content.decode().split())


def test_the_lights_cost_no_query_per_row(viewer_client, session_1_1, django_assert_max_num_queries):
    # 15, and the header's bell (the reader's unread notifications): the same with 50 lights as with a few.
    with django_assert_max_num_queries(16):
        viewer_client.get(LIST, {"freshness": "current"})
    with django_assert_max_num_queries(16):
        viewer_client.get(LIST)  # 50 rows, each with its light
