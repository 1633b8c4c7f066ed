"""The "Add an action" form on an item's page: who may add one, what it writes, and what bad input gets."""

import datetime
import re

import pytest

from partnerships.models import Project
from recommendations.models import Action, ActionUpdate, Actor, Recommendation

pytestmark = pytest.mark.django_db

ITEM = "/recommendations/2010/2.1/1/"
ADD = ITEM + "actions/add/"


def rec():
    return Recommendation.objects.get_by_natural_key(2010, "2.1", 1)


def text(html):
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def add(client, url=ADD, **data):
    fields = {"title": "Workshop with recruitment agencies", "weight": "1", **data}
    return client.post(url, {f"action-{name}": value for name, value in fields.items()})


def test_staff_add_an_action_and_land_on_the_items_actions(client, staff):
    client.force_login(staff)
    response = add(client, description="Two days in Dubai.", weight="3", due_date="2011-06-30",
                   **{"responsible_actors_0": "United Arab Emirates", "responsible_actors_1": "Philippines"})
    assert response.status_code == 302 and response["Location"] == ITEM + "#actions"
    action = Action.objects.of_parent(rec()).get()
    assert (action.number, action.title, action.description, action.weight, action.due_date, action.owner) == (
        1, "Workshop with recruitment agencies", "Two days in Dubai.", 3, datetime.date(2011, 6, 30), staff)
    assert sorted(action.responsible_actors.values_list("name", flat=True)) == ["Philippines", "United Arab Emirates"]
    [entry] = ActionUpdate.objects.filter(item=action)
    assert (entry.author, entry.note) == (staff, "Action added: Workshop with recruitment agencies.")
    assert rec().actions_count == 1
    assert "Action a1 is added: Workshop with recruitment agencies." in client.get(ITEM).content.decode()


def test_an_editor_gives_the_action_to_someone_else(client, editor, staff):
    client.force_login(editor)
    assert add(client, owner=staff.username).status_code == 302
    assert Action.objects.of_parent(rec()).get().owner == staff


def test_the_item_page_lists_its_actions_with_what_stands(client, staff, editor):
    client.force_login(staff)
    add(client, due_date="2011-06-30", responsible_actors_0="United Arab Emirates")
    add(client, title="Survey of agencies")
    action = Action.objects.of_parent(rec()).get(number=1)
    action.record_update(by=staff, note="Half done.", progress=50, status="in_progress")

    body = client.get(ITEM).content.decode()

    section = body[body.index('id="actions"'):body.index("</section>", body.index('id="actions"'))]
    rows = [text(row) for row in re.findall(r'<tr id="action-a\d+">.*?</tr>', section, re.S)]
    assert rows == [
        "a1 Workshop with recruitment agencies UAE sam-staff 30 Jun 2011 In progress Overdue 50% "
        "Current · latest update today",
        "a2 Survey of agencies — sam-staff — Not started unknown Current · latest update today",
    ]
    assert '<a href="/recommendations/2010/2.1/1/actions/a1/">Workshop with recruitment agencies</a>' in section
    assert "1 of 2 actions reported · 50% over the reported one" in text(section)
    assert 'action="/recommendations/2010/2.1/1/actions/add/"' in section


def test_a_viewer_sees_the_actions_but_no_form_and_a_crafted_post_is_refused(client, viewer):
    client.force_login(viewer)
    assert "Add an action" not in client.get(ITEM).content.decode()
    response = add(client)
    assert response.status_code == 403
    assert "You may read this item but not add actions to it; nothing was added." in response.content.decode()
    assert not Action.objects.exists()


def test_the_public_is_sent_to_sign_in(client):
    response = add(client)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not Action.objects.exists()


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"title": ""}, "Title", "Give the action a title."),
    ({"weight": "0"}, "Weight", "Ensure this value is greater than or equal to 1."),
    ({"weight": "101"}, "Weight", "Ensure this value is less than or equal to 100."),
    ({"due_date": "31/31/2011"}, "Due date", "Enter a valid date."),
    ({"responsible_actors_0": "Atlantis"}, "Responsible actors",
     "No actor is named 'Atlantis': type the name as the box offers it."),
    ({"responsible_actors_0": "Phil\x00ippines"}, "Responsible actors", "A name cannot hold a null character."),
    ({"owner": "nobody-at-all"}, "Owner", "Nobody who may own actions has this username"),
])
def test_bad_input_is_explained_and_what_was_typed_is_kept(client, staff, data, field, message):
    client.force_login(staff)
    response = add(client, description="Kept as typed.", **data)
    assert response.status_code == 400
    body = response.content.decode()
    start = body.index(">", body.index('id="action-errors"')) + 1
    summary = text(body[start:body.index("</div>", start)]).replace("&#x27;", "'")
    assert summary.startswith(f"The action was not added. {field}: {message}")
    assert "<details class=\"add-action\" open>" in body
    assert ">\nKept as typed.</textarea>" in body
    assert not Action.objects.exists()


def test_an_owner_who_may_not_own_is_refused_by_the_rules(client, editor, viewer):
    client.force_login(editor)
    response = add(client, owner=viewer.username)
    assert response.status_code == 400
    assert "Nobody who may own actions has this username" in response.content.decode()
    assert not Action.objects.exists()


def test_an_address_left_in_the_bar_goes_back_to_the_item(client, staff):
    client.force_login(staff)
    response = client.get(ADD)
    assert response.status_code == 302 and response["Location"] == ITEM + "#actions"


def test_an_action_is_added_to_a_project_too(client, staff):
    project = Project.objects.create(title="Recruitment agencies", description="A project.")
    project.start_timeline(note="Created.")
    client.force_login(staff)
    response = add(client, f"/projects/{project.pk}/actions/add/",
                   responsible_actors_0=Actor.objects.get(name="Philippines").name)
    assert response.status_code == 302 and response["Location"] == f"/projects/{project.pk}/#actions"
    action = Action.objects.of_parent(project).get()
    assert action.get_absolute_url() == f"/projects/{project.pk}/actions/a1/"
    assert "Workshop with recruitment agencies" in client.get(f"/projects/{project.pk}/").content.decode()


@pytest.mark.parametrize("signed_in", [True, False])
def test_more_actions_cost_the_item_page_no_query(client, staff, signed_in):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from recommendations import services, versioning

    def queries():
        versioning.clear()
        with CaptureQueriesContext(connection) as read:
            assert client.get(ITEM).status_code == 200
        return len(read)

    actor = Actor.objects.get(name="Philippines")
    services.add_action(rec(), by=staff, title="One", responsible_actors=[actor])
    if signed_in:
        client.force_login(staff)
    queries()  # content types are remembered after the first page
    one = queries()
    for n in range(2, 8):
        services.add_action(rec(), by=staff, title=f"Action {n}", responsible_actors=[actor])
    assert queries() == one
