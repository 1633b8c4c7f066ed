"""Actions in the API: listed and filtered as the lists filter them, each read by its key (2010/2.1/1/a1), its
timeline read and an update logged through `record_update` (its rules' messages, its effects, the item's
roll-up); the public reads the published actions of published items, without owners. Items carry their
verification, freshness and roll-up."""

import datetime

import pytest

from api.tests.conftest import get, post, token_for
from conftest import make_user
from gfmd_tracker.roles import EDITOR
from partnerships.models import Project
from recommendations import services
from recommendations.models import Action, Recommendation, Status

pytestmark = pytest.mark.django_db

LIST = "/api/v1/actions/"
HANDBOOK_A1 = "Handbook on Engaging Diasporas in Development Activities in both Host and Home Countries/a1"
A1 = "/api/v1/actions/2010/2.1/1/a1/"


@pytest.fixture
def rec():
    return Recommendation.objects.get_by_natural_key(2010, "2.1", 1)


@pytest.fixture
def actions(rec, staff, editor):
    first = services.add_action(rec, by=staff, title="Workshop in Dubai", due_date=datetime.date(2011, 6, 30))
    second = services.add_action(rec, by=staff, title="Guide for recruiters", weight=3)
    hidden = services.add_action(rec, by=staff, title="Draft step")
    services.set_items_public([hidden], public=False, by=editor)
    return first, second, hidden


def keys(response):
    assert response.status_code == 200, response.content
    return [row["key"] for row in response.json()["results"]]


def test_an_action_reads_by_its_key_with_its_item(client, actions, viewer):
    body = get(client, A1, token_for(viewer)).json()
    assert {k: body[k] for k in ("key", "number", "title", "weight", "status", "verification", "progress",
                                 "due_date", "freshness", "owner", "parent")} == {
        "key": "2010/2.1/1/a1", "number": 1, "title": "Workshop in Dubai", "weight": 1, "status": "not_started",
        "verification": "", "progress": 0, "due_date": "2011-06-30", "freshness": "current", "owner": "sam-staff",
        "parent": {"kind": "recommendation", "key": "2010/2.1/1",
                   "url": "http://testserver/api/v1/recommendations/2010/2.1/1/"}}
    assert body["url"] == "http://testserver" + A1
    assert body["updates_url"] == "http://testserver" + A1 + "updates/"


def test_the_public_reads_published_actions_without_owners(client, actions):
    assert keys(client.get(LIST)) == ["2010/2.1/1/a1", "2010/2.1/1/a2"]
    body = client.get(A1).json()
    assert {"owner", "public", "version"}.isdisjoint(body)
    assert client.get("/api/v1/actions/2010/2.1/1/a3/").status_code == 404


def test_the_actions_of_an_unpublished_item_are_nowhere_for_the_public(client, actions, rec, editor, viewer):
    services.set_items_public([rec], public=False, by=editor)
    assert keys(client.get(LIST)) == []
    assert client.get(A1).status_code == 404 and client.get(A1 + "updates/").status_code == 404
    assert len(keys(get(client, LIST, token_for(viewer)))) == 3


@pytest.mark.parametrize(("query", "expected"), [
    ("status=in_progress", ["2010/2.1/1/a2"]),
    ("verification=awaiting", ["2010/2.1/1/a1"]),
    ("verification=verified", []),
    ("q=recruiters", ["2010/2.1/1/a2"]),
    ("session=2.1", ["2010/2.1/1/a1", "2010/2.1/1/a2", "2010/2.1/1/a3"]),
    ("freshness=current", ["2010/2.1/1/a2", "2010/2.1/1/a3", HANDBOOK_A1]),  # not a1: closed
    ("parent_kind=recommendation", ["2010/2.1/1/a1", "2010/2.1/1/a2", "2010/2.1/1/a3"]),
    ("parent_kind=project", [HANDBOOK_A1]),
    ("meeting=2010", ["2010/2.1/1/a1", "2010/2.1/1/a2", "2010/2.1/1/a3", HANDBOOK_A1]),
    ("owner=eda-editor", ["2010/2.1/1/a2"]),
    ("as_of=2099-01-01&status=in_progress", ["2010/2.1/1/a2"]),
])
def test_the_list_filters_as_the_lists_do(client, actions, staff, editor, viewer, query, expected):
    first, second, _ = actions
    first.record_update(by=editor, note="Held.", status=Status.IMPLEMENTED, evidence_url="https://example.org/r")
    second.record_update(by=editor, note="Started.", status=Status.IN_PROGRESS, owner=editor)
    services.add_action(Project.objects.get(title__startswith="Handbook"), by=staff, title="Translate it")
    assert keys(get(client, f"{LIST}?{query}", token_for(viewer))) == expected


def test_the_public_cannot_filter_by_owner_and_bad_values_are_400(client, actions, viewer):
    assert keys(client.get(f"{LIST}?owner=sam-staff")) == ["2010/2.1/1/a1", "2010/2.1/1/a2"]
    for query in ("status=done", "freshness=old", "parent_kind=action", "meeting=twenty", "verification=none",
                  "as_of=soon"):
        assert get(client, f"{LIST}?{query}", token_for(viewer)).status_code == 400, query


def test_odd_keys_are_404(client, actions):
    for url in ("/api/v1/actions/2010/2.1/1/a0/", "/api/v1/actions/2010/2.1/1/b1/", "/api/v1/actions/nothing/",
                "/api/v1/actions/2010/9.9/1/a1/", "/api/v1/actions/2010/2.1/1/a99999999/"):
        assert client.get(url).status_code == 404, url


def test_an_update_goes_through_record_update_and_the_roll_up_follows(client, actions, rec, staff):
    response = post(client, A1 + "updates/", token_for(staff),
                    {"note": "Venue booked.", "status": "in_progress", "progress": 30, "version": 1})
    assert response.status_code == 201, response.content
    action = Action.objects.get(pk=actions[0].pk)
    assert (action.status, action.progress, action.version) == (Status.IN_PROGRESS, 30, 2)
    entry = action.updates.first()
    assert (entry.author, entry.note, entry.status_after) == (staff, "Venue booked.", Status.IN_PROGRESS)
    assert response.json()["item"]["key"] == "2010/2.1/1/a1"
    assert response["Location"] == "http://testserver" + A1
    rec.refresh_from_db()
    assert (rec.actions_reported, rec.actions_progress) == (1, 30)
    body = client.get("/api/v1/recommendations/2010/2.1/1/").json()
    assert body["rollup"] == {"reported": 1, "total": 2, "progress": 30}  # the unpublished draft counts for nobody


def test_a_closure_without_evidence_is_refused_with_the_rules_message(client, actions, staff):
    response = post(client, A1 + "updates/", token_for(staff),
                    {"note": "Held.", "status": "implemented", "version": 1})
    assert response.status_code == 400
    assert response.json() == {"evidence_url": [
        "Give the evidence of what was done: a link, or attach a file. An item is closed as implemented with its "
        "evidence."]}
    assert Action.objects.get(pk=actions[0].pk).updates.count() == 1


def test_a_closure_is_claimed_then_verified_by_another_editor(client, actions, staff, editor):
    claimed = post(client, A1 + "updates/", token_for(editor), {
        "note": "Held.", "status": "implemented", "evidence_url": "https://example.org/r", "version": 1})
    assert claimed.json()["item"]["verification"] == "awaiting"
    own = post(client, A1 + "updates/", token_for(editor), {"note": "Checked.", "verification": "verified",
                                                             "version": 2})
    assert (own.status_code, own.json()) == (
        403, {"detail": "Another editor must verify this closure: you claimed it."})
    other = make_user("otto-editor", EDITOR)
    verified = post(client, A1 + "updates/", token_for(other), {"note": "Report read.", "verification": "verified",
                                                                "version": 2})
    assert verified.status_code == 201, verified.content
    action = Action.objects.get(pk=actions[0].pk)
    assert (action.verification, action.updates.first().author) == ("verified", other)


def test_a_moved_due_date_needs_its_reason(client, actions, staff):
    refused = post(client, A1 + "updates/", token_for(staff), {"note": "Later.", "due_date": "2012", "version": 1})
    assert refused.status_code == 400 and set(refused.json()) == {"due_date_reason"}
    done = post(client, A1 + "updates/", token_for(staff), {"note": "Later.", "due_date": "2012", "version": 1,
                                                            "due_date_reason": "The host moved it."})
    assert done.status_code == 201
    entry = Action.objects.get(pk=actions[0].pk).updates.first()
    assert (entry.due_date_reason, entry.slipped_days) == ("The host moved it.", 550)


def test_items_carry_their_verification_freshness_and_roll_up(client, rec):
    body = client.get("/api/v1/recommendations/2010/2.1/1/").json()
    assert (body["verification"], body["freshness"], body["rollup"]) == (
        "", rec.freshness.value, {"reported": 0, "total": 0, "progress": None})


def test_the_list_reads_a_fixed_number_of_queries(client, actions, staff, django_assert_max_num_queries):
    for n in range(4):
        services.add_action(Project.objects.get(title__startswith="Handbook"), by=staff, title=f"Step {n}")
    with django_assert_max_num_queries(10):
        assert client.get(LIST).status_code == 200
