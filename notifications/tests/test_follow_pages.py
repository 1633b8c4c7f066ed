"""Follow and unfollow (POST, signed in, one's own follows only), the Follow buttons and the Following page."""

import pytest
from django.test import Client

from notifications.models import Follow, SavedView
from notifications.tests.conftest import person
from partnerships.models import Project
from recommendations.models import Actor, Recommendation, Theme

pytestmark = pytest.mark.django_db

URL = "/recommendations/2010/2.1/3/"
FOLLOW = "/notifications/follow/recommendation/{pk}/"
UNFOLLOW = "/notifications/unfollow/recommendation/{pk}/"


def loans():
    return Recommendation.objects.get_by_natural_key(2010, "2.1", 3)


def followed(user):
    return sorted((f.target_type.model, f.target_id) for f in Follow.objects.filter(user=user))


def test_a_signed_in_user_follows_an_item_and_goes_back_to_its_page(viewer_client, viewer):
    item = loans()
    response = viewer_client.post(FOLLOW.format(pk=item.pk), {"next": URL})
    assert (response.status_code, response["Location"]) == (302, URL)
    assert followed(viewer) == [("recommendation", item.pk)]
    viewer_client.post(FOLLOW.format(pk=item.pk), {"next": URL})  # twice: still one follow
    assert Follow.objects.filter(user=viewer).count() == 1


@pytest.mark.parametrize("kind", ["followupitem", "project", "action", "actor", "theme"])
def test_every_kind_of_thing_can_be_followed(viewer_client, viewer, editor, kind):
    from recommendations import services
    from recommendations.models import FollowUpItem

    target = {"followupitem": lambda: FollowUpItem.objects.first(), "project": lambda: Project.objects.get(pk=1),
              "action": lambda: services.add_action(loans(), by=editor, title="Draft"),
              "actor": lambda: Actor.objects.get(name="Mexico"),
              "theme": lambda: Theme.objects.get(slug="gender")}[kind]()
    assert viewer_client.post(f"/notifications/follow/{kind}/{target.pk}/").status_code == 302
    assert followed(viewer) == [(kind, target.pk)]


def test_following_is_post_only_and_refused_to_the_public(viewer_client, viewer):
    pk = loans().pk
    assert viewer_client.get(FOLLOW.format(pk=pk)).status_code == 405
    client = Client()
    response = client.post(FOLLOW.format(pk=pk))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.post(UNFOLLOW.format(pk=pk)).status_code == 302
    assert Follow.objects.count() == 0


def test_bad_input_is_refused_and_follows_nothing(viewer_client):
    assert viewer_client.post("/notifications/follow/user/1/").status_code == 404
    assert viewer_client.post("/notifications/follow/recommendation/999999/").status_code == 404
    assert Follow.objects.count() == 0


def test_an_unsafe_next_address_is_not_followed(viewer_client):
    response = viewer_client.post(FOLLOW.format(pk=loans().pk), {"next": "https://evil.example/"})
    assert response["Location"] == "/notifications/following/"


def test_one_unfollows_only_ones_own_follow(viewer_client, viewer):
    item, other = loans(), person("olga")
    Follow.objects.start(viewer, item)
    Follow.objects.start(other, item)
    assert viewer_client.get(UNFOLLOW.format(pk=item.pk)).status_code == 405
    assert viewer_client.post(UNFOLLOW.format(pk=item.pk)).status_code == 302
    assert followed(viewer) == [] and followed(other) == [("recommendation", item.pk)]


def test_anothers_private_saved_view_cannot_be_followed_a_shared_one_can(viewer_client, viewer):
    olga = person("olga")
    private = SavedView.objects.create(owner=olga, name="Mine", path="/recommendations/", query="status=planned")
    shared = SavedView.objects.create(owner=olga, name="Ours", path="/recommendations/", shared=True)
    assert viewer_client.post(f"/notifications/follow/savedview/{private.pk}/").status_code == 404
    assert viewer_client.post(f"/notifications/follow/savedview/{shared.pk}/").status_code == 302
    assert followed(viewer) == [("savedview", shared.pk)]


def test_the_item_page_offers_follow_then_unfollow(viewer_client):
    item = loans()
    body = viewer_client.get(URL).content.decode()
    assert (f'<form class="follow" method="post" action="/notifications/follow/recommendation/{item.pk}/">'
            in body)
    assert f'<input type="hidden" name="next" value="{URL}"><button type="submit" class="">Follow' in body
    viewer_client.post(FOLLOW.format(pk=item.pk))
    body = viewer_client.get(URL).content.decode()
    assert f'action="/notifications/unfollow/recommendation/{item.pk}/"' in body
    assert '<button type="submit" class="secondary">Unfollow' in body
    assert 'class="follow"' not in Client().get(URL).content.decode()  # the public: no button


@pytest.mark.parametrize("page", ["actor", "project", "action"])
def test_actor_project_and_action_pages_have_the_button(viewer_client, editor, page):
    from recommendations import services

    target = {"actor": lambda: Actor.objects.get(name="Mexico"), "project": lambda: Project.objects.get(pk=1),
              "action": lambda: services.add_action(loans(), by=editor, title="Draft")}[page]()
    url = f"/actors/{target.pk}/" if page == "actor" else target.get_absolute_url()
    body = viewer_client.get(url).content.decode()
    assert f'action="/notifications/follow/{page}/{target.pk}/"' in body


def test_the_following_page_lists_what_one_follows_with_unfollow_buttons(viewer_client, viewer, editor):
    from recommendations import services

    item, actor, theme = loans(), Actor.objects.get(name="Mexico"), Theme.objects.get(slug="gender")
    action = services.add_action(item, by=editor, title="Draft the law")
    for target in (item, actor, theme, action):
        Follow.objects.start(viewer, target)

    body = viewer_client.get("/notifications/following/").content.decode()

    assert f'<a href="{URL}">{item}</a>' in body
    assert f'<a href="/actors/{actor.pk}/">Mexico</a>' in body
    # the item's title outside the action's link, where a translation's mark may follow it (no link in a link)
    assert f'<li>{item} · <a href="{URL}actions/a1/">a1 Draft the law</a>' in body
    assert body.count('<button type="submit" class="secondary">Unfollow') == 5  # the theme twice: in the themes too
    assert f'action="/notifications/unfollow/theme/{theme.pk}/"' in body
    other = Theme.objects.exclude(pk=theme.pk).first()
    assert f'action="/notifications/follow/theme/{other.pk}/"' in body


def test_the_following_page_skips_a_thing_since_deleted(viewer_client, viewer):
    view = SavedView.objects.create(owner=viewer, name="Gone", path="/recommendations/")
    Follow.objects.start(viewer, view)
    SavedView.objects.filter(pk=view.pk).delete()
    body = viewer_client.get("/notifications/following/").content.decode()
    assert "You follow nothing yet." in body


def test_the_header_links_the_following_page_for_those_signed_in(viewer_client):
    from django.test import Client

    assert '<a href="/notifications/following/">Following</a>' in viewer_client.get("/").content.decode()
    assert 'aria-current="page">Following</a>' in viewer_client.get("/notifications/following/").content.decode()
    assert "/notifications/following/" not in Client().get("/").content.decode()  # the public


def test_a_view_no_longer_shared_is_not_named_on_a_former_followers_page(viewer_client, viewer):
    olga = person("olga")
    view = SavedView.objects.create(owner=olga, name="Ours", path="/recommendations/", shared=True)
    viewer_client.post(f"/notifications/follow/savedview/{view.pk}/")
    SavedView.objects.filter(pk=view.pk).update(shared=False, name="Olga's private shortlist")
    body = viewer_client.get("/notifications/following/").content.decode()
    assert "private shortlist" not in body
    assert "You follow nothing yet." in body


def test_who_may_not_read_items_neither_follows_nor_sees_an_unpublished_one(client, viewer):
    """A person without a role (an owner who lost theirs) reads what the public reads."""
    otto, item = person("otto"), loans()
    Follow.objects.start(otto, item)  # followed as its owner, before the role was taken away
    Recommendation.objects.filter(pk=item.pk).update(is_public=False)
    client.force_login(otto)
    body = client.get("/notifications/following/").content.decode()
    assert item.title not in body and "You follow nothing yet." in body
    other = Recommendation.objects.get_by_natural_key(2010, "2.1", 1)
    Recommendation.objects.filter(pk=other.pk).update(is_public=False)
    assert client.post(FOLLOW.format(pk=other.pk)).status_code == 404
    assert followed(otto) == [("recommendation", item.pk)]
