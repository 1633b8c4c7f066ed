"""The weekly report for the Steering Group: its recipients (chosen by editors in the admin), once a week, and
what it says on the seeded report with a few items arranged (figures pinned, counted by hand)."""

import pytest
from django.core.exceptions import ValidationError

from notifications import digest
from notifications.digest import make_weekly_digest
from notifications.models import DigestRecipient, Kind, Notification
from recommendations import services
from recommendations.models import RecommendationUpdate

from .people import NOW, ago, arrange, day, keys, member, recommendation


@pytest.fixture
def vic(db):
    return member("vic", "viewer")


@pytest.fixture
def week(db, vic):
    """Sam owns 2010/1.1/1 (due 10 days ago; its status changed on Friday 12 June, and on 7 June, the week
    before), 2010/1.1/2 (due 400 days ago, moved 30 days later on Saturday 13 June) and the action 2010/1.1/1/a1
    (due yesterday, never reported). The seed: 45 recommendations (one reported long ago, at 0 %), 57 follow-up
    items (one closed; 2010/FOF/1 due in 2013), 3 projects."""
    sam, eda = member("sam", "staff"), member("eda", "editor")
    DigestRecipient.objects.create(user=vic, added_by=eda)
    r1 = arrange(recommendation(1), owner=sam, due_date=day(-10))
    r2 = arrange(recommendation(2), owner=sam, due_date=day(-400))
    action = services.add_action(r1, by=eda, title="Draft the law", owner=sam)
    arrange(action, due_date=day(-1), last_report_at=None)
    RecommendationUpdate.objects.create(item=r1, note="INTERNAL-MARKER", status_before="not_started",
                                        status_after="in_progress", created_at=ago(3))
    RecommendationUpdate.objects.create(item=r1, note="INTERNAL-MARKER", status_before="planned",
                                        status_after="not_started", created_at=ago(8))
    RecommendationUpdate.objects.create(item=r2, note="INTERNAL-MARKER", due_date_before=day(-430),
                                        due_date_after=day(-400), due_date_precision_after="day",
                                        due_date_reason="INTERNAL-MARKER", slipped_days=30, created_at=ago(2))


def texts(user):
    return {n.key.rsplit(":", 1)[1]: (n.subject, n.text, n.url) for n in user.notifications.order_by("pk")}


def test_it_goes_to_each_recipient_who_may_read_it_once_a_week(vic):
    roleless, gone = member("rolf", None), member("gone", "viewer", active=False)
    DigestRecipient.objects.bulk_create([DigestRecipient(user=user) for user in (vic, roleless, gone)])
    assert make_weekly_digest(NOW) == 1
    assert keys(vic) == sorted(f"weekly_digest:2026-W25:{section}"
                               for section in ("figures", "changes", "slipped", "overdue"))
    assert Notification.objects.exclude(recipient=vic).count() == 0
    assert set(vic.notifications.values_list("kind", flat=True)) == {Kind.WEEKLY_DIGEST}
    assert make_weekly_digest(NOW + (day(6) - day(0))) == 0  # Sunday: the same week
    assert make_weekly_digest(NOW + (day(7) - day(0))) == 1
    assert vic.notifications.count() == 8


def test_the_headline_figures_with_their_coverage(week, vic):
    make_weekly_digest(NOW)
    assert texts(vic)["figures"] == ("Week 25 of 2026: the headline figures", (
        "What the tracker knows on 15 June 2026, kind by kind. Reported: someone logged an update after the entry "
        "that added the item (on it or on one of its actions); an item nobody reported on is unknown, never 0%.\n"
        "\n"
        "Recommendations: 45 in all, 45 open, 2 overdue.\n"
        "  Reported: 3 (7%); in the last 90 days: 2 (4%); unknown: 42.\n"
        "  Progress over those whose progress is known: 13%. Closures awaiting verification: 0; verified: 0.\n"
        "\n"
        "Follow-up items: 57 in all, 56 open, 1 overdue.\n"
        "  Reported: 0 (0%); in the last 90 days: 0 (0%); unknown: 57.\n"
        "  Progress over those whose progress is known: unknown. Closures awaiting verification: 0; verified: 0.\n"
        "\n"
        "PfP projects: 3 in all, 3 open, 0 overdue.\n"
        "  Reported: 0 (0%); in the last 90 days: 0 (0%); unknown: 3.\n"
        "  Progress over those whose progress is known: unknown. Closures awaiting verification: 0; verified: 0.\n"
        "\n"
        "Actions: 1 in all, 1 open, 1 overdue.\n"
        "  Reported: 0 (0%); in the last 90 days: 0 (0%); unknown: 1.\n"
        "  Progress over those whose progress is known: unknown. Closures awaiting verification: 0; verified: 0.\n"
        "\n"
        "The dashboard: http://127.0.0.1:8000/"), "/")


def test_the_status_changes_of_the_last_seven_days(week, vic):
    make_weekly_digest(NOW)
    assert texts(vic)["changes"] == ("Week 25: 1 status change", (
        "Status changes from 8 June to 14 June 2026: 1.\n"
        "\n"
        "Recommendations: 1 (Not started → In progress: 1)\n"
        "- Recommendation 2010/1.1/1: Interactive map and databases on migration flows: Not started → In progress, "
        "12 Jun 2026, 09:00\n"
        "  http://127.0.0.1:8000/recommendations/2010/1.1/1/\n"
        "\n"
        "Follow-up items: 0\n"
        "\n"
        "PfP projects: 0"), "/reports/changes/?start=2026-06-08&end=2026-06-14")


def test_what_slipped_in_the_last_seven_days(week, vic):
    make_weekly_digest(NOW)
    assert texts(vic)["slipped"] == ("Week 25: 1 due date moved later", (
        "Due dates moved later from 8 June to 14 June 2026: 1.\n"
        "\n"
        "Recommendations: 1\n"
        "- Recommendation 2010/1.1/2: Enforce relevant international conventions: 30 days later, now due 11 May 2025\n"
        "  http://127.0.0.1:8000/recommendations/2010/1.1/2/\n"
        "\n"
        "Follow-up items: 0\n"
        "\n"
        "PfP projects: 0\n"
        "\n"
        "Actions: 0"), "/reports/slipped/")


def test_what_is_overdue_the_most_overdue_first(week, vic):
    make_weekly_digest(NOW)
    assert texts(vic)["overdue"] == ("Week 25: 4 items overdue", (
        "Open items past their due date on 15 June 2026: 4.\n"
        "\n"
        "Recommendations: 2; the most overdue:\n"
        "- Recommendation 2010/1.1/2: Enforce relevant international conventions: due 11 May 2025, 400 days ago\n"
        "  http://127.0.0.1:8000/recommendations/2010/1.1/2/\n"
        "- Recommendation 2010/1.1/1: Interactive map and databases on migration flows: due 5 Jun 2026, 10 days ago\n"
        "  http://127.0.0.1:8000/recommendations/2010/1.1/1/\n"
        "\n"
        "Follow-up items: 1; the most overdue:\n"
        "- Follow-up item 2010/FOF/1: GFMD assessment: due 2013, 4549 days ago\n"
        "  http://127.0.0.1:8000/follow-up/2010/FOF/1/\n"
        "\n"
        "PfP projects: 0\n"
        "\n"
        "Actions: 1; the most overdue:\n"
        "- Action 2010/1.1/1/a1: Draft the law: due 14 Jun 2026, 1 day ago\n"
        "  http://127.0.0.1:8000/recommendations/2010/1.1/1/actions/a1/"), "/recommendations/?overdue=on")


def test_a_long_list_says_how_many_in_all(week, vic, monkeypatch):
    monkeypatch.setattr(digest, "SHOWN", 1)
    make_weekly_digest(NOW)
    assert texts(vic)["overdue"][1].split("\n")[2:6] == [
        "Recommendations: 2; the most overdue:",
        "- Recommendation 2010/1.1/2: Enforce relevant international conventions: due 11 May 2025, 400 days ago",
        "  http://127.0.0.1:8000/recommendations/2010/1.1/2/",
        "  … 2 in all in the lists (overdue only).",
    ]


def test_it_holds_no_note_nor_reason(week, vic):
    make_weekly_digest(NOW)
    assert [n.key for n in vic.notifications.all() if "INTERNAL-MARKER" in n.subject + n.text] == []


def test_it_is_read_in_a_few_queries(week, vic, django_assert_max_num_queries):
    with django_assert_max_num_queries(35):
        make_weekly_digest(NOW)


# --- its recipients, chosen in the admin

def test_an_editor_adds_a_recipient_in_the_admin(client, vic):
    eda = member("eda", "editor")
    client.force_login(eda)
    assert client.get("/admin/notifications/digestrecipient/").status_code == 200
    response = client.post("/admin/notifications/digestrecipient/add/", {"user": vic.pk})
    assert response.status_code == 302
    recipient = DigestRecipient.objects.get()
    assert (recipient.user, recipient.added_by) == (vic, eda)


def test_the_admin_offers_no_one_who_may_not_read_it(client, vic):
    client.force_login(member("eda", "editor"))
    gone = member("gone", "viewer", active=False)
    response = client.post("/admin/notifications/digestrecipient/add/", {"user": gone.pk})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "user": ["Select a valid choice. That choice is not one of the available choices."]}
    assert DigestRecipient.objects.count() == 0


def test_a_user_without_a_role_is_refused_with_a_message(db):
    with pytest.raises(ValidationError) as refused:
        DigestRecipient(user=member("rolf", None)).full_clean()
    assert refused.value.message_dict == {"user": [
        "rolf cannot get the weekly report: it goes to active users whose role reads the items (viewer, staff, "
        "editor or administrator)."]}


def test_staff_cannot_choose_recipients(db, client):
    sam = member("sam", "staff")
    sam.is_staff = True  # even let into the admin
    sam.save()
    client.force_login(sam)
    assert client.get("/admin/notifications/digestrecipient/add/").status_code == 403
