"""The actions list (/actions/): its filters, sort, pages, exports; the public sees the published actions of
published items, without owners."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from partnerships.models import Project
from recommendations import services
from recommendations.models import Action, Actor, FollowUpItem, Recommendation, Status

pytestmark = pytest.mark.django_db

LIST = reverse("recommendations:action_list")
OVERDUE, LATER = datetime.date(2020, 1, 31), datetime.date(2031, 3, 31)


@pytest.fixture
def actions(editor, staff):
    """a1 and a2 under 2010/2.1/1 (a1 in progress, owned by staff, due 2031, its actor IOM; a2 overdue); a1 under
    the follow-up item CSD/2 (unpublished); a1 under the project "Developing Migration Profiles" (implemented,
    awaiting verification); a1 under 2010/2.1/2, which is unpublished."""
    rec = Recommendation.objects.get_by_natural_key(2010, "2.1", 1)
    iom = Actor.objects.order_by("pk").first()
    mapped = services.add_action(rec, by=editor, title="Map recruitment agencies", owner=staff, due_date=LATER,
                                 responsible_actors=[iom], description="Who recruits for whom")
    mapped.record_update(by=editor, note="Started.", status=Status.IN_PROGRESS, progress=30)
    trained = services.add_action(rec, by=editor, title="Train labour inspectors", due_date=OVERDUE)
    item = FollowUpItem.objects.get_by_natural_key(2010, "CSD", 2)
    hidden = services.add_action(item, by=editor, title="Publish guidance")
    Action.objects.filter(pk=hidden.pk).update(is_public=False)
    project = Project.objects.get(title="Developing Migration Profiles")
    profiled = services.add_action(project, by=editor, title="Profile five countries")
    profiled.record_update(by=editor, note="Done.", status=Status.IMPLEMENTED, evidence_url="https://example.org/p")
    unpublished = Recommendation.objects.get_by_natural_key(2010, "2.1", 2)
    Recommendation.objects.filter(pk=unpublished.pk).update(is_public=False)
    under_hidden = services.add_action(unpublished, by=editor, title="Draft a code of conduct")
    return {"mapped": mapped, "trained": trained, "hidden": hidden, "profiled": profiled, "under_hidden": under_hidden,
            "iom": iom}


def titles(client, **filters):
    return [action.title for action in client.get(LIST, filters).context["page"]]


def test_those_signed_in_see_every_action_in_item_order(viewer_client, actions):
    assert sorted(titles(viewer_client)) == sorted(["Map recruitment agencies", "Train labour inspectors",
                                                    "Publish guidance", "Profile five countries",
                                                    "Draft a code of conduct"])


def test_the_public_sees_the_published_actions_of_published_items_only(client, actions):
    assert sorted(titles(client)) == ["Map recruitment agencies", "Profile five countries", "Train labour inspectors"]
    body = client.get(LIST).content.decode()
    assert "sam-staff" not in body and "Owner" not in body
    assert titles(client, owner="sam-staff") == titles(client)  # no owner filter for the public


@pytest.mark.parametrize(("filters", "expected"), [
    ({"status": "in_progress"}, ["Map recruitment agencies"]),
    ({"verification": "awaiting"}, ["Profile five countries"]),
    ({"overdue": "on"}, ["Train labour inspectors"]),
    ({"owner": "sam-staff"}, ["Map recruitment agencies"]),
    ({"q": "recruits whom"}, ["Map recruitment agencies"]),  # the description's words
    ({"q": "inspectors"}, ["Train labour inspectors"]),
    ({"session": "2.1"}, ["Map recruitment agencies", "Train labour inspectors", "Draft a code of conduct"]),
    ({"session": "CSD", "meeting": "2010"}, ["Publish guidance"]),
    ({"freshness": "current", "session": "2.1"},
     ["Map recruitment agencies", "Train labour inspectors", "Draft a code of conduct"]),
    ({"freshness": "stale"}, []),
])
def test_each_filter(viewer_client, actions, filters, expected):
    assert titles(viewer_client, **filters) == expected


def test_the_responsible_actor_filter(viewer_client, actions):
    assert titles(viewer_client, responsible=actions["iom"].name) == ["Map recruitment agencies"]


def test_it_sorts_by_due_date(viewer_client, actions):
    dated = {"due_after": "2000-01-01"}  # where the undated sort (first or last) differs between databases
    assert titles(viewer_client, sort="due", **dated) == ["Train labour inspectors", "Map recruitment agencies"]
    assert titles(viewer_client, sort="-due", **dated) == ["Map recruitment agencies", "Train labour inspectors"]


def test_it_pages(viewer_client, actions, monkeypatch):
    monkeypatch.setattr("recommendations.views.lists.PAGE_SIZE", 2)
    page = viewer_client.get(LIST, {"page": 3}).context["page"]
    assert (page.number, page.paginator.num_pages, len(page)) == (3, 3, 1)


def test_a_row_shows_its_item_status_light_and_owner(viewer_client, actions):
    body = " ".join(viewer_client.get(LIST, {"status": "in_progress"}).content.decode().split())
    assert '<td data-label="Item"><a href="/recommendations/2010/2.1/1/">2.1/1</a></td>' in body
    assert '<a href="/recommendations/2010/2.1/1/actions/a1/">a1 Map recruitment agencies</a>' in body
    assert '<span class="badge status-in_progress">In progress</span>' in body
    assert "Current · latest update today" in body
    assert '<td data-label="Owner">sam-staff</td>' in body


def test_the_csv_export_holds_the_filtered_actions(viewer_client, actions):
    response = viewer_client.get(reverse("recommendations:action_export", args=["csv"]), {"session": "2.1",
                                                                                          "due_after": "2000-01-01",
                                                                                          "sort": "due"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:14] == ["meeting", "item", "action", "title", "description", "themes", "status", "owner",
                            "responsible_actors", "due_date", "progress", "priority", "verification", "weight"]
    assert [row[:4] for row in rows[1:]] == [["2010", "2010/2.1/1", "a2", "Train labour inspectors"],
                                             ["2010", "2010/2.1/1", "a1", "Map recruitment agencies"]]
    assert rows[2][4:14] == ["Who recruits for whom", "", "In progress", "sam-staff", actions["iom"].name,
                             "2031-03-31", "30", "", "Not claimed", "1"]


def test_the_publics_csv_has_no_owner_and_only_what_it_sees(client, actions):
    response = client.get(reverse("recommendations:action_export", args=["csv"]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert "owner" not in rows[0]
    assert sorted(row[3] for row in rows[1:]) == ["Map recruitment agencies", "Profile five countries",
                                                  "Train labour inspectors"]
    assert [row[1] for row in rows[1:] if row[3] == "Profile five countries"] == ["Developing Migration Profiles"]


def test_the_xlsx_export_states_the_coverage_of_the_exported_actions(viewer_client, actions):
    response = viewer_client.get(reverse("recommendations:action_export", args=["xlsx"]), {"session": "2.1"})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    about = {row[0]: row[1] for row in book["About this export"].iter_rows(values_only=True)}
    # 3 actions; a1 reported (an update after its opening entry), at 30 %; none claimed.
    assert about["Rows"] == 3
    assert about["Coverage: items"] == 3
    assert about["Coverage: reported"] == "1 (33%)"
    assert about["Coverage: reported in the last 90 days"] == "1 (33%)"
    assert about["Coverage: unknown (no report)"] == "2 (67%)"
    assert about["Coverage: progress over the reported"] == "30%"
    assert about["How this is computed"].startswith("An item is reported once anyone logged an update on it")


def test_the_list_keeps_its_query_count(viewer_client, client, editor, actions, django_assert_max_num_queries):
    rec = Recommendation.objects.get_by_natural_key(2010, "3.1", 1)
    for n in range(10):  # more rows, of every kind of item: no query per row
        services.add_action(rec, by=editor, title=f"More {n}")
    with django_assert_max_num_queries(20):
        viewer_client.get(LIST)
    client.logout()
    with django_assert_max_num_queries(14):
        client.get(LIST)


def test_the_filters_offer_names_as_one_types(viewer_client, client, actions):
    url = reverse("recommendations:action_names", args=["responsible"])
    iom = actions["iom"].name
    assert iom in viewer_client.get(url, {"q": iom[:3]}).json()["names"]
    client.logout()
    owners = client.get(reverse("recommendations:action_names", args=["owner"]), {"q": "sam"})
    assert owners.status_code == 302  # people's names are never offered to the public
