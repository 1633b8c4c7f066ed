"""Owners follow their items: whoever an update makes an item's owner follows it, whatever path the update took
(the update form, "Take this item", the admin, an import, the list's bulk action, the API, a new action)."""

import pytest
from django.urls import reverse

from api.tests.conftest import post, token_for
from notifications.models import Follow
from recommendations import services
from recommendations.imports.resources import RecommendationResource
from recommendations.models import Recommendation
from recommendations.tests.test_admin import admin_form_data
from recommendations.tests.test_import_bulk import changed, export

pytestmark = pytest.mark.django_db


def rec(code="2.1", number=3):
    return Recommendation.objects.get_by_natural_key(2010, code, number)


def followers(item):
    return sorted(Follow.objects.of(item).values_list("user__username", flat=True))


def test_an_owner_set_in_the_update_form_follows_the_item(client, editor, staff):
    item = rec()
    client.force_login(editor)
    response = client.post(item.get_update_url(), {"version": item.version, "note": "Sam leads.",
                                                   "status": item.status, "new_owner": staff.username})
    assert response.status_code == 302
    assert rec().owner == staff
    assert followers(item) == ["sam-staff"]


def test_staff_who_take_an_item_follow_it(client, staff):
    item = rec()
    client.force_login(staff)
    assert client.post(item.get_absolute_url() + "take/", {"version": item.version}).status_code == 302
    assert followers(item) == ["sam-staff"]


def test_an_owner_set_in_the_admin_follows_the_item(editor_client, staff):
    item = rec("1.1", 3)
    url = reverse("admin:recommendations_recommendation_change", args=[item.pk])
    data = admin_form_data(editor_client.get(url))
    data.update(owner=staff.pk)
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert followers(item) == ["sam-staff"]


def test_owners_set_by_an_import_follow_their_items(editor, staff):
    items = list(Recommendation.objects.filter(session__code="3.1"))
    result = RecommendationResource().import_data(changed(export(session__code="3.1"), owner=staff.username),
                                                  user=editor)
    assert not result.has_errors() and not result.has_validation_errors(), result.invalid_rows
    assert len(items) > 3
    assert all(followers(item) == ["sam-staff"] for item in items)


def test_owners_set_by_the_lists_bulk_action_follow_their_items(editor_client, staff):
    items = list(Recommendation.objects.filter(session__code="3.2"))
    editor_client.post(reverse("recommendations:bulk_update"), {
        "items": [i.pk for i in items], "query": "", "action": "owner", "owner": staff.username, "note": "Sam."})
    assert [item.owner_id for item in Recommendation.objects.filter(session__code="3.2")] == [staff.pk] * len(items)
    assert all(followers(item) == ["sam-staff"] for item in items)


def test_an_owner_set_through_the_api_follows_the_item(client, editor, staff):
    item = rec()
    response = post(client, "/api/v1/recommendations/2010/2.1/3/updates/", token_for(editor),
                    {"note": "Sam leads.", "owner": staff.username, "version": item.version})
    assert response.status_code == 201, response.content
    assert followers(item) == ["sam-staff"]


def test_the_owner_of_a_new_action_follows_it(editor, staff):
    action = services.add_action(rec(), by=editor, title="Draft the law", owner=staff)
    assert followers(action) == ["sam-staff"]


def test_a_new_owner_follows_and_the_former_one_still_follows(editor, staff, administrator):
    item = rec()
    item.record_update(by=editor, note="Sam leads.", owner=staff)
    item.record_update(by=editor, note="Ada leads.", owner=administrator)
    assert followers(item) == ["ada-admin", "sam-staff"]  # unfollowing is theirs to choose


def test_an_update_that_leaves_the_owner_follows_nobody_new(editor, staff):
    item = rec()
    item.record_update(by=editor, note="Planned.", status="planned")
    assert followers(item) == []
