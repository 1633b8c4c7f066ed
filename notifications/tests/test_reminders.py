"""What `reminders.make_reminders` tells whom: the owners of open items of every kind due within 30 and 7 days,
overdue or stale (once per due date or latest update), and the editors of items overdue by ESCALATE_AFTER_DAYS."""

import datetime

import pytest

from notifications.models import Kind, Notification
from notifications.reminders import make_reminders
from partnerships.models import Project
from recommendations import services
from recommendations.models import FollowUpItem, Meeting, Recommendation, Status

from .people import NOW, ago, arrange, day, keys, member, recommendation

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
    # (sam also follows the action he was made owner of: its opening entry told him, as a change)
    assert keys(sam, Kind.DUE_SOON) == sorted([
        f"due_soon:7:recommendation:{r1.pk}:2026-06-18",
        f"due_soon:7:followupitem:{follow_up.pk}:2026-06-19",
        f"due_soon:7:project:{project.pk}:2026-06-20",
        f"due_soon:7:action:{action.pk}:2026-06-21",
    ])
    assert keys(eda) == []
    subjects = dict(sam.notifications.filter(kind=Kind.DUE_SOON).values_list("url", "subject"))
    assert subjects == {
        "/recommendations/2010/1.1/1/": "Due in 3 days: Recommendation 2010/1.1/1: Interactive map and databases on "
                                        "migration flows",
        "/follow-up/2010/FOF/1/": "Due in 4 days: Follow-up item 2010/FOF/1: GFMD assessment",
        f"/projects/{project.pk}/": "Due in 5 days: Project: Safe corridors",
        "/recommendations/2010/1.1/1/actions/a1/": "Due in 6 days: Action 2010/1.1/1/a1: Draft the law",
    }


def test_a_reminder_says_the_due_date_and_the_state(sam):
    arrange(recommendation(2), owner=sam, due_date=day(7), progress=40)
    make_reminders(NOW)
    [note] = sam.notifications.all()
    assert note.kind == Kind.DUE_SOON
    assert note.text == ("Recommendation 2010/1.1/2: Enforce relevant international conventions is due in 7 days "
                         "(22 Jun 2026). Its status: In progress, progress 40 %. Report on it, or move its due date "
                         "with a reason.")


@pytest.mark.parametrize("offset, expected", [
    (31, []), (30, ["due_soon:30"]), (8, ["due_soon:30"]), (7, ["due_soon:7"]), (1, ["due_soon:7"]),
    (0, ["due_soon:7"]), (-1, ["overdue"]),
])
def test_the_windows_boundaries(sam, offset, expected):
    item = arrange(recommendation(1), owner=sam, due_date=day(offset))
    make_reminders(NOW)
    assert keys(sam) == [f"{prefix}:recommendation:{item.pk}:{day(offset).isoformat()}" for prefix in expected]


def test_the_7_day_window_reminds_again_after_the_30_day_one(sam):
    item = arrange(recommendation(1), owner=sam, due_date=day(20))
    make_reminders(NOW)
    make_reminders(NOW + (day(14) - day(0)))
    assert keys(sam) == [f"due_soon:30:recommendation:{item.pk}:2026-07-05",
                         f"due_soon:7:recommendation:{item.pk}:2026-07-05"]


def test_a_second_run_makes_nothing(sam, eda):
    arrange(recommendation(1), owner=sam, due_date=day(-45))
    arrange(recommendation(2), owner=sam, due_date=day(6))
    make_reminders(NOW)
    made = Notification.objects.count()
    make_reminders(NOW)
    assert made == 3  # overdue, escalation, due soon; no stale: reported yesterday
    assert Notification.objects.count() == 3


def test_a_moved_due_date_reminds_again(sam):
    item = arrange(recommendation(1), owner=sam, due_date=day(-2))
    make_reminders(NOW)
    arrange(item, owner=sam, due_date=day(-1))
    make_reminders(NOW)
    assert keys(sam, Kind.OVERDUE) == [f"overdue:recommendation:{item.pk}:2026-06-13",
                                       f"overdue:recommendation:{item.pk}:2026-06-14"]


def test_stale_by_the_meetings_threshold_once_per_latest_update(sam):
    Meeting.objects.filter(year=2010).update(ageing_after_days=30, stale_after_days=60)
    fresh = arrange(recommendation(1), owner=sam, last_update_at=ago(59))
    stale = arrange(recommendation(2), owner=sam, last_update_at=ago(60))
    never = arrange(recommendation(3), owner=sam, last_update_at=None, last_report_at=None)
    make_reminders(NOW)
    arrange(stale, owner=sam, last_update_at=ago(61))  # an older update cannot come later; a later one can:
    arrange(fresh, owner=sam, last_update_at=ago(70))
    make_reminders(NOW)
    assert keys(sam) == sorted([f"stale:recommendation:{stale.pk}:2026-04-16",
                                f"stale:recommendation:{stale.pk}:2026-04-15",
                                f"stale:recommendation:{fresh.pk}:2026-04-06",
                                f"stale:recommendation:{never.pk}:never"])
    assert sam.notifications.get(key=f"stale:recommendation:{never.pk}:never").subject == (
        "Never reported: Recommendation 2010/1.1/3: Information for potential migrants")


def test_inactive_is_stale_too(sam):
    item = arrange(recommendation(1), owner=sam, last_update_at=ago(800))
    make_reminders(NOW)
    assert keys(sam) == [f"stale:recommendation:{item.pk}:2024-04-06"]


def test_closed_items_are_not_reminded(sam):
    arrange(recommendation(1), owner=sam, due_date=day(-40), status=Status.IMPLEMENTED, last_update_at=ago(900))
    arrange(recommendation(2), owner=sam, due_date=day(3), status=Status.NOT_PURSUED)
    make_reminders(NOW)
    assert Notification.objects.count() == 0


def test_inactive_owners_and_owners_without_a_role_are_skipped(eda):
    gone = member("gone", "staff", active=False)
    roleless = member("roleless", None)
    arrange(recommendation(1), owner=gone, due_date=day(3))
    arrange(recommendation(2), owner=roleless, due_date=day(3))
    make_reminders(NOW)
    assert Notification.objects.count() == 0


@pytest.mark.parametrize("late, escalated", [(29, False), (30, True)])
def test_escalation_after_ESCALATE_AFTER_DAYS(sam, eda, late, escalated):
    item = arrange(recommendation(1), owner=sam, due_date=day(-late))
    make_reminders(NOW)
    expected = [f"escalation:recommendation:{item.pk}:{day(-late).isoformat()}"] if escalated else []
    assert keys(eda) == expected
    assert keys(sam, Kind.ESCALATION) == []  # the owner has the overdue reminder
    assert keys(sam, Kind.OVERDUE) == [f"overdue:recommendation:{item.pk}:{day(-late).isoformat()}"]


def test_escalation_follows_the_setting(settings, sam, eda):
    settings.ESCALATE_AFTER_DAYS = 5
    arrange(recommendation(1), owner=sam, due_date=day(-4))
    item = arrange(recommendation(2), owner=sam, due_date=day(-5))
    make_reminders(NOW)
    assert keys(eda) == [f"escalation:recommendation:{item.pk}:2026-06-10"]


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
    told = Notification.objects.filter(kind=Kind.ESCALATION)
    assert sorted(told.values_list("recipient__username", flat=True)) == ["ada", "ed", "eda"]
    assert keys(other) == keys(administrator) == [f"escalation:recommendation:{item.pk}:2026-05-15"]
    assert told.first().text == (
        "Recommendation 2010/1.1/1: Interactive map and databases on migration flows was due 15 May 2026: 31 days "
        "ago. Its owner: Gone Example (gone), whose account is inactive. Its status: In progress, progress 20 %. Ask "
        "its owner for a report, hand it over, or move its due date with a reason.")


def test_an_item_nobody_owns_is_escalated_to_the_editors_only(eda):
    item = arrange(recommendation(1), owner=None, due_date=day(-40))
    arrange(recommendation(2), owner=None, due_date=day(-29))  # overdue, not yet escalated: nobody to remind
    make_reminders(NOW)
    assert list(Notification.objects.values_list("recipient__username", "key")) == [
        ("eda", f"escalation:recommendation:{item.pk}:2026-05-06")]
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
    with django_assert_max_num_queries(40):
        make_reminders(NOW)
    # 30 overdue actions; 10 items overdue and stale (and the 30 actions' opening entries, as changes he follows)
    assert sam.notifications.exclude(kind=Kind.ITEM_CHANGED).count() == 30 + 10 * 2


def test_no_note_of_the_timeline_is_told(sam, eda):
    item = arrange(recommendation(1), owner=sam)
    item.record_update(by=eda, note="INTERNAL-MARKER: the minister said no.", due_date=day(-40))
    arrange(item, owner=sam, last_update_at=ago(400), due_date=day(-40))
    make_reminders(NOW)
    told = Notification.objects.all()
    assert sorted(told.values_list("kind", flat=True)) == ["escalation", "overdue", "stale"]
    assert not [n for n in told if "INTERNAL-MARKER" in n.subject + n.text]


def test_a_stale_reminder_names_the_day_of_the_latest_update_in_the_sites_time_zone(settings, sam):
    settings.TIME_ZONE = "America/Mexico_City"  # UTC−6: 03:00 UTC on 1 June is still 31 May there
    updated = datetime.datetime(2025, 6, 1, 3, 0, tzinfo=datetime.timezone.utc)
    item = arrange(recommendation(1), owner=sam, last_update_at=updated)
    make_reminders(NOW)
    [note] = sam.notifications.filter(kind=Kind.STALE)
    assert note.key == f"stale:recommendation:{item.pk}:2025-05-31"
    assert "(31 May 2025)" in note.text
