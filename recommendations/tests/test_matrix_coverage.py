"""The status matrix's coverage: per session, roundtable and meeting, how many items, reported, reported lately,
progress over the known, unknown; by theme; and the actions by their own status. Pinned on roundtable 1 of the
seeded report (sessions 1.1, 8 recommendations, and 1.2, 10), arranged column by column (the write path that keeps
these columns is tested in test_coverage and test_last_report)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from recommendations import services
from recommendations.models import Action, Recommendation, Status, Theme

pytestmark = pytest.mark.django_db

MATRIX = reverse("recommendations:matrix")


def ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def rec(code, number):
    return Recommendation.objects.get_by_natural_key(2010, code, number)


@pytest.fixture
def known():
    """1.1/1 reported 10 days ago at 40 %, 1.1/2 200 days ago at 80 %, 1.1/3 rolled up from one of its two actions
    at 60 % (no report of its own), 1.1/4 reported 5 days ago at 0 % (known: 0 %); 1.2/1 reported 30 days ago at
    70 %; the 13 others never reported. Themes: A on 1.1/1 and 1.2/1, B on 1.1/2 and 1.1/5, none on the rest."""
    roundtable = Recommendation.objects.filter(session__meeting__year=2010, session__roundtable__number=1)
    roundtable.update(last_report_at=None, progress=0, status=Status.NOT_STARTED, verification="",
                      progress_from_actions=False, actions_count=0, actions_reported=0, actions_progress=None)
    values = {
        ("1.1", 1): dict(last_report_at=ago(10), progress=40),
        ("1.1", 2): dict(last_report_at=ago(200), progress=80),
        ("1.1", 3): dict(progress_from_actions=True, actions_count=2, actions_reported=1, actions_progress=60),
        ("1.1", 4): dict(last_report_at=ago(5), progress=0),
        ("1.2", 1): dict(last_report_at=ago(30), progress=70),
    }
    for (code, number), changes in values.items():
        Recommendation.objects.filter(pk=rec(code, number).pk).update(**changes)
    for item in roundtable:
        item.themes.clear()
    theme_a, theme_b = Theme.objects.order_by("name")[:2]
    for code, number in (("1.1", 1), ("1.2", 1)):
        rec(code, number).themes.add(theme_a)
    for code, number in (("1.1", 2), ("1.1", 5)):
        rec(code, number).themes.add(theme_b)
    return theme_a, theme_b


def figures(coverage):
    return (coverage.total, coverage.reported, coverage.reported_share, coverage.reported_recent,
            coverage.reported_recent_share, coverage.progress, coverage.unknown)


def test_each_session_roundtable_and_meeting_states_its_coverage(viewer_client, known):
    matrix = viewer_client.get(MATRIX, {"roundtable": 1}).context["matrix"]
    [group] = matrix.groups
    assert {row.session.code: figures(row.coverage) for row in group.rows} == {
        "1.1": (8, 4, 50, 2, 25, 45, 4),  # (40 + 80 + 60 + 0) / 4 reported
        "1.2": (10, 1, 10, 1, 10, 70, 9),
    }
    assert figures(group.subtotal.coverage) == (18, 5, 28, 3, 17, 50, 13)  # 5/18, 3/18, (180 + 70) / 5
    assert [(row.label, figures(row.coverage)) for row in matrix.by_meeting] == [
        ("GFMD 2010", (18, 5, 28, 3, 17, 50, 13))]
    assert figures(matrix.total.coverage) == (18, 5, 28, 3, 17, 50, 13)


def test_the_page_shows_the_coverage_rows_and_how_they_are_computed(viewer_client, known):
    body = " ".join(viewer_client.get(MATRIX, {"roundtable": 1}).content.decode().split())
    assert ('<tr class="subtotal"><th scope="row">Subtotal</th><td class="num">18</td><td class="num">5 (28%)</td>'
            '<td class="num">3 (17%)</td><td class="num">50%</td><td class="num">13</td></tr>') in body
    assert '<td class="num">10</td><td class="num">1 (10%)</td><td class="num">1 (10%)</td><td class="num">70%</td>' \
           '<td class="num">9</td>' in body
    assert "<summary>How this is computed</summary>" in body
    assert "<div><dt>Items</dt><dd>18</dd></div>" in body
    assert "<div><dt>Reported</dt><dd>5 (28%)</dd></div>" in body
    assert "<div><dt>Progress over the reported</dt><dd>50%</dd></div>" in body


def test_a_session_nobody_reported_on_has_unknown_progress_not_zero(viewer_client, known):
    Recommendation.objects.filter(pk=rec("1.2", 1).pk).update(last_report_at=None)
    matrix = viewer_client.get(MATRIX, {"roundtable": 1}).context["matrix"]
    row = next(row for row in matrix.groups[0].rows if row.session.code == "1.2")
    assert figures(row.coverage) == (10, 0, 0, 0, 0, None, 10)
    body = " ".join(viewer_client.get(MATRIX, {"roundtable": 1}).content.decode().split())
    assert ('<td class="num">10</td><td class="num">0 (0%)</td><td class="num">0 (0%)</td><td class="num">unknown</td>'
            '<td class="num">10</td>') in body


def test_coverage_by_theme_counts_an_item_under_each_of_its_themes(viewer_client, known):
    theme_a, theme_b = known
    themes = viewer_client.get(MATRIX, {"roundtable": 1}).context["themes"]
    assert [(c.label, *figures(c)) for c in themes] == [
        (theme_a.name, 2, 2, 100, 2, 100, 55, 0),  # 1.1/1 and 1.2/1: (40 + 70) / 2
        (theme_b.name, 2, 1, 50, 0, 0, 80, 1),  # 1.1/2 (200 days ago) and 1.1/5
        ("No theme", 14, 2, 14, 1, 7, 30, 12),  # 1.1/3 (60 %) and 1.1/4 (0 %, 5 days ago)
    ]


def test_as_of_a_past_date_the_coverage_is_todays_of_the_items_that_existed(viewer_client, known, editor):
    Recommendation.objects.create(session=rec("1.1", 1).session, number=99, title="Added later", text="Later.")
    response = viewer_client.get(MATRIX, {"roundtable": 1, "as_of": "2012-01-01"})
    assert "Coverage is today's" in response.content.decode()
    assert figures(response.context["matrix"].total.coverage) == (18, 5, 28, 3, 17, 50, 13)  # not the 19th item


@pytest.fixture
def actions(editor):
    """Three actions under 1.2/2: a1 in progress, a2 not started, a3 implemented (claimed) and unpublished."""
    parent = rec("1.2", 2)
    made = [services.add_action(parent, by=editor, title=title) for title in ("Map agencies", "Train", "Publish")]
    made[0].record_update(by=editor, note="Started.", status=Status.IN_PROGRESS)
    made[2].record_update(by=editor, note="Started.", status=Status.IN_PROGRESS)
    made[2].record_update(by=editor, note="Done.", status=Status.IMPLEMENTED, evidence_url="https://example.org/d")
    Action.objects.filter(pk=made[2].pk).update(is_public=False)
    return made


def test_the_actions_are_counted_by_their_own_status_under_their_items_session(viewer_client, actions):
    matrix = viewer_client.get(MATRIX).context["actions_matrix"]
    assert [(row.session.code, row.counts) for group in matrix.groups for row in group.rows] == [
        ("1.2", {Status.IN_PROGRESS: 1, Status.NOT_STARTED: 1, Status.IMPLEMENTED: 1})]
    assert (matrix.total.total, matrix.total.closed) == (3, 1)
    body = viewer_client.get(MATRIX).content.decode()
    assert 'href="/actions/?meeting=2010&amp;session=1.2&amp;status=in_progress">1</a>' in body


def test_the_public_counts_the_published_actions_only(client, actions):
    matrix = client.get(MATRIX).context["actions_matrix"]
    assert matrix.total.counts == {Status.IN_PROGRESS: 1, Status.NOT_STARTED: 1}


def test_the_matrix_with_its_coverage_and_actions_keeps_its_query_count(viewer_client, known, actions,
                                                                        django_assert_max_num_queries):
    with django_assert_max_num_queries(30):
        viewer_client.get(MATRIX)


def test_the_actions_state_what_is_known_of_them_and_their_verified_closures(viewer_client, actions, staff):
    # a3 was claimed by the editor; a second editor verifies it. a1 and a3 were reported on, a2 never.
    second = type(staff).objects.create_user("second-editor")
    second.groups.add(*type(actions[0].owner).objects.get(pk=actions[0].owner_id).groups.all())
    actions[2].record_update(by=second, note="Checked the evidence.", verification="verified")
    figures = viewer_client.get(MATRIX).context["actions_coverage"]
    assert {k: figures[k] for k in ("total", "reported", "unknown", "claimed", "verified")} == {
        "total": 3, "reported": 2, "unknown": 1, "claimed": 0, "verified": 1}
    body = " ".join(viewer_client.get(MATRIX).content.decode().split())
    assert "<h3>What is known of these actions</h3>" in body
    assert "<div><dt>Actions</dt><dd>3</dd></div>" in body
    assert "<div><dt>Closures verified</dt><dd>1</dd></div>" in body


def test_the_public_is_told_only_of_the_published_actions(client, actions):
    assert client.get(MATRIX).context["actions_coverage"]["total"] == 2


def test_as_of_a_past_date_the_actions_coverage_is_not_given(viewer_client, actions):
    assert viewer_client.get(MATRIX, {"as_of": "2011-01-01"}).context["actions_coverage"] is None
