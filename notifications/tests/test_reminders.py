"""What `reminders.make_reminders` tells whom: the owners of open items of every kind due within 30 and 7 days,
overdue or stale (once per due date or latest update: the ledger's keys), and the editors of items overdue by
ESCALATE_AFTER_DAYS; one notification per person and kind a run, listing the first 50 items and counting all."""

import datetime

import pytest

from notifications.models import Kind, Notification, Reminder
from notifications.reminders import make_reminders
from partnerships.models import Project
from recommendations import services
from recommendations.models import FollowUpItem, Meeting, Recommendation, Status

from .people import NOW, ago, arrange, day, member, recommendation, reminded, told

pytestmark = pytest.mark.usefixtures("no_seeded_due_dates")


@pytest.fixture
def sam(db):
    return member("sam", "staff")


@pytest.fixture
def eda(db):
    return member("eda", "editor")


def test_the_owner_is_reminded_of_every_kind_of_item_due_within_7_days(sam, eda):
    r1 = arrange(recommendation(1), owner=sam, due_date=day(3))
    follow_up = arrange(FollowUpItem.objects.get_by_natural_key(2010, "FOF", 1), owner=sam, due_date=day(4))
    project = arrange(Project.objects.create(title="Safe corridors", description="A test project."), owner=sam,
                      due_date=day(5))
    action = arrange(services.add_action(r1, by=eda, title="Draft the law", owner=sam), due_date=day(6))
    make_reminders(NOW)
    assert reminded(sam, Kind.DUE_SOON) == sorted([
        f"due_soon:7:recommendation:{r1.pk}:2026-06-18",
        f"due_soon:7:followupitem:{follow_up.pk}:2026-06-19",
        f"due_soon:7:project:{project.pk}:2026-06-20",
        f"due_soon:7:action:{action.pk}:2026-06-21",
    ])
    assert reminded(eda) == []
    # (sam also follows the action he was made owner of: its opening entry told him, as a change)
    [note] = told(sam, Kind.DUE_SOON)
    assert (note.subject, note.text, note.url, note.item_count, note.key) == (
        "Due soon: 4 of your items", "4 of your items are due within 30 days. Report on them, or move their due "
        "dates with a reason.", "/my-items/", 4,
        f"due_soon:{NOW.isoformat()}:due_soon:7:recommendation:{r1.pk}:2026-06-18")
    assert [(item["url"], item["subject"]) for item in note.items] == [
        ("/recommendations/2010/1.1/1/", "Due in 3 days: Recommendation 2010/1.1/1: Interactive map and databases "
                                         "on migration flows"),
        ("/follow-up/2010/FOF/1/", "Due in 4 days: Follow-up item 2010/FOF/1: GFMD assessment"),
        (f"/projects/{project.pk}/", "Due in 5 days: Project: Safe corridors"),
        ("/recommendations/2010/1.1/1/actions/a1/", "Due in 6 days: Action 2010/1.1/1/a1: Draft the law"),
    ]
    assert told(eda, Kind.DUE_SOON) == []


def test_a_reminder_says_the_due_date_and_the_state(sam):
    arrange(recommendation(2), owner=sam, due_date=day(7), progress=40)
    make_reminders(NOW)
    [note] = sam.notifications.all()
    words = ("Recommendation 2010/1.1/2: Enforce relevant international conventions is due in 7 days (22 Jun 2026). "
             "Its status: In progress, progress 40 %. Report on it, or move its due date with a reason.")
    # one item is told in its own words, and listed
    assert (note.kind, note.subject, note.text, note.url, note.item_count) == (
        Kind.DUE_SOON, "Due in 7 days: Recommendation 2010/1.1/2: Enforce relevant international conventions", words,
        "/recommendations/2010/1.1/2/", 1)
    assert note.items == [{"subject": note.subject, "text": words, "url": "/recommendations/2010/1.1/2/"}]


@pytest.mark.parametrize("offset, expected", [
    (31, []), (30, ["due_soon:30"]), (8, ["due_soon:30"]), (7, ["due_soon:7"]), (1, ["due_soon:7"]),
    (0, ["due_soon:7"]), (-1, ["overdue"]),
])
def test_the_windows_boundaries(sam, offset, expected):
    item = arrange(recommendation(1), owner=sam, due_date=day(offset))
    make_reminders(NOW)
    assert reminded(sam) == [f"{prefix}:recommendation:{item.pk}:{day(offset).isoformat()}" for prefix in expected]


def test_the_7_day_window_reminds_again_after_the_30_day_one(sam):
    item = arrange(recommendation(1), owner=sam, due_date=day(20))
    make_reminders(NOW)
    make_reminders(NOW + (day(14) - day(0)))
    assert reminded(sam) == [f"due_soon:30:recommendation:{item.pk}:2026-07-05",
                             f"due_soon:7:recommendation:{item.pk}:2026-07-05"]
    assert [note.item_count for note in told(sam, Kind.DUE_SOON)] == [1, 1]


def test_a_second_run_makes_nothing(sam, eda):
    arrange(recommendation(1), owner=sam, due_date=day(-45))
    arrange(recommendation(2), owner=sam, due_date=day(6))
    assert make_reminders(NOW) == 3  # overdue, escalation, due soon; no stale: reported yesterday
    assert make_reminders(NOW) == 0
    assert make_reminders(NOW + datetime.timedelta(hours=1)) == 0
    assert (Notification.objects.count(), Reminder.objects.count()) == (3, 3)


def test_a_moved_due_date_reminds_again(sam):
    item = arrange(recommendation(1), owner=sam, due_date=day(-2))
    make_reminders(NOW)
    arrange(item, owner=sam, due_date=day(-1))
    make_reminders(NOW)
    assert reminded(sam, Kind.OVERDUE) == [f"overdue:recommendation:{item.pk}:2026-06-13",
                                           f"overdue:recommendation:{item.pk}:2026-06-14"]
    assert [note.subject for note in told(sam, Kind.OVERDUE)] == [
        "Overdue: Recommendation 2010/1.1/1: Interactive map and databases on migration flows"] * 2


def test_stale_by_the_meetings_threshold_once_per_latest_update(sam):
    Meeting.objects.filter(year=2010).update(ageing_after_days=30, stale_after_days=60)
    fresh = arrange(recommendation(1), owner=sam, last_update_at=ago(59))
    stale = arrange(recommendation(2), owner=sam, last_update_at=ago(60))
    never = arrange(recommendation(3), owner=sam, last_update_at=None, last_report_at=None)
    make_reminders(NOW)
    arrange(stale, owner=sam, last_update_at=ago(61))  # an older update cannot come later; a later one can:
    arrange(fresh, owner=sam, last_update_at=ago(70))
    make_reminders(NOW)
    assert reminded(sam) == sorted([f"stale:recommendation:{stale.pk}:2026-04-16",
                                    f"stale:recommendation:{stale.pk}:2026-04-15",
                                    f"stale:recommendation:{fresh.pk}:2026-04-06",
                                    f"stale:recommendation:{never.pk}:never"])
    first, second = told(sam, Kind.STALE)
    assert [item["subject"] for item in first.items] == [  # never reported first, then the longest silent
        "Never reported: Recommendation 2010/1.1/3: Information for potential migrants",
        "No report for 60 days: Recommendation 2010/1.1/2: Enforce relevant international conventions"]
    assert [item["subject"] for item in second.items] == [
        "No report for 70 days: Recommendation 2010/1.1/1: Interactive map and databases on migration flows",
        "No report for 61 days: Recommendation 2010/1.1/2: Enforce relevant international conventions"]
    assert (second.subject, second.url, second.item_count) == ("No recent report: 2 of your items", "/my-items/", 2)


def test_inactive_is_stale_too(sam):
    item = arrange(recommendation(1), owner=sam, last_update_at=ago(800))
    make_reminders(NOW)
    assert reminded(sam) == [f"stale:recommendation:{item.pk}:2024-04-06"]


def test_closed_items_are_neither_reminded_nor_escalated(sam, eda):
    arrange(recommendation(1), owner=sam, due_date=day(-40), status=Status.IMPLEMENTED, last_update_at=ago(900))
    arrange(recommendation(3), owner=None, due_date=day(-400), status=Status.IMPLEMENTED)
    arrange(recommendation(2), owner=sam, due_date=day(3), status=Status.NOT_PURSUED)
    make_reminders(NOW)
    assert (Notification.objects.count(), Reminder.objects.count()) == (0, 0)


def test_inactive_owners_and_owners_without_a_role_are_skipped(eda):
    gone = member("gone", "staff", active=False)
    roleless = member("roleless", None)
    arrange(recommendation(1), owner=gone, due_date=day(3))
    arrange(recommendation(2), owner=roleless, due_date=day(3))
    make_reminders(NOW)
    assert (Notification.objects.count(), Reminder.objects.count()) == (0, 0)


@pytest.mark.parametrize("late, escalated", [(29, False), (30, True)])
def test_escalation_after_ESCALATE_AFTER_DAYS(sam, eda, late, escalated):
    item = arrange(recommendation(1), owner=sam, due_date=day(-late))
    make_reminders(NOW)
    expected = [f"escalation:recommendation:{item.pk}:{day(-late).isoformat()}"] if escalated else []
    assert reminded(eda) == expected
    assert len(told(eda, Kind.ESCALATION)) == len(expected)
    assert reminded(sam, Kind.ESCALATION) == []  # the owner has the overdue reminder
    assert reminded(sam, Kind.OVERDUE) == [f"overdue:recommendation:{item.pk}:{day(-late).isoformat()}"]


def test_escalation_follows_the_setting(settings, sam, eda):
    settings.ESCALATE_AFTER_DAYS = 5
    arrange(recommendation(1), owner=sam, due_date=day(-4))
    item = arrange(recommendation(2), owner=sam, due_date=day(-5))
    make_reminders(NOW)
    assert reminded(eda) == [f"escalation:recommendation:{item.pk}:2026-06-10"]


def test_every_active_editor_is_told_with_the_owner_named(sam, eda):
    other = member("ed", "editor")
    administrator = member("ada", "administrator")
    member("old-editor", "editor", active=False)
    member("vic", "viewer")
    gone = member("gone", "staff")
    item = arrange(recommendation(1), owner=gone, due_date=day(-31))
    gone.is_active = False
    gone.save()
    make_reminders(NOW)
    escalated = Notification.objects.filter(kind=Kind.ESCALATION)
    assert sorted(escalated.values_list("recipient__username", flat=True)) == ["ada", "ed", "eda"]
    assert reminded(other) == reminded(administrator) == [f"escalation:recommendation:{item.pk}:2026-05-15"]
    assert escalated.first().text == (
        "Recommendation 2010/1.1/1: Interactive map and databases on migration flows was due 15 May 2026: 31 days "
        "ago. Its owner: Gone Example (gone), whose account is inactive. Its status: In progress, progress 20 %. Ask "
        "its owner for a report, hand it over, or move its due date with a reason.")


def test_an_item_nobody_owns_is_escalated_to_the_editors_only(eda):
    item = arrange(recommendation(1), owner=None, due_date=day(-40))
    arrange(recommendation(2), owner=None, due_date=day(-29))  # overdue, not yet escalated: nobody to remind
    make_reminders(NOW)
    assert list(Reminder.objects.values_list("recipient__username", "key")) == [
        ("eda", f"escalation:recommendation:{item.pk}:2026-05-06")]
    assert list(Notification.objects.values_list("recipient__username", "kind")) == [("eda", "escalation")]
    assert Notification.objects.get().text == (
        "Recommendation 2010/1.1/1: Interactive map and databases on migration flows was due 6 May 2026: 40 days "
        "ago. It has no owner. Its status: In progress, progress 20 %. Give it an owner, or move its due date with a "
        "reason.")


def test_the_reports_own_due_date_long_past_and_unowned_is_escalated(eda):
    FollowUpItem.objects.filter(number=1, session__code="FOF").update(due_date="2013-12-31", due_date_precision="year")
    make_reminders(NOW)
    [note] = Notification.objects.all()
    assert (note.recipient, note.url) == (eda, "/follow-up/2010/FOF/1/")
    assert note.text.startswith("Follow-up item 2010/FOF/1: GFMD assessment was due 2013: 4549 days ago. It has no "
                                "owner.")


def test_it_reads_the_items_in_a_few_queries_whatever_their_number(sam, eda, django_assert_max_num_queries):
    parent = recommendation(1)
    for number in range(1, 31):
        action = services.add_action(parent, by=eda, title=f"Action {number}", owner=sam)
        arrange(action, due_date=day(-40))
    for item in Recommendation.objects.exclude(pk=parent.pk).order_by("pk")[:10]:
        arrange(item, owner=sam, due_date=day(-40), last_update_at=ago(400))
    # per kind of item and rule: the items, the ledger (SQLite: read, then write; PostgreSQL: one INSERT … RETURNING),
    # an action's items; then a notification per kind: about 45 here, not one per item (50)
    with django_assert_max_num_queries(50):
        make_reminders(NOW)
    # 30 overdue actions; 10 items overdue and stale (and the 30 actions' opening entries, as changes he follows)
    assert (len(reminded(sam, Kind.OVERDUE)), len(reminded(sam, Kind.STALE))) == (30 + 10, 10)
    assert [(note.kind, note.item_count) for note in sam.notifications.exclude(kind=Kind.ITEM_CHANGED)
            .order_by("kind")] == [("overdue", 40), ("stale", 10)]


def test_no_note_of_the_timeline_is_told(sam, eda):
    item = arrange(recommendation(1), owner=sam)
    item.record_update(by=eda, note="INTERNAL-MARKER: the minister said no.", due_date=day(-40))
    arrange(item, owner=sam, last_update_at=ago(400), due_date=day(-40))
    make_reminders(NOW)
    made = Notification.objects.all()
    assert sorted(made.values_list("kind", flat=True)) == ["escalation", "overdue", "stale"]
    assert not [n for n in made if "INTERNAL-MARKER" in n.subject + n.text + str(n.items)]


def test_a_stale_reminder_names_the_day_of_the_latest_update_in_the_sites_time_zone(settings, sam):
    settings.TIME_ZONE = "America/Mexico_City"  # UTC−6: 03:00 UTC on 1 June is still 31 May there
    updated = datetime.datetime(2025, 6, 1, 3, 0, tzinfo=datetime.timezone.utc)
    item = arrange(recommendation(1), owner=sam, last_update_at=updated)
    make_reminders(NOW)
    [note] = sam.notifications.filter(kind=Kind.STALE)
    assert reminded(sam) == [f"stale:recommendation:{item.pk}:2025-05-31"]
    assert "(31 May 2025)" in note.items[0]["text"]


def overdue_projects(owner, count):
    """`count` open projects of `owner`, reported yesterday, the n-th due 1 + n // 6 days ago (at most 20: none
    escalated)."""
    return Project.objects.bulk_create([
        Project(title=f"P{n:03}", description="A test project.", owner=owner, status=Status.IN_PROGRESS,
                progress=20, due_date=day(-1 - n // 6), last_update_at=ago(1), last_report_at=ago(1))
        for n in range(count)])


def test_120_overdue_items_are_one_notification_listing_the_50_most_overdue(sam):
    overdue_projects(sam, 120)
    make_reminders(NOW)
    [note] = sam.notifications.all()
    assert (note.kind, note.subject, note.url, note.item_count, len(note.items), note.more) == (
        Kind.OVERDUE, "Overdue: 120 of your items", "/my-items/", 120, 50, 70)
    assert note.text == ("120 of your items are overdue. Report on them: close them, or move their due dates with "
                         "a reason.")
    most_overdue = sorted(range(120), key=lambda n: (-(n // 6), n))[:50]  # due 20 days ago: P114 … P119, then …
    assert [item["subject"] for item in note.items] == [
        f"Overdue: Project: P{n:03}" for n in most_overdue]
    assert note.items[0]["text"] == ("Project: P114 was due 26 May 2026: 20 days ago. Its status: In progress, "
                                     "progress 20 %. Report on it: close it, or move its due date with a reason.")
    assert len(reminded(sam)) == 120


def test_the_next_day_a_newly_overdue_item_is_told_alone(sam):
    overdue_projects(sam, 120)
    new = arrange(Project.objects.create(title="New", description="A test project."), owner=sam, due_date=day(0))
    make_reminders(NOW)
    make_reminders(NOW + datetime.timedelta(days=1))
    first, second = told(sam, Kind.OVERDUE)
    assert (first.item_count, second.item_count) == (120, 1)
    assert (second.subject, second.url, second.key) == (
        "Overdue: Project: New", f"/projects/{new.pk}/",
        f"overdue:{(NOW + datetime.timedelta(days=1)).isoformat()}:overdue:project:{new.pk}:2026-06-15")
    assert [item["subject"] for item in second.items] == ["Overdue: Project: New"]
    assert len(told(sam, Kind.DUE_SOON)) == 1  # the first day's: due today


def test_a_crash_midway_tells_and_records_nothing(sam, monkeypatch):
    from notifications import reminders

    arrange(recommendation(1), owner=sam, due_date=day(3))
    arrange(recommendation(2), owner=sam, due_date=day(-3))

    def crash(row, today):
        raise RuntimeError("killed")

    monkeypatch.setattr(reminders, "overdue_words", crash)  # after the due-soon reminders were written
    with pytest.raises(RuntimeError):
        make_reminders(NOW)
    assert (Notification.objects.count(), Reminder.objects.count()) == (0, 0)
    monkeypatch.undo()
    make_reminders(NOW)
    assert sorted(Notification.objects.values_list("kind", "item_count")) == [("due_soon", 1), ("overdue", 1)]


def test_each_owner_is_told_only_of_their_own_items(sam):
    pat = member("pat", "staff")
    arrange(recommendation(1), owner=sam, due_date=day(-2))
    arrange(recommendation(2), owner=pat, due_date=day(-3))
    arrange(recommendation(3), owner=pat, due_date=day(-4))
    make_reminders(NOW)
    [to_sam], [to_pat] = told(sam, Kind.OVERDUE), told(pat, Kind.OVERDUE)
    assert [item["url"] for item in to_sam.items] == ["/recommendations/2010/1.1/1/"]
    assert [item["url"] for item in to_pat.items] == ["/recommendations/2010/1.1/3/", "/recommendations/2010/1.1/2/"]
    assert (to_sam.item_count, to_pat.item_count, to_pat.subject) == (1, 2, "Overdue: 2 of your items")
