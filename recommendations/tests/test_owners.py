"""Owners are people who can act: active users whose role may log updates, on every path
(the update form, the admin form, the bulk action, imports, the admin's owner search)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import make_user
from gfmd_tracker.roles import STAFF
from partnerships.models import Project
from recommendations.imports.resources import RecommendationResource
from recommendations.models import FollowUpItem, Recommendation
from recommendations.tests.test_admin import admin_form_data, run_action
from recommendations.tests.test_import_bulk import changed, export

pytestmark = pytest.mark.django_db

REFUSED = ("{} cannot own items: an owner must be an active user whose role may log updates "
           "(staff, editor or administrator).")
NOT_A_CHOICE = "Select a valid choice. That choice is not one of the available choices."


@pytest.fixture
def gone(db):
    """A staff member who left: deactivated."""
    user = make_user("gus-gone", STAFF)
    user.is_active = False
    user.save()
    return user


def item():
    return Recommendation.objects.get_by_natural_key(2010, "2.2", 1)


def state(rec):
    rec.refresh_from_db()
    return rec.owner_id, rec.version, rec.updates.count()


def test_the_possible_owners_are_the_active_staff_editors_and_administrators(viewer, staff, editor, administrator,
                                                                             gone):
    expected = ["ada-admin", "eda-editor", "sam-staff"]
    for model in (Recommendation, FollowUpItem, Project):
        assert sorted(model.possible_owners().values_list("username", flat=True)) == expected
    rec = item()
    assert [u.username for u in (viewer, staff, editor, administrator, gone) if rec.can_own(u)] == expected[::-1]


def test_a_superuser_without_a_role_and_a_user_given_the_permission_directly_may_own(db):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    users = get_user_model().objects
    root = users.create_user("rob-root", is_superuser=True)
    direct = users.create_user("dee-direct")
    direct.user_permissions.add(Permission.objects.get(codename="add_recommendationupdate"))
    reader = users.create_user("rita-reader")
    reader.user_permissions.add(Permission.objects.get(codename="view_recommendationupdate"))
    elsewhere = users.create_user("pat-projects")
    elsewhere.user_permissions.add(Permission.objects.get(codename="add_projectupdate"))

    assert sorted(Recommendation.possible_owners().values_list("username", flat=True)) == ["dee-direct", "rob-root"]
    assert sorted(Project.possible_owners().values_list("username", flat=True)) == ["pat-projects", "rob-root"]
    rec = item()
    assert [u.username for u in users.filter(pk__in=[root.pk, direct.pk, reader.pk, elsewhere.pk]).order_by(
        "username") if rec.can_own(u)] == ["dee-direct", "rob-root"]


@pytest.mark.parametrize("who", ["viewer", "gone"])
def test_record_update_refuses_an_owner_who_cannot_act(editor, request, who):
    user = request.getfixturevalue(who)
    rec = item()
    before = state(rec)
    with pytest.raises(ValidationError) as refused:
        rec.record_update(by=editor, note="Give it to them.", owner=user)
    assert refused.value.message_dict == {"owner": [REFUSED.format(user.username)]}
    assert state(rec) == before


def test_the_update_form_offers_only_possible_owners_and_refuses_a_crafted_one(client, editor, staff, viewer, gone):
    client.force_login(editor)
    rec = item()
    page = client.get(rec.get_absolute_url()).content.decode()
    select = re.search(r'<select name="owner" id="id_owner">(.*?)</select>', page, re.S).group(1)
    assert re.findall(r"<option[^>]*>([^<]*)</option>", select) == ["— unassigned —"]  # no owner yet
    # Anyone else is typed by name: the box offers the possible owners.
    names = re.search(r'<input type="text" name="new_owner"[^>]* data-names="([^"]*)"', page).group(1)
    assert client.get(names, {"q": ""}).json() == {"names": ["eda-editor", "sam-staff"]}
    assert client.get(names, {"q": "S"}).json() == {"names": ["sam-staff"]}
    before = state(rec)
    for user in (viewer, gone):
        for crafted in ({"owner": user.pk}, {"new_owner": user.username}):
            response = client.post(rec.get_update_url(), {"note": "Yours.", **crafted, "version": rec.version})
            assert response.status_code == 400
            assert NOT_A_CHOICE in response.content.decode()
    assert state(rec) == before


def test_an_editor_gives_an_item_to_someone_typed_by_name(client, editor, staff):
    client.force_login(editor)
    rec = item()
    response = client.post(rec.get_update_url(), {"note": "Sam takes it.", "owner": "", "new_owner": "sam-staff",
                                                  "version": rec.version})
    assert response.status_code == 302
    rec.refresh_from_db()
    entry = rec.updates.first()
    assert (rec.owner, entry.note, entry.owner_before, entry.owner_after) == (staff, "Sam takes it.", None, staff)
    page = client.get(rec.get_absolute_url()).content.decode()
    assert f'<option value="{staff.pk}" selected>sam-staff</option>' in page  # now the owner offered


def test_a_note_on_an_item_whose_owner_left_keeps_the_owner(client, editor, gone):
    rec = item()
    Recommendation.objects.filter(pk=rec.pk).update(owner=gone)
    client.force_login(editor)
    page = client.get(rec.get_absolute_url()).content.decode()
    assert f'<option value="{gone.pk}" selected>gus-gone</option>' in page
    response = client.post(rec.get_update_url(), {"note": "Still waiting.", "owner": gone.pk, "version": rec.version})
    assert response.status_code == 302
    rec.refresh_from_db()
    assert (rec.owner, rec.updates.first().note, rec.updates.first().owner_after) == (gone, "Still waiting.", None)


def test_the_admin_form_refuses_an_owner_who_cannot_act(editor_client, viewer):
    rec = item()
    url = reverse("admin:recommendations_recommendation_change", args=[rec.pk])
    data = admin_form_data(editor_client.get(url))
    before = state(rec)
    data.update(owner=viewer.pk, update_note="Vera takes it.")

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["owner"] == [NOT_A_CHOICE]
    assert state(rec) == before


def test_the_bulk_action_refuses_an_owner_who_cannot_act(editor_client, viewer):
    items = list(Recommendation.objects.filter(session__code="3.2"))
    before = [state(rec) for rec in items]

    response = run_action(editor_client, "assign_owner", items, owner=viewer.pk, note="Vera covers climate.")

    assert NOT_A_CHOICE in response.content.decode()
    assert [state(rec) for rec in items] == before
    offered = response.context["form"].fields["owner"].queryset
    assert list(offered.values_list("username", flat=True)) == ["eda-editor"]


def test_an_import_naming_an_owner_who_cannot_act_is_a_row_message(editor, viewer, gone):
    rec = item()
    before = state(rec)
    for user in (viewer, gone):
        result = RecommendationResource().import_data(changed(export(pk=rec.pk), owner=user.username), user=editor)
        [invalid] = result.invalid_rows
        assert invalid.error_dict == {"owner": [REFUSED.format(user.username)]}
    assert state(rec) == before


def test_an_import_of_a_new_item_owned_by_a_viewer_is_a_row_message(editor, viewer):
    data = changed(export(pk=item().pk), number="99", owner=viewer.username)
    result = RecommendationResource().import_data(data, user=editor)
    [invalid] = result.invalid_rows
    assert invalid.error_dict == {"owner": [REFUSED.format(viewer.username)]}
    assert not Recommendation.objects.filter(session__code="2.2", number=99).exists()


@pytest.mark.parametrize(("app_label", "model_name"), [
    ("recommendations", "recommendation"), ("recommendations", "followupitem"), ("partnerships", "project"),
])
def test_an_editor_searches_owners_in_the_admin_and_finds_only_possible_ones(
        editor_client, viewer, staff, administrator, gone, app_label, model_name):
    response = editor_client.get(reverse("admin:autocomplete"), {
        "app_label": app_label, "model_name": model_name, "field_name": "owner", "term": "",
    })
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["ada-admin", "eda-editor", "sam-staff"]


def test_the_owner_search_gives_editors_nothing_else_of_the_users(editor_client):
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert editor_client.get(reverse("admin:autocomplete"), {
        "app_label": "recommendations", "model_name": "recommendationupdate", "field_name": "author", "term": "",
    }).status_code == 403


def test_the_owner_search_finds_owners_by_name_not_by_email(editor_client, staff):
    staff.first_name, staff.last_name, staff.email = "Samira", "Haddad", "samira.haddad@example.org"
    staff.save()

    def found(term):
        response = editor_client.get(reverse("admin:autocomplete"), {
            "app_label": "recommendations", "model_name": "recommendation", "field_name": "owner", "term": term})
        return [r["text"] for r in response.json()["results"]]

    assert found("sam-st") == ["sam-staff"]
    assert found("Samira") == ["sam-staff"]
    assert found("haddad@example") == []
