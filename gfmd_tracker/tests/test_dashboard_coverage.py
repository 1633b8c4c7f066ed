"""The dashboard states the coverage of the recommendations' follow-up, with how it is computed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from recommendations.models import Recommendation

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported():
    """Of the 45 seeded recommendations, three reported: 1.1/1 10 days ago at 40 %, 1.1/2 100 days ago at 80 %,
    1.1/3 5 days ago at 30 %; the 42 others never (the seed writes only their opening entries)."""
    items = Recommendation.objects.all()
    items.update(last_report_at=None, progress_from_actions=False, actions_reported=0)
    now = timezone.now()
    for number, days, progress in ((1, 10, 40), (2, 100, 80), (3, 5, 30)):
        items.filter(session__code="1.1", number=number).update(
            last_report_at=now - datetime.timedelta(days=days), progress=progress)


def test_the_dashboard_shows_the_coverage_figures(viewer_client, reported):
    response = viewer_client.get(reverse("home"))
    figures = response.context["coverage"]
    assert (figures["total"], figures["reported"], figures["reported_recent"], figures["unknown"],
            figures["progress"]) == (45, 3, 2, 42, 50)  # (40 + 80 + 30) / 3
    body = " ".join(response.content.decode().split())
    assert "<div><dt>Reported</dt><dd>3 (7%)</dd></div>" in body  # 3 of 45
    assert "<div><dt>Reported in the last 90 days</dt><dd>2 (4%)</dd></div>" in body
    assert "<div><dt>Unknown (no report)</dt><dd>42</dd></div>" in body
    assert "<div><dt>Progress over the reported</dt><dd>50%</dd></div>" in body
    assert "<summary>How this is computed</summary>" in body


def test_the_publics_dashboard_counts_the_published_recommendations(client, reported):
    Recommendation.objects.filter(session__code="1.1", number=1).update(is_public=False)
    figures = client.get(reverse("home")).context["coverage"]
    assert (figures["total"], figures["reported"], figures["progress"]) == (44, 2, 55)  # (80 + 30) / 2
