"""Coverage: what a set of items says about how much of it is known, in one query (`coverage`)."""

import datetime

import pytest
from django.utils import timezone

from recommendations.models import Recommendation, Status

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 6, 15, 12))


def ago(days):
    return NOW - datetime.timedelta(days=days)


@pytest.fixture
def items():
    """Six items of session 1.1, arranged column by column (the write path is tested elsewhere):
    A reported 10 days ago, 40 %; B reported 200 days ago, 80 %; C closed before verification existed, never
    reported (0 % by hand: unknown); D followed by its actions, one reported at 60 %; E claimed implemented 5 days
    ago, 100 %; F verified 400 days ago, 100 %."""
    rows = {
        1: dict(last_report_at=ago(10), progress=40, status=Status.IN_PROGRESS),
        2: dict(last_report_at=ago(200), progress=80, status=Status.ONGOING),
        3: dict(last_report_at=None, progress=0, status=Status.IMPLEMENTED, verification=""),
        4: dict(last_report_at=None, progress=0, progress_from_actions=True, actions_count=2, actions_reported=1,
                actions_progress=60),
        5: dict(last_report_at=ago(5), progress=100, status=Status.IMPLEMENTED, verification="awaiting"),
        6: dict(last_report_at=ago(400), progress=100, status=Status.IMPLEMENTED, verification="verified"),
    }
    base = dict(status=Status.NOT_STARTED, verification="", progress_from_actions=False, actions_count=0,
                actions_reported=0, actions_progress=None)
    for number, values in rows.items():
        Recommendation.objects.filter(session__meeting__year=2010, session__code="1.1", number=number).update(
            **{**base, **values})
    return Recommendation.objects.filter(session__meeting__year=2010, session__code="1.1", number__lte=6)


def test_coverage_of_a_known_set_in_one_query(items, django_assert_num_queries):
    assert items.count() == 6
    with django_assert_num_queries(1):
        figures = items.coverage(days=90, now=NOW)
    assert figures == {
        "total": 6,
        "reported": 5,  # all but C; D by its action
        "reported_recent": 2,  # A and E: D's own report is none
        "unknown": 1,
        "progress": 76.0,  # (40 + 80 + 60 + 100 + 100) / 5: C's 0 % is unknown, left out
        "claimed": 1,
        "verified": 1,
        "closed_unverified": 1,  # C
        "reported_share": 5 / 6,
        "reported_recent_share": 2 / 6,
        "unknown_share": 1 / 6,
    }


def test_the_window_of_recent_reports_starts_at_the_start_of_a_day(items):
    assert items.coverage(days=200, now=NOW)["reported_recent"] == 3  # B, 200 days ago at noon, now in
    assert items.coverage(days=199, now=NOW)["reported_recent"] == 2


def test_no_items_give_no_shares_and_no_progress():
    figures = Recommendation.objects.none().coverage(now=NOW)
    assert figures["total"] == 0
    assert (figures["progress"], figures["reported_share"], figures["reported_recent_share"],
            figures["unknown_share"]) == (None, None, None, None)


def test_nothing_reported_is_unknown_progress_not_zero(items):
    figures = items.filter(number=3).coverage(now=NOW)
    assert (figures["total"], figures["reported"], figures["unknown"], figures["progress"]) == (1, 0, 1, None)
