"""Freshness: current, ageing, stale or inactive by the whole days since an item's latest timeline entry, at the
thresholds of its meeting (90 and 180 days by default; inactive from 730); none for a closed item. The property
(one item) and the condition (lists) agree at every boundary."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from partnerships.models import Project
from recommendations import services
from recommendations.models import Freshness, Meeting, Recommendation, Status

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 6, 15, 9, 30))
BOUNDARIES = [(0, Freshness.CURRENT), (89, Freshness.CURRENT), (90, Freshness.AGEING), (179, Freshness.AGEING),
              (180, Freshness.STALE), (729, Freshness.STALE), (730, Freshness.INACTIVE), (2000, Freshness.INACTIVE)]


def last_updated(days, time=datetime.time(23, 59), number=1):
    """Recommendation 1.1/number, open, its latest entry `days` whole days before NOW's day, at `time`."""
    day = timezone.localdate(NOW) - datetime.timedelta(days=days)
    when = timezone.make_aware(datetime.datetime.combine(day, time))
    items = Recommendation.objects.filter(session__meeting__year=2010, session__code="1.1", number=number)
    items.update(last_update_at=when, status=Status.IN_PROGRESS)
    return items.select_related("session__meeting").get()


def states_of(item):
    """The states whose condition holds `item`."""
    qs = type(item).objects.filter(pk=item.pk)
    return [state for state in Freshness if qs.filter(qs.freshness_q(state, now=NOW)).exists()]


@pytest.mark.parametrize(("days", "expected"), BOUNDARIES)
@pytest.mark.parametrize("time", [datetime.time(0, 0), datetime.time(23, 59)])
def test_the_boundaries_by_whole_days(days, expected, time):
    item = last_updated(days, time)
    assert item.freshness_on(NOW) == expected
    assert states_of(item) == [expected]


@pytest.mark.parametrize(("days", "expected"), [(29, Freshness.CURRENT), (30, Freshness.AGEING),
                                                (59, Freshness.AGEING), (60, Freshness.STALE),
                                                (729, Freshness.STALE), (730, Freshness.INACTIVE)])
def test_a_meetings_own_thresholds(days, expected):
    Meeting.objects.filter(year=2010).update(ageing_after_days=30, stale_after_days=60)
    item = last_updated(days)
    assert item.freshness_on(NOW) == expected
    assert states_of(item) == [expected]


def test_a_closed_item_has_no_freshness():
    item = last_updated(400)
    type(item).objects.filter(pk=item.pk).update(status=Status.IMPLEMENTED)
    item.refresh_from_db()
    assert item.freshness_on(NOW) is None
    assert states_of(item) == []


def test_an_item_never_updated_is_inactive():
    item = last_updated(0)
    type(item).objects.filter(pk=item.pk).update(last_update_at=None)
    item.refresh_from_db()
    assert item.freshness_on(NOW) == Freshness.INACTIVE
    assert states_of(item) == [Freshness.INACTIVE]


def test_an_item_without_a_meeting_uses_the_defaults(editor):
    Meeting.objects.filter(year=2010).update(ageing_after_days=30, stale_after_days=60)
    project = Project.objects.create(title="Presented nowhere", description="A project.")
    project.start_timeline(note="Created.")
    Project.objects.filter(pk=project.pk).update(last_update_at=NOW - datetime.timedelta(days=45))
    project.refresh_from_db()
    assert project.get_meeting() is None
    assert project.freshness_on(NOW) == Freshness.CURRENT
    assert states_of(project) == [Freshness.CURRENT]


def test_an_action_has_the_freshness_of_its_meetings_thresholds(staff):
    Meeting.objects.filter(year=2010).update(ageing_after_days=30, stale_after_days=60)
    rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 1)
    action = services.add_action(rec, by=staff, title="Act")
    type(action).objects.filter(pk=action.pk).update(last_update_at=NOW - datetime.timedelta(days=45))
    action.refresh_from_db()
    assert action.freshness_on(NOW) == Freshness.AGEING
    assert states_of(action) == [Freshness.AGEING]


def test_the_lists_filter_by_freshness_across_meetings():
    fresh, old = last_updated(10, number=1), last_updated(200, number=2)
    items = Recommendation.objects.filter(pk__in=[fresh.pk, old.pk])
    assert list(items.fresh(Freshness.CURRENT, now=NOW)) == [fresh]
    assert list(items.fresh(Freshness.STALE, now=NOW)) == [old]


@pytest.mark.parametrize(("ageing", "stale"), [(0, 10), (90, 90), (100, 90), (90, 730)])
def test_thresholds_out_of_order_are_refused(ageing, stale):
    meeting = Meeting.objects.get(year=2010)
    meeting.ageing_after_days, meeting.stale_after_days = ageing, stale
    with pytest.raises(ValidationError) as refused:
        meeting.full_clean()
    assert refused.value.message_dict["stale_after_days"][0].startswith(
        f"An item is ageing after {ageing} days and stale after {stale}: ageing comes first")
