"""Actor scorecards: the figures of the items and actions an actor is responsible for, and apart of the projects it
partners in, pinned on a small dataset counted by hand (conftest.py: `atlantis`, `reported`); what the public
counts; how the figures evolved."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from recommendations import scorecards
from recommendations.models import Action, Actor, Recommendation, Status

from .conftest import NOW, arrange, entry

pytestmark = pytest.mark.django_db

ANYONE = AnonymousUser()


def counts(card):
    return {name: getattr(card, name) for name in ("total", "reported", "reported_recent", "unknown", "claimed",
                                                   "verified", "overdue", "slipped", "current", "ageing", "stale",
                                                   "inactive")}


SIGNED_IN = dict(total=7, reported=5, reported_recent=2, unknown=2, claimed=1, verified=1, overdue=2, slipped=1,
                 current=2, ageing=1, stale=1, inactive=1)
PUBLIC = dict(total=5, reported=4, reported_recent=2, unknown=1, claimed=1, verified=1, overdue=2, slipped=1,
              current=2, ageing=0, stale=1, inactive=0)


def test_the_scorecard_of_a_known_set(atlantis, editor):
    by_kind, total, partner = scorecards.actor_scorecard(atlantis, editor, now=NOW)
    assert [(card.label, card.total) for card in by_kind] == [
        ("Recommendations", 4), ("Follow-up items", 1), ("PfP projects", 0), ("Actions", 2)]
    assert counts(total) == SIGNED_IN
    assert total.progress == 74  # (40 + 80 + 100 + 100 + 50) / 5: R3 and A2 unknown, left out
    assert (total.reported_share, total.reported_recent_share, total.unknown_share) == (5 / 7, 2 / 7, 2 / 7)
    assert (partner.total, partner.reported, partner.current, partner.stale, partner.progress) == (2, 1, 1, 1, 30)


def test_the_public_counts_the_published_items_and_actions(atlantis):
    by_kind, total, partner = scorecards.actor_scorecard(atlantis, ANYONE, now=NOW)
    assert [card.total for card in by_kind] == [3, 1, 0, 1]
    assert counts(total) == PUBLIC
    assert total.progress == 80  # (40 + 80 + 100 + 100) / 4
    assert (partner.total, partner.stale) == (1, 0)


def test_nothing_reported_is_unknown_progress_not_zero():
    actor = Actor.objects.create(name="Nowhere", kind=Actor.Kind.OTHER)
    item = Recommendation.objects.get_by_natural_key(2010, "1.1", 3)
    arrange(item, last_report_at=None, progress=0, status=Status.NOT_STARTED)
    item.responsible_actors.add(actor)
    _, total, partner = scorecards.actor_scorecard(actor, ANYONE, now=NOW)
    assert (total.total, total.unknown, total.progress, total.reported_share) == (1, 1, None, 0)
    assert (partner.total, partner.progress, partner.reported_share) == (0, None, None)


def test_the_table_of_all_actors_gives_each_the_same_figures_as_its_scorecard(atlantis, editor):
    table = scorecards.actor_table(editor, now=NOW)
    row = table[atlantis.pk]
    assert counts(row.total) == SIGNED_IN and row.total.progress == 74
    assert {label: card.total for label, card in row.by_kind.items()} == {
        "Recommendations": 4, "Follow-up items": 1, "Actions": 2}
    assert (row.partner.total, row.partner.reported, row.partner.progress) == (2, 1, 30)  # P1 once, for two roles
    assert row.chairs == 0
    public = scorecards.actor_table(ANYONE, now=NOW)[atlantis.pk]
    assert counts(public.total) == PUBLIC and public.partner.total == 1


def test_the_table_counts_sessions_co_chaired():
    mexico = Actor.objects.get(name="Mexico")
    assert scorecards.actor_table(ANYONE, now=NOW)[mexico.pk].chairs == 1  # 2.2 (test_actors: its page says so)


def test_the_evolution_per_quarter_from_the_first_entry_to_today(reported, editor):
    evolution = scorecards.evolution(reported, editor, now=NOW)
    assert evolution.by == "quarter"
    assert [(p.label, p.reports, p.verified, p.reports_so_far, p.verified_so_far) for p in evolution.periods] == [
        ("2025 Q1", 1, 0, 1, 0),  # the openings are not reports
        ("2025 Q2", 2, 1, 3, 1),  # the verification is a report too
        ("2025 Q3", 0, 0, 3, 1),
        ("2025 Q4", 1, 0, 4, 1),
        ("2026 Q1", 0, 0, 4, 1),
        ("2026 Q2", 0, 0, 4, 1),
    ]


def test_the_chart_bars_are_scaled_to_the_highest(reported, editor):
    bars = scorecards.evolution(reported, editor, now=NOW).report_bars
    assert [(round(height, 3), value) for _, _, _, height, _, value in bars] == [
        (25.0, 1), (50.0, 2), (0, 0), (25.0, 1), (0, 0), (0, 0)]
    x, width, y, height, period, _ = bars[1]
    assert (x, width, y, period.label) == (18.333, 13.333, 0.0, "2025 Q2")  # a sixth each, a tenth of it a gap


def test_the_public_evolution_counts_the_published_actions_entries(reported):
    Action.objects.filter(responsible_actors=reported, number=1).update(is_public=False)
    periods = scorecards.evolution(reported, ANYONE, now=NOW).periods
    assert [(p.label, p.reports) for p in periods] == [
        ("2025 Q1", 0), ("2025 Q2", 0), ("2025 Q3", 0), ("2025 Q4", 1), ("2026 Q1", 0), ("2026 Q2", 0)]


def test_a_span_of_more_than_forty_quarters_is_shown_by_year(reported, editor):
    a2 = Action.objects.get(responsible_actors=reported, number=2)
    entry(a2, datetime.datetime(2014, 3, 1))
    evolution = scorecards.evolution(reported, editor, now=NOW)
    assert evolution.by == "year"
    assert [p.label for p in evolution.periods] == [str(year) for year in range(2014, 2027)]
    assert [(p.label, p.reports) for p in evolution.periods if p.reports] == [("2014", 1), ("2025", 4)]


def test_nothing_with_a_timeline_has_no_periods():
    actor = Actor.objects.create(name="Nowhere", kind=Actor.Kind.OTHER)
    assert scorecards.evolution(actor, ANYONE, now=NOW).periods == []
