"""Slipped dates: a due date already set moves only with a reason; a move later is counted in days, and the
items whose dates slipped are listed with how often and by how much (counted in the database)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from recommendations.models import Recommendation, RecommendationUpdate

pytestmark = pytest.mark.django_db

MARCH, JUNE, APRIL = datetime.date(2027, 3, 31), datetime.date(2027, 6, 30), datetime.date(2027, 4, 30)


@pytest.fixture
def rec(editor):
    rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 6)
    assert rec.due_date is None
    return rec


def test_a_first_due_date_needs_no_reason(rec, editor):
    entry = rec.record_update(by=editor, note="Dated.", due_date=MARCH)
    assert (entry.due_date_after, entry.due_date_reason, entry.slipped_days) == (MARCH, "", None)


def test_moving_a_due_date_without_a_reason_is_refused_and_changes_nothing(rec, editor):
    rec.record_update(by=editor, note="Dated.", due_date=MARCH)
    entries = rec.updates.count()
    for blank in ("", "   "):
        with pytest.raises(ValidationError) as refused:
            rec.record_update(by=editor, note="Later.", due_date=JUNE, due_date_reason=blank)
        assert refused.value.message_dict == {"due_date_reason": [
            "Say why the due date moves: a date already set is changed only with its reason."]}
    rec.refresh_from_db()
    assert (rec.due_date, rec.updates.count()) == (MARCH, entries)


def test_clearing_a_due_date_needs_a_reason_too(rec, editor):
    rec.record_update(by=editor, note="Dated.", due_date=MARCH)
    with pytest.raises(ValidationError):
        rec.record_update(by=editor, note="Undated.", due_date=None)
    entry = rec.record_update(by=editor, note="Undated.", due_date=None, due_date_reason="Waiting for the Chair.")
    assert (entry.due_date_before, entry.due_date_after, entry.slipped_days) == (MARCH, None, None)


def test_a_move_later_is_written_with_its_reason_and_days(rec, editor):
    rec.record_update(by=editor, note="Dated.", due_date=MARCH)
    entry = rec.record_update(by=editor, note="Later.", due_date=JUNE, due_date_reason="  The workshop moved. ")
    assert (entry.due_date_before, entry.due_date_after) == (MARCH, JUNE)
    assert (entry.due_date_reason, entry.slipped_days) == ("The workshop moved.", 91)


def test_a_move_earlier_has_a_reason_and_no_slip(rec, editor):
    rec.record_update(by=editor, note="Dated.", due_date=JUNE)
    entry = rec.record_update(by=editor, note="Sooner.", due_date=APRIL, due_date_reason="Funding came early.")
    assert (entry.due_date_reason, entry.slipped_days) == ("Funding came early.", None)


def test_the_same_day_at_another_precision_is_no_move(rec, editor):
    rec.record_update(by=editor, note="Dated.", due_date=datetime.date(2027, 12, 31))
    entry = rec.record_update(by=editor, note="The year is what we know.", due_date=datetime.date(2027, 12, 31),
                              due_date_precision="year")
    assert (entry.due_date_precision_after, entry.slipped_days) == ("year", None)


def slipped_twice_and_once(editor):
    first, second = rec_at(1, 6), rec_at(1, 5)
    first.record_update(by=editor, note="Dated.", due_date=MARCH)
    first.record_update(by=editor, note="Later.", due_date=JUNE, due_date_reason="The workshop moved.")
    first.record_update(by=editor, note="Sooner.", due_date=APRIL, due_date_reason="It moved back.")
    first.record_update(by=editor, note="Later again.", due_date=datetime.date(2027, 5, 31),
                        due_date_reason="Elections.")
    second.record_update(by=editor, note="Dated.", due_date=MARCH)
    second.record_update(by=editor, note="Later.", due_date=APRIL, due_date_reason="No venue.")
    return first, second


def rec_at(code_major, number):
    return Recommendation.objects.get_by_natural_key(2010, f"{code_major}.1", number)


def test_the_items_that_slipped_with_how_often_and_by_how_much(editor, django_assert_num_queries):
    first, second = slipped_twice_and_once(editor)
    with django_assert_num_queries(1):
        found = {item.pk: (item.slips, item.days_slipped) for item in Recommendation.objects.slipped()}
    assert found == {first.pk: (2, 91 + 31), second.pk: (1, 30)}


def test_the_timeline_counts_slips_per_item_and_lists_the_reasons(editor):
    first, second = slipped_twice_and_once(editor)
    slips = {row["item"]: (row["slips"], row["days_slipped"]) for row in RecommendationUpdate.objects.slips()}
    assert slips == {first.pk: (2, 122), second.pk: (1, 30)}
    reasons = [(item, days, reason) for item, _, days, reason in RecommendationUpdate.objects.slip_reasons()]
    assert sorted(reasons) == sorted([(first.pk, 91, "The workshop moved."), (first.pk, 31, "Elections."),
                                      (second.pk, 30, "No venue.")])


def test_the_slipped_list_takes_the_lists_filters(editor):
    first, second = slipped_twice_and_once(editor)
    assert [item.pk for item in Recommendation.objects.filter(pk=second.pk).slipped()] == [second.pk]
