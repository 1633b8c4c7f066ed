"""The shared pieces that show an item's follow-up state on every page: the freshness light with its words,
the status badge with the closure's verification, the roll-up line and the coverage block."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone

from recommendations.models import Recommendation, Status

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 6, 15, 9, 30))


def render(source, **context):
    return " ".join(Template("{% load tracker %}" + source).render(Context(context)).split())


def item(**values):
    items = Recommendation.objects.filter(session__meeting__year=2010, session__code="1.1", number=1)
    items.update(**values)
    return items.select_related("session__meeting").get()


def test_the_light_says_the_state_in_words_and_the_days():
    ageing = item(status=Status.IN_PROGRESS, last_update_at=NOW - datetime.timedelta(days=100))
    assert render("{% freshness item now %}", item=ageing, now=NOW) == (
        '<span class="freshness freshness-ageing"><span class="light" aria-hidden="true"></span>'
        "Ageing · latest update 100 days ago</span>")


def test_an_item_updated_today_is_current():
    fresh = item(status=Status.PLANNED, last_update_at=NOW - datetime.timedelta(hours=1))
    assert "Current · latest update today" in render("{% freshness item now %}", item=fresh, now=NOW)


def test_a_closed_item_shows_no_light():
    closed = item(status=Status.IMPLEMENTED, last_update_at=NOW - datetime.timedelta(days=1000))
    assert render("{% freshness item now %}", item=closed, now=NOW) == ""


@pytest.mark.parametrize(("verification", "expected"), [
    ("awaiting", "Implemented — awaiting verification"), ("verified", "Implemented — verified"), ("", "Implemented")])
def test_the_badge_says_whether_a_closure_is_verified(verification, expected):
    closed = item(status=Status.IMPLEMENTED, verification=verification)
    assert render("{% status_badge item %}", item=closed) == f'<span class="badge status-implemented">{expected}</span>'


def test_the_rollup_says_what_it_is_built_from():
    rolled = item(actions_count=4, actions_reported=3, actions_progress=55, progress_from_actions=True)
    assert render("{% rollup item %}", item=rolled) == (
        '<span class="rollup">3 of 4 actions reported · 55% over the reported ones (the item\'s progress)</span>')


def test_a_rollup_with_no_report_is_unknown_not_zero():
    unknown = item(actions_count=2, actions_reported=0, actions_progress=None)
    assert render("{% rollup item %}", item=unknown) == (
        '<span class="rollup">0 of 2 actions reported · progress unknown</span>')
    assert render("{% rollup item %}", item=item(actions_count=0)) == ""


def test_the_coverage_block_gives_shares_and_unknowns():
    # 42.5 shows as 43: halves round up, as the roll-up rounds them.
    figures = {"total": 8, "reported": 6, "reported_share": 0.75, "reported_recent": 2, "reported_recent_share": 0.25,
               "unknown": 2, "progress": 42.5, "claimed": 1, "verified": 3}
    shown = render("{% coverage figures 90 %}", figures=figures)
    for fact in ("<dt>Reported</dt><dd>6 (75%)</dd>", "<dt>Reported in the last 90 days</dt><dd>2 (25%)</dd>",
                 "<dt>Unknown (no report)</dt><dd>2</dd>", "<dt>Progress over the reported</dt><dd>43%</dd>",
                 "<dt>Closures verified</dt><dd>3</dd>", "How this is computed"):
        assert fact in shown, fact
