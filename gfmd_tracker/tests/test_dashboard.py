"""The dashboard's figures and its overdue list, against a report arranged for the purpose."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Project
from recommendations.models import Recommendation, Status

pytestmark = pytest.mark.django_db


def rec(code, number):
    return Recommendation.objects.get_by_natural_key(2010, code, number)


def tiles(response):
    """The headline tiles as the page shows them: (number, words) each."""
    html = response.content.decode()
    section = html[html.index('aria-label="Headline numbers"'):html.index("</section>")]
    return [(big, " ".join(words.split()))
            for big, words in re.findall(r'<span class="big">([^<]*)</span>([^<]*)</a>', section)]


def overdue_list(response):
    html = response.content.decode()
    section = html[html.index("<h2>Overdue</h2>"):]
    return re.findall(r"<li><a [^>]*>([^<]*)</a> — due ([^<]*)</li>", section[:section.index("</section>")])


@pytest.fixture
def arranged(editor, staff):
    """Three recommendations closed (two long ago), four with due dates, two owned by staff."""
    today = timezone.localdate()
    long_ago = timezone.make_aware(datetime.datetime(2011, 1, 10, 12))
    for code, number, status in (("3.2", 1, Status.IMPLEMENTED), ("3.2", 2, Status.IMPLEMENTED),
                                 ("3.2", 3, Status.NOT_PURSUED)):
        item = rec(code, number)
        if status == Status.IMPLEMENTED:
            item.record_update(by=editor, note="Started.", status=Status.IN_PROGRESS, at=long_ago)
        closing = {"evidence_url": "https://example.org/done"} if status == Status.IMPLEMENTED else {
            "closure_reason": "other"}
        item.record_update(by=editor, note="Closed.", status=status, due_date=datetime.date(2011, 1, 1), at=long_ago,
                           **closing)
    rec("1.1", 1).record_update(by=editor, note="Due yesterday.", due_date=today - datetime.timedelta(days=1))
    rec("1.1", 2).record_update(by=editor, note="Due today.", due_date=today)
    rec("1.1", 3).record_update(by=editor, note="Due next year.", due_date=today + datetime.timedelta(days=365))
    rec("2.2", 5).record_update(by=editor, note="Due long ago.", due_date=datetime.date(2011, 6, 30), owner=staff)
    rec("1.2", 4).record_update(by=editor, note="Staff's.", owner=staff, status=Status.PLANNED)
    Project.objects.get(title="Developing Migration Profiles").record_update(
        by=editor, note="Due in 2012.", due_date=datetime.date(2012, 3, 1))
    # Updated today: not stale; 3.2/1-3 were last updated in January 2011, all others in November 2010.


def test_the_dashboard_shows_its_figures(client, staff, arranged):
    client.force_login(staff)
    response = client.get(reverse("home"))
    # 3 of 45 closed; overdue: 1.1/1 (yesterday) and 2.2/5, not 1.1/2 (today) nor the closed 3.2s
    # (due 2011); stale after 90 days: 45 less the 3 closed less the 5 updated today.
    # The report's items: 45 recommendations; 5 civil society subjects, the statement's 43 calls, the PfP's 4
    # commitments and the Future of the Forum's 5 decisions; 3 PfP projects.
    assert tiles(response) == [
        ("45", "recommendations"),
        ("57", "follow-up items"),
        ("3", "PfP projects"),
        ("7%", "of recommendations closed (implemented or not pursued)"),
        ("2", "overdue recommendations"),
        ("37", "open recommendations with no update in 90 days"),
        ("2", "open items of mine"),  # 2.2/5 and 1.2/4
    ]
    assert dict(response.context["by_status"]) == {
        Status.NOT_STARTED: 37, Status.PLANNED: 1, Status.IN_PROGRESS: 4, Status.IMPLEMENTED: 2,
        Status.ONGOING: 0, Status.STALLED: 0, Status.NOT_PURSUED: 1,
    }


def test_the_overdue_list_is_most_overdue_first_across_kinds(viewer_client, arranged):
    from django.utils import dateformat

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    shown = overdue_list(viewer_client.get(reverse("home")))
    assert shown == [
        (str(rec("2.2", 5)), "30 Jun 2011"),
        ("Developing Migration Profiles", "1 Mar 2012"),
        # The seeded assessment, due "in time for the High Level Dialogue in 2013" (line 841): shown as the year.
        ("FOF/1 GFMD assessment", "2013"),
        (str(rec("1.1", 1)), dateformat.format(yesterday, "j M Y")),
    ]


def test_my_open_items_leave_out_closed_ones(client, staff, editor):
    rec("2.1", 4).record_update(by=editor, note="Yours.", owner=staff)
    closed = rec("2.1", 5)
    closed.record_update(by=editor, note="Yours, started.", owner=staff, status=Status.IN_PROGRESS)
    closed.record_update(by=editor, note="Done.", status=Status.IMPLEMENTED, evidence_url="https://example.org/done")
    Project.objects.get(title="Developing Migration Profiles").record_update(by=editor, note="Yours.", owner=staff)
    client.force_login(staff)
    assert tiles(client.get(reverse("home")))[-1] == ("2", "open items of mine")


def test_closed_items_are_neither_overdue_nor_stale_and_due_today_is_not_overdue(arranged):
    now = timezone.localtime()
    overdue = {r.natural_key()[1:] for r in Recommendation.objects.overdue()}
    assert overdue == {("1.1", 1), ("2.2", 5)}
    stale = {r.natural_key()[1:] for r in Recommendation.objects.stale(90, now=now)}
    assert not stale & {("3.2", 1), ("3.2", 2), ("3.2", 3)} and len(stale) == 37
    assert [rec("1.1", 2).is_overdue, rec("1.1", 1).is_overdue, rec("3.2", 1).is_overdue] == [False, True, False]


def test_the_dashboard_gives_headline_numbers(viewer_client):
    response = viewer_client.get(reverse("home"))
    assert response.context["total"] == 45
    assert dict(response.context["by_status"])[Status.IN_PROGRESS] == 4
    assert "Where the follow-up stands" in response.content.decode()


def test_the_dashboard_lists_the_projects_updated_last_and_links_to_all(viewer_client, editor, monkeypatch):
    from gfmd_tracker import views as dashboard

    monkeypatch.setattr(dashboard, "RECENT", 1)
    project = Project.objects.order_by("pk").last()
    project.record_update(by=editor, note="Partners met.")
    response = viewer_client.get(reverse("home"))
    assert response.context["projects"] == [project]
    assert "All 3 projects" in response.content.decode()


def test_the_status_chart_draws_each_status_against_the_largest(viewer_client):
    chart = viewer_client.get(reverse("home")).context["status_chart"]
    # The seeded report: 41 not started, 4 in progress (1.1/8, 2.1/1, 3.1/3 and 3.3/3).
    assert [(status.value, n, width) for status, n, width in chart] == [
        ("not_started", 41, 100), ("planned", 0, 0), ("in_progress", 4, 9.756), ("implemented", 0, 0),
        ("ongoing", 0, 0), ("stalled", 0, 0), ("not_pursued", 0, 0),
    ]
    body = viewer_client.get(reverse("home")).content.decode()
    assert '<rect x="0" y="0" width="9.756" height="20" class="fill-in_progress"/>' in body


def progress_rows(response):
    return [(group.label.split(":")[0], group.reported, group.total, group.progress,
             [(row.session.code, row.reported, row.total, row.progress) for row in rows])
            for group, rows in response.context["progress"]]


def test_progress_counts_only_the_items_reported_on(viewer_client, editor):
    # Seeded: only 2.1/1 has a report after the entry that added it (the report's 2011 event, in progress at 0 %);
    # the statuses the report gave the others are in the entries that added them: unknown.
    assert progress_rows(viewer_client.get(reverse("home"))) == [
        ("Roundtable 1", 0, 18, None, [("1.1", 0, 8, None), ("1.2", 0, 10, None)]),
        ("Roundtable 2", 1, 14, 0, [("2.1", 1, 8, 0), ("2.2", 0, 6, None)]),
        ("Roundtable 3", 0, 13, None, [("3.1", 0, 5, None), ("3.2", 0, 3, None), ("3.3", 0, 5, None)]),
    ]
    rec("1.1", 2).record_update(by=editor, note="Half done.", status=Status.IN_PROGRESS, progress=50)
    rec("1.2", 3).record_update(by=editor, note="Looked at it: nothing yet.")  # reported on, at 0 %: known
    rec("2.1", 1).record_update(by=editor, note="Workshop held.", progress=30)
    response = viewer_client.get(reverse("home"))
    assert progress_rows(response)[:2] == [
        ("Roundtable 1", 2, 18, 25, [("1.1", 1, 8, 50), ("1.2", 1, 10, 0)]),  # (50 + 0) / 2
        ("Roundtable 2", 1, 14, 30, [("2.1", 1, 8, 30), ("2.2", 0, 6, None)]),
    ]
    body = " ".join(response.content.decode().split())
    assert "2 of 18 reported" in body and "0 of 6 reported</td><td><span class=\"meta\">none reported</span>" in body


def test_it_says_what_changed_this_month_for_every_kind(viewer_client, editor):
    from recommendations.models import FollowUpItem

    rec("1.1", 1).record_update(by=editor, note="Planned.", status=Status.PLANNED)
    rec("1.1", 2).record_update(by=editor, note="Planned too.", status=Status.PLANNED)
    FollowUpItem.objects.get_by_natural_key(2010, "CSD", 2).record_update(
        by=editor, note="Started.", status=Status.IN_PROGRESS)
    Project.objects.get(title="Developing Migration Profiles").record_update(by=editor, note="Only a note.")
    month = viewer_client.get(reverse("home")).context["this_month"]
    assert [(label, summary) for label, entries, summary in month] == [
        ("Recommendations", [("Not started", "Planned", 2)]),
        ("Follow-up items", [("Not started", "In progress", 1)]),
        ("PfP projects", []),
    ]


def test_recent_activity_shows_the_change_with_the_note(viewer_client, editor):
    rec("2.2", 4).record_update(by=editor, note="Planned with the AU.", status=Status.PLANNED)
    body = viewer_client.get(reverse("home")).content.decode()
    assert '<p class="change">Not started → Planned</p>\n          <p class="note">Planned with the AU.</p>' in body


def test_a_viewer_has_no_tile_of_items_of_their_own(viewer_client):
    assert [words for _, words in tiles(viewer_client.get(reverse("home")))][-1] == (
        "open recommendations with no update in 90 days")


def test_the_dashboard_reads_the_database_a_bounded_number_of_times(client, staff, arranged,
                                                                    django_assert_max_num_queries):
    from recommendations import versioning

    client.force_login(staff)
    versioning.clear()
    with django_assert_max_num_queries(30):  # the figures, counted afresh: a few per kind, not per item
        client.get(reverse("home"))
    with django_assert_max_num_queries(12):  # the figures cached: the session, user, version, roles, my items
        client.get(reverse("home"))
