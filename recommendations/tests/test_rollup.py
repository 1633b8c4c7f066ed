"""An item's progress rolled up from its actions: weighted, over the reported actions only (an action nobody
reported on is unknown, not 0 %), rounded half up by the database, kept by the write path."""

import pytest

from recommendations import services
from recommendations.models import Action, Recommendation

pytestmark = pytest.mark.django_db


@pytest.fixture
def rec():
    return Recommendation.objects.get_by_natural_key(2010, "2.1", 1)


def add(rec, by, weight, progress=None):
    action = services.add_action(rec, by=by, title=f"Weight {weight}", weight=weight)
    if progress is not None:
        action.record_update(by=by, note="Reported.", progress=progress)
    return action


def test_weighted_over_the_reported_actions_only(rec, staff):
    add(rec, staff, weight=1, progress=50)
    add(rec, staff, weight=3, progress=100)
    add(rec, staff, weight=5)  # never reported: unknown, left out (with it as 0 %: 350 / 9 = 39)
    rec.refresh_from_db()
    # (1 × 50 + 3 × 100) / (1 + 3) = 87.5, rounded half up
    assert (rec.actions_count, rec.actions_reported, rec.actions_progress) == (3, 2, 88)
    assert rec.rollup_summary == "2 of 3 actions reported"


def test_rounded_half_up_not_to_even(rec, staff):
    add(rec, staff, weight=1, progress=10)
    add(rec, staff, weight=1, progress=15)
    rec.refresh_from_db()
    assert rec.actions_progress == 13  # 12.5: half to even would give 12


def test_rounded_down_below_the_half(rec, staff):
    add(rec, staff, weight=2, progress=10)
    add(rec, staff, weight=1, progress=15)
    rec.refresh_from_db()
    assert rec.actions_progress == 12  # 35 / 3 = 11.67 → 12; 11.67 is no half
    add(rec, staff, weight=3, progress=0)
    rec.refresh_from_db()
    assert rec.actions_progress == 6  # 35 / 6 = 5.83


def test_no_reported_action_is_unknown_not_zero(rec, staff):
    add(rec, staff, weight=1)
    Recommendation.objects.filter(pk=rec.pk).update(progress_from_actions=True)  # arrange: an editor's choice
    rec.refresh_from_db()
    assert (rec.actions_count, rec.actions_reported, rec.actions_progress) == (1, 0, None)
    assert rec.known_progress is None
    assert rec.rollup_summary == "0 of 1 action reported"


def test_known_progress_follows_the_choice_of_source(rec, staff):
    add(rec, staff, weight=1, progress=40)
    Recommendation.objects.filter(pk=rec.pk).update(progress=70)
    rec.refresh_from_db()
    assert rec.last_report_at is not None  # the seed's later event is a report
    assert rec.known_progress == 70  # entered by hand
    Recommendation.objects.filter(pk=rec.pk).update(progress_from_actions=True)
    rec.refresh_from_db()
    assert rec.known_progress == 40  # rolled up


def test_hand_entered_progress_of_an_item_nobody_reported_on_is_unknown(staff):
    rec = Recommendation.objects.get_by_natural_key(2010, "1.2", 3)
    assert rec.last_report_at is None and rec.progress == 0
    assert rec.known_progress is None
    assert not rec.is_reported
    add(rec, staff, weight=1, progress=30)
    rec.refresh_from_db()
    assert rec.is_reported  # by one of its actions
    assert rec.known_progress is None  # its own progress is still nobody's report


def test_a_change_of_weight_alone_refreshes_the_roll_up(rec, staff, editor):
    add(rec, staff, weight=1, progress=0)
    heavy = add(rec, staff, weight=1, progress=100)
    heavy.weight = 3
    services.record_updates([services.Update(heavy)], by=editor, fields=["weight"])  # as the admin saves an edit
    rec.refresh_from_db()
    assert rec.actions_progress == 75  # (0 + 300) / 4


def test_roll_ups_of_other_items_are_left_alone(rec, staff):
    other = Recommendation.objects.get_by_natural_key(2010, "2.1", 2)
    add(other, staff, weight=1, progress=20)
    add(rec, staff, weight=1, progress=90)
    rec.refresh_from_db()
    other.refresh_from_db()
    assert (rec.actions_progress, other.actions_progress) == (90, 20)


def test_refresh_rollups_reads_the_actions_again(rec, staff):
    action = add(rec, staff, weight=1, progress=60)
    Action.objects.filter(pk=action.pk).update(progress=80)  # arrange: a change the write path did not see
    services.refresh_rollups(Recommendation, [rec.pk])
    rec.refresh_from_db()
    assert rec.actions_progress == 80


def test_an_unpublished_action_is_a_draft_that_counts_for_nobody(rec, staff, editor):
    add(rec, staff, weight=1, progress=40)
    draft = add(rec, staff, weight=1, progress=100)
    services.set_items_public([draft], public=False, by=editor)
    rec.refresh_from_db()
    assert (rec.actions_count, rec.actions_reported, rec.actions_progress) == (1, 1, 40)
    services.set_items_public([Action.objects.get(pk=draft.pk)], public=True, by=editor)
    rec.refresh_from_db()
    assert (rec.actions_count, rec.actions_reported, rec.actions_progress) == (2, 2, 70)
