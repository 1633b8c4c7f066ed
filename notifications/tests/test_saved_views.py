"""Saved views: "Save this view" on the lists stores a list's path and filters under a name, one's own or shared;
the Saved views page lists one's own and the shared ones; bad input saves nothing and says why."""

import html
import re

import pytest
from django.test import Client

from notifications.models import Follow, SavedView
from notifications.tests.conftest import person

pytestmark = pytest.mark.django_db

SAVE = "/notifications/saved-views/save/"
PAGE = "/notifications/saved-views/"


def said(response):
    return [html.unescape(m) for m in re.findall(r'<li class="message [^"]*">(.*?)</li>', response.content.decode(),
                                                 re.S)]


def save(client, **data):
    return client.post(SAVE, {"path": "/recommendations/", "query": "status=planned&theme=gender&page=3",
                              "name": "Planned, gender", **data}, follow=True)


@pytest.mark.parametrize("path", ["/recommendations/", "/follow-up/", "/projects/", "/actions/"])
def test_each_list_offers_save_this_view_to_the_signed_in(viewer_client, path):
    body = viewer_client.get(path + "?status=planned").content.decode()
    assert '<details class="save-view">' in body
    assert f'<input type="hidden" name="path" value="{path}">' in body
    assert '<input type="hidden" name="query" value="status=planned">' in body
    assert '<details class="save-view">' not in Client().get(path).content.decode()


def test_a_view_is_saved_with_its_filters_without_the_page(viewer_client, viewer):
    response = save(viewer_client)
    assert said(response) == ["Saved “Planned, gender”."]
    view = SavedView.objects.get()
    assert (view.owner, view.name, view.path, view.query, view.shared) == (
        viewer, "Planned, gender", "/recommendations/", "status=planned&theme=gender", False)
    body = response.content.decode()
    assert '<a href="/recommendations/?status=planned&amp;theme=gender">Planned, gender</a>' in body


def test_a_shared_view_shows_to_colleagues_a_private_one_does_not(viewer_client, viewer):
    olga = person("olga")
    SavedView.objects.create(owner=olga, name="Olga's shared", path="/actions/", query="overdue=true", shared=True)
    SavedView.objects.create(owner=olga, name="Olga's own", path="/actions/")
    save(viewer_client, shared="on")

    body = viewer_client.get(PAGE).content.decode()

    assert "Olga's shared" in html.unescape(body) and "Olga's own" not in html.unescape(body)
    assert body.index("Planned, gender") < body.index("Shared by colleagues") < body.index("Olga")
    assert '<span class="tag">Shared</span>' in body


@pytest.mark.parametrize(("data", "message"), [
    ({"name": " "}, "Nothing was saved. Give the view a name."),
    ({"path": "/reports/matrix/"}, "Nothing was saved. Only the lists of recommendations, follow-up items, PfP "
                                   "projects and actions can be saved."),
    ({"path": "//evil.example/recommendations/"}, "Nothing was saved. Only the lists of recommendations, follow-up "
                                                  "items, PfP projects and actions can be saved."),
    ({"query": "status=bogus"}, "Nothing was saved. These filters cannot be saved: Select a valid choice. bogus is "
                                "not one of the available choices."),
])
def test_bad_input_saves_nothing_and_says_why(viewer_client, data, message):
    response = save(viewer_client, **data)
    assert said(response) == [message]
    assert SavedView.objects.count() == 0


def test_a_second_view_of_the_same_name_is_refused(viewer_client):
    save(viewer_client)
    response = save(viewer_client, name="planned, GENDER", query="")
    assert said(response) == ["Nothing was saved. You already have a saved view named “planned, GENDER”: choose "
                              "another name."]
    assert SavedView.objects.count() == 1


def test_saving_is_post_only_and_for_the_signed_in(viewer_client):
    assert viewer_client.get(SAVE).status_code == 405
    response = Client().post(SAVE, {"path": "/recommendations/", "name": "x"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert SavedView.objects.count() == 0


def test_one_deletes_only_ones_own_saved_view(viewer_client, viewer):
    olga = person("olga")
    theirs = SavedView.objects.create(owner=olga, name="Theirs", path="/actions/", shared=True)
    mine = SavedView.objects.create(owner=viewer, name="Mine", path="/actions/")
    Follow.objects.start(viewer, mine)
    assert viewer_client.post(f"{PAGE}{theirs.pk}/delete/").status_code == 404
    assert viewer_client.post(f"{PAGE}{mine.pk}/delete/").status_code == 302
    assert list(SavedView.objects.values_list("name", flat=True)) == ["Theirs"]
    assert Follow.objects.count() == 0
