"""An action's page: its item above it, where it stands, its update form and timeline, as each role reads it."""

import re

import pytest

from partnerships.models import Project
from recommendations import services
from recommendations.models import Action, FollowUpItem, Recommendation, Status

pytestmark = pytest.mark.django_db

ITEM = "/recommendations/2010/2.1/1/"
PAGE = ITEM + "actions/a1/"


def rec():
    return Recommendation.objects.get_by_natural_key(2010, "2.1", 1)


def text(html):
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def crumbs(body):
    return text(body[body.index('<nav class="crumbs"'):body.index("</nav>", body.index('<nav class="crumbs"'))])


@pytest.fixture
def action(staff):
    return services.add_action(rec(), by=staff, title="Workshop in Dubai", description="Two days with agencies.")


def test_staff_read_the_action_under_its_item(client, staff, action):
    client.force_login(staff)
    body = client.get(PAGE).content.decode()
    assert crumbs(body) == ("Recommendations › GFMD 2010 › Session 2.1 › 2.1/1 Engage recruitment agencies to "
                            "protect contract workers › Action a1")
    assert "<h1>Workshop in Dubai</h1>" in body and "Two days with agencies." in body
    assert 'action="/recommendations/2010/2.1/1/actions/a1/update/"' in body
    assert "Action added: Workshop in Dubai." in body
    facts = body[body.index('<dl class="key-facts"'):body.index("</dl>", body.index('<dl class="key-facts"'))]
    assert [text(pair) for pair in re.findall(r"<div>(.*?)</div>", facts, re.S)] == [
        "StatusNot started", "Progress 0%", "Ownersam-staff", "Due dateNone set",
        "FreshnessCurrent · latest update today"]


def test_the_owner_logs_an_update_on_the_action_and_the_item_rolls_it_up(client, staff, action):
    client.force_login(staff)
    response = client.post(PAGE + "update/", {"version": action.version, "note": "Half the agencies came.",
                                               "status": "in_progress", "progress": "40"})
    assert response.status_code == 302 and response["Location"] == PAGE
    action.refresh_from_db()
    assert (action.status, action.progress) == (Status.IN_PROGRESS, 40)
    entry = action.updates.first()
    assert (entry.author, entry.note, entry.progress_after) == (staff, "Half the agencies came.", 40)
    item = rec()
    assert (item.actions_reported, item.actions_progress) == (1, 40)
    assert "1 of 1 action reported · 40% over the reported one" in text(client.get(ITEM).content.decode())


def test_an_editor_changes_what_staff_may_not(client, staff, editor, action):
    client.force_login(editor)
    body = client.get(PAGE).content.decode()
    form = body[body.index('id="log-update"'):]
    assert 'name="status"' in form and 'name="new_owner"' in form
    assert 'name="progress_from_actions"' not in form  # an action has no actions to roll up


def test_staff_take_an_action_nobody_owns(client, staff, editor, action):
    action.record_update(by=editor, note="Unassigned for now.", owner=None)
    action.refresh_from_db()
    other = services.add_action(rec(), by=editor, title="Other")  # the editor owns this one
    client.force_login(staff)
    assert "Take this item" in client.get(PAGE).content.decode()
    response = client.post(PAGE + "take/", {"version": action.version})
    assert response.status_code == 302 and response["Location"] == PAGE
    action.refresh_from_db()
    assert action.owner == staff and action.updates.first().note == "Took this item."
    other.refresh_from_db()
    assert other.owner == editor


def test_a_viewer_reads_the_page_without_a_form(client, viewer, action):
    client.force_login(viewer)
    response = client.get(PAGE)
    assert response.status_code == 200 and 'id="log-update"' not in response.content.decode()
    assert client.post(PAGE + "update/", {"version": action.version, "note": "Mine."}).status_code == 403
    assert action.updates.count() == 1


def test_the_public_reads_a_published_action_without_its_owner(client, staff, action):
    action.record_update(by=staff, note="Internal: budget talks.")
    action.record_update(by=staff, note="Agencies invited.", public=True)
    body = client.get(PAGE).content.decode()
    assert "<h1>Workshop in Dubai</h1>" in body and "Agencies invited." in body
    assert "Internal: budget talks." not in body and "sam-staff" not in body
    assert "<dt>Owner</dt>" not in body and 'id="log-update"' not in body
    item_page = client.get(ITEM).content.decode()
    assert '<a href="/recommendations/2010/2.1/1/actions/a1/">Workshop in Dubai</a>' in item_page
    assert "Add an action" not in item_page and ">Owner</th>" not in item_page


def test_the_public_gets_no_page_of_an_unpublished_action_nor_its_row(client, staff, editor, action):
    shown = services.add_action(rec(), by=staff, title="Published one")
    services.set_items_public([action], public=False, by=editor)
    assert client.get(PAGE).status_code == 404
    item_page = client.get(ITEM).content.decode()
    assert "Workshop in Dubai" not in item_page and shown.title in item_page
    client.force_login(staff)
    assert client.get(PAGE).status_code == 200  # those who sign in see it


def test_the_public_gets_no_action_of_an_unpublished_item(client, staff, editor, action):
    services.set_items_public([rec()], public=False, by=editor)
    assert client.get(PAGE).status_code == 404


@pytest.mark.parametrize("address", ["actions/a2/", "actions/a0/", "actions/a99999999999/", "actions/1/"])
def test_an_action_that_is_not_there_is_not_found(client, staff, action, address):
    client.force_login(staff)
    assert client.get(ITEM + address).status_code == 404


def test_a_follow_up_items_action_has_its_page(client, staff):
    item = FollowUpItem.objects.get_by_natural_key(2010, "FOF", 2)
    action = services.add_action(item, by=staff, title="Follow the forum")
    client.force_login(staff)
    body = client.get(action.get_absolute_url()).content.decode()
    assert action.get_absolute_url() == "/follow-up/2010/FOF/2/actions/a1/"
    assert crumbs(body).startswith("Follow-up items › GFMD 2010 › Session FOF › FOF/2 ")
    assert crumbs(body).endswith(" › Action a1")


def test_a_projects_action_has_its_page(client, staff):
    project = Project.objects.create(title="Recruitment agencies", description="A project.")
    project.start_timeline(note="Created.")
    action = services.add_action(project, by=staff, title="Map the agencies")
    client.force_login(staff)
    body = client.get(f"/projects/{project.pk}/actions/a1/").content.decode()
    assert crumbs(body) == "PfP projects › Recruitment agencies › Action a1"
    assert f'action="/projects/{project.pk}/actions/a1/update/"' in body
    response = client.post(action.get_update_url(), {"version": action.version, "note": "Mapped ten."})
    assert response.status_code == 302 and response["Location"] == f"/projects/{project.pk}/actions/a1/"
    assert Action.objects.get(pk=action.pk).updates.first().note == "Mapped ten."


def test_an_action_page_is_bounded(client, staff, action, django_assert_max_num_queries):
    from recommendations import versioning

    client.force_login(staff)
    versioning.clear()
    with django_assert_max_num_queries(22):
        assert client.get(PAGE).status_code == 200
