"""The synthetic data's actions and busiest actor (scale_actions.py): half of the recommendations with 1–5 actions
each, by the rules, their roll-up what the write path leaves; one actor responsible for a fifteenth of them."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count

from recommendations.models import TRANSITIONS, Action, ActionUpdate, Actor, Recommendation
from tools.scale import SYNTHETIC_YEARS
from tools.scale_actions import HEAVY_ACTOR

pytestmark = pytest.mark.django_db


@pytest.fixture
def synthetic():
    call_command("generate_scale_data", "--size", "small", stdout=io.StringIO())
    return Recommendation.objects.filter(session__meeting__year__range=SYNTHETIC_YEARS)


def test_half_of_the_recommendations_have_one_to_five_actions(synthetic):
    per_item = dict(Action.objects.order_by().values_list("parent_id").annotate(n=Count("pk")))
    assert len(per_item) == 250  # of the small dataset's 500
    assert set(per_item) <= set(synthetic.values_list("pk", flat=True))
    assert min(per_item.values()) == 1 and max(per_item.values()) == 5
    numbers = Action.objects.filter(parent_id=next(iter(per_item))).values_list("number", flat=True)
    assert sorted(numbers) == list(range(1, per_item[next(iter(per_item))] + 1))


def test_each_action_opens_its_timeline_and_matches_it(synthetic):
    actions = list(Action.objects.prefetch_related("updates").select_related("meeting")[:200])
    reported = 0
    for action in actions:
        entries = sorted(action.updates.all(), key=lambda entry: (entry.created_at, entry.pk))
        assert (entries[0].status_before, entries[0].status_after) == ("", "not_started")  # the opening entry
        status = "not_started"
        for entry in entries[1:]:
            if entry.status_after:
                assert entry.status_after in TRANSITIONS[status]
                status = entry.status_after
        assert (action.status, action.last_update_at) == (status, entries[-1].created_at)
        assert action.last_report_at == (entries[-1].created_at if len(entries) > 1 else None)
        assert action.meeting == action.parent.session.meeting
        reported += action.last_report_at is not None
    assert 0 < reported < len(actions)  # some reported, some not


def test_the_roll_up_is_what_the_actions_say(synthetic):
    """Counted here from the actions: how many, how many reported, their weighted progress rounded half up."""
    rows = {}
    for parent, weight, progress, reported in Action.objects.values_list("parent_id", "weight", "progress",
                                                                          "last_report_at"):
        row = rows.setdefault(parent, [0, 0, 0, 0])
        row[0] += 1
        if reported is not None:
            row[1] += 1
            row[2] += weight * progress
            row[3] += weight
    for pk, count, n_reported, progress in synthetic.filter(pk__in=rows).values_list(
            "pk", "actions_count", "actions_reported", "actions_progress"):
        total, reported, weighted, weights = rows[pk]
        expected = int(weighted / weights + 0.5) if weights else None
        assert (count, n_reported, progress) == (total, reported, expected), pk
    assert not synthetic.exclude(pk__in=rows).exclude(actions_count=0).exists()


def test_one_actor_is_responsible_for_a_fifteenth_of_the_recommendations_and_nothing_else(synthetic):
    busiest = Actor.objects.get(name=HEAVY_ACTOR)
    mine = set(busiest.responsible_for_recommendations.values_list("pk", flat=True))
    assert mine == {pk for pk in synthetic.values_list("pk", flat=True) if pk % 15 == 0}
    assert 30 <= len(mine) <= 36  # 500 / 15
    assert not busiest.responsible_for_actions.exists() and not busiest.session_roles.exists()
    assert not busiest.project_roles.exists()


def test_the_actions_timelines_are_in_the_timeline_table(synthetic):
    assert ActionUpdate.objects.count() >= Action.objects.count()
